"""Stage 3 (charts) — a chart's data becomes an SVG string: a pure function, no file read.

Bar, grouped bar, line and stacked-share charts, in Lato and the publication's palette,
every value and label written as text. `chart_svg(chart)` is all the web edition needs.
"""

from __future__ import annotations

import math

from pipeline.figures.model import Chart, Value
from pipeline.figures.palette import INK, MUTED, RULE, series_colour, text_on
from pipeline.figures.svg import WIDTH, document, label, line, rect, text, wrap

LEFT = 170  # the category labels' column
RIGHT = WIDTH - 60  # room for the value printed after the longest bar
LEGEND = 24


def chart_svg(chart: Chart) -> str:
    draw = {"bar": _bars, "grouped": _bars, "line": _line, "stacked": _stacked}[chart.kind]
    height, body = draw(chart)
    return document(f"graphique-{chart.id}", height, alternative(chart), body, chart.kind)


def alternative(chart: Chart) -> str:
    """The chart said in words: its description, or its title and every value."""
    if chart.description:
        return chart.description
    parts = []
    for series in chart.series:
        values = ", ".join(f"{c} : {label(v, chart.unit)}"
                           for c, v in zip(chart.categories, series.values, strict=True))
        parts.append(f"{series.name} : {values}" if len(chart.series) > 1 else values)
    return f"{chart.title}. {' ; '.join(parts)}."


def _legend(chart: Chart, names: list[str], y: float) -> list[str]:
    body, x = [], float(LEFT if chart.kind != "line" else 60)
    for index, name in enumerate(names):
        width = 18 + 5.4 * len(name) + 16
        if x + width > WIDTH and x > LEFT:
            x, y = float(LEFT if chart.kind != "line" else 60), y + 16
        body += [rect(x, y - 9, 11, 11, series_colour(index)), text(x + 16, y, name, 10.5)]
        x += width
    return body


def _unit_note(chart: Chart, y: float) -> list[str]:
    if not chart.unit or chart.unit == "%":
        return [text(LEFT, y, "en %", 9.5, fill=MUTED)] if chart.unit == "%" else []
    return [text(LEFT, y, f"en {chart.unit}", 9.5, fill=MUTED)]


def _bars(chart: Chart) -> tuple[float, list[str]]:
    """Horizontal bars, one group a category, one bar a series."""
    count = len(chart.series)
    bar, gap = (18.0, 10.0) if count == 1 else (13.0, 12.0)
    top = 20.0 + (LEGEND if count > 1 else 0)
    body = _unit_note(chart, 12)
    if count > 1:
        body += _legend(chart, [s.name for s in chart.series], 12 + LEGEND)
    peak = max((v.number for s in chart.series for v in s.values), default=1) or 1
    y = top
    for index, category in enumerate(chart.categories):
        group = count * bar + (count - 1) * 2
        lines = wrap(category, 26)
        first = y + group / 2 - (len(lines) - 1) * 6.5 + 4
        body += [text(LEFT - 8, first + 13 * n, part, 11, "end") for n, part in enumerate(lines)]
        for number, series in enumerate(chart.series):
            value = series.values[index]
            top_of_bar = y + number * (bar + 2)
            length = (RIGHT - LEFT) * value.number / peak
            body.append(rect(LEFT, top_of_bar, length, bar, series_colour(number)))
            body.append(text(LEFT + length + 5, top_of_bar + bar / 2 + 4, label(value, chart.unit),
                             10.5, weight=700))
        y += max(group, 13 * len(lines)) + gap
    body.append(line(LEFT, top - 4, LEFT, y - gap + 4, INK, 1))
    return y + 4, body


def _stacked(chart: Chart) -> tuple[float, list[str]]:
    """One bar of 100 % a series; its categories the segments, in the legend's colours."""
    body = _legend(chart, list(chart.categories), 12)
    rows = 12 + 16 * _legend_rows(chart) + 10
    y = float(rows)
    for series in chart.series:
        total = sum(v.number for v in series.values) or 1
        body += [text(LEFT - 8, y + 17, part, 11, "end") for part in wrap(series.name, 26)[:1]]
        x = float(LEFT)
        below = 0
        for index, value in enumerate(series.values):
            width = (WIDTH - 10 - LEFT) * value.number / total
            colour = series_colour(index)
            body.append(rect(x, y, width, 26, colour, ' stroke="#ffffff" stroke-width="1"'))
            shown = label(value, chart.unit)
            if width >= 9 * len(shown):
                body.append(text(x + width / 2, y + 17.5, shown, 10.5, "middle", 700,
                                 text_on(colour)))
            else:
                below += 1
                body.append(text(x + width / 2, y + 26 + 13 * below, shown, 10, "middle", 700))
            x += width
        y += 26 + 13 * below + 14
    return y, body


def _legend_rows(chart: Chart) -> int:
    x, rows = float(LEFT), 1
    for name in chart.categories:
        width = 18 + 5.4 * len(name) + 16
        if x + width > WIDTH and x > LEFT:
            x, rows = float(LEFT), rows + 1
        x += width
    return rows


def _nice(peak: float) -> float:
    """The top of the value axis: 1, 2, 2.5 or 5 times a power of ten, above `peak`."""
    if peak <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(peak))
    return float(next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= peak))


def _line(chart: Chart) -> tuple[float, list[str]]:
    """One line a series, the categories along the bottom (years, months…)."""
    left, right, top, bottom = 70.0, WIDTH - 30.0, 30.0, 230.0
    if len(chart.series) > 1:
        top += LEGEND
    peak = _nice(max((v.number for s in chart.series for v in s.values), default=1))
    body = [text(left - 10, 12, f"en {chart.unit}" if chart.unit else "", 9.5, fill=MUTED)]
    if len(chart.series) > 1:
        body += _legend(chart, [s.name for s in chart.series], 14 + LEGEND / 2)
    for step in range(5):
        y = bottom - (bottom - top) * step / 4
        body.append(line(left, y, right, y, RULE if step else INK, 0.6 if step else 1))
        tick = Value(peak * step / 4, "", chart.location)
        body.append(text(left - 6, y + 4, label(_rounded(tick, peak), ""), 9.5, "end",
                         fill=MUTED))
    count = len(chart.categories)
    xs = [left + 20 + (right - left - 40) * (i / (count - 1) if count > 1 else 0.5)
          for i in range(count)]
    for x, category in zip(xs, chart.categories, strict=True):
        body.append(text(x, bottom + 18, category, 10.5, "middle"))
    for index, series in enumerate(chart.series):
        colour = series_colour(index)
        points = [(x, bottom - (bottom - top) * v.number / peak)
                  for x, v in zip(xs, series.values, strict=True)]
        path = " ".join(f"{'M' if n == 0 else 'L'}{x:.2f} {y:.2f}" for n, (x, y)
                        in enumerate(points))
        body.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for (x, y), value in zip(points, series.values, strict=True):
            body.append(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="4" fill="{colour}"/>')
            body.append(text(x, y - 9, label(value, chart.unit), 10.5, "middle", 700))
    return bottom + 30, body


def _rounded(tick: Value, peak: float) -> Value:
    decimals = 0 if peak >= 4 else 1
    return Value(round(tick.number, decimals), "," + "0" * decimals if decimals else "",
                 tick.location)
