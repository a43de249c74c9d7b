"""Shared fixtures: the real content loaded once, and the built publication."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.model import Schema
from pipeline.project import Project, check

ROOT = Path(__file__).resolve().parent.parent


def norm(text: str) -> str:
    """Letters and digits only, lower case, accents kept: robust to hyphenation and spacing."""
    text = unicodedata.normalize("NFC", text).lower()
    return re.sub(r"[^0-9a-zà-ÿœæ]", "", text)


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT, ROOT / "build")


@pytest.fixture(scope="session")
def schema(project: Project) -> Schema:
    loaded, _warnings = check(project)
    return loaded


@pytest.fixture(scope="session")
def manifest() -> dict:
    path = ROOT / "build" / "manifest.json"
    if not path.exists():
        pytest.fail("build/manifest.json absent : lancez `make` avant les tests "
                    "(make test le fait)")
    return json.loads(path.read_text())


@pytest.fixture(scope="session")
def full_pdf(manifest: dict) -> PdfReader:
    entry = next(a for a in manifest["artifacts"] if a["kind"] == "full")
    return PdfReader(ROOT / entry["path"])


@pytest.fixture(scope="session")
def page_texts(full_pdf: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in full_pdf.pages]
