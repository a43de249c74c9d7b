"""Stage 2 — validate: completeness and reference rules over the loaded Schéma.

Each rule is a small function that reads the model and adds findings; `validate` runs
them all so that the editor sees every problem of a run at once. Text rules read the
chapters and the printed texts of the axes line by line, each line at its place in its
file; the footnote and glyph rules read the other YAML files' texts too.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from itertools import chain

from pipeline.errors import Findings, SourceLocation
from pipeline.fonts import font_files, missing
from pipeline.markdown import XREF, XREF_KINDS, anchor, is_web_link, problem
from pipeline.model import Schema
from pipeline.views import ACRONYM_WORD as ACRONYM
from pipeline.views import xref_labels

Rule = Callable[[Schema, Findings], None]
# Bounded repetitions: a pathological line costs linear time, not quadratic.
FOOTNOTE_CALL = re.compile(r"\[\^([^\]\s^]{1,50})\](?!:)")
FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s^]{1,50})\]:", re.M)
RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,2000}>")
IMAGE = re.compile(r"!\[[^\][]{0,500}\]\(([^)]{0,2000})\)")
LINK = re.compile(r"(?<!!)\[[^\][]{0,500}\]\(\s*<?([^)\s>]{0,2000})")
LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]^][^\]]*\]:\s*<?([^\s>]+)")
INSTANCE_BLOCK = re.compile(r"^::: *instance\b *(\S*)")
HIDDEN_OPEN = re.compile(r"^::: *(note-editoriale|a-completer)\b")
OPEN_NOTE = re.compile(r"^::: *a-completer", re.M)
NOT_ACRONYMS = {"II", "III", "IV", "VI", "VII", "VIII", "IX", "XX", "XXI"}


def validate(schema: Schema, findings: Findings) -> None:
    for rule in RULES:
        rule(schema, findings)


def _unique_ids(schema: Schema, findings: Findings) -> None:
    first: dict[str, SourceLocation] = {}
    for action in schema.actions:
        if action.id in first:
            findings.error(action.location, f"identifiant d'action « {action.id} » en double "
                           f"(déjà en {first[action.id]}) : donnez-lui un identifiant libre")
        first.setdefault(action.id, action.location)


def _action_ids_match_position(schema: Schema, findings: Findings) -> None:
    for axis in schema.axes:
        for obj in axis.objectives:
            for action in obj.actions:
                if not action.id.startswith(f"{axis.number}.{obj.number}."):
                    key = f"{axis.number}.{obj.number}"
                    findings.error(action.location, f"l'action « {action.id} » est rangée sous "
                                   f"l'objectif {key} : son id doit commencer par « {key}. »")


def _numbering(schema: Schema, findings: Findings) -> None:
    for expected, axis in enumerate(sorted(schema.axes, key=lambda a: a.number), start=1):
        if axis.number != expected:
            findings.error(axis.location, f"axe {axis.number} : les axes doivent se suivre "
                           f"(attendu {expected})")
        for wanted, obj in enumerate(axis.objectives, start=1):
            if obj.number != wanted:
                findings.error(obj.location, f"objectif {obj.number} de l'axe {axis.number} : "
                               f"numéro attendu {wanted} (les objectifs se suivent sans trou)")
            if not obj.actions:
                findings.error(obj.location, f"objectif {obj.key} : aucune action")


def _pilots_known(schema: Schema, findings: Findings) -> None:
    if not schema.organisations:  # registry unreadable or empty: reported when loaded
        return
    for action in schema.actions:
        for ref in action.pilots:
            org = schema.organisation(ref.organisation)
            if org is None:
                known = [o.id for o in schema.organisations]
                guess = difflib.get_close_matches(ref.organisation, known, n=1)
                hint = f" (vouliez-vous dire « {guess[0]} » ?)" if guess else ""
                findings.error(ref.location, f"pilote inconnu « {ref.organisation} »{hint} : "
                               "ajoutez-le à organisations.yml ou corrigez l'identifiant")
            elif ref.service and org.service(ref.service) is None:
                findings.error(ref.location, f"service inconnu « {ref.key} » : services de "
                               f"{org.id} : {', '.join(s.id for s in org.services) or 'aucun'}")


def _calendars(schema: Schema, findings: Findings) -> None:
    start, end = schema.edition.start, schema.edition.end
    if not (start and end):  # no period: reported when edition.yml was read
        return
    for action in schema.actions:
        year = action.calendar.year
        if year and not start <= year <= end:
            findings.error(action.calendar.location or action.location,
                           f"action {action.id} : calendrier {year} hors de la période "
                           f"{start}-{end}")
        if action.calendar.onwards and action.calendar.school_start:
            findings.error(action.location, f"action {action.id} : calendrier « rentrée » et "
                           "« et suivantes » à la fois")


def _signatories(schema: Schema, findings: Findings) -> None:
    if not schema.organisations:  # registry unreadable or empty: reported when loaded
        return
    for person in schema.signatories:
        if schema.organisation(person.organisation) is None:
            findings.error(person.location, f"signataire {person.name} : institution inconnue "
                           f"« {person.organisation} »")


def _structure(schema: Schema, findings: Findings) -> None:
    known = {c.id for c in schema.chapters} | {"axes", "signatures"}
    edition = schema.edition
    lines = edition.structure_lines or (edition.location.line,) * len(edition.structure)
    for name, line in zip(edition.structure, lines, strict=True):
        if name not in known:
            findings.error(SourceLocation(edition.location.path, line),
                           f"structure : partie « {name} » inconnue (chapitre manquant ? "
                           f"parties connues : {', '.join(sorted(known))})")


def _texts(schema: Schema) -> Iterator[tuple[str, SourceLocation, int]]:
    """Every Markdown text with the file and the line its first line is on."""
    for chapter in schema.chapters:
        yield chapter.body, chapter.location, chapter.body_line
    for text in schema.texts:
        yield text.text, text.location, text.location.line


def _registry_texts(schema: Schema) -> Iterator[tuple[str, SourceLocation, int]]:
    """The printed texts of the YAML files other than the axes, as `_texts` gives them."""
    for text in schema.registry_texts:
        yield text.text, text.location, text.location.line


def _lines(text: str, location: SourceLocation,
           first: int) -> Iterator[tuple[SourceLocation, str]]:
    for offset, line in enumerate(text.split("\n")):
        yield SourceLocation(location.path, first + offset), line


def _cross_references(schema: Schema, findings: Findings) -> None:
    labels = xref_labels(schema)
    for text, location, first in _texts(schema):
        for where, line in _lines(text, location, first):
            for match in XREF.finditer(line):
                if match[1] not in XREF_KINDS:
                    findings.error(where, f"renvoi « {match[0]} » : type inconnu "
                                   f"({', '.join(XREF_KINDS)})")
                elif anchor(match[1], match[2]) not in labels:
                    findings.error(where, f"renvoi « {match[0]} » : cible introuvable")
            if XREF.sub("", line).count("[["):
                findings.error(where, "renvoi « [[ » non fermé sur la ligne : écrivez "
                               "[[type:cible|texte]] sur une seule ligne (il serait imprimé "
                               "tel quel)")


def _footnotes(schema: Schema, findings: Findings) -> None:
    """A note is called and defined in the same text (a chapter, an axis introduction…)."""
    for text, location, first in chain(_texts(schema), _registry_texts(schema)):
        defined = set(FOOTNOTE_DEF.findall(text))
        called = set(FOOTNOTE_CALL.findall(text))
        for where, line in _lines(text, location, first):
            for label in FOOTNOTE_CALL.findall(line):
                if label not in defined:
                    findings.error(where, f"note [^{label}] appelée mais jamais définie")
            for label in FOOTNOTE_DEF.findall(line):
                if label not in called:
                    findings.error(where, f"note [^{label}] définie mais jamais appelée")


def _forbidden_markup(schema: Schema, findings: Findings) -> None:
    for text, location, first in _texts(schema):
        for where, line in _lines(text, location, first):
            if RAW_HTML.search(line):
                findings.error(where, "HTML interdit dans le contenu : écrivez en Markdown "
                               "(le code HTML serait imprimé tel quel)")
            if image := IMAGE.search(line):
                findings.error(where, f"image « {image[1]} » : les images ne sont pas prises en "
                               "charge ; utilisez un emplacement « ::: figure »")
            for url in LINK.findall(line) + LINK_DEFINITION.findall(line):
                if not is_web_link(url):
                    findings.error(where, f"lien « {url} » : seules les adresses web (https://…) "
                                   "sont permises ; pour renvoyer à une partie du Schéma, "
                                   "écrivez [[chapitre:…]], [[axe:…]]…")


def _instances_known(schema: Schema, findings: Findings) -> None:
    known = {i.id for i in schema.instances}
    for text, location, first in _texts(schema):
        for where, line in _lines(text, location, first):
            if (block := INSTANCE_BLOCK.match(line)) and block[1] not in known:
                findings.error(where, f"« ::: instance {block[1]} » : instance inconnue "
                               f"(instances.yml : {', '.join(sorted(known)) or 'aucune'})")


def _nesting(schema: Schema, findings: Findings) -> None:
    for text, location, first in _texts(schema):
        if found := problem(text):
            findings.error(SourceLocation(location.path, first + found[0]), found[1])


def _printed(lines: Iterator[tuple[SourceLocation, str]]) -> Iterator[tuple[SourceLocation, str]]:
    """The lines a reader gets: editorial notes and block markers left out."""
    hidden = False
    for where, line in lines:
        if line.startswith(":::"):
            hidden = HIDDEN_OPEN.match(line) is not None
        elif not hidden:
            yield where, line


def _glossary(schema: Schema, findings: Findings) -> None:
    if not schema.glossary:  # glossary unreadable or empty: reported when loaded
        return
    known = {t.acronym.upper() for t in schema.glossary} | set(schema.not_acronyms)
    seen: set[str] = set()
    for text, location, first in _texts(schema):
        for where, line in _printed(_lines(text, location, first)):
            for word in (w for m in ACRONYM.findall(line) for w in _acronym_parts(m, known)):
                if word not in known and word not in NOT_ACRONYMS and word not in seen:
                    seen.add(word)
                    findings.error(where, f"sigle « {word} » absent de glossaire.yml : "
                                   "ajoutez sa définition")


def _acronym_parts(word: str, known: set[str]) -> list[str]:
    """"AP-HP" stays whole when the glossary has it; "RAM-RAP" is two acronyms."""
    return [word] if word in known else word.split("-")


def _glyphs(schema: Schema, findings: Findings) -> None:
    if not font_files():  # no font in layouts/fonts: the build reports it
        return
    titles = ((c.title, SourceLocation(c.location.path, c.title_line), c.title_line)
              for c in schema.chapters)
    for text, location, first in chain(titles, _texts(schema), _registry_texts(schema)):
        for where, line in _printed(_lines(text, location, first)):
            for char in missing(line):
                findings.error(where, f"caractère absent de la police Lato : « {char} » "
                               f"(U+{ord(char):04X})")


def _open_notes(schema: Schema, findings: Findings) -> None:
    report = findings.error if schema.edition.status == "edition" else findings.warning
    for text, location, first in _texts(schema):
        for where, line in _lines(text, location, first):
            if OPEN_NOTE.match(line):
                report(where, "question éditoriale ouverte (« à compléter ») : à régler avant "
                       "une édition")
    for note in schema.notes:
        if note.open:
            report(note.location, f"{note.subject} : à compléter : {note.text}")


RULES: tuple[Rule, ...] = (
    _unique_ids, _action_ids_match_position, _numbering, _pilots_known, _calendars,
    _signatories, _structure, _cross_references, _instances_known, _footnotes,
    _forbidden_markup, _nesting, _glossary, _glyphs, _open_notes,
)

__all__ = ["RULES", "validate"]
