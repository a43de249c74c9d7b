"""The orchestrator: content → model → validation → HTML → PDF → manifest.

Reads like the table of contents of the pipeline. Everything is gathered and checked
before anything is written, and every write is atomic. The full Schéma is laid out
once; the extracts are cut from its pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2
from weasyprint import Document

from pipeline.changes import Changes
from pipeline.errors import Finding, Findings
from pipeline.html import full_context, render, renderer_for
from pipeline.load import load_schema
from pipeline.model import Schema
from pipeline.output import Artifact, artifact, write_manifest
from pipeline.pdf import ConfinedFetcher, render_document
from pipeline.products import (
    Boundaries,
    Extract,
    PilotGroup,
    action_pages,
    assemble,
    extracts,
    part_pages,
    pilot_groups,
)
from pipeline.validate import validate
from pipeline.views import part_anchors


@dataclass(frozen=True)
class Project:
    root: Path
    out: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def layouts(self) -> Path:
        return self.root / "layouts"


@dataclass(frozen=True)
class Laid:
    """The publications laid out, not yet written."""

    html: str
    full: Document
    front: Document
    extracts: list[Extract]
    pilots: Document
    groups: list[PilotGroup]


Writer = Callable[[Document, bool], bytes]  # (document, is it the full Schéma?) → PDF


def check(project: Project, edition: bool = False) -> tuple[Schema, list[Finding]]:
    """Load and validate content/ (as an archival edition if `edition`); raise on errors,
    return the warnings."""
    findings = Findings()
    schema = load_schema(project.content, findings)
    if edition:
        schema = replace(schema, edition=replace(schema.edition, status="edition"))
    validate(schema, findings)
    findings.raise_if_errors()
    return schema, findings.items


def build(project: Project, pilots: bool = True) -> list[Artifact]:
    """Build every publication (pilot extracts optional) into project.out, with its manifest."""
    schema, _warnings = check(project)
    laid = lay_out(project, schema, pilots)
    artifacts = write_all(project, schema, laid)
    write_manifest(project.out / "manifest.json", artifacts)
    return artifacts


def lay_out(project: Project, schema: Schema, pilots: bool = True,
            changes: Changes | None = None) -> Laid:
    _renderer, env = renderer_for(schema, project.layouts)
    fetcher = fetcher_for(project)
    html = _html(env, "full.html.j2", schema, body_class="full", changes=changes)
    items = extracts(schema)
    front_html = _html(env, "extracts.html.j2", schema, body_class="extracts", extracts=items)
    full = render_document(html, project.layouts, fetcher, "layouts/full.html.j2")
    groups = pilot_groups(schema) if pilots else []
    pilots_html = _html(env, "pilots.html.j2", schema, body_class="pilots", groups=groups,
                        full_pages=action_pages(full, schema))
    return Laid(
        html=html, full=full,
        front=render_document(front_html, project.layouts, fetcher, "layouts/extracts.html.j2"),
        extracts=items,
        pilots=render_document(pilots_html, project.layouts, fetcher, "layouts/pilots.html.j2"),
        groups=groups,
    )


def fetcher_for(project: Project) -> ConfinedFetcher:
    return ConfinedFetcher([project.layouts, project.content])


def write_all(project: Project, schema: Schema, laid: Laid, writer: Writer | None = None,
              html: bool = True) -> list[Artifact]:
    """Write every publication under project.out with `writer` (default: a plain PDF)."""
    title = _title(schema)
    out, root = project.out, project.root
    pdf = writer or _pdf
    artifacts = []
    if html:
        artifacts.append(artifact(root, out / "schema.html", laid.html.encode(), "html", title))
    artifacts.append(artifact(root, out / "schema.pdf", pdf(laid.full, True), "full", title,
                              len(laid.full.pages)))
    bounds = Boundaries.of(laid.full, laid.front, laid.extracts, part_anchors(schema))
    for item in laid.extracts:
        doc = assemble(laid.full, bounds.full[item.anchor], laid.front,
                       bounds.front.get(f"extrait-{item.anchor}", []), f"{title} — {item.title}")
        extra = {"axis": item.key} if item.kind == "axis" else {}
        artifacts.append(artifact(root, out / "extraits" / item.filename, pdf(doc, False),
                                  item.kind, doc.metadata.title, len(doc.pages), **extra))
    return artifacts + _write_pilots(project, laid, title, pdf)


def _write_pilots(project: Project, laid: Laid, title: str, pdf: Writer) -> list[Artifact]:
    pages = part_pages(laid.pilots, [f"pilote-{g.organisation.id}" for g in laid.groups])
    result = []
    for group in laid.groups:
        org = group.organisation
        doc = assemble(laid.pilots, pages[f"pilote-{org.id}"], laid.pilots, [],
                       f"{title} — actions pilotées par {org.name}")
        result.append(artifact(project.root, project.out / "extraits" / f"pilote-{org.id}.pdf",
                               pdf(doc, False), "pilot", doc.metadata.title, len(doc.pages),
                               organisation=org.id))
    return result


def _title(schema: Schema) -> str:
    return f"{schema.edition.title} {schema.edition.start}-{schema.edition.end}"


def _html(env: jinja2.Environment, template: str, schema: Schema, **context: object) -> str:
    return render(env, template, **{**full_context(schema), "doc_title": _title(schema), **context})


def _pdf(document: Document, _full: bool = False) -> bytes:
    data = document.write_pdf(pdf_identifier=False)
    assert isinstance(data, bytes)
    return data
