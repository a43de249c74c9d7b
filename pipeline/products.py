"""Stage 4b — products: which publications exist, cut from pages laid out once.

The full Schéma is laid out once. Axis extracts and the signature page are subsets of
its pages (`Document.copy`), so their text can never disagree with it; the extracts'
covers and "about" pages (with the acronyms each extract uses) are laid out together in
one small second pass and prepended.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, replace

from weasyprint import Document

from pipeline.markdown import anchor
from pipeline.model import (
    Action,
    Axis,
    Objective,
    Organisation,
    Schema,
    StrategicObjective,
    Term,
)
from pipeline.typography import french
from pipeline.views import (
    acronyms_in,
    action_text,
    axis_text,
    brief,
    by_strategic,
    count_phrase,
    cover_text,
    doc_title,
    named,
    pilot_lines,
)


@dataclass(frozen=True)
class Extract:
    """One publication cut from the full Schéma."""

    kind: str  # "axis" | "signatures"
    key: str  # axis number, "signatures"
    anchor: str  # id of the part in the full Schéma
    title: str  # printed on its cover
    scope: str  # "l'axe 3" — for the "about" page
    terms: tuple[Term, ...]
    filename: str
    cut: bool = True  # pages of the full Schéma, after a cover and an "about" page; else
    # laid out on its own in the same pass as those (the signature sheet)


def extracts(schema: Schema) -> list[Extract]:
    """The axis extracts and the signature page, in publication order."""
    result = [
        Extract("axis", str(a.number), f"axe-{a.number}", f"Axe {a.number} : {a.title}",
                f"l'axe {a.number}", acronyms_in(schema, _printed_text(schema, a.actions,
                                                                       axis_text(a))),
                f"axe-{a.number}.pdf")
        for a in schema.axes
    ]
    # The signature page is laid out on its own, with no running head nor folio: the
    # page a signatory receives is a sheet to sign, not page 11 of a book.
    result.append(Extract("signatures", "signatures", "signatures", "Page des signatures",
                          "la page des signatures", (), "signatures.pdf", cut=False))
    return result


def _printed_text(schema: Schema, actions: tuple[Action, ...], *texts: str) -> str:
    """The words of an extract: its cover, `texts`, and its actions' pilots."""
    pilots = [f"{line.organisation} {' '.join(line.services)}"
              for action in actions for line in pilot_lines(schema, action)]
    return "\n".join([cover_text(schema), doc_title(schema), *texts, *pilots])


def part_pages(document: Document, anchors: list[str]) -> dict[str, list[int]]:
    """Page indexes of each part, a part running until the next one (or the end)."""
    starts = {name: _anchor_page(document, name) for name in anchors}
    ordered = sorted(starts.items(), key=lambda item: item[1])
    if not ordered:
        return {}
    ends = [start for _, start in ordered[1:]] + [len(document.pages)]
    return {name: list(range(start, end)) for (name, start), end in zip(ordered, ends, strict=True)}


def _anchor_page(document: Document, anchor: str) -> int:
    return next(i for i, page in enumerate(document.pages) if anchor in page.anchors)


def assemble(full: Document, full_pages: list[int], front: Document, front_pages: list[int],
             title: str) -> Document:
    """The front pages then the full Schéma's pages, with a title of its own (and, cut from
    the screen form, the full Schéma's folios as page labels: the front pages' are i, ii)."""
    pages = [front.pages[i] for i in front_pages] + [full.pages[i] for i in full_pages]
    document = full.copy(pages)
    document.metadata = copy.copy(full.metadata)
    document.metadata.title = french(title)
    folios = getattr(full, "page_labels", None)  # the full Schéma's screen form has them
    if folios is not None:
        document.page_labels = [None] * len(front_pages) + [folios[i] for i in full_pages]
    return document


@dataclass(frozen=True)
class Boundaries:
    """Where each extract's pages are in the full Schéma and in the front pass."""

    full: dict[str, list[int]]
    front: dict[str, list[int]]

    @classmethod
    def of(
        cls, full: Document, front: Document, items: list[Extract], parts: list[str]
    ) -> Boundaries:
        full_parts = part_pages(full, parts)
        front_parts = part_pages(front, [f"extrait-{e.anchor}" for e in items])
        full_parts |= {e.anchor: [] for e in items if not e.cut}
        return cls(full_parts, front_parts)


@dataclass(frozen=True)
class PilotGroup:
    """One organisation's actions, grouped by axis then objective."""

    organisation: Organisation
    axes: tuple[tuple[Axis, tuple[Objective, ...]], ...]
    terms: tuple[Term, ...] = ()  # the acronyms its extract prints

    @property
    def name(self) -> str:
        """The organisation as a sentence names it (« la Ville de Paris »)."""
        return named(self.organisation)

    @property
    def phrase(self) -> str:
        """« la seule action », « les 60 actions »."""
        return count_phrase(self.count)

    @property
    def sections(self) -> list[tuple[Axis, list[tuple[StrategicObjective,
                                                        tuple[Objective, ...]]]]]:
        """Its objectives by axis, under their strategic objective (lettered or not)."""
        return [(axis, by_strategic(axis, objectives)) for axis, objectives in self.axes]

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(a for _, objs in self.axes for o in objs for a in o.actions)

    @property
    def count(self) -> int:
        return len(self.actions)

    @property
    def by_calendar(self) -> list[tuple[str, int]]:
        counts = Counter(a.calendar for a in self.actions)
        return [(c.label, counts[c]) for c in sorted(counts, key=lambda c: (c.year, c.onwards))]


def pilot_groups(schema: Schema) -> list[PilotGroup]:
    """Every organisation that pilots or co-pilots at least one action."""
    groups = [_group(schema, org) for org in schema.organisations]
    return [g for g in groups if g.axes]


def _group(schema: Schema, org: Organisation) -> PilotGroup:
    axes = []
    for axis in schema.axes:
        objectives = tuple(
            replace(obj, actions=mine)
            for obj in axis.objectives
            if (mine := tuple(a for a in obj.actions if _pilots(a, org.id)))
        )
        if objectives:
            axes.append((axis, objectives))
    group = PilotGroup(org, tuple(axes))
    return replace(group, terms=acronyms_in(schema, _pilot_text(schema, group)))


def _pilot_text(schema: Schema, group: PilotGroup) -> str:
    """Every word of a pilot extract: cover, "about" page and its brief, its actions."""
    headings = [f"{axis.title}\n{strategic.title}\n" + "\n".join(o.title or "" for o in objs)
                for axis, parts in group.sections for strategic, objs in parts]
    texts = [group.organisation.name, *headings, *(action_text(a) for a in group.actions)]
    return _printed_text(schema, group.actions, *texts, brief(schema).text)


def _pilots(action: Action, org_id: str) -> bool:
    return any(ref.organisation == org_id for ref in action.pilots)


def action_pages(document: Document, schema: Schema) -> dict[str, int]:
    """The full Schéma's page number of every action."""
    pages = anchor_pages(document)
    return {a.id: pages[anchor("action", a.id)] for a in schema.actions}


def anchor_pages(document: Document) -> dict[str, int]:
    """The page number of every anchor of `document` (its first page)."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            pages.setdefault(name, number)
    return pages
