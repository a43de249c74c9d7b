"""The characters the project's fonts can print, read from their cmaps.

WeasyPrint prints a character that Lato lacks with some font of the machine, without a
word; validation asks here which characters of the content no font of layouts/fonts/
covers. A cmap is read once per process, and only when the fonts read before it leave
characters uncovered: one font is read for content that all fonts cover.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

FONTS = Path(__file__).resolve().parent.parent / "layouts" / "fonts"
SPACES = frozenset(" \t\n\r\f")  # HTML turns them into spaces: never drawn as such


@cache
def font_files(folder: Path = FONTS) -> tuple[Path, ...]:
    """The project's fonts, the regular one first."""
    return tuple(sorted(folder.glob("*.[ot]tf"), key=lambda p: ("Regular" not in p.name, p)))


@cache
def _cmap(path: Path) -> frozenset[str]:
    with TTFont(path, lazy=True) as font:
        return frozenset(chr(point) for point in font.getBestCmap() or ())


def missing(text: str) -> list[str]:
    """The characters of `text` that no project font covers, once each, in order."""
    text = unicodedata.normalize("NFC", text)
    absent = set(text) - SPACES
    for path in font_files():
        if not absent:
            return []
        absent -= _cmap(path)
    return [c for c in dict.fromkeys(text) if c in absent and unicodedata.category(c) != "Cc"]


__all__ = ["FONTS", "font_files", "missing"]
