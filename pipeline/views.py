"""Stage 3b — views: what the templates need, derived from the model.

Cross-reference labels, the parts of a publication in order, pilots grouped by
organisation, the acronyms a text uses. Pure functions of the `Schema`.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, replace

from pipeline.figures.render import numbering
from pipeline.markdown import anchor, parse, walk
from pipeline.model import (
    Action,
    Axis,
    Chapter,
    Edition,
    Instance,
    Objective,
    Organisation,
    Schema,
    StrategicObjective,
    Term,
    Text,
)
from pipeline.typography import french

ACRONYM_WORD = re.compile(r"\b[A-Z][A-Z0-9]*[A-Z](?:-[A-Z]+)?\b")


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def french_date(day: datetime.date) -> str:
    """`2026-11-01` → « 1er novembre 2026 »."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def doc_title(schema: Schema) -> str:
    """The publication's title, period included (document title, metadata)."""
    return french(f"{schema.edition.title} {schema.edition.start}-{schema.edition.end}")


def slug(text: str) -> str:
    """« Schéma des Familles » → « schema-des-familles » (ASCII, for identifiers)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def authors(schema: Schema) -> str:
    """The signing institutions, one string: the publication's author (metadata)."""
    return french(", ".join(o.name for o in schema.organisations if o.kind == "institution"))


def edition_label(edition: Edition) -> str:
    """« édition 1.0 du 25 novembre 2026 », or « version 1.1 en préparation »."""
    if edition.date is None:
        return f"version {edition.version} en préparation"
    return f"édition {edition.version} du {french_date(edition.date)}"


def kept_names(schema: Schema) -> list[str]:
    """The names never hyphenated: the glossary's acronyms and the words in capitals that
    are names, the organisations (name and full name), the places of edition.yml and the
    publication's own title."""
    names = [str(t.acronym) for t in schema.glossary] + [str(n) for n in schema.not_acronyms]
    names += [str(n) for o in schema.organisations for n in (o.name, o.full_name) if n]
    return names + [str(p) for p in schema.edition.places] + [str(schema.edition.title)]


@dataclass(frozen=True)
class Part:
    kind: str  # "chapter" | "glance" (an empty divider before the axes) | "axes" | "signatures"
    chapter: Chapter | None = None


@dataclass(frozen=True)
class PilotLine:
    organisation: str
    services: tuple[str, ...]


def xref_labels(schema: Schema) -> dict[str, str]:
    """Every cross-reference target of the Schéma, anchor → default label."""
    labels: dict[str, str] = {anchor("chapitre", c.id): c.title for c in schema.chapters}
    labels |= {anchor("instance", i.id): i.name for i in schema.instances}
    for axis in schema.axes:
        labels[anchor("axe", str(axis.number))] = f"axe {axis.number}"
        for obj in axis.objectives:
            labels[anchor("objectif", obj.key)] = f"objectif {obj.number} de l'axe {axis.number}"
            labels |= {anchor("action", a.id): f"action {a.id}" for a in obj.actions}
    numbers = numbering(schema)
    texts = [c.body for c in schema.chapters] + [a.introduction for a in schema.axes]
    texts += [s.text for a in schema.axes for s in a.strategic if s.text]
    for text in texts:
        labels |= {anchor("figure", fid): f"figure {numbers[fid]}" if fid in numbers
                   else "figure" for fid in figure_ids(text)}
    return labels


def figure_ids(text: str) -> list[str]:
    """The ids of the `::: figure ID` blocks of a Markdown text, from its tokens."""
    return [t.info.split()[1] for t in parse(text).tokens
            if t.type in ("container_figure_open", "container_graphique_open")
            and len(t.info.split()) > 1]


def parts(schema: Schema) -> list[Part]:
    """The publication's parts in the order `edition.yml` gives. A chapter that prints
    nothing (a divider) just before the axes becomes the plan at a glance."""
    result = []
    for name in schema.edition.structure:
        chapter = schema.chapter(name)
        result.append(Part("chapter", chapter) if chapter else Part(name))
    for index, part in enumerate(result[:-1]):
        if part.chapter and result[index + 1].kind == "axes" and prints_nothing(part.chapter.body):
            result[index] = Part("glance", part.chapter)
    return result


def signed(text: str) -> bool:
    """Whether a chapter signs its sections (« ::: signature », the éditos)."""
    return any(t.type == "container_signature_open" for t in parse(text).tokens)


def prints_nothing(text: str) -> bool:
    """True when a Markdown text holds only editorial notes (nothing is printed)."""
    depth = 0
    for token in parse(text).tokens:
        if token.type.startswith(("container_note-editoriale", "container_a-completer")):
            depth += token.nesting
        elif depth == 0:
            return False
    return True


