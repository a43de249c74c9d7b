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


def axis_text(number: int) -> str:
    """The axis colour as text on white or on the tables' pale rows: darkened, when it
    must be, to a contrast of 4.5:1 (RGAA 3.2, small text)."""
    return readable(axis_colour(number), PALE)


def readable(colour: str, background: str, ratio: float = 4.5) -> str:
    """`colour`, mixed with black by steps of 5 % until it reads on `background`."""
    channels, ground = rgb(colour), rgb(background)
    for step in range(21):
        mixed = [round(c * (1 - step / 20)) for c in channels]
        if contrast(mixed, ground) >= ratio:
            break
    return "#" + "".join(f"{c:02x}" for c in mixed)


def contrast(one: list[int], other: list[int]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours (0-255 channels)."""
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _luminance(rgb: list[int]) -> float:
    linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4
              for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_on(colour: str) -> str:
    """White or ink, whichever contrasts more with `colour` (WCAG ratio: a threshold on
    luminance set white at 3.3:1 on the series' light blue)."""
    ground = rgb(colour)
    return max(("#ffffff", INK), key=lambda text: contrast(rgb(text), ground))


def rgb(colour: str) -> list[int]:
    """« #rrggbb » → its three channels, 0-255."""
    return [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
