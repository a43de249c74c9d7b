"""The printer's variant of the full Schéma (build/impression/schema.pdf), read back."""

from __future__ import annotations

import pikepdf
import pytest
from pypdf import PdfReader

from tests.conftest import ROOT, Word

MM = 72 / 25.4  # one millimetre in PDF points
BLEED = 3 * MM


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


def test_crop_marks_lie_outside_the_bleed_box(printed: PdfReader) -> None:
    """WeasyPrint draws the marks in the outer half of the sheet's margin around the trim:
    with a margin of twice the bleed or more, no mark reaches into the bleed box."""
    for number, page in enumerate(printed.pages, start=1):
        media, trim = page.mediabox, page.trimbox
        margins = (float(trim.left - media.left), float(trim.bottom - media.bottom),
                   float(media.right - trim.right), float(media.top - trim.top))
        assert min(margins) >= 2 * BLEED - 0.05, (number, margins)


def test_folios_stand_clear_of_the_trim(pdf_words: dict[str, list[list[Word]]]) -> None:
    """A folio is 5 mm or more inside the trimmed page (a cutter's tolerance)."""
    offset, clear = 8 * MM, 5 * MM  # print.css lays out 8 mm of bleed around the A4 trim
    near, seen = [], 0
    pages = pdf_words["build/impression/schema.pdf"]
    for number, words in enumerate(pages, start=1):
        folios = [w for w in words if w[4] == str(number) and w[1] - offset > 780]
        seen += bool(folios)
        for x0, _y0, x1, _y1, _text in folios:
            if x0 - offset < clear or (595.28 + offset) - x1 < clear:
                near.append((number, round((x0 - offset) / MM, 1),
                             round((595.28 + offset - x1) / MM, 1)))
    assert near == []
    assert seen > len(pages) * 2 // 3  # the folios were found (covers and blanks have none)


def test_every_sheet_has_its_crop_and_registration_marks(manifest: dict) -> None:
    """Eight crop marks on the trim's lines and four registration crosses, each stroke
    wholly outside the bleed box (pipeline.printing draws them, an artifact), on white:
    the page is drawn clipped to its bleed box."""
    (entry,) = [a for a in manifest["artifacts"] if a["kind"] == "print"]
    with pikepdf.open(ROOT / entry["path"]) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            left, bottom, right, top = (float(v) for v in page.obj.BleedBox)
            trim = [float(v) for v in page.obj.TrimBox]
            segments, point = [], (0.0, 0.0)
            stream = pikepdf.parse_content_stream(page)
            (x, y, w, h), _re = stream[1]  # drawn within the bleed box: no background beyond
            assert [str(op) for _, op in stream[:4]] == ["q", "re", "W", "n"], number
            assert abs(float(x) - left) < 0.01 and abs(float(x) + float(w) - right) < 0.01
            assert abs(float(y) - bottom) < 0.01 and abs(float(y) + float(h) - top) < 0.01
            for operands, operator in stream:
                if str(operator) == "m":
                    point = (float(operands[0]), float(operands[1]))
                elif str(operator) == "l":
                    segments.append((point, (float(operands[0]), float(operands[1]))))
            outside = [s for s in segments if all(
                not (left < x < right and bottom < y < top) for x, y in s)]
            crops = [s for s in outside if _on(s, 0, trim[0::2]) or _on(s, 1, trim[1::2])]
            assert len(crops) >= 8 and len(outside) >= 16, number


def _on(segment: tuple[tuple[float, float], ...], axis: int, lines: list[float]) -> bool:
    """Whether `segment` runs along one of the trim's `lines` (x = … if axis 0, y = …)."""
    return any(all(abs(point[axis] - line) < 0.01 for point in segment) for line in lines)
