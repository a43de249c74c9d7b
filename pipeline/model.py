"""The typed model of the Schéma: what every later stage reads, never the raw files.

Frozen dataclasses built by `load`; each element keeps the `SourceLocation` it was read
from so that validation and rendering can point the editor at the right line.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from pipeline.errors import SourceLocation


@dataclass(frozen=True)
class EditorialNote:
    text: str
    location: SourceLocation
    open: bool = False  # "à compléter": a question still to settle
    subject: str = ""  # what it is written on, e.g. "sigle CAF", "action 1.1.1"


@dataclass(frozen=True)
class Text:
    """A text of the YAML files that is printed, at the line its first line is on."""

    text: str
    location: SourceLocation


@dataclass(frozen=True)
class Service:
    id: str
    name: str


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    full_name: str | None
    kind: str
    services: tuple[Service, ...]
    location: SourceLocation

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)


@dataclass(frozen=True)
class Signatory:
    name: str
    title: str
    organisation: str
    location: SourceLocation


@dataclass(frozen=True)
class PilotRef:
    organisation: str
    service: str | None
    location: SourceLocation

    @property
    def key(self) -> str:
        return f"{self.organisation}/{self.service}" if self.service else self.organisation


@dataclass(frozen=True)
class Calendar:
    year: int
    onwards: bool = False  # "et suivantes"
    school_start: bool = False  # "rentrée"
    location: SourceLocation | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        if self.school_start:
            return f"Rentrée {self.year}"
        return f"{self.year} et suivantes" if self.onwards else str(self.year)


@dataclass(frozen=True)
class Descriptif:
    text: str | None
    points: tuple[str, ...]
    after: str | None = None


@dataclass(frozen=True)
class Action:
    id: str
    title: str
    descriptif: Descriptif
    pilots: tuple[PilotRef, ...]
    calendar: Calendar
    note: str | None
    location: SourceLocation
    notes: tuple[EditorialNote, ...] = ()


@dataclass(frozen=True)
class Objective:
    axis: int
    number: int
    title: str | None
    actions: tuple[Action, ...]
    location: SourceLocation
    notes: tuple[EditorialNote, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.axis}.{self.number}"


@dataclass(frozen=True)
class StrategicObjective:
    letter: str
    title: str
    text: str | None
    objectives: tuple[Objective, ...]
    location: SourceLocation


@dataclass(frozen=True)
class Axis:
    number: int
    title: str
    introduction: str
    strategic: tuple[StrategicObjective, ...]
    location: SourceLocation
    intro_line: int = 0

    @property
    def objectives(self) -> tuple[Objective, ...]:
        return tuple(o for s in self.strategic for o in s.objectives)

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(a for o in self.objectives for a in o.actions)


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    body: str
    location: SourceLocation
    body_line: int = 1
    title_line: int = 1


@dataclass(frozen=True)
class InstanceMember:
    role: str
    text: str


@dataclass(frozen=True)
class Instance:
    id: str
    name: str
    frequency: str
    composition: tuple[InstanceMember, ...]
    roles_title: str
    roles: tuple[str, ...]
    location: SourceLocation


@dataclass(frozen=True)
class Term:
    acronym: str
    definition: str
    location: SourceLocation


@dataclass(frozen=True)
class EditionRecord:
    """One entry of the register of editions (`editions.yml`)."""

    version: str
    date: datetime.date
    summary: str
    location: SourceLocation


@dataclass(frozen=True)
class Edition:
    title: str
    subtitle: str
    start: int
    end: int
    version: str
    signing_date: str | None  # printed after "A Paris, le"; None: a blank line to fill
    status: str  # "brouillon" | "edition"
    place: str
    structure: tuple[str, ...]
    location: SourceLocation
    structure_lines: tuple[int, ...] = ()  # the line of each part's name
    date: datetime.date | None = None  # from the register; None while in preparation
    version_line: int = 0


@dataclass(frozen=True)
class Schema:
    """The whole publication's content, as loaded from content/."""

    edition: Edition
    organisations: tuple[Organisation, ...]
    signatories: tuple[Signatory, ...]
    chapters: tuple[Chapter, ...]
    axes: tuple[Axis, ...]
    instances: tuple[Instance, ...]
    glossary: tuple[Term, ...]
    not_acronyms: tuple[str, ...] = ()
    notes: tuple[EditorialNote, ...] = field(default=())  # every note of the YAML files
    texts: tuple[Text, ...] = ()  # every printed text of the axes, with its line
    registry_texts: tuple[Text, ...] = ()  # the same, of the other YAML files (registries)
    editions: tuple[EditionRecord, ...] = ()  # the register, oldest first

    def organisation(self, org_id: str) -> Organisation | None:
        return next((o for o in self.organisations if o.id == org_id), None)

    def chapter(self, chapter_id: str) -> Chapter | None:
        return next((c for c in self.chapters if c.id == chapter_id), None)

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(a for axis in self.axes for a in axis.actions)
