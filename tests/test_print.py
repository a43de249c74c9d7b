"""The printer's variant of the full Schéma (build/impression/schema.pdf), read back."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from tests.conftest import ROOT

BLEED = 3 * 72 / 25.4  # 3 mm in PDF points


@pytest.fixture(scope="module")
def printed(manifest: dict) -> PdfReader:
    (entry,) = [a for a in manifest["artifacts"] if a["kind"] == "print"]
    assert entry["path"].endswith("impression/schema.pdf")
    return PdfReader(ROOT / entry["path"])


def test_page_count_is_a_multiple_of_four(printed: PdfReader) -> None:
    assert len(printed.pages) % 4 == 0


def test_trim_box_plus_three_millimetres_is_the_bleed_box(printed: PdfReader) -> None:
    for number, page in enumerate(printed.pages, start=1):
        trim, bleed = page.trimbox, page.bleedbox
        grown = (trim.left - BLEED, trim.bottom - BLEED, trim.right + BLEED, trim.top + BLEED)
        actual = (bleed.left, bleed.bottom, bleed.right, bleed.top)
        assert all(abs(float(a) - b) < 0.05 for a, b in zip(actual, grown, strict=True)), number
        assert abs(float(trim.width) - 595.28) < 0.1 and abs(float(trim.height) - 841.89) < 0.1


def test_every_part_opener_is_on_a_right_hand_page(printed: PdfReader) -> None:
    """Level-1 bookmarks are the parts (chapters, signatures, each axis): odd pages."""
    openers = [(item.title, printed.get_destination_page_number(item) + 1)
               for item in printed.outline if not isinstance(item, list)]
    assert len(openers) >= 8
    assert [(t, n) for t, n in openers if n % 2 == 0] == []


def test_back_cover_is_the_last_left_hand_page(pdf_pages: dict[str, list[str]],
                                               manifest: dict) -> None:
    (entry,) = [a for a in manifest["artifacts"] if a["kind"] == "print"]
    pages = pdf_pages[entry["path"]]
    assert len(pages) % 2 == 0
    full = next(a for a in manifest["artifacts"] if a["kind"] == "full")
    assert pages[-1].split() == pdf_pages[full["path"]][-1].split()  # the same back cover


def test_same_text_as_the_screen_variant(pdf_pages: dict[str, list[str]],
                                         manifest: dict) -> None:
    """One HTML, two layouts: the words are the same, blank pages and folios aside."""
    def words(kind: str) -> list[str]:
        path = next(a["path"] for a in manifest["artifacts"] if a["kind"] == kind)
        return sorted(w for page in pdf_pages[path] for w in page.split() if not w.isdigit())
    assert words("print") == words("full")


def test_cover_has_no_edition_date_the_colophon_has(pdf_pages: dict[str, list[str]],
                                                    manifest: dict) -> None:
    """A build date is not an edition date: the label goes to the colophon (page 2)."""
    full = next(a for a in manifest["artifacts"] if a["kind"] == "full")
    cover, colophon = pdf_pages[full["path"]][:2]
    assert "édition" not in cover.lower().replace("\n", " ").split("schéma")[0]
    assert "Édition" in colophon and "Signataires" in colophon
