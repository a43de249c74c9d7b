"""Stage 2 (what is printed) — every string of the model that reaches the page, and how.

The layouts print a model string in one of three ways: as Markdown blocks (a chapter, an
axis introduction), as one paragraph of inline Markdown (a table cell, a title) or as
plain text (a name, an id). `printed` lists them all, each with that way, what it is (for
messages) and the width of the column it is set in, so that validation reads exactly
what the templates print. A string the layouts print must be listed here: the test of
the layouts' fields holds them to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from pipeline.model import Action, Axis, Schema, Text


class Way(Enum):
    BLOCK = "block"  # Markdown blocks: paragraphs, lists, notes, `:::` blocks
    INLINE = "inline"  # one paragraph of inline Markdown: emphasis, links, renvois
    PLAIN = "plain"  # printed as written (typography only)


# Longest word (characters, Lato at the size of its column) that fits its column, from
# the widths of layouts/style.css (174 mm of running text at 9.8 pt; table cells at 8.2 pt):
# a word longer than this runs out of its column.
RUNNING = 95
CELL = 22  # the narrow columns of the action tables (intitulé, pilote, calendrier)
WIDE_CELL = 48  # the descriptif column
ID = 12


@dataclass(frozen=True)
class Field:
    text: Text
    way: Way
    what: str  # e.g. "action 1.2.3 : intitulé"
    column: int = RUNNING
    acronyms: bool = True  # acronyms must be in the glossary (not for the glossary itself)


def printed(schema: Schema) -> Iterator[Field]:
    """Every printed string of the Schéma, each once."""
    yield from _edition(schema)
    for chapter in schema.chapters:
        yield Field(chapter.id, Way.PLAIN, f"chapitre {chapter.id} : id", ID, False)
        yield Field(chapter.title, Way.PLAIN, f"chapitre {chapter.id} : titre")
        yield Field(chapter.body, Way.BLOCK, f"chapitre {chapter.id}")
    for axis in schema.axes:
        yield from _axis(axis)
    yield from _registries(schema)
    from pipeline.suivi.texts import suivi_fields  # here: it builds on Field and Way

    yield from suivi_fields(schema)


def _edition(schema: Schema) -> Iterator[Field]:
    edition = schema.edition
    for text, what in ((edition.title, "titre"), (edition.subtitle, "sous-titre"),
                       (edition.place, "lieu"), (edition.signing_date, "date de signature"),
                       *((k, "mot-clé") for k in edition.keywords),
                       *((p, "lieu") for p in edition.places),
                       *((getattr(edition.colophon, attr), f"colophon, {what}")
                         for _, attr, what in edition.colophon.FIELDS)):
        if text:
            yield Field(text, Way.PLAIN, f"édition : {what}", acronyms=False)


def _axis(axis: Axis) -> Iterator[Field]:
    where = f"axe {axis.number}"
    yield Field(axis.title, Way.PLAIN, f"{where} : titre")
    yield Field(axis.introduction, Way.BLOCK, f"{where} : introduction")
    for strategic in axis.strategic:
        if strategic.letter:
            what = f"{where}, objectif stratégique {strategic.letter}"
            yield Field(strategic.letter, Way.PLAIN, f"{what} : lettre", ID, False)
            yield Field(strategic.title, Way.INLINE, f"{what} : titre")
            if strategic.text:
                yield Field(strategic.text, Way.BLOCK, what)
        for objective in strategic.objectives:
            if objective.title:
                yield Field(objective.title, Way.INLINE, f"objectif {objective.key} : titre")
            for action in objective.actions:
                yield from _action(action)


def _action(action: Action) -> Iterator[Field]:
    what = f"action {action.id}"
    yield Field(action.id, Way.PLAIN, f"{what} : id", ID, False)
    yield Field(action.title, Way.INLINE, f"{what} : intitulé", CELL)
    d = action.descriptif
    for text in (d.text, *d.points, d.after):
        if text:
            yield Field(text, Way.INLINE, f"{what} : descriptif", WIDE_CELL)
    if action.note:
        yield Field(action.note, Way.INLINE, f"{what} : note")


def _registries(schema: Schema) -> Iterator[Field]:
    for org in schema.organisations:
        yield Field(org.id, Way.PLAIN, f"organisation {org.id} : id", CELL, False)
        yield Field(org.name, Way.PLAIN, f"organisation {org.id} : nom", CELL, False)
        if org.full_name:
            yield Field(org.full_name, Way.PLAIN, f"organisation {org.id} : nom complet",
                        acronyms=False)
        for service in org.services:
            yield Field(service.id, Way.PLAIN, f"service {org.id}/{service.id} : id", CELL,
                        False)
            yield Field(service.name, Way.PLAIN, f"service {org.id}/{service.id} : nom", CELL,
                        False)
    for person in schema.signatories:
        yield Field(person.name, Way.PLAIN, f"signataire {person.name} : nom", acronyms=False)
        yield Field(person.title, Way.PLAIN, f"signataire {person.name} : titre", acronyms=False)
    for instance in schema.instances:
        what = f"instance {instance.id}"
        yield Field(instance.id, Way.PLAIN, f"{what} : id", ID, False)
        for text in (instance.name, instance.frequency, instance.roles_title):
            yield Field(text, Way.PLAIN, what, CELL, False)
        for member in instance.composition:
            yield Field(member.role, Way.PLAIN, what, CELL, False)
            yield Field(member.text, Way.INLINE, what, WIDE_CELL, False)
        for role in instance.roles:
            yield Field(role, Way.INLINE, what, WIDE_CELL, False)
    for term in schema.glossary:
        yield Field(term.acronym, Way.PLAIN, f"sigle {term.acronym}", CELL, False)
        yield Field(term.definition, Way.PLAIN, f"sigle {term.acronym} : définition",
                    acronyms=False)
