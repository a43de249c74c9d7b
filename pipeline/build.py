"""The orchestrator: content → model → validation → HTML → PDF → manifest.

Reads like the table of contents of the pipeline. Everything is gathered and checked
before anything is written; every output is written aside and published all at once
(`staging`). The full Schéma is laid out once, while its printer's variant is laid out on
the other core; the extracts are cut from its pages.
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
from pipeline.parallel import Handoff, in_parallel
from pipeline.pdf import ConfinedFetcher, render_document
from pipeline.printing import bleed_box, layered, padded
from pipeline.products import (
    CORE_WEIGHT,
    LAYOUT_WEIGHT,
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
    """The full Schéma laid out."""

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
    with exclusive(project.out):
        inputs = fingerprint(project.root, pilots)  # before reading them: a later edit rebuilds
        schema, warnings = check(project)
        say(f"contenu vérifié : {plural(len(schema.axes), 'axe')}, "
            f"{plural(len(schema.actions), 'action')}", started)
        with staged(project.out) as stage:
            staged_project = Project(project.root, stage)
            laid, written = publish(compose(staged_project, schema), pilots=pilots)
            written += write_suivi(Suivi(project.root, stage, schema, laid.env, laid.title), _pdf)
            written += online(staged_project, schema, written)  # site/ and donnees/
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


def lay_out(project: Project, schema: Schema, changes: Changes | None = None) -> Laid:
    """Lay out the full Schéma, once: every other publication is cut from it or cites it."""
    return _laid(compose(project, schema, changes))


def _laid(composed: Composed) -> Laid:
    started = clock()
    project = composed.project
    full = render_document(composed.html, project.layouts, fetcher_for(project),
                           "layouts/full.html.j2")
    say(f"Schéma mis en page : {plural(len(full.pages), 'page')}", started)
    return Laid(project, composed.schema, composed.env, composed.html, full)


def full_page(env: jinja2.Environment, schema: Schema, changes: Changes | None = None) -> str:
    """The full Schéma's HTML: what is laid out, and what the live preview shows."""
    return page(env, "full.html.j2", schema, body_class="full", changes=changes,
                **annexes(schema))


def publish(composed: Composed, writer: Writer | None = None, html: bool = True,
            pilots: bool = True) -> tuple[Laid, list[Artifact]]:
    """Lay out the full Schéma and write every publication with `writer` (default: a tagged
    PDF), on two cores.

    This process lays out the full Schéma, writes it and the extracts cut from it; a forked
    one meanwhile lays out and writes the printer's variant (a second layout of the same
    HTML, which needs nothing from the first). Then both lay out and write pilot extracts,
    the pilot organisations shared so that both finish together; they print the full
    Schéma's page numbers, handed to the forked process as soon as this one has them."""
    pdf = writer or _pdf
    groups = pilot_groups(composed.schema) if pilots else []
    mine, theirs = share(groups, head_start=PRINT_WEIGHT - LAYOUT_WEIGHT - CORE_WEIGHT)
    handoff = Handoff()

    def there() -> tuple[list[Artifact], list[Artifact]]:
        printed = _write_print(composed, pdf)
        return printed, _write_pilots(composed, pdf, theirs, handoff.receive() if theirs else None)

    def here() -> tuple[Laid, list[Artifact], list[Artifact], list[Artifact]]:
        laid = _laid(composed)
        pages = FullPages.of(laid.full, laid.schema)
        if theirs:
            handoff.send(pages)
        return (laid, _write_full(laid, pdf, html), _write_extracts(laid, pdf),
                _write_pilots(composed, pdf, mine, pages))

    try:
        (printed, their_pilots), (laid, full, cut, my_pilots) = in_parallel(there, here)
    finally:
        handoff.close()
    written = dict(zip([g.organisation.id for g in theirs + mine], their_pilots + my_pilots,
                       strict=True))
    return laid, full + printed + cut + [written[g.organisation.id] for g in groups]


@dataclass(frozen=True)
class FullPages:
    """The full Schéma's page numbers that the pilot extracts print."""

    actions: dict[str, int]
    anchors: dict[str, int]

    @classmethod
    def of(cls, full: Document, schema: Schema) -> FullPages:
        return cls(action_pages(full, schema), anchor_pages(full))


def _write_print(laid: Composed, pdf: Writer) -> list[Artifact]:
    """The printer's variant of the full Schéma (`printing`): same HTML, one more layer
    (its metadata are the full Schéma's: the same <head>)."""
    document = padded(_print_render(laid, laid.html), lambda: _print_render(laid, BLANK))
    return [artifact(laid.project.root, laid.project.out / "impression" / "schema.pdf",
                     bleed_box(pdf(document, False)), "print", laid.title,
                     len(document.pages))]


BLANK = "<html lang=fr><head></head><body></body></html>"  # one blank page, to pad with


def _print_render(laid: Composed, html: str) -> Document:
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


def _write_pilots(laid: Composed, pdf: Writer, groups: list[PilotGroup],
                  full: FullPages | None) -> list[Artifact]:
    """One extract per pilot organisation of `groups`, each laid out alone: its folios
    (« Extrait … · 7/13 ») count its own pages."""
    if not groups or full is None:
        return []
    started = clock()
    full_pages, xref_pages = full.actions, full.anchors
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


def _render(laid: Composed, template: str, **context: object) -> Document:
    html = page(laid.env, template, laid.schema, **context)
    return render_document(html, laid.project.layouts, fetcher_for(laid.project),
                           f"layouts/{template}")


def _pdf(document: Document, _full: bool = False) -> bytes:
    """A publication: tagged, PDF/UA-1 (pipeline.tagging repairs WeasyPrint's tags)."""
    return write_tagged(document, pdf_variant="pdf/ua-1", pdf_identifier=False)
