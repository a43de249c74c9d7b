"""Layout by parts (`pipeline.parts`): the parts joined are the single layout, page for
page and byte for byte; an edit lays out again what it must, and no more.

"The single layout" is WeasyPrint's layout of the whole HTML at once, as `make` does it.
Pages are compared as WeasyPrint laid them out (every text box with its position, the
anchors, links and bookmarks of each page), then as written (the PDF's bytes), in their
screen form (`printing.screen`): the book's blank pages, left out of it, are joined from
a layout of their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from weasyprint import Document
from weasyprint.formatting_structure import boxes

from pipeline.build import fetcher_for, full_page
from pipeline.html import renderer_for
from pipeline.parts import PartLayout, fingerprint, page_rules, part_starts, split
from pipeline.pdf import render_document
from pipeline.printing import folios, is_blank, screen
from pipeline.products import anchor_pages
from pipeline.project import Project, check
from tests.conftest import ROOT
from tests.test_bad_input import make_project
from tests.test_links import GROWTH, XREFS


def html_of(project: Project) -> tuple[str, list[str]]:
    """The full Schéma's HTML and where its parts begin."""
    schema, _warnings = check(project, review=False)
    return full_page(renderer_for(schema, project.layouts)[1], schema), part_starts(schema)


def renderer(project: Project) -> Any:
    return lambda html: render_document(html, project.layouts, fetcher_for(project),
                                        "layouts/full.html.j2")


def _texts(box: Any) -> list[tuple[str, float, float]]:
    if isinstance(box, boxes.TextBox):
        return [(box.text, round(box.position_x, 3), round(box.position_y, 3))]
    return [t for child in getattr(box, "children", ()) for t in _texts(child)]


def described(document: Document) -> list[tuple[object, ...]]:
    """Each page as laid out: its text boxes and where, its anchors, links, bookmarks."""
    return [(_texts(page._page_box), sorted(page.anchors.items()),
             [link[:3] for link in page.links], page.bookmarks)  # not the link's box
            for page in document.pages]


