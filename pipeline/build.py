"""The orchestrator: content → model → validation → HTML → PDF → manifest.

Reads like the table of contents of the pipeline. Everything is gathered and checked
before anything is written; every output is written aside and published all at once
(`staging`). The full Schéma is laid out once, as a book: its printer's variant and its
screen PDF are two forms of those pages, and the axis extracts are cut from them; the
pilot extracts are laid out meanwhile on the other core.
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
from pipeline.opendata import write_data
from pipeline.output import Artifact, artifact, write_manifest
from pipeline.parallel import in_parallel
from pipeline.pdf import ConfinedFetcher, render_document
from pipeline.printing import folios, layered, printed, screen
from pipeline.products import (
    Boundaries,
    PilotGroup,
    assemble,
    extracts,
    part_pages,
    pilot_groups,
)
from pipeline.progress import clock, plural, say
from pipeline.project import Project, check
from pipeline.site import online
from pipeline.staging import exclusive, staged
from pipeline.suivi.publish import Suivi, annexes, write_suivi
from pipeline.system import few_collections
from pipeline.tagging import write_tagged
from pipeline.views import brief, doc_title, part_anchors


@dataclass(frozen=True)
class Composed:
    """The full Schéma's HTML, and what the other publications are rendered with."""

    project: Project
    schema: Schema
    env: jinja2.Environment
    html: str

    @property
    def title(self) -> str:
        return doc_title(self.schema)


@dataclass(frozen=True)
class Laid(Composed):
    """The full Schéma laid out, once, as a book (`printing`): its screen and print PDFs
    and the axis extracts are made from those pages."""

    full: Document


Writer = Callable[[Document, bool], bytes]  # (document, is it the full Schéma?) → PDF


@dataclass(frozen=True)
class Built:
    artifacts: list[Artifact]
    warnings: list[Finding]  # the content's warnings: printed, they do not stop a draft


def build(project: Project, pilots: bool = True) -> Built:
    """Build every publication (pilot extracts optional) with its manifest, and publish
    them in project.out all at once; on any failure project.out is left as it was."""
    started = clock()
    with exclusive(project.out), few_collections():
        inputs = fingerprint(project.root, pilots)  # before reading them: a later edit rebuilds
        schema, warnings = check(project)
        say(f"contenu vérifié : {plural(len(schema.axes), 'axe')}, "
            f"{plural(len(schema.actions), 'action')}", started)
        with staged(project.out) as stage:
            staged_project = Project(project.root, stage)
            laid, written = publish(compose(staged_project, schema), pilots=pilots)
            written += write_suivi(Suivi(project.root, stage, schema, laid.env, laid.title), _pdf)
            written += online(staged_project, schema, written)  # site/
            artifacts = [_moved(item, project, stage) for item in written]
            write_manifest(stage / "manifest.json", artifacts)
            record(stage, inputs)
    say(f"publié dans {_shown(project.out, project.root)}/ : "
        f"{plural(len(artifacts) + 1, 'fichier')}", started)
    return Built(artifacts, warnings)


def compose(project: Project, schema: Schema, changes: Changes | None = None) -> Composed:
    """The full Schéma's HTML (not laid out yet)."""
    _renderer, env = renderer_for(schema, project.layouts)
    return Composed(project, schema, env, full_page(env, schema, changes))


def _laid(composed: Composed) -> Laid:
    started = clock()
    project = composed.project
    full = render_document(composed.html, project.layouts, fetcher_for(project),
                           "layouts/full.html.j2")
    say(f"Schéma mis en page : {plural(len(folios(full)), 'page')}", started)  # on screen
    return Laid(project, composed.schema, composed.env, composed.html, full)


def full_page(env: jinja2.Environment, schema: Schema, changes: Changes | None = None) -> str:
    """The full Schéma's HTML: what is laid out (as a book: `printing`), and what the live
    preview shows."""
    return layered(page(env, "full.html.j2", schema, body_class="full", changes=changes,
                        **annexes(schema)), env, schema)


def publish(composed: Composed, writer: Writer | None = None, html: bool = True,
            pilots: bool = True) -> tuple[Laid, list[Artifact]]:
    """Lay out the full Schéma and write every publication with `writer` (default: a tagged
    PDF), on two cores.

    A forked process lays out and writes the pilot extracts, which need nothing from the
    full Schéma's layout. This one lays the full Schéma out once, as a book, then forks
    again: the child writes the extracts cut from its pages while this one writes the
    screen PDF (the pages trimmed, without the blank ones), makes the printer's PDF from
    it, and writes the open data."""
    pdf = writer or _pdf
    groups = pilot_groups(composed.schema) if pilots else []

    def book() -> tuple[Laid, list[Artifact]]:
        laid = _laid(composed)
        shown = screen(laid.full)
        cut, full = in_parallel(lambda: _write_extracts(laid, shown, pdf),
                                lambda: _write_full(laid, shown, pdf, html) + _write_data(laid))
        return laid, full + cut

    if not groups:
        return book()
    pilot_extracts, (laid, written) = in_parallel(lambda: _write_pilots(composed, pdf, groups),
                                                  book)
    return laid, written + pilot_extracts