@dataclass(frozen=True)
class GlanceAxis:
    """One axis in the plan at a glance."""

    axis: Axis
    count: int
    pilots: tuple[str, ...]  # the organisations that pilot most of its actions
    new_page: bool = False  # the first axis of the plan's second page


GLANCE_PAGE_LINES = 52  # lines of the plan at a glance that one page holds (8.4 pt type)
GLANCE_LINE_CHARS = 150  # characters of a glance line, over the full measure


def glance(schema: Schema, most: int = 3) -> list[GlanceAxis]:
    """Each axis with its number of actions and its main pilots (by actions piloted).

    A plan too long for one page is set on two, cut between axes where the two pages are
    most even: a deliberate pair of pages rather than one full page and a spilled last
    axis."""
    result = []
    for axis in schema.axes:
        counts: dict[str, int] = {}
        for action in axis.actions:
            for org in dict.fromkeys(ref.organisation for ref in action.pilots):
                counts[org] = counts.get(org, 0) + 1
        ranked = sorted(counts, key=lambda org: -counts[org])[:most]
        result.append(GlanceAxis(axis, len(axis.actions),
                                 tuple(_org_name(schema, org) for org in ranked)))
    lines = [_glance_lines(item.axis) for item in result]
    if sum(lines) <= GLANCE_PAGE_LINES or len(result) < 2:
        return result
    cut = min(range(1, len(result)), key=lambda k: abs(sum(lines[:k]) - sum(lines[k:])))
    result[cut] = replace(result[cut], new_page=True)
    return result


