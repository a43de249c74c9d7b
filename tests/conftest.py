"""Shared fixtures: the real content loaded once, and the built publication read once.

Every PDF of the manifest is read back once per session, by poppler's `pdftotext`
(about ten times faster than pypdf's text extraction), page by page.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import unicodedata
from concurrent.futures import ThreadPoolExecutor
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


def pdftotext(path: Path) -> list[str]:
    """The text of each page of a PDF in drawing order (`-raw`: a table cell stays whole)."""
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


@pytest.fixture(scope="session")
def pdf_pages(manifest: dict) -> dict[str, list[str]]:
    """Every PDF of the manifest (path as in the manifest) → the text of its pages."""
    paths = [a["path"] for a in manifest["artifacts"]
             if a["path"].endswith(".pdf") and a["kind"] != "site"]  # not the site's copies
    with ThreadPoolExecutor() as pool:
        return dict(zip(paths, pool.map(lambda p: pdftotext(ROOT / p), paths), strict=True))


@pytest.fixture(scope="session")
def page_texts(manifest: dict, pdf_pages: dict[str, list[str]]) -> list[str]:
    return pdf_pages[next(a["path"] for a in manifest["artifacts"] if a["kind"] == "full")]


Word = tuple[float, float, float, float, str]  # xMin, yMin, xMax, yMax (points), text
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>")


def pdfwords(path: Path) -> list[list[Word]]:
    """The words of each page of a PDF with their boxes (`pdftotext -bbox`)."""
    out = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    pages = out.split("<page ")[1:]
    return [[(float(a), float(b), float(c), float(d), html.unescape(t))
             for a, b, c, d, t in _WORD.findall(page)] for page in pages]


@pytest.fixture(scope="session")
def pdf_words(manifest: dict) -> dict[str, list[list[Word]]]:
    """Every PDF of the manifest (path as in the manifest) → its pages' words and boxes."""
    paths = [a["path"] for a in manifest["artifacts"]
             if a["path"].endswith(".pdf") and a["kind"] != "site"]  # not the site's copies
    with ThreadPoolExecutor() as pool:
        return dict(zip(paths, pool.map(lambda p: pdfwords(ROOT / p), paths), strict=True))
