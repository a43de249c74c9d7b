"""Stage 1 (model) — fiches-actions and annual monitoring, as frozen dataclasses.

Built by `suivi.load`, read by the validation rules, the views and the layouts. Like the
rest of the model, every printed string is a `Text` that remembers its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.errors import SourceLocation
from pipeline.model import Text

STATUSES = ("a-venir", "en-cours", "realise", "en-pause", "abandonne")
STATUS_LABELS = {"a-venir": "à venir", "en-cours": "en cours", "realise": "réalisé",
                 "en-pause": "en pause", "abandonne": "abandonné"}
# A status "goes back" when its rank falls (réalisé → en cours); en pause and abandonné
# are beside the line and never compared.
STATUS_RANK = {"a-venir": 0, "en-cours": 1, "realise": 2}


@dataclass(frozen=True)
class Referent:
    name: Text
    function: Text
    organisation: Text  # registry reference, `organisation` or `organisation/service`


@dataclass(frozen=True)
class Indicator:
    id: Text
    label: Text
    unit: Text
    target: float | None
    target_year: int | None
    location: SourceLocation
    target_text: Text | None = None  # `cible` as typed


@dataclass(frozen=True)
class Fiche:
    """One formalised action (`content/fiches/<action-id>.yml`)."""

    action: Text
    referent: Referent
    partners: tuple[Text, ...]
    objectives: tuple[Text, ...]
    indicators: tuple[Indicator, ...]
    evaluation: Text
    means: Text | None
    location: SourceLocation

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)


@dataclass(frozen=True)
class Value:
    """One reported indicator value: the text as written, and its number when it is one."""

    indicator: Text
    raw: Text
    number: float | None


@dataclass(frozen=True)
class Report:
    """One action's state in one year's monitoring."""

    action: Text
    status: Text | None
    progress: int | None
    progress_text: Text | None
    comment: Text | None
    values: tuple[Value, ...]
    achievements: tuple[Text, ...]
    location: SourceLocation

    def value(self, indicator_id: str) -> float | None:
        return next((v.number for v in self.values if v.indicator == indicator_id), None)


@dataclass(frozen=True)
class Year:
    """One year's monitoring (`content/suivi/<année>.yml`)."""

    year: int
    closed: Text | None  # `arrete_le`, the day the bilan was closed
    reports: tuple[Report, ...]
    location: SourceLocation

    def report(self, action_id: str) -> Report | None:
        return next((r for r in self.reports if r.action == action_id), None)
