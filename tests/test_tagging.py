"""Tagged PDFs: PDF/UA-1 by page-validation, and a structure tree that says what the page shows.

Every built PDF is checked with page-validation (profile ua1). The structure trees of
the full Schéma, one axis extract and the test sample are read back once each (pikepdf
for the tree, pypdf for the text of each marked content) and checked: one Table per
action table holding all its actions, TH with a Scope, footnote References pointing to
their Note, no running header or footer in the tree, links described, headings without
a skipped level, bookmarks on the headings, figures described by their drawing's
alternate text, and the text in tree order equal to the HTML's (the text it draws).
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import page
import pikepdf
import pytest
import tinyhtml5

from pipeline.model import Schema
from pipeline.project import Project
from tests.conftest import ROOT, norm
from tests.structtree import Element, read_tree

SAMPLE = ROOT / "tests" / "sample"
GENERATED = re.compile(r"(,\s*p\.\s*\d+|[\s.]*\.[\s.]*\d+)\s*$")  # a::after: ", p. 6", leaders
MARKER = re.compile(r"\s*(•|\d+\.)\s*")  # a list item's ::marker (a dl's dt is a Lbl too)
SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"
UNPAINTED = (f"{SVG}title", f"{SVG}desc")  # an inline SVG's alternate text: the Figure's Alt


@pytest.fixture(scope="session")
def built(manifest: dict) -> list[Path]:
    return [ROOT / a["path"] for a in manifest["artifacts"] if a["path"].endswith(".pdf")]


@pytest.fixture(scope="session")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipeline.build import build

    root = tmp_path_factory.mktemp("tagging") / "projet"
    shutil.copytree(SAMPLE / "content", root / "content")
    (root / "layouts").symlink_to(ROOT / "layouts", target_is_directory=True)
    build(Project(root, root / "build"))
    return root / "build"


@pytest.fixture(scope="session")
def trees(manifest: dict, sample_out: Path) -> dict[str, tuple[Element, pikepdf.Pdf, Path]]:
    """The full Schéma, axis 1's extract and the sample's full Schéma, each read once."""
    by_path = {a["path"]: ROOT / a["path"] for a in manifest["artifacts"]}
    paths = {"full": by_path["build/schema.pdf"], "axis": by_path["build/extraits/axe-1.pdf"],
             "sample": sample_out / "schema.pdf"}
    return {name: (*read_tree(path), path) for name, path in paths.items()}


@pytest.fixture(params=["full", "axis", "sample"])
def tree(request: pytest.FixtureRequest,
         trees: dict[str, tuple[Element, pikepdf.Pdf, Path]]) -> tuple[Element, pikepdf.Pdf]:
    root, pdf, _path = trees[request.param]
    return root, pdf


def test_every_pdf_is_pdfua_1_for_page_validation(built: list[Path], sample_out: Path) -> None:
    failures = {}
    for path in [*built, *sorted(sample_out.rglob("*.pdf"))]:
        report = page.validate_pdf(path, profile="ua1")
        if report.failures:
            failures[path.name] = sorted({f"{f.rule_id} {f.message}" for f in report.failures})
    assert failures == {}


def _action_tables(root: Element) -> list[Element]:
    return [e for e in root.walk() if e.role == "Table"
            and norm(next(x for x in e.walk() if x.role == "TH").text()) == "intitulédelaction"]


def _row_ids(table: Element) -> list[str]:
    cells = [next(k for k in r.kids if isinstance(k, Element)) for r in table.walk()
             if r.role == "TR" and not any(x.role == "TH" for x in r.walk())]
    return [next(d for d in c.walk() if d.role == "Div").text().strip() for c in cells]


def test_each_action_table_is_one_table_with_all_its_actions(
        trees: dict[str, tuple[Element, pikepdf.Pdf, Path]], schema: Schema) -> None:
    root = trees["full"][0]
    objectives = [o for a in schema.axes for o in a.objectives if o.actions]
    assert [_row_ids(t) for t in _action_tables(root)] == \
        [[a.id for a in o.actions] for o in objectives]
    axis_one = [[a.id for a in o.actions] for o in schema.axes[0].objectives if o.actions]
    assert [_row_ids(t) for t in _action_tables(trees["axis"][0])] == axis_one


def test_tables_split_over_pages_are_still_one_element(
        trees: dict[str, tuple[Element, pikepdf.Pdf, Path]]) -> None:
    root, pdf, _ = trees["full"]
    pages = {p.objgen: n for n, p in enumerate(pdf.pages)}
    spanning = [t for t in _action_tables(root)
                if len({pages[x.obj.Pg.objgen] for x in t.walk() if "/Pg" in x.obj}) > 1]
    assert spanning, "no action table crosses a page: the test proves nothing"
    for table in spanning:
        assert sum(1 for x in table.walk() if x.role == "THead") == 1


def test_every_header_cell_has_a_scope(tree: tuple[Element, pikepdf.Pdf]) -> None:
    headers = [e for e in tree[0].walk() if e.role == "TH"]
    assert headers
    assert all(e.obj.A.Scope in ("/Column", "/Row") for e in headers)


def test_every_footnote_reference_points_to_its_note(tree: tuple[Element, pikepdf.Pdf]) -> None:
    elements = tree[0].walk()
    notes = {e.obj.objgen: e for e in elements if e.role == "Note"}
    references = [e for e in elements if e.role == "Reference"]
    assert len(references) == len(notes)
    for reference in references:
        note = notes[reference.obj.Ref[0].objgen]
        number = reference.text().strip()
        assert next(k for k in note.kids if isinstance(k, Element)).text().strip() == f"{number}."
        assert str(note.obj.ID).startswith("note-")


def test_no_page_header_or_footer_in_the_structure_tree(
        trees: dict[str, tuple[Element, pikepdf.Pdf, Path]], schema: Schema) -> None:
    edition = schema.edition
    running = f"{edition.title} {edition.start}-{edition.end} · "  # the footer's title
    for name in ("full", "axis"):
        text = " ".join(trees[name][0].text().split())
        assert running not in text, name
        assert "Suite du tableau page suivante" not in text, name
        assert "(suite)" not in text, name


def test_every_link_says_where_it_goes(tree: tuple[Element, pikepdf.Pdf]) -> None:
    root, pdf = tree
    links = [e for e in root.walk() if e.role == "Link"]
    annotations = [a for p in pdf.pages for a in p.get("/Annots", []) if a.Subtype == "/Link"]
    for annotation in annotations:
        contents = str(annotation.Contents)
        assert re.search(r", page \d+$", contents), contents
        assert not re.fullmatch(r"[a-z]+-[\w-]+", contents)
    owners = {k.Obj.objgen for e in links for k in e.obj.K
              if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"}
    assert owners == {a.objgen for a in annotations}


def test_heading_levels_do_not_skip(tree: tuple[Element, pikepdf.Pdf]) -> None:
    levels = [int(e.role[1]) for e in tree[0].walk() if re.fullmatch(r"H[1-6]", e.role)]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def _outline(items: list[pikepdf.OutlineItem], depth: int = 1) -> list[tuple[str, int]]:
    found = []
    for item in items:
        found.append((item.title, depth))
        found += _outline(item.children, depth + 1)
    return found


def test_bookmarks_are_the_headings_at_their_level(tree: tuple[Element, pikepdf.Pdf]) -> None:
    root, pdf = tree
    headings = [(norm(e.text()), int(e.role[1])) for e in root.walk()
                if re.fullmatch(r"H[1-6]", e.role)]
    with pdf.open_outline() as outline:
        marks = _outline(list(outline.root))
    assert marks
    position = 0
    for title, depth in marks:
        while not (norm(title).endswith(headings[position][0])
                   and headings[position][1] == depth):
            position += 1
            assert position < len(headings), f"no heading H{depth} for the bookmark {title!r}"


def _tree_text(element: Element) -> str:
    if element.role == "Reference" or (element.role == "Lbl"
                                       and MARKER.fullmatch(element.text())):
        return ""  # footnote numbers, list bullets and numbers: generated
    text = "".join(k if isinstance(k, str) else _tree_text(k) for k in element.kids)
    return GENERATED.sub("", text) if element.role == "Link" else text


def _painted(element: Any, base: Path) -> Iterator[str]:
    """The text an element draws, in order: its text as ElementTree's itertext, but an
    SVG's <title> and <desc> left out (not drawn: its alternate text, the Figure's Alt),
    and an <img> of an SVG file counting as the text drawn from that file (its alt, not
    HTML text, is the Figure's Alt)."""
    if not isinstance(element.tag, str) or element.tag in UNPAINTED:
        return
    src = element.get("src") or ""
    if element.tag == f"{XHTML}img" and src.endswith(".svg"):
        yield from _painted(ElementTree.parse(base / src).getroot(), base)
        return
    yield element.text or ""
    for child in element:
        yield from _painted(child, base)
        yield child.tail or ""


def _html_text(path: Path) -> str:
    body = tinyhtml5.parse(path.read_text("utf-8")).find(f"{XHTML}body")
    return "".join(_painted(body, path.parent))


@pytest.mark.parametrize("name", ["full", "sample"])
def test_text_in_tree_order_is_the_html_text(
        trees: dict[str, tuple[Element, pikepdf.Pdf, Path]], name: str) -> None:
    root, _pdf, path = trees[name]
    assert norm(_tree_text(root)) == norm(_html_text(path.with_suffix(".html")))


def _drawing_alt(figure: Any) -> str:
    """What a <figure>'s drawing says it shows: an inline SVG's <title>, an image's alt."""
    drawing = next(e for e in figure.iter() if e.tag in (f"{SVG}svg", f"{XHTML}img"))
    title = drawing.find(f"{SVG}title")
    return " ".join((title.text if title is not None else drawing.get("alt") or "").split())


@pytest.mark.parametrize("name", ["full", "sample"])
def test_every_figure_has_its_drawings_alternate_text(
        trees: dict[str, tuple[Element, pikepdf.Pdf, Path]], name: str) -> None:
    root, _pdf, path = trees[name]
    body = tinyhtml5.parse(path.with_suffix(".html").read_text("utf-8")).find(f"{XHTML}body")
    expected = [_drawing_alt(f) for f in body.iter(f"{XHTML}figure")]
    assert expected and all(expected)
    assert [str(e.obj.Alt) for e in root.walk() if e.role == "Figure"] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("axe 2, p.\u202f6", "axe 2, page 6"),
    ("Préambule .......... 3", "Préambule, page 3"),
    ("Axe 1 Améliorer l’information . . . . 5", "Axe 1 Améliorer l’information, page 5"),
    ("https://paris.fr", "https://paris.fr"),
])
def test_link_descriptions_spell_the_page_out(text: str, expected: str) -> None:
    from pipeline.layoutmap import link_description

    assert link_description(text) == expected
