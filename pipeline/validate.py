"""Stage 2 — validate: completeness, shape and reference rules over the loaded Schéma.

Each rule is a small function that reads the model and adds findings; `validate` runs
them all so that the editor sees every problem of a run at once. The rules on printed
texts (renvois, notes, links, glyphs, sigles…) are in `textcheck`, on the renderer's own
tokens. Whatever the layout could trip on is a rule here, so that what `make check`
accepts, `make` publishes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable

from pipeline.errors import Findings, SourceLocation
from pipeline.figures.checks import check_figures
from pipeline.model import Schema, Text
from pipeline.suivi.rules import check_suivi
from pipeline.textcheck import check_texts

Rule = Callable[[Schema, Findings], None]
ACTION_ID = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){2}")
NAME_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
BUILT_IN_PARTS = ("axes", "signatures")


def validate(schema: Schema, findings: Findings) -> None:
    for rule in RULES:
        rule(schema, findings)


def _id_patterns(schema: Schema, findings: Findings) -> None:
    """Ids become HTML ids and file names: a strict pattern, said when not met."""
    for action in schema.actions:
        if action.id and not ACTION_ID.fullmatch(action.id):
            findings.error(action.id.location, f"identifiant d'action « {action.id} » : "
                           "trois nombres séparés par des points, comme « 2.3.1 »")
    names = [(o.id, "organisation") for o in schema.organisations]
    names += [(s.id, "service") for o in schema.organisations for s in o.services]
    names += [(c.id, "chapitre") for c in schema.chapters]
    names += [(i.id, "instance") for i in schema.instances]
    for name, what in names:
        if name and not NAME_ID.fullmatch(name):
            findings.error(name.location, f"identifiant « {name} » ({what}) : minuscules "
                           "sans accent, chiffres et tirets seulement (ex. « caf », "
                           "« pole-emploi »)")


def _duplicates(ids: Iterable[Text], what: str, findings: Findings,
                key: Callable[[str], str] = str) -> None:
    first: dict[str, Text] = {}
    for name in ids:
        if key(name) in first:
            findings.error(name.location, f"{what} « {name} » en double (déjà en "
                           f"{first[key(name)].location}) : chaque {what} est unique")
        first.setdefault(key(name), name)


def _unique_registry_ids(schema: Schema, findings: Findings) -> None:
    _duplicates((o.id for o in schema.organisations), "organisation", findings)
    for org in schema.organisations:
        _duplicates((s.id for s in org.services), f"service de {org.id}", findings)
    _duplicates((i.id for i in schema.instances), "instance", findings)
    _duplicates((t.acronym for t in schema.glossary), "sigle", findings, str.upper)
    _duplicates((c.id for c in schema.chapters), "chapitre", findings)
    for chapter in schema.chapters:
        if chapter.id in BUILT_IN_PARTS:
            findings.error(chapter.id.location, f"chapitre « {chapter.id} » : ce nom est celui "
                           "d'une partie produite par la chaîne ; choisissez un autre id")
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
    """Every part named once, known; the axes (the plan of action itself) always in."""
    known = {c.id for c in schema.chapters} | set(BUILT_IN_PARTS)
    edition = schema.edition
    seen: dict[str, Text] = {}
    for name in edition.structure:
        if name not in known:
            findings.error(name.location, f"structure : partie « {name} » inconnue (chapitre "
                           f"manquant ? parties connues : {', '.join(sorted(known))})")
        elif name in seen:
            findings.error(name.location, f"structure : partie « {name} » déjà nommée en "
                           f"{seen[name].location} : chaque partie une seule fois")
        seen.setdefault(name, name)
    if edition.title and "axes" not in seen:
        findings.error(edition.location, "structure : la partie « axes » (les axes et leurs "
                       "actions) manque : ajoutez-la à la liste")


def _chapters_listed(schema: Schema, findings: Findings) -> None:
    listed = set(schema.edition.structure)
    if not schema.edition.title:  # edition.yml unreadable: reported when loaded
        return
    for chapter in schema.chapters:
        if chapter.id and chapter.id not in listed and chapter.id not in BUILT_IN_PARTS:
            findings.warning(chapter.id.location, f"chapitre « {chapter.id} » absent de "
                             "« structure » (edition.yml) : il ne sera pas publié")


def _open_notes(schema: Schema, findings: Findings) -> None:
    report = findings.error if schema.edition.status == "edition" else findings.warning
    for note in schema.notes:
        if note.open:
            report(note.location, f"{note.subject} : à compléter : {note.text}")


def _colophon(schema: Schema, findings: Findings) -> None:
    """Each credit still empty is announced (the colophon leaves its line out meanwhile)."""
    colophon = schema.edition.colophon
    if not schema.edition.title or colophon.location is None:
        return
    for key, attr, what in colophon.FIELDS:
        if getattr(colophon, attr) is None:
            findings.warning(colophon.location, f"colophon : à compléter : « {key} » ({what}) "
                             "est vide dans edition.yml ; la ligne manque au colophon")


RULES: tuple[Rule, ...] = (
    _id_patterns, _unique_ids, _unique_registry_ids, _action_ids_match_position, _numbering,
    _pilots_known, _calendars, _signatories, _structure, _chapters_listed, _open_notes,
    _colophon, check_texts, check_suivi, check_figures,
)

__all__ = ["RULES", "validate"]
