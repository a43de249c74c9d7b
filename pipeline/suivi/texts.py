"""Stage 2 (what is printed) — the printed strings of the fiches and of the monitoring.

Listed for `printed.printed`, each with the way the layouts print it and its column, so
that the text rules (glyphs, inline Markdown, renvois, sigles, long words) read them as
they read the rest of the Schéma: what `make check` accepts, the fiche and the bilan print.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.model import Schema
from pipeline.printed import CELL, Field, Way

COMMENT = 32  # the comment column of a bilan's axis table


def suivi_fields(schema: Schema) -> Iterator[Field]:
    for fiche in schema.fiches:
        what = f"fiche-action {fiche.action}"
        referent = fiche.referent
        for text in (referent.name, referent.function):
            if text:
                yield Field(text, Way.PLAIN, f"{what} : référent", acronyms=False)
        for objective in fiche.objectives:
            yield Field(objective, Way.INLINE, f"{what} : objectif")
        for ind in fiche.indicators:
            for text in (ind.label, ind.unit):
                if text:
                    yield Field(text, Way.PLAIN, f"{what} : indicateur {ind.id}", CELL)
        if fiche.evaluation:
            yield Field(fiche.evaluation, Way.BLOCK, f"{what} : modalités d'évaluation")
        if fiche.means:
            yield Field(fiche.means, Way.BLOCK, f"{what} : moyens")
    for year in schema.years:
        for report in year.reports:
            what = f"suivi {year.year}, action {report.action}"
            if report.comment:
                yield Field(report.comment, Way.INLINE, f"{what} : commentaire", COMMENT)
            for item in report.achievements:
                yield Field(item, Way.INLINE, f"{what} : réalisation", COMMENT)
