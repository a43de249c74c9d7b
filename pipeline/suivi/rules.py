"""Stage 2 (validate) — the rules on fiches-actions and annual monitoring.

Each rule is a small function that reads the model and adds located findings; the main
validation runs `check_suivi` with its own rules, so that `make check` and `make` report
every problem of content/fiches/ and content/suivi/ at once, like the rest.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Callable, Sequence

from pipeline.errors import Findings
from pipeline.model import Schema, Text
from pipeline.suivi.model import STATUS_LABELS, STATUS_RANK, STATUSES, Year

Rule = Callable[[Schema, Findings], None]


def check_suivi(schema: Schema, findings: Findings) -> None:
    for rule in SUIVI_RULES:
        rule(schema, findings)


def _hint(name: str, known: Sequence[str]) -> str:
    guess = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    return f" (vouliez-vous dire « {guess[0]} » ?)" if guess else ""


def _fiche_actions(schema: Schema, findings: Findings) -> None:
    """A fiche names a known action, in the file named after it, once."""
    known = [a.id for a in schema.actions]
    seen: dict[str, Text] = {}
    for fiche in schema.fiches:
        stem = fiche.location.path.rsplit("/", 1)[-1].removesuffix(".yml")
        if fiche.action and fiche.action not in known:
            findings.error(fiche.action.location, f"fiche-action : action inconnue "
                           f"« {fiche.action} »{_hint(fiche.action, known)}")
        elif fiche.action and stem != fiche.action:
            findings.error(fiche.action.location, f"fiche-action de l'action {fiche.action} "
                           f"dans « {stem}.yml » : nommez le fichier « {fiche.action}.yml »")
        if fiche.action in seen:
            findings.error(fiche.action.location, f"fiche-action {fiche.action} en double "
                           f"(déjà en {seen[fiche.action].location})")
        seen.setdefault(fiche.action, fiche.action)


def _fiche_organisations(schema: Schema, findings: Findings) -> None:
    """The référent's and partners' organisations are in the registry."""
    if not schema.organisations:
        return
    known = [o.id for o in schema.organisations]
    known_keys = known + [f"{o.id}/{s.id}" for o in schema.organisations for s in o.services]
    for fiche in schema.fiches:
        refs = [fiche.referent.organisation, *fiche.partners]
        for ref in (r for r in refs if r):
            if ref not in known_keys:
                findings.error(ref.location, f"fiche-action {fiche.action} : organisation "
                               f"inconnue « {ref} »{_hint(ref, known_keys)} : voyez "
                               "organisations.yml")


def _fiche_indicators(schema: Schema, findings: Findings) -> None:
    """Indicators: unique ids, a numeric target, a target year in the period."""
    start, end = schema.edition.start, schema.edition.end
    for fiche in schema.fiches:
        seen: set[str] = set()
        for ind in fiche.indicators:
            where = f"fiche-action {fiche.action}, indicateur « {ind.id} »"
            if ind.id in seen:
                findings.error(ind.location, f"{where} en double : chaque indicateur est unique")
            seen.add(ind.id)
            if ind.target is None:
                findings.error((ind.target_text or ind).location, f"{where} : la cible doit "
                               f"être un nombre, pas « {ind.target_text} »")
            if start and end and not (ind.target_year and start <= ind.target_year <= end):
                findings.error(ind.location, f"{where} : année cible hors de la période "
                               f"{start}-{end}")


def _years(schema: Schema, findings: Findings) -> None:
    """One file a year, named after it, within the period; `arrete_le` a date."""
    start, end = schema.edition.start, schema.edition.end
    seen: dict[int, Year] = {}
    for year in schema.years:
        stem = year.location.path.rsplit("/", 1)[-1].removesuffix(".yml")
        if start and end and year.year and not start <= year.year <= end:
            findings.error(year.location, f"suivi {year.year} : année hors de la période "
                           f"{start}-{end} du Schéma")
        elif year.year and stem != str(year.year):
            findings.error(year.location, f"suivi de l'année {year.year} dans « {stem}.yml » : "
                           f"nommez le fichier « {year.year}.yml »")
        if year.year in seen:
            findings.error(year.location, f"suivi {year.year} en double (déjà en "
                           f"{seen[year.year].location})")
        seen.setdefault(year.year, year)
        if year.closed and not _is_date(year.closed):
            findings.error(year.closed.location, f"suivi {year.year} : « arrete_le » doit être "
                           f"une date AAAA-MM-JJ, pas « {year.closed} »")


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _reported_actions(schema: Schema, findings: Findings) -> None:
    known = [a.id for a in schema.actions]
    for year in schema.years:
        for report in year.reports:
            if report.action not in known:
                findings.error(report.location, f"suivi {year.year} : action inconnue "
                               f"« {report.action} »{_hint(report.action, known)}")


def _statuses(schema: Schema, findings: Findings) -> None:
    for year in schema.years:
        for report in year.reports:
            if report.status and report.status not in STATUSES:
                findings.error(report.status.location, f"action {report.action} : statut "
                               f"« {report.status} » inconnu{_hint(report.status, list(STATUSES))}"
                               f" ; statuts possibles : {', '.join(STATUSES)}")


def _progress(schema: Schema, findings: Findings) -> None:
    """`avancement`: a whole number from 0 to 100, consistent with the status."""
    for year in schema.years:
        for report in year.reports:
            raw, value = report.progress_text, report.progress
            if raw is None:
                continue
            if value is None or value > 100:
                findings.error(raw.location, f"action {report.action} : avancement « {raw} » : "
                               "un nombre entier de 0 à 100 est attendu")
            elif report.status == "realise" and value < 100:
                findings.error(raw.location, f"action {report.action} : réalisée, mais "
                               f"avancement {value} % : 100 ou un autre statut")
            elif report.status == "a-venir" and value > 0:
                findings.error(raw.location, f"action {report.action} : à venir, mais "
                               f"avancement {value} % : 0 ou le statut « en-cours »")


def _reported_indicators(schema: Schema, findings: Findings) -> None:
    """Values only for the indicators of the action's fiche, and numbers."""
    for year in schema.years:
        for report in year.reports:
            fiche = schema.fiche(report.action)
            if report.values and fiche is None:
                findings.error(report.values[0].indicator.location, f"suivi {year.year}, action "
                               f"{report.action} : des indicateurs sont renseignés mais l'action "
                               "n'a pas de fiche-action (content/fiches/) qui les définisse")
                continue
            for value in report.values:
                if fiche and fiche.indicator(value.indicator) is None:
                    known = [i.id for i in fiche.indicators]
                    findings.error(value.indicator.location, f"action {report.action} : "
                                   f"indicateur « {value.indicator} » absent de sa fiche-action"
                                   f"{_hint(value.indicator, known)} (indicateurs : "
                                   f"{', '.join(known) or 'aucun'})")
                elif value.number is None:
                    findings.error(value.raw.location, f"action {report.action}, indicateur "
                                   f"« {value.indicator} » : « {value.raw} » n'est pas un nombre")


