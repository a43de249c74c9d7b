"""The orchestrator: content → model → validation → HTML → PDF → manifest.

Reads like the table of contents of the pipeline. Everything is gathered and checked
before anything is written; every output is written aside and published all at once
(`staging`). The full Schéma is laid out once; the extracts are cut from its pages.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2
from weasyprint import Document

from pipeline.changes import Changes
from pipeline.errors import Finding
from pipeline.html import page, renderer_for
from pipeline.inputs import fingerprint, record
from pipeline.model import Schema
from pipeline.output import Artifact, artifact, write_manifest
from pipeline.parallel import in_parallel
from pipeline.pdf import ConfinedFetcher, render_document
from pipeline.printing import bleed_box, layered, padded
from pipeline.products import (
    CORE_WEIGHT,
    PRINT_WEIGHT,
    Boundaries,
    PilotGroup,
    action_pages,
    anchor_pages,
    assemble,
    extracts,
    pilot_groups,
    share,
)
from pipeline.progress import clock, plural, say
from pipeline.project import Project, check
from pipeline.site import online
from pipeline.staging import exclusive, staged
from pipeline.suivi.publish import Suivi, annexes, write_suivi
from pipeline.tagging import write_tagged
from pipeline.typography import french
from pipeline.views import brief, doc_title, part_anchors


@dataclass(frozen=True)
class Laid:
    """The full Schéma laid out, and what the other publications are rendered with."""

    project: Project
    schema: Schema
    env: jinja2.Environment
    html: str
    full: Document

    @property
    def title(self) -> str:
        return doc_title(self.schema)


Writer = Callable[[Document, bool], bytes]  # (document, is it the full Schéma?) → PDF


@dataclass(frozen=True)
class Built:
    artifacts: list[Artifact]
    warnings: list[Finding]  # the content's warnings: printed, they do not stop a draft


def build(project: Project, pilots: bool = True) -> Built:
    """Build every publication (pilot extracts optional) with its manifest, and publish
    them in project.out all at once; on any failure project.out is left as it was."""
    started = clock()
    with exclusive(project.out):
        inputs = fingerprint(project.root, pilots)  # before reading them: a later edit rebuilds
        schema, warnings = check(project)
        say(f"contenu vérifié : {plural(len(schema.axes), 'axe')}, "
            f"{plural(len(schema.actions), 'action')}", started)
        with staged(project.out) as stage:
            staged_project = Project(project.root, stage)
            laid = lay_out(staged_project, schema)
            written = publish(laid, pilots=pilots) + write_suivi(
                Suivi(project.root, stage, schema, laid.env, laid.title), _pdf)
            written += online(staged_project, schema, written)  # site/ and donnees/
            artifacts = [_moved(item, project, stage) for item in written]
            write_manifest(stage / "manifest.json", artifacts)
            record(stage, inputs)
    say(f"publié dans {_shown(project.out, project.root)}/ : "
        f"{plural(len(artifacts) + 1, 'fichier')}", started)
    return Built(artifacts, warnings)


def lay_out(project: Project, schema: Schema, changes: Changes | None = None) -> Laid:
    """Lay out the full Schéma, once: every other publication is cut from it or cites it."""
    started = clock()
    _renderer, env = renderer_for(schema, project.layouts)
    html = full_page(env, schema, changes)
    full = render_document(html, project.layouts, fetcher_for(project), "layouts/full.html.j2")
    say(f"Schéma mis en page : {plural(len(full.pages), 'page')}", started)
    return Laid(project, schema, env, html, full)


def full_page(env: jinja2.Environment, schema: Schema, changes: Changes | None = None) -> str:
    """The full Schéma's HTML: what is laid out, and what the live preview shows."""
    return page(env, "full.html.j2", schema, body_class="full", changes=changes,
                **annexes(schema))


def publish(laid: Laid, writer: Writer | None = None, html: bool = True,
            pilots: bool = True) -> list[Artifact]:
    """Write every publication with `writer` (default: a plain PDF), on two cores.

    One process writes the full Schéma and the extracts cut from it, the other lays out
    and writes the printer's variant; both lay out and write pilot extracts, the pilot
    organisations shared between the two so that both finish together (each lays out its
    share in one pass)."""
    pdf = writer or _pdf
    if not pilots:
        first, (second, printed) = in_parallel(
            lambda: _write_full(laid, pdf, html),
            lambda: (_write_extracts(laid, pdf), _write_print(laid, pdf)))
        return first + printed + second
    groups = pilot_groups(laid.schema)
    here, there = share(groups, head_start=CORE_WEIGHT - PRINT_WEIGHT)
    (full, cut, their_pilots), (printed, my_pilots) = in_parallel(
        lambda: (_write_full(laid, pdf, html), _write_extracts(laid, pdf),
                 _write_pilots(laid, pdf, there)),
        lambda: (_write_print(laid, pdf), _write_pilots(laid, pdf, here)))
    written = dict(zip([g.organisation.id for g in there + here], their_pilots + my_pilots,
                       strict=True))
    return full + printed + cut + [written[g.organisation.id] for g in groups]  # registry order


