"""The typed model of the Schéma: what every later stage reads, never the raw files.

Frozen dataclasses built by `load`. Every string the publication prints or puts in an
id is a `Text`: a `str` that remembers the file and line it was written at, so that
validation reads the very strings the layouts print and points the editor at their line.
There is no second copy of the text.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from pipeline.errors import SourceLocation
from pipeline.figures.model import Assets

if TYPE_CHECKING:
    from pipeline.suivi.model import Fiche, Year


class NoteKind(Enum):
    """What an editorial note (never printed) records, by its YAML key or `:::` block."""

    DECISION = "note_editoriale"  # a decision taken on the source, for the committee
    OPEN = "a_completer"  # a question still to settle before an edition
    QUERY = "requete"  # a suspected error of the source, kept as written: for the authors

    @property
    def block(self) -> str:
        """Its Markdown block: `::: note-editoriale`, `::: a-completer`, `::: requete`."""
        return self.value.replace("_", "-")


@dataclass(frozen=True)
class EditorialNote:
    text: str
    location: SourceLocation
    kind: NoteKind = NoteKind.DECISION
    subject: str = ""  # what it is written on, e.g. "sigle CAF", "action 1.1.1"

    @property
    def open(self) -> bool:
        """A question still to settle ("à compléter")."""
        return self.kind is NoteKind.OPEN


class Text(str):
    """A string of content/ with the place its first line was written at.

    It is a `str` everywhere (templates, comparisons, hashing ignore the place); string
    methods return plain `str`. `line_at(n)` is the location of its n-th line (0-based).
    """

    location: SourceLocation

    def __new__(cls, value: str, location: SourceLocation) -> Text:
        obj = super().__new__(cls, value)
        obj.location = location
        return obj

    def __reduce__(self) -> tuple[type[Text], tuple[str, SourceLocation]]:
        return Text, (str(self), self.location)

    def line_at(self, offset: int) -> SourceLocation:
        return SourceLocation(self.location.path, self.location.line + offset)


@dataclass(frozen=True)
class Service:
    id: Text
    name: Text


@dataclass(frozen=True)
class Organisation:
    id: Text
    name: Text
    full_name: Text | None
    kind: str
    services: tuple[Service, ...]
    location: SourceLocation
    article: Text | None = None  # « la », « le », « l' » when a sentence names it; None: none

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)


@dataclass(frozen=True)
class Signatory:
    name: Text
    title: Text
    organisation: Text
    location: SourceLocation


@dataclass(frozen=True)
class PilotRef:
    organisation: Text
    service: Text | None
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
    text: Text | None
    points: tuple[Text, ...]
    after: Text | None = None


@dataclass(frozen=True)
class Action:
    id: Text
    title: Text
    descriptif: Descriptif
    pilots: tuple[PilotRef, ...]
    calendar: Calendar
    note: Text | None
    location: SourceLocation
    notes: tuple[EditorialNote, ...] = ()


@dataclass(frozen=True)
class Objective:
    axis: int
    number: int
    title: Text | None
    actions: tuple[Action, ...]
    location: SourceLocation
    notes: tuple[EditorialNote, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.axis}.{self.number}"


@dataclass(frozen=True)
class StrategicObjective:
    letter: Text
    title: Text
    text: Text | None
    objectives: tuple[Objective, ...]
    location: SourceLocation


@dataclass(frozen=True)
class Axis:
    number: int
    title: Text
    introduction: Text
    strategic: tuple[StrategicObjective, ...]
    location: SourceLocation

    @property
    def objectives(self) -> tuple[Objective, ...]:
        return tuple(o for s in self.strategic for o in s.objectives)

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(a for o in self.objectives for a in o.actions)


@dataclass(frozen=True)
class Chapter:
    id: Text
    title: Text
    body: Text
    location: SourceLocation
    notes: tuple[EditorialNote, ...] = ()  # those of its front matter


@dataclass(frozen=True)
class InstanceMember:
    role: Text
    text: Text


@dataclass(frozen=True)
class Instance:
    id: Text
    name: Text
    frequency: Text
    composition: tuple[InstanceMember, ...]
    roles_title: Text
    roles: tuple[Text, ...]
    location: SourceLocation


@dataclass(frozen=True)
class Term:
    acronym: Text
    definition: Text
    location: SourceLocation


@dataclass(frozen=True)
class EditionRecord:
    """One entry of the register of editions (`editions.yml`)."""

    version: str
    date: datetime.date
    summary: str
    location: SourceLocation


@dataclass(frozen=True)
class Colophon:
    """The publication's credits (`colophon:` of edition.yml); None while still to be given."""

    director: Text | None = None  # directeur·rice de publication
    contact: Text | None = None
    licence: Text | None = None  # licence of the text
    url: Text | None = None  # address of the online edition
    printer: Text | None = None  # the printer's name and address (loi du 29 juillet 1881, art. 3)
    legal_deposit: Text | None = None  # dépôt légal (month and year)
    location: SourceLocation | None = field(default=None, compare=False)

    FIELDS = (("directeur_publication", "director", "directeur·rice de publication"),
              ("contact", "contact", "contact"),
              ("licence", "licence", "licence du texte"),
              ("adresse_en_ligne", "url", "adresse de l'édition en ligne"),
              ("imprimeur", "printer", "imprimeur (nom et adresse)"),
              ("depot_legal", "legal_deposit", "dépôt légal"))


@dataclass(frozen=True)
class Edition:
    title: Text
    subtitle: Text
    start: int
    end: int
    version: str
    signing_date: Text | None  # printed after the place (« À Paris, le »); None: a blank line
    status: str  # "brouillon" | "edition"
    place: Text
    structure: tuple[Text, ...]
    location: SourceLocation
    date: datetime.date | None = None  # from the register; None while in preparation
    version_line: int = 0
    keywords: tuple[Text, ...] = ()  # metadata keywords (`mots_cles`)
    bilan_annex: bool = False  # the latest bilan annexed to the full Schéma (`bilan_en_annexe`)
    places: tuple[Text, ...] = ()  # place names never hyphenated (`lieux`)
    colophon: Colophon = Colophon()


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
    not_acronyms: tuple[Text, ...] = ()
    notes: tuple[EditorialNote, ...] = field(default=())  # every note of the YAML files
    editions: tuple[EditionRecord, ...] = ()  # the register, oldest first
    fiches: tuple[Fiche, ...] = ()  # the fiches-actions formalised so far (content/fiches/)
    years: tuple[Year, ...] = ()  # the annual monitoring, oldest first (content/suivi/)
    logos: tuple[tuple[str, str], ...] = ()  # (organisation id, path under content/)
    portraits: tuple[tuple[str, str], ...] = ()  # (organisation id, path under content/)
    assets: Assets = field(default_factory=Assets)  # content/figures/, content/donnees/

    def organisation(self, org_id: str) -> Organisation | None:
        return next((o for o in self.organisations if o.id == org_id), None)

    def chapter(self, chapter_id: str) -> Chapter | None:
        return next((c for c in self.chapters if c.id == chapter_id), None)

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(a for axis in self.axes for a in axis.actions)

    def fiche(self, action_id: str) -> Fiche | None:
        return next((f for f in self.fiches if f.action == action_id), None)