def _missing_statuses(schema: Schema, findings: Findings) -> None:
    """Warn: an action whose calendar has started has no status in the year's monitoring."""
    start, end = schema.edition.start, schema.edition.end
    for year in (y for y in schema.years if start <= y.year <= end):
        for action in schema.actions:
            report = year.report(action.id)
            if action.calendar.year and action.calendar.year <= year.year and (
                    report is None or report.status is None):
                findings.warning(report.location if report else year.location,
                                 f"suivi {year.year} : action {action.id} commencée "
                                 f"({action.calendar.label}) sans statut")


def _status_back(schema: Schema, findings: Findings) -> None:
    """Warn: a status going back (réalisé → en cours) without a comment saying why."""
    for before, year in zip(schema.years, schema.years[1:], strict=False):
        for report in year.reports:
            previous = before.report(report.action)
            if not (previous and previous.status and report.status) or report.comment:
                continue
            old, new = STATUS_RANK.get(previous.status), STATUS_RANK.get(report.status)
            if old is not None and new is not None and new < old:
                findings.warning(report.status.location, f"action {report.action} : statut "
                                 f"revenu de « {STATUS_LABELS[previous.status]} » ({before.year})"
                                 f" à « {STATUS_LABELS[report.status]} » sans commentaire")


SUIVI_RULES: tuple[Rule, ...] = (
    _fiche_actions, _fiche_organisations, _fiche_indicators, _years, _reported_actions,
    _statuses, _progress, _reported_indicators, _missing_statuses, _status_back,
)
