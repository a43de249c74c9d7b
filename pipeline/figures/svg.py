"""Stage 3 (charts) — the few SVG primitives every drawer writes with.

Plain strings, written in a fixed order with fixed number formats: the same data gives
the same bytes. Text stays text (`<text>` in Lato), so that it can be searched, read by a
screen reader and extracted from the PDF.
"""

from __future__ import annotations

from markupsafe import escape

from pipeline.figures.model import Value
from pipeline.figures.palette import FONT, INK
from pipeline.typography import french

WIDTH = 640  # viewBox units; printed 160 mm wide (4 units a millimetre)
MM = 0.25
NNBSP = "\u202f"


def num(x: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros, never "-0"."""
    text = f"{round(x, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def figure_number(number: float, decimals: int = 0) -> str:
    """265879 → « 265 879 », 1.74 → « 1,74 » (French separators)."""
    text = f"{number:,.{decimals}f}"
    return text.replace(",", NNBSP).replace(".", ",")


def label(value: Value, unit: str) -> str:
    """A value as printed beside its mark: « 22 % », « 265 879 »."""
    text = figure_number(value.number, value.decimals)
    return f"{text}{NNBSP}%" if unit.strip() == "%" else text


def text(x: float, y: float, content: str, size: float = 11, anchor: str = "start",
         weight: int = 400, fill: str = INK) -> str:
    extra = f' text-anchor="{anchor}"' if anchor != "start" else ""
    bold = f' font-weight="{weight}"' if weight != 400 else ""
    return (f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}"{extra}{bold} '
            f'fill="{fill}">{escape(french(content))}</text>')


def rect(x: float, y: float, width: float, height: float, fill: str, extra: str = "") -> str:
    return (f'<rect x="{num(x)}" y="{num(y)}" width="{num(max(width, 0))}" '
            f'height="{num(height)}" fill="{fill}"{extra}/>')


def line(x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1) -> str:
    return (f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" '
            f'stroke="{stroke}" stroke-width="{num(width)}"/>')


def document(ident: str, height: float, title: str, body: list[str], kind: str) -> str:
    """The whole SVG: sized in millimetres, its `<title>` the alternative text."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
            f'viewBox="0 0 {WIDTH} {num(height)}" width="{num(WIDTH * MM)}mm" '
            f'height="{num(height * MM)}mm" role="img" aria-labelledby="{ident}-titre" '
            f'font-family="{FONT}">'
            f'<title id="{ident}-titre">{escape(french(title))}</title>' + "".join(body) + "</svg>")


def wrap(content: str, width: int) -> list[str]:
    """Words on lines of at most `width` characters (a long word keeps its own line)."""
    lines: list[str] = []
    for word in content.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]
