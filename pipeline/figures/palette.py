"""Stage 3 (charts) — the publication's palette and type, for every drawn SVG.

The same values as the CSS variables of layouts/figures.css (`--axe-N`, `--serie-N`):
an SVG drawn here does not read CSS, so its colours are written in.
"""

from __future__ import annotations

FONT = "Lato"
INK = "#1f2430"
MUTED = "#5b6578"
RULE = "#b9c3d3"
PALE = "#eef2f8"
BLUE = "#1e3a6e"
ACCENT = "#c8102e"
SERIES = ("#1e3a6e", "#c8102e", "#5b8fd1", "#e39a2d", "#3f8f6b", "#8c5fa8", "#9aa6b8")
# One colour per axis, the only list: the openers, the plan at a glance, the running
# headers (layouts/partials/axis-colours.css.j2 asks `axis_colour`) and the charts.
AXES = ("#1e3a6e", "#b5371f", "#1f7a5c", "#7a3d8c", "#a86a00", "#0f6f8a", "#a3284f", "#4f5d2f")


def series_colour(index: int) -> str:
    return SERIES[index % len(SERIES)]


def axis_colour(number: int) -> str:
    """Axis 1 → the first axis colour; more axes than colours start again."""
    return AXES[(number - 1) % len(AXES)]


def text_on(colour: str) -> str:
    """White or ink, whichever reads on `colour` (relative luminance)."""
    red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return INK if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.55 else "#ffffff"
