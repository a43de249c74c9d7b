"""The built full publication, read back from the PDF."""

from __future__ import annotations

import hashlib
import re

from pypdf import PdfReader

from pipeline.model import Schema
from tests.conftest import ROOT, norm


def _all_text(page_texts: list[str]) -> str:
    return norm("".join(page_texts))


def test_manifest_matches_files(manifest: dict, pdf_pages: dict[str, list[str]]) -> None:
    kinds = {a["kind"] for a in manifest["artifacts"]}
    assert {"full", "html"} <= kinds
    for entry in manifest["artifacts"]:
        data = (ROOT / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
        if entry["path"].endswith(".pdf") and entry["kind"] != "site":  # not the site's copies
            assert len(pdf_pages[entry["path"]]) == entry["pages"]


def test_every_axis_objective_and_action_title_printed(
    schema: Schema, page_texts: list[str]
) -> None:
    text = _all_text(page_texts)
    missing = [a.title for a in schema.axes if norm(a.title) not in text]
    missing += [o.title for a in schema.axes for o in a.objectives
                if o.title and norm(o.title) not in text]
    missing += [a.id for a in schema.actions if norm(a.title) not in text]
    assert missing == []


def test_every_descriptif_point_printed(schema: Schema, page_texts: list[str]) -> None:
    text = _all_text(page_texts)
    points = [p for a in schema.actions for p in a.descriptif.points]
    assert len(points) > 50
    assert [p for p in points if norm(p) not in text] == []


def test_every_signatory_printed(schema: Schema, page_texts: list[str]) -> None:
    text = _all_text(page_texts)
    assert [s.name for s in schema.signatories if norm(s.name + s.title) not in text] == []


def test_no_html_residue(page_texts: list[str]) -> None:
    residue = re.compile(r"<\s*/?\s*(b|i|p|ul|li|sup|span|div)\b|&lt;|&gt;|&amp;|\[\[|\[\^")
    assert [i + 1 for i, t in enumerate(page_texts) if residue.search(t)] == []


def _outline(reader: PdfReader) -> list[tuple[str, int, int]]:
    """(title, page number, level) of every bookmark, in order."""
    result: list[tuple[str, int, int]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                result.append((item.title, reader.get_destination_page_number(item) + 1, level))

    walk(reader.outline, 1)
    return result


def test_bookmarks_for_chapters_axes_and_objectives(schema: Schema, full_pdf: PdfReader) -> None:
    titles = [norm(t) for t, _, _ in _outline(full_pdf)]
    for axis in schema.axes:
        assert any(norm(axis.title) in t for t in titles), axis.number
        for obj in axis.objectives:
            assert any(t.startswith(norm(f"Objectif {obj.number}")) for t in titles)
    for chapter in schema.chapters:
        assert norm(chapter.title) in titles, chapter.id


def test_bookmark_pages_hold_their_heading(full_pdf: PdfReader, page_texts: list[str]) -> None:
    for title, page, _level in _outline(full_pdf):
        assert norm(title)[:40] in norm(page_texts[page - 1]), (title, page)


def test_sommaire_numbers_are_the_heading_pages(full_pdf: PdfReader, page_texts: list[str]) -> None:
    sommaire = next(i for i, t in enumerate(page_texts) if "Sommaire" in t)
    printed = [int(n) for n in re.findall(r"(?:\.\s*){3,}(\d+)\s*$", page_texts[sommaire],
                                             re.M)]
    top = [(t, p) for t, p, level in _outline(full_pdf) if level == 1 and t != "Sommaire"]
    assert len(printed) == len(top) >= 13
    assert printed == [int(full_pdf.page_labels[p - 1]) for _, p in top]  # the book's folios


def _expected_top(schema: Schema) -> list[str]:
    """The level-1 bookmarks the parts of edition.yml call for, in order."""
    from pipeline.views import parts, sigles

    titles = ["Sommaire"]
    for part in parts(schema):
        if part.chapter:
            titles.append(part.chapter.title)
        elif part.kind == "axes":
            titles += [f"Axe {a.number} : {a.title}" for a in schema.axes]
        else:
            titles.append("Signatures")
    return titles + (["Sigles et abréviations"] if sigles(schema) else [])


def test_bookmarks_follow_the_parts_in_order(schema: Schema, full_pdf: PdfReader) -> None:
    top = [title for title, _, level in _outline(full_pdf) if level == 1]
    assert [norm(t) for t in top] == [norm(t) for t in _expected_top(schema)]


def test_axis_bookmarks_nest_strategic_objectives_then_objectives(
        schema: Schema, full_pdf: PdfReader) -> None:
    outline = _outline(full_pdf)
    for axis in schema.axes:
        start = next(i for i, (t, _, lv) in enumerate(outline)
                     if lv == 1 and norm(t) == norm(f"Axe {axis.number} : {axis.title}"))
        end = next((i for i in range(start + 1, len(outline)) if outline[i][2] == 1),
                   len(outline))
        expected = []
        for strategic in axis.strategic:
            depth = 2
            if strategic.letter:
                expected.append((norm(f"{strategic.letter}. Objectif stratégique"), 2))
                depth = 3
            expected += [(norm(f"Objectif {o.number}"), depth) for o in strategic.objectives]
        found = [(norm(t), lv) for t, _, lv in outline[start + 1:end]]
        assert len(found) == len(expected), axis.number
        for (title, level), (prefix, depth) in zip(found, expected, strict=True):
            assert title.startswith(prefix) and level == depth, (axis.number, title, level)


def test_table_continuation_marks_agree(pdf_pages: dict[str, list[str]]) -> None:
    """'Suite du tableau page suivante' at a page's foot iff '(suite)' heads the next page."""
    for path, texts in pdf_pages.items():
        pairs = zip(texts, [*texts[1:], ""], strict=True)  # each page with the next
        for page, (text, following) in enumerate(pairs, start=1):
            announced = "Suite du tableau page suivante" in text
            assert announced == ("(suite)" in following), (path, page)
