"""The project's fonts print what the pipeline itself adds to the content.

Validation reports a character of the content that no font of layouts/fonts/ covers; the
characters the pipeline adds (French typography, the layouts' own text, CSS generated
content, the hyphen of hyphenation) are checked here.
"""

from __future__ import annotations

import re

from pipeline.fonts import font_files, missing
from pipeline.typography import NBSP, NNBSP, french
from tests.conftest import ROOT

CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})")
HTML_ENTITY = re.compile(r"&#(x[0-9a-fA-F]+|\d+);")
HYPHEN = "\u2010"  # WeasyPrint's default hyphenate-character


def test_project_fonts_are_found() -> None:
    assert {p.name for p in font_files()} >= {"Lato-Regular.ttf", "Lato-Bold.ttf"}


def test_typography_characters_are_in_the_fonts() -> None:
    typed = french("l'axe « 1 » : 5 % de 10 000 € ; oui ! vraiment ? «non»")
    assert {NNBSP, NBSP, "’"} <= set(typed)
    assert missing(typed) == []


def test_layout_characters_are_in_the_fonts() -> None:
    printed = {HYPHEN}
    for path in (ROOT / "layouts").rglob("*"):
        if path.suffix in {".css", ".j2"}:
            text = path.read_text("utf-8")
            printed |= {c for c in text if not c.isascii()}
            printed |= {chr(int(h, 16)) for h in CSS_ESCAPE.findall(text)}
            printed |= {chr(int(n[1:], 16) if n[0] == "x" else int(n))
                        for n in HTML_ENTITY.findall(text)}
    assert {NNBSP, "\u2192"} <= printed
    assert missing("".join(sorted(printed))) == []


def test_missing_names_each_absent_character_once() -> None:
    assert missing("Famille 家庭 家\t👪\n") == ["家", "庭", "👪"]
    assert missing("e\u0301te\u0301 à l’école") == []  # decomposed accents are composed
