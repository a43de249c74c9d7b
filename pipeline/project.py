"""The project folder, and its content loaded and checked: what `make check` runs.

Nothing here imports WeasyPrint: checking the content costs only reading and
validating it (`make check`), and every later stage starts from what `check` returns.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.errors import Finding, Findings
from pipeline.load import load_schema
from pipeline.model import Schema
from pipeline.review import warn
from pipeline.validate import validate


@dataclass(frozen=True)
class Project:
    """A folder laid out like this one (content/ + layouts/) and where its build goes."""

    root: Path
    out: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def layouts(self) -> Path:
        return self.root / "layouts"


def check(project: Project, edition: bool = False,
          review: bool = True) -> tuple[Schema, list[Finding]]:
    """Load and validate content/ (as an archival edition if `edition`); raise on errors,
    return the warnings: with `review`, spelling and consistency too (content without
    errors only)."""
    findings = Findings()
    schema = load_schema(project.content, findings)
    if edition:
        schema = replace(schema, edition=replace(schema.edition, status="edition"))
    validate(schema, findings)
    if review and not findings.errors:
        warn(schema, project.content, findings)
    findings.raise_if_errors()
    return schema, findings.items
