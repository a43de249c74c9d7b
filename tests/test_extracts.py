"""Axis, pilot and signature extracts, read back from their PDFs."""

from __future__ import annotations

import subprocess

import pytest
from pypdf import PdfReader

from pipeline.model import Schema
from tests.conftest import ROOT, norm


def _entries(manifest: dict, kind: str) -> list[dict]:
    return [a for a in manifest["artifacts"] if a["kind"] == kind]


@pytest.fixture(scope="module")
def texts(pdf_pages: dict[str, list[str]]) -> dict[str, str]:
    return {path: norm("".join(pages)) for path, pages in pdf_pages.items()}


def test_one_extract_per_axis(manifest: dict, schema: Schema) -> None:
    axes = sorted(int(e["axis"]) for e in _entries(manifest, "axis"))
    assert axes == [a.number for a in schema.axes]


def test_axis_extract_holds_its_actions_and_no_other(manifest: dict, schema: Schema,
                                                     texts: dict[str, str]) -> None:
    for entry in _entries(manifest, "axis"):
        text = texts[entry["path"]]
        number = int(entry["axis"])
        for axis in schema.axes:
            titles = [norm(a.title) for a in axis.actions]
            if axis.number == number:
                assert [t for t in titles if t not in text] == [], number
            else:
                # titles shared word for word with this axis's own actions excepted
                own = {norm(a.title) for a in schema.axes[number - 1].actions}
                shared = [t for t in titles if t in text and t not in own]
                assert shared == [], (number, axis.number)


def test_pilot_extract_holds_exactly_its_actions(manifest: dict, schema: Schema,
                                                 texts: dict[str, str]) -> None:
    entries = _entries(manifest, "pilot")
    piloting = {ref.organisation for a in schema.actions for ref in a.pilots}
    assert {e["organisation"] for e in entries} == piloting
    for entry in entries:
        text = texts[entry["path"]]
        org = entry["organisation"]
        for action in schema.actions:
            mine = any(ref.organisation == org for ref in action.pilots)
            assert (norm(f"{action.id}{action.title}") in text) == mine, (org, action.id)


def test_signature_pdf_names_every_signatory(manifest: dict, schema: Schema,
                                             texts: dict[str, str]) -> None:
    (entry,) = _entries(manifest, "signatures")
    text = texts[entry["path"]]
    assert [s.name for s in schema.signatories if norm(s.name + s.title) not in text] == []


def test_every_extract_has_title_and_bookmarks(manifest: dict) -> None:
    for entry in manifest["artifacts"]:
        if entry["kind"] in {"axis", "pilot", "signatures"}:
            reader = PdfReader(ROOT / entry["path"])
            assert reader.metadata.title == entry["title"]
            assert reader.outline, entry["path"]


def test_poppler_opens_every_pdf(manifest: dict) -> None:
    """pdfinfo reads every PDF without complaint (pdftotext reads them all for the texts)."""
    for entry in manifest["artifacts"]:
        if entry["path"].endswith(".pdf"):
            args = ["pdfinfo", str(ROOT / entry["path"])]
            result = subprocess.run(args, capture_output=True, text=True, check=False)
            assert result.returncode == 0 and "Error" not in result.stderr, (
                entry["path"], result.stderr
            )