def _glance_lines(axis: Axis) -> int:
    """About how many lines an axis takes in the plan at a glance."""
    titles = [str(axis.title)] + [str(s.title) for s in axis.strategic if s.letter]
    titles += [str(o.title or "") for s in axis.strategic for o in s.objectives]
    return 2 + sum(1 + len(title) // GLANCE_LINE_CHARS for title in titles)  # + facts, space


def part_anchors(schema: Schema) -> list[str]:
    """The id of every top-level part of the full Schéma, in order."""
    result: list[str] = []
    for part in parts(schema):
        if part.chapter:
            result.append(anchor("chapitre", part.chapter.id))
        elif part.kind == "axes":
            result += [anchor("axe", str(a.number)) for a in schema.axes]
        else:
            result.append(part.kind)
    return result + (["sigles"] if sigles(schema) else [])  # after the parts


def pilot_lines(schema: Schema, action: Action) -> list[PilotLine]:
    """The action's pilots grouped by organisation, in the order first named."""
    grouped: dict[str, list[str]] = {}
    for ref in action.pilots:
        services = grouped.setdefault(ref.organisation, [])
        org = schema.organisation(ref.organisation)
        service = org.service(ref.service) if org and ref.service else None
        if service:
            services.append(service.name)
    return [
        PilotLine(_org_name(schema, org_id), tuple(services))
        for org_id, services in grouped.items()
    ]


def _org_name(schema: Schema, org_id: str) -> str:
    org = schema.organisation(org_id)
    return org.name if org else org_id


def axis_text(axis: Axis) -> str:
    """All the words an axis prints, for acronym look-up."""
    chunks: list[str] = [axis.title, visible(axis.introduction)]
    for strategic in axis.strategic:
        chunks += [strategic.title, visible(strategic.text) if strategic.text else ""]
        for obj in strategic.objectives:
            chunks.append(obj.title or "")
            chunks += [action_text(a) for a in obj.actions]
    return "\n".join(chunks)


def action_text(action: Action) -> str:
    d = action.descriptif
    return "\n".join([action.title, d.text or "", *d.points, d.after or "", action.note or ""])


def visible(text: Text) -> str:
    """The words a Markdown text prints: its editorial notes and queries left out."""
    words = [token.content for token, _where, hidden in walk(parse(text).tokens, text)
             if not hidden and token.type in ("inline", "fence", "code_block")]
    return "\n".join(words)


def acronyms_in(schema: Schema, text: str) -> tuple[Term, ...]:
    """The glossary's terms that `text` uses, in the glossary's order, with those that
    their definitions use in turn (a definition read in the list names no acronym the
    list leaves out)."""
    found: set[str] = set()
    pending = [text]
    while pending:
        chunk = pending.pop()
        for term in schema.glossary:
            if term.acronym not in found and _uses(chunk, term.acronym):
                found.add(term.acronym)
                pending.append(term.definition)
    return tuple(t for t in schema.glossary if t.acronym in found)


def _uses(text: str, acronym: str) -> bool:
    """Whether `text` has the acronym as written or in capitals (« Apur », « APUR »), as a
    whole word (« RAP » in « RAM-RAP »): each place the letters are (a plain search: a
    pattern run over the whole Schéma for each acronym took a third of its HTML's time)
    is checked for a letter or digit on either side."""
    for form in dict.fromkeys([acronym, acronym.upper()]):
        at = text.find(form)
        while at != -1:
            end = at + len(form)
            if not (at and _word_char(text[at - 1])) and not (end < len(text)
                                                              and _word_char(text[end])):
                return True
            at = text.find(form, at + 1)
    return False


def _word_char(char: str) -> bool:
    """A character of a word, as `\\w` in a pattern: a letter, a digit or « _ »."""
    return char.isalnum() or char == "_"


def sigles(schema: Schema) -> tuple[Term, ...]:
    """The full Schéma's « Sigles et abréviations »: the acronyms it prints. (The source's
    annex is a review of the previous Schéma, not a glossary: this list is the only one.)"""
    return acronyms_in(schema, schema_text(schema))


def cover_text(schema: Schema) -> str:
    """The words of every cover and running foot: title, subtitle, signing institutions."""
    edition = schema.edition
    names = [o.name for o in schema.organisations if o.kind == "institution"]
    return "\n".join([edition.title, edition.subtitle, *names])


def schema_text(schema: Schema) -> str:
    """Every word the full Schéma prints (for its list of acronyms)."""
    chunks = [cover_text(schema)]
    chapters = [schema.chapter(name) for name in schema.edition.structure]
    for chapter in (c for c in chapters if c):
        chunks += [chapter.title, visible(chapter.body)]
    for axis in schema.axes:
        chunks.append(axis_text(axis))
        chunks += [f"{line.organisation} {' '.join(line.services)}"
                   for action in axis.actions for line in pilot_lines(schema, action)]
    chunks += [instance_text(i) for i in schema.instances]
    chunks += [f"{p.name} {p.title}" for p in schema.signatories]
    return "\n".join(chunks)


def instance_text(instance: Instance) -> str:
    members = [f"{m.role} {m.text}" for m in instance.composition]
    return "\n".join([instance.name, instance.frequency, instance.roles_title, *members,
                      *instance.roles])


def named(org: Organisation) -> str:
    """The organisation as a sentence names it, with its article when it takes one
    (`article` in organisations.yml): « la Ville de Paris », « l’Apur », « Pôle emploi »."""
    if not org.article:
        return str(org.name)
    article = str(org.article).replace("'", "’")
    return f"{article}{org.name}" if article.endswith("’") else f"{article} {org.name}"


def count_phrase(count: int, noun: str = "action") -> str:
    """« la seule action », « les 2 actions » (a count a sentence can say)."""
    return f"la seule {noun}" if count == 1 else f"les {count} {noun}s"


@dataclass(frozen=True)
class Brief:
    """« Le Schéma en bref », for an extract read alone: what the Schéma is, who signs it,
    how it is governed and whom to ask, from content/ only (an empty field is left out)."""

    axes: int
    actions: int
    signatories: tuple[str, ...]  # the signing institutions' names
    instances: tuple[Instance, ...]
    governance: Chapter | None  # the chapter that prints the governance tables
    contact: str | None
    url: str | None

    @property
    def text(self) -> str:
        """Its words, for its acronyms."""
        lines = [*self.signatories, self.contact or "", self.url or ""]
        lines += [f"{i.name} {i.frequency} {i.roles_title}" for i in self.instances]
        return "\n".join([*lines, self.governance.title if self.governance else ""])


def brief(schema: Schema) -> Brief:
    chapters = [schema.chapter(name) for name in schema.edition.structure]
    governance = next((c for c in chapters if c and _has_instance(c.body)), None)
    colophon = schema.edition.colophon
    return Brief(len(schema.axes), len(schema.actions),
                 tuple(o.name for o in schema.organisations if o.kind == "institution"),
                 schema.instances, governance, colophon.contact, colophon.url)


def _has_instance(text: str) -> bool:
    return any(t.type == "container_instance_open" for t in parse(text).tokens)


def by_strategic(axis: Axis, objectives: tuple[Objective, ...]
                 ) -> list[tuple[StrategicObjective, tuple[Objective, ...]]]:
    """`objectives` of `axis` under their strategic objective, in the axis's order."""
    keys = {o.key for o in objectives}
    result = []
    for strategic in axis.strategic:
        mine = tuple(o for o in objectives if o.key in keys
                     and any(o.key == own.key for own in strategic.objectives))
        if mine:
            result.append((strategic, mine))
    return result
