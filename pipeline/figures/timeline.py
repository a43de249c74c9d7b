"""Stage 3 (calendar timeline) — the actions by axis and by year of their calendar, as SVG.

Generated from the action tables, so it always agrees with them: each action appears
once, by its id, in its axis's row and the column of its year; an action « et suivantes »
sits in its first year's column, on a line whose arrow runs to the end of the period; an
action « à la rentrée » is drawn outlined. A pure function of the rows it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.figures.palette import INK, MUTED, RULE, axis_colour, readable
from pipeline.figures.svg import WIDTH, document, line, rect, text
from pipeline.model import Axis

LABEL = 92.0
TOP = 26.0
CHIP_W, CHIP_H, GAP = 41.0, 14.5, 2.5
CHIP_TEXT = 10.5  # 7.4 pt printed: reversed-out type smaller than 7 pt fills in
ROW = CHIP_H + GAP


@dataclass(frozen=True)
class Mark:
    id: str
    year: int
    onwards: bool
    school_start: bool


@dataclass(frozen=True)
class Row:
    axis: int
    marks: tuple[Mark, ...]


def rows_of(axes: tuple[Axis, ...] | list[Axis]) -> list[Row]:
    return [Row(axis.number, tuple(Mark(a.id, a.calendar.year, a.calendar.onwards,
                                        a.calendar.school_start) for a in axis.actions))
            for axis in axes]


def timeline_svg(rows: list[Row], start: int, end: int, ident: str) -> str:
    years = list(range(start, end + 1))
    column = (WIDTH - LABEL) / max(len(years), 1)
    body = [text(LABEL + column * i + column / 2, 14, str(year), 11, "middle", 700)
            for i, year in enumerate(years)]
    y = TOP
    for row in rows:
        height, marks = _row(row, years, column, y)
        body += [rect(0, y, LABEL - 6, height - GAP, axis_colour(row.axis)),
                 text(8, y + 16, f"Axe {row.axis}", 11, weight=700, fill="#ffffff")]
        body += marks
        y += height + 4
        body.append(line(0, y - 2, WIDTH, y - 2, RULE, 0.5))
    for i in range(1, len(years)):
        body.append(line(LABEL + column * i, TOP - 4, LABEL + column * i, y - 2, RULE, 0.5))
    body += _legend(y + 10)
    count = sum(len(r.marks) for r in rows)
    alt = (f"Calendrier des {count} actions, par axe et par année de {start} à {end} : "
           + " ; ".join(_said(row) for row in rows) + ".")
    return document(ident, y + 26, alt, body, "timeline")


def _said(row: Row) -> str:
    return f"axe {row.axis} : " + ", ".join(
        f"{m.id} ({m.year}{' et suivantes' if m.onwards else ''}"
        f"{', rentrée' if m.school_start else ''})" for m in row.marks)


def _row(row: Row, years: list[int], column: float, top: float) -> tuple[float, list[str]]:
    """The marks of one axis: the year's actions, then those « et suivantes »."""
    body: list[str] = []
    colour = readable(axis_colour(row.axis), "#ffffff")  # white ids on it read at 4.5:1
    per_line = max(int((column - GAP) // (CHIP_W + GAP)), 1)
    once = {y: [m for m in row.marks if m.year == y and not m.onwards] for y in years}
    lines = max(((len(v) + per_line - 1) // per_line for v in once.values()), default=0)
    for i, year in enumerate(years):
        body += _chips(once[year], LABEL + column * i, top + GAP, per_line, colour)
    y = top + GAP + ROW * lines
    for i, year in enumerate(years):
        onwards = [m for m in row.marks if m.year == year and m.onwards]
        if not onwards:
            continue
        body += _chips(onwards, LABEL + column * i, y, per_line, colour)
        rows_used = (len(onwards) + per_line - 1) // per_line
        middle = y + (ROW * rows_used - GAP) / 2
        x = LABEL + column * (i + 1)
        body += [line(x - 2, middle, WIDTH - 8, middle, colour, 1.5),
                 f'<path d="M{WIDTH - 8:.2f} {middle - 4:.2f} L{WIDTH:.2f} {middle:.2f} '
                 f'L{WIDTH - 8:.2f} {middle + 4:.2f} Z" fill="{colour}"/>']
        y += ROW * rows_used
    height = max(y - top, 24.0)
    return height + GAP, body


def _chips(marks: list[Mark], left: float, top: float, per_line: int, colour: str) -> list[str]:
    body = []
    for n, mark in enumerate(sorted(marks, key=lambda m: [int(p) for p in m.id.split(".")
                                                           if p.isdigit()])):
        x = left + GAP + (n % per_line) * (CHIP_W + GAP)
        y = top + (n // per_line) * ROW
        if mark.school_start:
            body.append(rect(x, y, CHIP_W, CHIP_H, "#ffffff",
                             f' stroke="{colour}" stroke-width="1.2"'))
            body.append(text(x + CHIP_W / 2, y + 10.8, mark.id, CHIP_TEXT, "middle", 700,
                             colour))
        else:
            body.append(rect(x, y, CHIP_W, CHIP_H, colour))
            body.append(text(x + CHIP_W / 2, y + 10.8, mark.id, CHIP_TEXT, "middle", 700,
                             "#ffffff"))
    return body


def _legend(y: float) -> list[str]:
    return [rect(LABEL, y - 9, 22, 11, INK), text(LABEL + 28, y, "action de l’année", 9.5),
            rect(LABEL + 140, y - 9, 22, 11, "#ffffff", f' stroke="{INK}" stroke-width="1"'),
            text(LABEL + 168, y, "à la rentrée", 9.5),
            line(LABEL + 260, y - 4, LABEL + 290, y - 4, INK, 1.5),
            f'<path d="M{LABEL + 290:.2f} {y - 8:.2f} L{LABEL + 298:.2f} {y - 4:.2f} '
            f'L{LABEL + 290:.2f} {y:.2f} Z" fill="{INK}"/>',
            text(LABEL + 304, y, "et années suivantes", 9.5),
            text(WIDTH, y, "(dans la couleur de l’axe)", 9.5, "end", fill=MUTED)]
