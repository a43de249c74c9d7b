"""The orchestrator: content → model → validation → HTML → PDF → manifest.

Reads like the table of contents of the pipeline. Everything is gathered and checked
before anything is written, and every write is atomic.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import Finding, Findings
from pipeline.html import full_context, render, renderer_for
from pipeline.load import load_schema
from pipeline.model import Schema
from pipeline.output import Artifact, artifact, write_manifest
from pipeline.pdf import ConfinedFetcher, render_document
from pipeline.validate import validate


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


def check(project: Project) -> tuple[Schema, list[Finding]]:
    """Load and validate content/; raise on errors, return the warnings."""
    findings = Findings()
    schema = load_schema(project.content, findings)
    validate(schema, findings)
    findings.raise_if_errors()
    return schema, findings.items


def build(project: Project) -> list[Artifact]:
    """Build every publication into project.out and write its manifest."""
    schema, _warnings = check(project)
    _renderer, env = renderer_for(schema, project.layouts)
    title = f"{schema.edition.title} {schema.edition.start}-{schema.edition.end}"
    html = render(env, "full.html.j2", **full_context(schema), doc_title=title, body_class="full")
    fetcher = ConfinedFetcher([project.layouts, project.content])
    document = render_document(html, project.layouts, fetcher, "layouts/full.html.j2")
    pdf = document.write_pdf(pdf_identifier=False)
    artifacts = [
        artifact(project.root, project.out / "schema.html", html.encode(), "html", title),
        artifact(project.root, project.out / "schema.pdf", pdf, "full", title, len(document.pages)),
    ]
    write_manifest(project.out / "manifest.json", artifacts)
    return artifacts