def same(book: Document, joined_book: Document) -> None:
    assert len(joined_book.pages) == len(book.pages)
    assert folios(joined_book) == folios(book)
    single, joined = screen(book), screen(joined_book)
    for number, (one, other) in enumerate(zip(described(single), described(joined),
                                              strict=True), start=1):
        assert one == other, f"page {number}"
    assert joined.write_pdf() == single.write_pdf()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The sample with a preamble that cross-refers to every kind of target (and has a
    footnote)."""
    root = make_project(tmp_path_factory.mktemp("parties"))
    (root / "content" / "chapitres" / "preambule.md").write_text(XREFS, "utf-8")
    return Project(root, root / "build")


def test_the_parts_joined_are_the_single_layout_of_the_schema() -> None:
    project = Project(ROOT, ROOT / "build")
    html, starts = html_of(project)
    render = renderer(project)
    parts = PartLayout(project.layouts, render)
    joined = parts.lay_out(html, starts)
    present = [name for name in starts if f'id="{name}"' in html]  # no annex today
    laid = [doc for doc in joined.parts if not all(map(is_blank, doc.pages))]
    assert len(laid) == len(present) + 1  # the front matter, then each part
    assert all(name in doc.pages[0].anchors for doc, name in zip(laid[1:], present, strict=True))
    same(render(html), joined)


def test_the_parts_joined_are_the_single_layout_of_the_sample(sample: Project) -> None:
    html, starts = html_of(sample)
    render = renderer(sample)
    same(render(html), PartLayout(sample.layouts, render).lay_out(html, starts))


def edit(project: Project, path: str, old: str, new: str) -> None:
    file = project.root / path
    text = file.read_text("utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), "utf-8")


def test_an_edit_lays_out_again_its_part_only(sample: Project) -> None:
    parts = PartLayout(sample.layouts, renderer(sample))
    parts.lay_out(*html_of(sample))
    edit(sample, "content/axes/axe-1.yml", "Organiser trois rencontres annuelles",
         "Organiser quatre rencontres annuelles")
    try:
        html, starts = html_of(sample)
        incremental = parts.lay_out(html, starts)
        assert parts.laid == ["axe-1"]
        same(renderer(sample)(html), incremental)
    finally:
        edit(sample, "content/axes/axe-1.yml", "quatre rencontres", "trois rencontres")


def test_a_part_that_grows_moves_the_parts_after_it_and_the_sommaire(sample: Project) -> None:
    parts = PartLayout(sample.layouts, renderer(sample))
    before = parts.lay_out(*html_of(sample))
    edit(sample, "content/chapitres/preambule.md", "\n[^1]:", GROWTH * 3 + "\n\n[^1]:")
    try:
        html, starts = html_of(sample)
        incremental = parts.lay_out(html, starts)
        assert len(screen(incremental).pages) > len(screen(before).pages)
        # the preamble, every part after it that moved (a page more can fill the blank
        # page before the next part: then none moves); then, again, the parts that print
        # the page of a part that moved: the front matter (its sommaire) and the preamble
        old, new = anchor_pages(before), anchor_pages(incremental)
        after = [name for name in starts[starts.index("signatures"):] if f'id="{name}"' in html]
        moved = [name for name in after if old[name] != new[name]]
        assert moved
        assert parts.laid == ["chapitre-preambule", *moved, "", "chapitre-preambule"]
        same(renderer(sample)(html), incremental)
        again = parts.lay_out(html, starts)  # nothing changed: nothing laid out
        assert parts.laid == [] and screen(again).write_pdf() == screen(incremental).write_pdf()
    finally:
        edit(sample, "content/chapitres/preambule.md", GROWTH * 3, "")


def test_a_page_more_that_fills_the_blank_page_moves_nothing(sample: Project) -> None:
    """The book opens each part on a right-hand page: a part that grows into the blank
    page before the next one is the only part laid out again."""
    parts = PartLayout(sample.layouts, renderer(sample))
    before = parts.lay_out(*html_of(sample))
    edit(sample, "content/chapitres/preambule.md", "\n[^1]:", GROWTH + "\n\n[^1]:")
    try:
        html, starts = html_of(sample)
        incremental = parts.lay_out(html, starts)
        assert len(screen(incremental).pages) == len(screen(before).pages) + 1
        assert len(incremental.pages) == len(before.pages)
        assert parts.laid == ["chapitre-preambule"]
        same(renderer(sample)(html), incremental)
    finally:
        edit(sample, "content/chapitres/preambule.md", GROWTH, "")


def test_the_html_is_cut_before_each_part() -> None:
    html = ('<html><head></head><body class="full"><section id="a"><p id="x">'
            '<a href="#b">b</a><a href="#x">x</a></p></section>\n<section id="b">'
            '<span class="footnote">n</span></section></body></html>')
    cut = split(html, ["b"])
    assert [p.name for p in cut.parts] == ["", "b"]
    assert cut.head + "".join(p.body for p in cut.parts) + cut.tail == html
    assert cut.parts[0].targets == ("b",) and cut.parts[1].footnotes == 1


def test_the_rules_that_print_a_page_are_repeated_for_a_page_written_in_the_html() -> None:
    css = ('.toc a::after, .x > a::before { content: leader(".") target-counter(attr(href), '
           'page); color: red }\np { content: "a" }')
    assert page_rules(css) == [
        '.toc a[data-page-partie]::after, .x > a[data-page-partie]::before '
        '{ content: leader(".") attr(data-page-partie) }']


def test_a_link_to_no_part_is_an_error(tmp_path: Path) -> None:
    project = Project(tmp_path, tmp_path / "build")
    html = ('<html lang="fr"><head></head><body><p><a href="#nulle-part">x</a></p>'
            '<section id="b" style="break-before: page">b</section></body></html>')
    with pytest.raises(Exception, match="nulle-part"):
        PartLayout(ROOT / "layouts", renderer(project)).lay_out(html, ["b"])


def test_a_changed_stylesheet_font_or_image_lays_out_every_part_again(
        sample: Project, tmp_path: Path) -> None:
    html, starts = html_of(sample)
    parts = PartLayout(sample.layouts, renderer(sample))
    parts.lay_out(html, starts, "avant")
    parts.lay_out(html, starts, "après")  # the same HTML, over other files
    assert len(parts.laid) == len(split(html, starts).parts)
    (tmp_path / "content").mkdir()
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "style.css").write_text("p {}")
    (tmp_path / "content" / "axe-1.yml").write_text("numero: 1")
    folders = [tmp_path / "layouts", tmp_path / "content"]
    before = fingerprint(folders)
    (tmp_path / "content" / "axe-1.yml").write_text("numero: 2")  # the HTML says it
    assert fingerprint(folders) == before
    (tmp_path / "layouts" / "style.css").write_text("p { color: red }")
    assert fingerprint(folders) != before
