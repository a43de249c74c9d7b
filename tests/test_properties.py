"""Properties: whatever an editor types, the pipeline answers with findings, never a crash.

Over the YAML reader (any text gives values or a located `PipelineError`), the Markdown
renderer (any text gives `Markup`, and never a `<script` element) and the
cross-reference rules of validation (any `[[kind:target|label]]` gives findings).
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from pipeline.errors import Finding, Findings, PipelineError
from pipeline.markdown import XREF_KINDS, Renderer
from pipeline.model import Schema, Text
from pipeline.project import Project, check
from pipeline.validate import validate
from pipeline.yamlsrc import YList, YMap, YStr, YValue, load_yaml

ROOT = Path(__file__).resolve().parent.parent
FAST = settings(max_examples=200, deadline=None)

YAML_PIECES = [
    "a", "id", "NO", "01000", "12:30", "é", ": ", ":", "- ", "-", "[", "]", "{", "}", ",", "&x ",
    "*x", "!!str ", "!!python/object:os.system ", "|", ">", "'", '"', "\\u00e9", "\\ud800", "#",
    "?", "---", "...", "%YAML 1.1", "@", "`", "\n", "\n  ", "\n    ", "\t", " ", "\ufeff", "\x00",
    "\r\n", "~", "null",
]
MARKDOWN_PIECES = [
    "texte", "CAF", "'", "1er", "15 %", "« x »", "<script>", "</script>", "<SCRIPT src=x>",
    "<scr", "ipt>", "&lt;script&gt;", "&#60;script&#62;", "<iframe>", "<!-- ", " -->", "[[",
    "]]", "axe:2", "objectif:1.1", "|", "[^1]", "[^1]: ", "[^", "]:", "::: figure f\n",
    "::: instance cofil\n", "::: note-editoriale\n", "::: a-completer\n", ":::\n", "- ", "1. ",
    "> ", "## ", "`", "``", "```\n", "*", "**", "_", "[", "]", "(", ")", "![", "](", "<", ">",
    "javascript:alert(1)", "file:///etc/passwd", "https://exemple.org", "\\", "&", "&amp;",
    "{{ 7*7 }}", "{% include 'x' %}", "\n", "\n\n", "    ", "\t", "\x00", "\u2028",
]


def _joined(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.text(), st.lists(st.sampled_from(pieces), max_size=40).map("".join))


def _is_value(value: YValue) -> bool:
    if value is None or isinstance(value, YStr):
        return True
    if isinstance(value, YList):
        return all(_is_value(item) for item in value)
    return isinstance(value, YMap) and all(
        isinstance(k, str) and _is_value(v) for k, v in value.items())


@FAST
@given(_joined(YAML_PIECES))
def test_yaml_gives_values_or_a_located_error(text: str) -> None:
    try:
        value = load_yaml(Path("content/essai.yml"), text)
    except PipelineError as exc:
        assert exc.findings
        assert all(f.location.path == "content/essai.yml" and f.location.line >= 1
                   for f in exc.findings)
        assert all("\n" not in str(f) for f in exc.findings)
    else:
        assert _is_value(value)


@cache
def _renderer() -> Renderer:
    return Renderer({"axe-2": "axe 2"}, lambda _id: Markup("<table></table>"))


@FAST
@given(_joined(MARKDOWN_PIECES))
def test_markdown_block_gives_markup_without_script(text: str) -> None:
    html = _renderer().block(text)
    assert isinstance(html, Markup)
    assert "<script" not in html.lower()
    assert "<iframe" not in html.lower()


@FAST
@given(_joined(MARKDOWN_PIECES))
def test_markdown_inline_gives_markup_without_script(text: str) -> None:
    html = _renderer().inline(text)
    assert isinstance(html, Markup)
    assert "<script" not in html.lower()


@cache
def _sample() -> Schema:
    schema, _warnings = check(Project(ROOT / "tests" / "sample", ROOT / "tests" / "sample"))
    return schema


XREF_TEXT = st.builds(
    "[[{}:{}{}]]".format,
    st.one_of(st.sampled_from(XREF_KINDS), st.text("abcdefghijklmnopqrstuvwxyz", max_size=12)),
    st.one_of(st.sampled_from(["2", "1.2", "2.1.1", "preambule", "cofil", "naissances-2018"]),
              st.text(max_size=30)),
    st.one_of(st.just(""), st.text(max_size=30).map(lambda label: "|" + label)),
)


@FAST
@given(st.lists(st.one_of(XREF_TEXT, st.sampled_from([" ", "\n", "texte ", "[", "]", "|"])),
                min_size=1, max_size=12).map("".join))
def test_cross_references_give_findings(text: str) -> None:
    schema = _sample()
    first = schema.chapters[0].body.location
    chapter = dataclasses.replace(schema.chapters[0], body=Text(text, first))
    findings = Findings()
    validate(dataclasses.replace(schema, chapters=(chapter, *schema.chapters[1:])), findings)
    assert all(isinstance(f, Finding) and f.location.line >= 1 for f in findings.items)
    last = first.line + len(re.split(r"\r\n|\r|\n", text)) - 1  # Markdown's line breaks
    for finding in findings.items:
        if finding.location.path == chapter.location.path:
            assert first.line <= finding.location.line <= last, finding


def test_a_resolved_reference_gives_no_finding() -> None:
    schema = _sample()
    body = "Voir [[axe:2]], [[objectif:1.2|l'objectif]], [[action:2.1.1]] et [[instance:cofil]]."
    chapter = dataclasses.replace(schema.chapters[0],
                                  body=Text(body, schema.chapters[0].body.location))
    findings = Findings()
    validate(dataclasses.replace(schema, chapters=(chapter, *schema.chapters[1:])), findings)
    assert [f for f in findings.items if "renvoi" in f.message] == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="RAMPéÉ-_ 1a", max_size=30),
       st.sampled_from(["RAM", "RAP", "Apur", "AP-HP", "Caf", "É"]))
def test_an_acronym_is_found_as_the_whole_word_pattern_finds_it(text: str, acronym: str) -> None:
    """views._uses (plain searches) finds an acronym where the pattern « the acronym as
    written or in capitals, no word character on either side » does."""
    from pipeline.views import _uses

    forms = "|".join(re.escape(f) for f in dict.fromkeys([acronym, acronym.upper()]))
    assert _uses(text, acronym) == bool(re.search(rf"(?<!\w)(?:{forms})(?!\w)", text))
