"""Stage 5 (open data) — the monitoring and the fiches' indicators as CSV tables.

French open-data conventions: UTF-8, comma, header row, decimal point. `suivi.csv` is
long: one row per (année, action, indicateur), the indicator empty for an action whose
fiche has none (or that has no fiche). `fiches-indicateurs.csv`: one row per indicator
of each fiche. `TABLES` describes both as Frictionless Table Schemas, for the open-data
package to list them beside its own.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from pipeline.model import Schema
from pipeline.suivi.model import Year

SUIVI = ("annee", "action", "statut", "avancement", "indicateur", "valeur", "cible")
INDICATORS = ("action", "referent", "indicateur", "libelle", "unite", "cible", "annee_cible")
TABLES = {
    "suivi": {"fields": [
        {"name": "annee", "type": "integer"}, {"name": "action", "type": "string"},
        {"name": "statut", "type": "string", "constraints": {"enum": [
            "a-venir", "en-cours", "realise", "en-pause", "abandonne", ""]}},
        {"name": "avancement", "type": "integer"}, {"name": "indicateur", "type": "string"},
        {"name": "valeur", "type": "number"}, {"name": "cible", "type": "number"}]},
    # unique on (annee, action, indicateur), but no primaryKey: `indicateur` is empty
    # (a missing value for Frictionless) on the row of an action without indicator
    "fiches-indicateurs": {"fields": [
        {"name": "action", "type": "string"}, {"name": "referent", "type": "string"},
        {"name": "indicateur", "type": "string"}, {"name": "libelle", "type": "string"},
        {"name": "unite", "type": "string"}, {"name": "cible", "type": "number"},
        {"name": "annee_cible", "type": "integer"}],
        "primaryKey": ["action", "indicateur"]},
}


def suivi_csv(schema: Schema) -> bytes:
    return _csv(SUIVI, (row for year in schema.years for row in _year_rows(schema, year)))


def indicators_csv(schema: Schema) -> bytes:
    rows = ((f.action, f.referent.organisation, i.id, i.label, i.unit, _num(i.target),
             str(i.target_year or "")) for f in schema.fiches for i in f.indicators)
    return _csv(INDICATORS, rows)


def _year_rows(schema: Schema, year: Year) -> Iterator[tuple[str, ...]]:
    for action in schema.actions:
        report = year.report(action.id)
        if report is None:
            continue
        head = (str(year.year), action.id, report.status or "",
                "" if report.progress is None else str(report.progress))
        fiche = schema.fiche(action.id)
        if not fiche or not fiche.indicators:
            yield (*head, "", "", "")
        for ind in fiche.indicators if fiche else ():
            yield (*head, ind.id, _num(report.value(ind.id)), _num(ind.target))


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else repr(value)


def _csv(header: tuple[str, ...], rows: Iterator[tuple[str, ...]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()
