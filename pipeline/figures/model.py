"""Stage 1 (figures) — the typed model of figure files, chart data and map data.

Frozen dataclasses built by `assets` and `data`; the chart and map drawers read only
these, never a file, so that drawing is a pure function of its data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import SourceLocation

KINDS = {"barres": "bar", "barres-groupees": "grouped", "courbe": "line",
         "parts-empilees": "stacked"}


@dataclass(frozen=True)
class Value:
    """A number as written in its data file, and the place it was written at."""

    number: float
    written: str  # "265 879", "1,74"
    location: SourceLocation

    @property
    def decimals(self) -> int:
        return len(self.written.partition(",")[2])


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Chart:
    """A chart's data: one value per category in each series."""

    id: str
    kind: str  # "bar" | "grouped" | "line" | "stacked"
    title: str
    unit: str
    source: str  # printed: « Source : … »
    citation: str  # the sentence of the source text the numbers come from ("" if none)
    description: str  # the alternative text ("" : made from the data)
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    location: SourceLocation


@dataclass(frozen=True)
class Area:
    """One area of a map: its name, rings of (x, y) points, and its value if any."""

    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]
    value: Value | None


@dataclass(frozen=True)
class GeoMap:
    id: str
    title: str
    unit: str
    source: str
    areas: tuple[Area, ...]
    location: SourceLocation


@dataclass(frozen=True)
class Assets:
    """What content/figures/ and content/donnees/ hold, by figure id."""

    folder: Path | None = None  # content/
    files: dict[str, Path] = field(default_factory=dict)  # content/figures/ID.svg|png|jpg
    charts: dict[str, Chart] = field(default_factory=dict)
    maps: dict[str, GeoMap] = field(default_factory=dict)