def fetcher_for(project: Project) -> ConfinedFetcher:
    return ConfinedFetcher([project.layouts, project.content])


def _moved(item: Artifact, project: Project, stage: Path) -> Artifact:
    """The artifact written in `stage`, described where it is published (project.out)."""
    written = Path(os.path.normpath(project.root / item.path))
    final = project.out / written.relative_to(stage)
    return replace(item, path=_shown(final, project.root))


def _shown(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def _write_full(laid: Laid, shown: Document, pdf: Writer, html: bool) -> list[Artifact]:
    """The full Schéma's HTML, its screen PDF (`shown`: `printing.screen`) and its printer's
    PDF, made from the screen PDF's bytes (`printing.printed`)."""
    started = clock()
    root, out = laid.project.root, laid.project.out
    artifacts = []
    if html:
        artifacts.append(artifact(root, out / "schema.html", laid.html.encode(), "html",
                                  laid.title))
    data = pdf(shown, True)
    artifacts.append(artifact(root, out / "schema.pdf", data, "full", laid.title,
                              len(shown.pages)))
    book, pages = printed(data, laid.full)
    artifacts.append(artifact(root, out / "impression" / "schema.pdf", book, "print", laid.title,
                              pages))
    say("Schéma complet écrit", started)
    return artifacts


def _write_data(laid: Composed) -> list[Artifact]:
    """The open data (`donnees/`): the action tables as validated CSV and JSON."""
    started = clock()
    data = write_data(laid.schema, laid.project.out / "donnees", laid.project.root)
    say(f"données ouvertes écrites : {plural(len(data), 'fichier')}", started)
    return data


def _write_extracts(laid: Laid, shown: Document, pdf: Writer) -> list[Artifact]:
    """The axis extracts and the signature page: the pages of the full Schéma's screen PDF
    (`shown`), after a cover and an "about" page laid out for all of them in one small
    pass."""
    started = clock()
    items = extracts(laid.schema)
    front = _render(laid, "extracts.html.j2", body_class="extracts", extracts=items)
    bounds = Boundaries.of(shown, front, items, part_anchors(laid.schema))
    artifacts = []
    for item in items:
        doc = assemble(shown, bounds.full[item.anchor], front,
                       bounds.front.get(f"extrait-{item.anchor}", []),
                       f"{laid.title} — {item.title}")
        extra = {"axis": item.key} if item.kind == "axis" else {}
        artifacts.append(artifact(laid.project.root, laid.project.out / "extraits" / item.filename,
                                  pdf(doc, False), item.kind, doc.metadata.title, len(doc.pages),
                                  **extra))
    say(f"extraits écrits : {plural(len(artifacts), 'fichier')}", started)
    return artifacts


def _write_pilots(laid: Composed, pdf: Writer, groups: list[PilotGroup]) -> list[Artifact]:
    """One extract per pilot organisation of `groups`, laid out together in one pass and
    cut; each has its own folios (« Extrait … · 7/13 »: its own page names)."""
    started = clock()
    doc = _render(laid, "pilots.html.j2", body_class="pilots", groups=groups,
                  brief=brief(laid.schema), xref_pages={})  # renvois: no link, no page
    pages = part_pages(doc, [f"pilote-{g.organisation.id}" for g in groups])
    result = []
    for group in groups:
        org = group.organisation
        what = "action pilotée" if group.count == 1 else "actions pilotées"
        part = assemble(doc, pages[f"pilote-{org.id}"], doc, [],
                        f"{laid.title} — {what} par {group.name}")
        result.append(artifact(laid.project.root,
                               laid.project.out / "extraits" / f"pilote-{org.id}.pdf",
                               pdf(part, False), "pilot", part.metadata.title, len(part.pages),
                               organisation=org.id))
    say(f"extraits par pilote écrits : {plural(len(result), 'fichier')}", started)
    return result


def _render(laid: Composed, template: str, **context: object) -> Document:
    html = page(laid.env, template, laid.schema, **context)
    return render_document(html, laid.project.layouts, fetcher_for(laid.project),
                           f"layouts/{template}")


def _pdf(document: Document, _full: bool = False) -> bytes:
    """A publication: tagged, PDF/UA-1 (pipeline.tagging repairs WeasyPrint's tags)."""
    return write_tagged(document, pdf_variant="pdf/ua-1", pdf_identifier=False)