def _write_print(laid: Laid, pdf: Writer) -> list[Artifact]:
    """The printer's variant of the full Schéma (`printing`): same HTML, one more layer."""
    document = padded(_print_render(laid, laid.html), lambda: _print_render(laid, BLANK))
    document.metadata = laid.full.metadata
    return [artifact(laid.project.root, laid.project.out / "impression" / "schema.pdf",
                     bleed_box(pdf(document, False)), "print", laid.title,
                     len(document.pages))]


BLANK = "<html lang=fr><head></head><body></body></html>"  # one blank page, to pad with


def _print_render(laid: Laid, html: str) -> Document:
    return render_document(layered(html, laid.env, laid.schema), laid.project.layouts,
                           fetcher_for(laid.project), "layouts/print.css")


def fetcher_for(project: Project) -> ConfinedFetcher:
    return ConfinedFetcher([project.layouts, project.content])


def _moved(item: Artifact, project: Project, stage: Path) -> Artifact:
    """The artifact written in `stage`, described where it is published (project.out)."""
    written = Path(os.path.normpath(project.root / item.path))
    final = project.out / written.relative_to(stage)
    return replace(item, path=_shown(final, project.root))


def _shown(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def _write_full(laid: Laid, pdf: Writer, html: bool) -> list[Artifact]:
    started = clock()
    root, out = laid.project.root, laid.project.out
    artifacts = []
    if html:
        artifacts.append(artifact(root, out / "schema.html", laid.html.encode(), "html",
                                  laid.title))
    artifacts.append(artifact(root, out / "schema.pdf", pdf(laid.full, True), "full", laid.title,
                              len(laid.full.pages)))
    say("Schéma complet écrit", started)
    return artifacts


def _write_extracts(laid: Laid, pdf: Writer) -> list[Artifact]:
    """The axis extracts and the signature page: the full Schéma's pages, after a cover and
    an "about" page laid out for all of them in one small pass."""
    started = clock()
    items = extracts(laid.schema)
    front = _render(laid, "extracts.html.j2", body_class="extracts", extracts=items)
    bounds = Boundaries.of(laid.full, front, items, part_anchors(laid.schema))
    artifacts = []
    for item in items:
        doc = assemble(laid.full, bounds.full[item.anchor], front,
                       bounds.front.get(f"extrait-{item.anchor}", []),
                       f"{laid.title} — {item.title}")
        extra = {"axis": item.key} if item.kind == "axis" else {}
        artifacts.append(artifact(laid.project.root, laid.project.out / "extraits" / item.filename,
                                  pdf(doc, False), item.kind, doc.metadata.title, len(doc.pages),
                                  **extra))
    say(f"extraits écrits : {plural(len(artifacts), 'fichier')}", started)
    return artifacts


def _write_pilots(laid: Laid, pdf: Writer, groups: list[PilotGroup]) -> list[Artifact]:
    """One extract per pilot organisation of `groups`, each laid out alone: its folios
    (« Extrait … · 7/13 ») count its own pages."""
    if not groups:
        return []
    started = clock()
    full_pages, xref_pages = action_pages(laid.full, laid.schema), anchor_pages(laid.full)
    result = []
    for group in groups:
        org = group.organisation
        doc = _render(laid, "pilots.html.j2", body_class="pilots", groups=[group],
                      full_pages=full_pages, xref_pages=xref_pages, brief=brief(laid.schema))
        what = "action pilotée" if group.count == 1 else "actions pilotées"
        doc.metadata.title = french(f"{laid.title} — {what} par {group.name}")
        result.append(artifact(laid.project.root,
                               laid.project.out / "extraits" / f"pilote-{org.id}.pdf",
                               pdf(doc, False), "pilot", doc.metadata.title, len(doc.pages),
                               organisation=org.id))
    say(f"extraits par pilote écrits : {plural(len(result), 'fichier')}", started)
    return result


def _render(laid: Laid, template: str, **context: object) -> Document:
    html = page(laid.env, template, laid.schema, **context)
    return render_document(html, laid.project.layouts, fetcher_for(laid.project),
                           f"layouts/{template}")


def _pdf(document: Document, _full: bool = False) -> bytes:
    """A publication: tagged, PDF/UA-1 (pipeline.tagging repairs WeasyPrint's tags)."""
    return write_tagged(document, pdf_variant="pdf/ua-1", pdf_identifier=False)
