"""Stage 4c (products) — the fiches-actions, the annual bilans and the monitoring data.

Written beside the Schéma's publications in the same staged build (all or nothing):
`fiches/fiche-<action>.pdf` (all fiches laid out in one pass, then cut), for each year of
monitoring `bilans/bilan-<année>.pdf` and `bilans/<année>/pilote-<organisation>.pdf`, and
`donnees/suivi.csv`, `donnees/fiches-indicateurs.csv`. Nothing at all when content/ has
neither fiche nor monitoring: the Schéma's build is then exactly what it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from weasyprint import Document

from pipeline.html import full_context, render
from pipeline.markdown import anchor
from pipeline.model import Schema
from pipeline.output import Artifact, artifact
from pipeline.parallel import in_parallel
from pipeline.pdf import ConfinedFetcher, render_document
from pipeline.products import assemble, part_pages
from pipeline.progress import clock, plural, say
from pipeline.suivi.data import indicators_csv, suivi_csv
from pipeline.suivi.views import (
    Bilan,
    bilan,
    fiches_in_order,
    pilots_with_actions,
    template_helpers,
)

Writer = Callable[[Document, bool], bytes]


class Suivi:
    """What the products are rendered with: the project's folders, the Schéma, Jinja."""

    def __init__(self, root: Path, out: Path, schema: Schema, env: jinja2.Environment,
                 title: str) -> None:
        self.root, self.out, self.schema, self.env, self.title = root, out, schema, env, title
        self.fetcher = ConfinedFetcher([root / "layouts", root / "content"])

    def document(self, template: str, **context: Any) -> Document:
        html = render(self.env, template, **{**full_context(self.schema),
                                             **template_helpers(self.schema),
                                             "doc_title": self.title, **context})
        return render_document(html, self.root / "layouts", self.fetcher, f"layouts/{template}")

    def write(self, path: str, data: bytes, kind: str, title: str, pages: int | None = None,
              **extra: str) -> Artifact:
        return artifact(self.root, self.out / path, data, kind, title, pages, **extra)


def annexes(schema: Schema) -> dict[str, Any]:
    """What the full Schéma annexes: the fiches (and their marks in the action rows), and
    the latest bilan when `edition.yml` says `bilan_en_annexe: oui`."""
    latest = bilan(schema, schema.years[-1]) if schema.edition.bilan_annex and schema.years \
        else None
    return {**template_helpers(schema), "fiche_annex": fiches_in_order(schema),
            "bilan_annex": latest}


def write_suivi(suivi: Suivi, pdf: Writer) -> list[Artifact]:
    """Every product of the fiches and the monitoring, on two cores (none without them)."""
    schema = suivi.schema
    if not (schema.fiches or schema.years):
        return []
    first, second = in_parallel(lambda: _fiches(suivi, pdf) + _data(suivi),
                                lambda: _bilans(suivi, pdf))
    return first + second


def _fiches(suivi: Suivi, pdf: Writer) -> list[Artifact]:
    fiches = fiches_in_order(suivi.schema)
    if not fiches:
        return []
    started = clock()
    doc = suivi.document("fiche.html.j2", body_class="fiches", fiches=fiches)
    pages = part_pages(doc, [anchor("fiche", a.id) for a, _ in fiches])
    result = []
    for action, _fiche in fiches:
        title = f"{suivi.title} — fiche-action {action.id}"
        part = assemble(doc, pages[anchor("fiche", action.id)], doc, [], title)
        result.append(suivi.write(f"fiches/fiche-{action.id}.pdf", pdf(part, False), "fiche",
                                  title, len(part.pages), action=action.id))
    say(f"fiches-actions écrites : {plural(len(result), 'fichier')}", started)
    return result


def _bilans(suivi: Suivi, pdf: Writer) -> list[Artifact]:
    """Each year's bilan and its pilots' bilans, laid out in one pass a year, then cut."""
    started = clock()
    result = []
    for year in suivi.schema.years:
        parts: list[tuple[str, Bilan, str, dict[str, str]]] = [
            (f"bilan-{year.year}", bilan(suivi.schema, year), f"bilans/bilan-{year.year}.pdf",
             {})]
        parts += [(f"bilan-{year.year}-pilote-{org.id}", bilan(suivi.schema, year, org),
                   f"bilans/{year.year}/pilote-{org.id}.pdf", {"organisation": org.id})
                  for org in pilots_with_actions(suivi.schema)]
        doc = suivi.document("bilan.html.j2", body_class="bilan",
                             parts=[(key, view) for key, view, _, _ in parts])
        pages = part_pages(doc, [key for key, *_ in parts])
        for key, view, path, extra in parts:
            scope = f", actions pilotées par {view.scope.name}" if view.scope else ""
            title = f"{suivi.title} — bilan {year.year}{scope}"
            part = assemble(doc, pages[key], doc, [], title)
            result.append(suivi.write(path, pdf(part, False),
                                      "bilan-pilote" if view.scope else "bilan", title,
                                      len(part.pages), annee=str(year.year), **extra))
    say(f"bilans annuels écrits : {plural(len(result), 'fichier')}", started)
    return result


def _data(suivi: Suivi) -> list[Artifact]:
    schema = suivi.schema
    result = [suivi.write("donnees/suivi.csv", suivi_csv(schema), "data",
                          "Suivi annuel des actions (format long)")] if schema.years else []
    if schema.fiches:
        result.append(suivi.write("donnees/fiches-indicateurs.csv", indicators_csv(schema),
                                  "data", "Indicateurs des fiches-actions"))
    return result
