"""Stage 3b (views) — what a bilan prints, derived from the Schéma and its monitoring.

A `Bilan` is one year seen from the Schéma: each action's line (status, progress,
indicators against their targets, history across the years so far), counts by status
overall and per axis (with the bars of the charts), the late actions and the changes
since the previous year. Pure functions of the model; the layouts only print them.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from pipeline.model import Action, Axis, Organisation, Schema
from pipeline.suivi.model import STATUS_LABELS, STATUSES, Fiche, Indicator, Report, Year
from pipeline.views import french_date

UNKNOWN = "non-renseigne"
LABELS = {**STATUS_LABELS, UNKNOWN: "non renseigné"}
COLOURS = {"a-venir": "#b9c3d3", "en-cours": "#e3a21a", "realise": "#2e7d4f",
           "en-pause": "#6f7fa8", "abandonne": "#8c2d3a", UNKNOWN: "#ffffff"}
DONE = {"realise", "abandonne"}
CHART_WIDTH = 480  # SVG user units of a bar


@dataclass(frozen=True)
class Point:
    year: int
    value: float | None


@dataclass(frozen=True)
class IndicatorLine:
    indicator: Indicator
    series: tuple[Point, ...]  # one point a year, up to the bilan's year

    @property
    def value(self) -> float | None:
        return self.series[-1].value if self.series else None

    @property
    def ratio(self) -> float:
        """The last value against the target, 0 to 1 (the bar's length)."""
        target = self.indicator.target
        if self.value is None or not target:
            return 0.0
        return max(0.0, min(1.0, self.value / target))


@dataclass(frozen=True)
class Step:
    year: int
    status: str  # a key of LABELS
    progress: int | None

    @property
    def label(self) -> str:
        return LABELS[self.status]


@dataclass(frozen=True)
class Line:
    """One action in one year's bilan."""

    action: Action
    report: Report | None
    fiche: Fiche | None
    history: tuple[Step, ...]  # every year up to this one, oldest first
    indicators: tuple[IndicatorLine, ...]
    late: bool

    @property
    def status(self) -> str:
        return self.history[-1].status

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def change(self) -> tuple[Step, Step] | None:
        """(last year, this year) when the status or progress changed."""
        if len(self.history) < 2:
            return None
        before, now = self.history[-2], self.history[-1]
        return (before, now) if (before.status, before.progress) != (now.status,
                                                                     now.progress) else None


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    status: str
    count: int

    @property
    def colour(self) -> str:
        return COLOURS[self.status]

    @property
    def label(self) -> str:
        return LABELS[self.status]


@dataclass(frozen=True)
class Tally:
    """Counts by status, in the order of STATUSES, and the bar that draws them."""

    counts: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def segments(self) -> tuple[Segment, ...]:
        result, x = [], 0.0
        for status, count in self.counts:
            if count:
                width = CHART_WIDTH * count / self.total
                result.append(Segment(x, width, status, count))
                x += width
        return tuple(result)


@dataclass(frozen=True)
class AxisLines:
    axis: Axis
    lines: tuple[Line, ...]

    @property
    def tally(self) -> Tally:
        return tally(self.lines)


@dataclass(frozen=True)
class Bilan:
    year: Year
    previous: Year | None
    axes: tuple[AxisLines, ...]
    signatories: tuple[tuple[Organisation, tuple[Line, ...]], ...]
    scope: Organisation | None = None  # a pilot's bilan: its actions only

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for block in self.axes for line in block.lines)

    @property
    def tally(self) -> Tally:
        return tally(self.lines)

    @property
    def late(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.late)

    @property
    def changes(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.change)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(step.year for step in self.lines[0].history) if self.lines else ()


def tally(lines: tuple[Line, ...]) -> Tally:
    counts = Counter(line.status for line in lines)
    return Tally(tuple((s, counts[s]) for s in (*STATUSES, UNKNOWN)))


def is_late(action: Action, status: str, year: int) -> bool:
    """Late: its calendar year has passed and it is not done (réalisé or abandonné); an
    action planned « et suivantes » is late only if it has not started."""
    start = action.calendar.year
    if not start or start >= year:
        return False
    if action.calendar.onwards:
        return status in {"a-venir", UNKNOWN}
    return status not in DONE


def bilan(schema: Schema, year: Year, scope: Organisation | None = None) -> Bilan:
    """The bilan of `year` (of `scope`'s actions only, for a pilot's bilan)."""
    years = tuple(y for y in schema.years if y.year <= year.year)
    blocks = []
    for axis in schema.axes:
        lines = tuple(_line(schema, a, years) for a in axis.actions
                      if scope is None or _pilots(a, scope.id))
        if lines:
            blocks.append(AxisLines(axis, lines))
    every = tuple(line for block in blocks for line in block.lines)
    signatories = () if scope else tuple(
        (org, tuple(line for line in every if _pilots(line.action, org.id)))
        for org in _institutions(schema))
    previous = years[-2] if len(years) > 1 else None
    return Bilan(year, previous, tuple(blocks), signatories, scope)


def _line(schema: Schema, action: Action, years: tuple[Year, ...]) -> Line:
    history = tuple(_step(y, action) for y in years)
    fiche = schema.fiche(action.id)
    indicators = tuple(
        IndicatorLine(ind, tuple(Point(y.year, r.value(ind.id) if (r := y.report(action.id))
                                       else None) for y in years))
        for ind in (fiche.indicators if fiche else ()))
    return Line(action, years[-1].report(action.id), fiche, history, indicators,
                is_late(action, history[-1].status, years[-1].year))


def _step(year: Year, action: Action) -> Step:
    report = year.report(action.id)
    status = str(report.status) if report and report.status else UNKNOWN
    return Step(year.year, status, report.progress if report else None)


def _pilots(action: Action, org_id: str) -> bool:
    return any(ref.organisation == org_id for ref in action.pilots)


def _institutions(schema: Schema) -> list[Organisation]:
    """The signatories' organisations, in the order of signature, each once."""
    result: list[Organisation] = []
    for person in schema.signatories:
        org = schema.organisation(person.organisation)
        if org and org not in result:
            result.append(org)
    return result


def pilots_with_actions(schema: Schema) -> list[Organisation]:
    return [o for o in schema.organisations if any(_pilots(a, o.id) for a in schema.actions)]


def fiches_in_order(schema: Schema) -> list[tuple[Action, Fiche]]:
    """The fiches in the Schéma's order of actions (axis, objective, rank)."""
    return [(a, f) for a in schema.actions if (f := schema.fiche(a.id))]


def number_label(value: float | None) -> str:
    """3.0 → « 3 », 72.5 → « 72,5 », 1500 → « 1 500 » (narrow no-break space)."""
    if value is None:
        return "–"
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0")
    return text.replace(",", "\u202f").replace(".", ",")


def template_helpers(schema: Schema) -> dict[str, object]:
    """What the fiche and bilan layouts call: labels, colours, numbers, names, dates."""
    def org_label(ref: str) -> str:
        org_id, _, service_id = ref.partition("/")
        org = schema.organisation(org_id)
        service = org.service(service_id) if org and service_id else None
        name = org.name if org else ref
        return f"{name}, {service.name}" if service else name

    def day(text: str) -> str:
        return french_date(datetime.date.fromisoformat(text))

    return {"labels": LABELS, "colours": COLOURS, "num": number_label, "org_label": org_label,
            "day": day, "fiche_ids": {f.action for f in schema.fiches},
            "suivi_styles": bool(schema.fiches or schema.years)}
