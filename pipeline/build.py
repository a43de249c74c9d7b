"""The orchestrator: content → model → validation → HTML → PDF → manifest.

Reads like the table of contents of the pipeline. Everything is gathered and checked
before anything is written, and every write is atomic. The full Schéma is laid out
once; the extracts are cut from its pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import jinja2
from weasyprint import Document

from pipeline.changes import Changes
from pipeline.errors import Finding
from pipeline.html import full_context, render, renderer_for
from pipeline.model import Schema
from pipeline.output import Artifact, artifact, write_manifest
from pipeline.parallel import in_parallel
from pipeline.pdf import ConfinedFetcher, render_document
from pipeline.printing import layered, padded
from pipeline.products import (
    CORE_WEIGHT,
    PRINT_WEIGHT,
    Boundaries,
    PilotGroup,
    action_pages,
    anchor_pages,
    assemble,
    extracts,
    part_pages,
    pilot_groups,
    share,
)
from pipeline.project import Project, check
from pipeline.typography import french
from pipeline.views import part_anchors


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
        return _title(self.schema)


Writer = Callable[[Document, bool], bytes]  # (document, is it the full Schéma?) → PDF


@dataclass(frozen=True)
class Built:
    artifacts: list[Artifact]
    warnings: list[Finding]  # the content's warnings: printed, they do not stop a draft


def build(project: Project, pilots: bool = True) -> Built:
    """Build every publication (pilot extracts optional) into project.out, with its manifest."""
    schema, warnings = check(project)
    artifacts = publish(lay_out(project, schema), pilots=pilots)
    write_manifest(project.out / "manifest.json", artifacts)
    return Built(artifacts, warnings)


def lay_out(project: Project, schema: Schema, changes: Changes | None = None) -> Laid:
    """Lay out the full Schéma, once: every other publication is cut from it or cites it."""
    _renderer, env = renderer_for(schema, project.layouts)
    html = _html(env, "full.html.j2", schema, body_class="full", changes=changes)
    full = render_document(html, project.layouts, fetcher_for(project), "layouts/full.html.j2")
    return Laid(project, schema, env, html, full)


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
                     pdf(document, False), "print", laid.title, len(document.pages))]


BLANK = "<html lang=fr><head></head><body></body></html>"  # one blank page, to pad with


def _print_render(laid: Laid, html: str) -> Document:
    return render_document(layered(html, laid.env, laid.schema), laid.project.layouts,
                           fetcher_for(laid.project), "layouts/print.css")


def fetcher_for(project: Project) -> ConfinedFetcher:
    return ConfinedFetcher([project.layouts, project.content])


def _write_full(laid: Laid, pdf: Writer, html: bool) -> list[Artifact]:
    root, out = laid.project.root, laid.project.out
    artifacts = []
    if html:
        artifacts.append(artifact(root, out / "schema.html", laid.html.encode(), "html",
                                  laid.title))
    artifacts.append(artifact(root, out / "schema.pdf", pdf(laid.full, True), "full", laid.title,
                              len(laid.full.pages)))
    return artifacts


def _write_extracts(laid: Laid, pdf: Writer) -> list[Artifact]:
    """The axis extracts and the signature page: the full Schéma's pages, after a cover and
    an "about" page laid out for all of them in one small pass."""
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
    return artifacts


def _write_pilots(laid: Laid, pdf: Writer, groups: list[PilotGroup]) -> list[Artifact]:
    """One extract per pilot organisation of `groups`, laid out together in one pass."""
    if not groups:
        return []
    pilots = _render(laid, "pilots.html.j2", body_class="pilots", groups=groups,
                     full_pages=action_pages(laid.full, laid.schema),
                     xref_pages=anchor_pages(laid.full))
    pages = part_pages(pilots, [f"pilote-{g.organisation.id}" for g in groups])
    result = []
    for group in groups:
        org = group.organisation
        doc = assemble(pilots, pages[f"pilote-{org.id}"], pilots, [],
                       f"{laid.title} — actions pilotées par {org.name}")
        result.append(artifact(laid.project.root,
                               laid.project.out / "extraits" / f"pilote-{org.id}.pdf",
                               pdf(doc, False), "pilot", doc.metadata.title, len(doc.pages),
                               organisation=org.id))
    return result


def _render(laid: Laid, template: str, **context: object) -> Document:
    html = _html(laid.env, template, laid.schema, **context)
    return render_document(html, laid.project.layouts, fetcher_for(laid.project),
                           f"layouts/{template}")


def _title(schema: Schema) -> str:
    return french(f"{schema.edition.title} {schema.edition.start}-{schema.edition.end}")


def _html(env: jinja2.Environment, template: str, schema: Schema, **context: object) -> str:
    return render(env, template, **{**full_context(schema), "doc_title": _title(schema), **context})


def _pdf(document: Document, _full: bool = False) -> bytes:
    data = document.write_pdf(pdf_identifier=False)
    assert isinstance(data, bytes)
    return data
