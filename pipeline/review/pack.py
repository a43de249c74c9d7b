"""Stage 3 (review pack: its content) — what the editorial committee reads and answers.

Every editorial decision (`note_editoriale`, `::: note-editoriale`), open question
(`a_completer`, `::: a-completer`), query for the authors (`requete`, `::: requete`) and
every issue of the spelling and consistency reviews, each with its place (part, action or
section, file:line) and the printed passage it concerns, in the publication's order and
numbered (D1, Q1, R1, O1, C1…) so that the committee answers item by item.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.errors import SourceLocation
from pipeline.model import EditorialNote, NoteKind, Schema
from pipeline.review import Review
from pipeline.review.issues import Issue, Place
from pipeline.review.text import Reading, shorten


@dataclass(frozen=True)
class Item:
    number: str  # « D12 »
    part: str
    place: str  # what it is written on: « action 2.3.1 », « § Une population en baisse »
    where: str  # file:line, relative to the project
    passage: str
    text: str
    places: tuple[tuple[str, Place], ...] = ()  # an issue's every place (file:line, place)
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    answer: tuple[str, ...]  # the boxes to tick, or () for a written answer
    items: tuple[Item, ...]
    intro: str = ""

    @property
    def groups(self) -> list[tuple[str, list[Item]]]:
        """The items under the part of the publication they belong to, in order."""
        groups: list[tuple[str, list[Item]]] = []
        for item in self.items:
            if not groups or groups[-1][0] != item.part:
                groups.append((item.part, []))
            groups[-1][1].append(item)
        return groups


@dataclass(frozen=True)
class Note:
    """A note of either origin (YAML key or Markdown block), placed."""

    kind: NoteKind
    text: str
    location: SourceLocation
    place: str
    passage: str


def sections(review: Review, root: Path) -> list[Section]:
    """The pack's five sections; the dictionary's suggestions asked here (slow, cached)."""
    reading = review.reading
    speller = review.speller
    spelling = [replace(i, suggestions=speller.suggest(i.word)) if speller else i
                for i in review.spelling]
    notes = sorted(_notes(reading), key=lambda n: _rank(reading, n.location))
    where = _relative(root)
    made = [
        _note_section(notes, NoteKind.DECISION, "decisions", "Décisions éditoriales", "D",
                      ("accepté", "refusé"), reading, where),
        _note_section(notes, NoteKind.OPEN, "questions", "Questions ouvertes", "Q", (),
                      reading, where),
        _note_section(notes, NoteKind.QUERY, "requetes", "Requêtes aux auteurs", "R", (),
                      reading, where),
        _issue_section(spelling, "orthographe", "Orthographe", "O", reading, where, root),
        _issue_section(review.consistency, "coherence", "Cohérence et typographie", "C",
                       reading, where, root),
    ]
    if speller is None:
        made[3] = Section("orthographe", "Orthographe", (), (), "Non vérifiée : le dictionnaire "
                          "français (hunspell-fr) ou libenchant n'est pas installé.")
    return made


def _rank(reading: Reading, location: SourceLocation) -> tuple[int, int]:
    return reading.part(location).rank, location.line


def _relative(root: Path) -> Callable[[SourceLocation], str]:
    def where(location: SourceLocation) -> str:
        path = os.path.relpath(location.path, root) if os.path.isabs(location.path) else \
            location.path
        return f"{path}:{location.line}" if location.line else path
    return where


def _note_section(notes: list[Note], kind: NoteKind, key: str, title: str, letter: str,
                  answer: tuple[str, ...], reading: Reading,
                  where: Callable[[SourceLocation], str]) -> Section:
    chosen = [n for n in notes if n.kind is kind]
    items = tuple(Item(f"{letter}{i}", reading.part(n.location).label, n.place,
                       where(n.location), n.passage, n.text)
                  for i, n in enumerate(chosen, start=1))
    return Section(key, title, answer, items)


def _issue_section(issues: list[Issue], key: str, title: str, letter: str, reading: Reading,
                   where: Callable[[SourceLocation], str], root: Path) -> Section:
    ordered = sorted(issues, key=lambda i: _rank(reading, i.location))
    items = []
    for number, issue in enumerate(ordered, start=1):
        first = issue.places[0]
        message = issue.message.replace(f"{root}/", "")
        items.append(Item(f"{letter}{number}", first.part, f"{issue.rule} · {first.what}",
                          where(first.location), "", message,
                          tuple((where(p.location), p) for p in issue.places),
                          issue.suggestions))
    answer = ("à corriger", "à garder")
    return Section(key, title, answer, tuple(items))


def _notes(reading: Reading) -> Iterator[Note]:
    passages = _passages(reading.schema)
    for note in reading.schema.notes:
        key = (note.location.path, note.subject)
        yield Note(note.kind, note.text, note.location, _subject(note), passages.get(key, ""))
    for hidden in reading.hidden:
        place = f"§ {hidden.section}" if hidden.section else hidden.field.what
        yield Note(hidden.kind, hidden.text, hidden.location, place, hidden.passage)


def _subject(note: EditorialNote) -> str:
    return "fichier entier" if note.subject.endswith(".yml") else note.subject


def _passages(schema: Schema) -> dict[tuple[str, str], str]:
    """(file, what a note is written on, as `load.editorial_notes` names it) → printed text."""
    found: dict[tuple[str, str], str] = {}
    edition = schema.edition
    found[(edition.location.path, "edition.yml")] = f"{edition.title} — {edition.place}, le …"
    for axis in schema.axes:
        path = axis.location.path
        found[(path, "axe")] = axis.title
        for strategic in axis.strategic:
            found[(path, f"objectif stratégique {strategic.letter}")] = strategic.title
            for objective in strategic.objectives:
                found[(path, f"objectif {objective.number}")] = objective.title or ""
                for action in objective.actions:
                    d = action.descriptif
                    text = " ; ".join(t for t in (d.text, *d.points, d.after) if t)
                    found[(path, f"action {action.id}")] = shorten(f"{action.title} — {text}")
    for org in schema.organisations:
        path = org.location.path
        found[(path, f"organisation {org.id}")] = org.full_name or org.name
        found |= {(path, f"service {s.id}"): f"{org.name} : {s.name}" for s in org.services}
    for term in schema.glossary:
        found[(term.location.path, f"sigle {term.acronym}")] = (
            f"{term.acronym} : {term.definition}")
    for person in schema.signatories:
        found[(person.location.path, f"signataire {person.name}")] = (
            f"{person.name}, {person.title}")
    for instance in schema.instances:
        found[(instance.location.path, f"instance {instance.id}")] = instance.name
    for chapter in schema.chapters:
        found[(chapter.location.path, f"chapitre {chapter.id}")] = chapter.title
    return found

