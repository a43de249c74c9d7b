"""Errors and findings: the one exception family of the pipeline.

Every problem an editor can fix is a `Finding` carrying the `SourceLocation` it comes
from; the CLI prints them as ``path:line: error|warning: message`` and never a traceback.
Stages translate the errors of their libraries (YAML, Jinja, WeasyPrint) into findings
at their boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A place in a content or layout file (line 1-based, 0 when unknown)."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    @classmethod
    def of(cls, path: Path | str, line: int = 0) -> SourceLocation:
        return cls(str(path), line)


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem, at one place, said so that an editor knows what to change."""

    location: SourceLocation
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        """One line, whatever the message quotes from the content."""
        return f"{self.location}: {self.severity.value}: {' '.join(self.message.split())}"


class PipelineError(Exception):
    """Raised when a stage cannot go on; carries every finding gathered so far."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("\n".join(str(f) for f in findings))
        self.findings = findings

    @classmethod
    def at(cls, location: SourceLocation, message: str) -> PipelineError:
        return cls([Finding(location, message)])


class Findings:
    """A collector: stages add findings and go on, then `raise_if_errors` at the end."""

    def __init__(self) -> None:
        self.items: list[Finding] = []

    def error(self, location: SourceLocation, message: str) -> None:
        self.items.append(Finding(location, message))

    def warning(self, location: SourceLocation, message: str) -> None:
        self.items.append(Finding(location, message, Severity.WARNING))

    def extend(self, findings: list[Finding]) -> None:
        self.items.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.severity is Severity.ERROR]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise PipelineError(sorted(self.items, key=lambda f: f.location))
