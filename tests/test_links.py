"""Cross-references of the full Schéma, read back from the links and the text of its PDF.

Every internal link (the sommaire's entries, the `[[kind:target]]` cross-references)
must land on a page that holds its target's heading, and the page number printed with
it (", p. N" after a cross-reference, `a.xref::after` in style.css; the number after the
sommaire's leader) must be the folio printed at the foot of that page. The folio is
`counter(page)`, which counts the cover although the cover does not print it; the tests
read the folio itself rather than trust that count.

The same checks run on build/schema.pdf and on the test sample built with a chapter
that cross-refers to every kind of target (the real content has no cross-reference
today, so on build/schema.pdf the links checked are the sommaire's).
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
from weasyprint import Document as PdfDocument

from pipeline.build import _pdf, build, fetcher_for, full_page
from pipeline.figures.blocks import blocks
from pipeline.html import renderer_for
from pipeline.markdown import XREF_KINDS, anchor
from pipeline.model import Schema
from pipeline.parts import PartLayout, part_starts
from pipeline.pdf import render_document
from pipeline.printing import screen
from pipeline.project import Project, check
from pipeline.views import part_anchors
from tests.conftest import ROOT, norm
from tests.test_bad_input import make_project

Box = tuple[float, float, float, float]  # x0, top, x1, bottom: from the page's top, in pt
Place = tuple[int | None, float]  # (page index, top): where a destination lands; None: nowhere
RUNNING = 56.0  # pt: under the 20 mm (foot) and 22 mm (head) page margins of style.css
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"([^<]*)</word>")
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
# "…, p. 12" (a word may carry the punctuation that follows) or "Axe 1 ……… 17"
PRINTED_PAGE = re.compile(r"(?:\bp\.|\.)\s*(\d+)[^\w\s]?$")
# A chapter of the sample that cross-refers to every kind of target, on every page.
XREFS = """---
id: preambule
titre: Préambule
---

Le Schéma d'essai renforce le partenariat entre les acteurs qui accompagnent les familles[^1].

## Les renvois

Chaque sorte de renvoi : [[axe:2]], [[objectif:1.2]], [[action:2.2.2]],
[[chapitre:gouvernance]], [[instance:cofil]], [[figure:naissances-2018]],
[[chapitre:preambule]] et [[axe:1|le premier axe, celui de l'information des familles]].

::: figure naissances-2018
Nombre de naissances domiciliées à Paris en 2018

Source : Insee, état civil

Description : Une barre : 27 367 naissances domiciliées en 2018.
:::

[^1]: Le programme MALIN en fait partie.
"""
# Added to the preamble above: one more page for it, and every part after it moves.
GROWTH = "\n\n## Un ajout\n\n" + "\n\n".join(
    f"Paragraphe ajouté numéro {n} : les partenaires se réunissent pour accompagner les "
    "familles dans chaque arrondissement, au plus près de leurs besoins." for n in range(14))


@dataclass(frozen=True)
class Word:
    text: str
    box: Box


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Link:
    """One link as a reader clicks it: its fragments (one per line) and where it lands."""

    page: int  # index of the page the link is on
    boxes: tuple[Box, ...]
    name: str  # the named destination ("axe-2"), "" for an explicit one
    target: int | None  # index of the page it lands on; None: nowhere in the document
    top: float  # where it lands on that page, from the top, in pt


@dataclass(frozen=True)
class Document:
    schema: Schema
    pages: list[Page]
    links: list[Link]
    places: dict[str, Place]  # every named destination


def read_pages(pdf: Path) -> list[Page]:
    """Every page's words with their boxes, as poppler's pdftotext reads them."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [Page(float(width), float(height), tuple(
        Word(html.unescape(w[4]), (float(w[0]), float(w[1]), float(w[2]), float(w[3])))
        for w in WORD.findall(body))) for width, height, body in PAGE.findall(out)]


def named_destinations(reader: PdfReader) -> dict[str, Place]:
    """Name → (page, top), from the catalog's /Names /Dests tree (and old-style /Dests)."""
    catalog = reader.trailer["/Root"]
    found: dict[str, Any] = {}

    def walk(node: DictionaryObject) -> None:
        names = node.get("/Names", [])
        for i in range(0, len(names), 2):
            found[str(names[i])] = names[i + 1].get_object()
        for kid in node.get("/Kids", []):
            walk(kid.get_object())

    if "/Names" in catalog and "/Dests" in catalog["/Names"]:
        walk(catalog["/Names"]["/Dests"].get_object())
    for name, dest in catalog.get("/Dests", DictionaryObject()).get_object().items():
        found[str(name).lstrip("/")] = dest.get_object()
    return {name: _landing(reader, dest) for name, dest in found.items()}


def read_links(reader: PdfReader, places: dict[str, Place]) -> list[Link]:
    """Every internal link; the consecutive annotations of one link are merged."""
    links: list[Link] = []
    for index, page in enumerate(reader.pages):
        height = float(page.mediabox.height)
        for annot in (a.get_object() for a in page.get("/Annots", [])):
            dest = _destination(annot)
            if dest is None:
                continue
            name = "" if isinstance(dest, ArrayObject) else str(dest)
            target, top = places.get(name, (None, 0.0)) if name else _landing(reader, dest)
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            box = (min(x0, x1), height - max(y0, y1), max(x0, x1), height - min(y0, y1))
            last = links[-1] if links else None
            if last and (last.page, last.name, last.target) == (index, name, target):
                links[-1] = Link(index, (*last.boxes, box), name, target, last.top)
            else:
                links.append(Link(index, (box,), name, target, top))
    return links


def _destination(annot: DictionaryObject) -> Any:
    """The /Dest of a link annotation or of its /GoTo action; None for other annotations."""
    if annot.get("/Subtype") != "/Link":
        return None
    if "/Dest" in annot:
        return annot["/Dest"].get_object()
    action = annot.get("/A", DictionaryObject()).get_object()
    return action["/D"].get_object() if action.get("/S") == "/GoTo" else None


def _landing(reader: PdfReader, dest: Any) -> Place:
    """(page index, top from the page's top) of an explicit destination [page /XYZ …]."""
    if isinstance(dest, DictionaryObject):  # << /D [page /XYZ left top zoom] >>
        dest = dest.get("/D")
    if not isinstance(dest, ArrayObject) or not isinstance(dest[0], IndirectObject):
        return None, 0.0
    pages = [page.indirect_reference.idnum for page in reader.pages]
    if dest[0].idnum not in pages:
        return None, 0.0
    index = pages.index(dest[0].idnum)
    height = float(reader.pages[index].mediabox.height)
    top = dest[3] if len(dest) > 3 and dest[1] == "/XYZ" and dest[3] is not None else height
    return index, height - float(top)


def _inside(word: Word, box: Box) -> bool:
    x, y = (word.box[0] + word.box[2]) / 2, (word.box[1] + word.box[3]) / 2
    return box[0] - 1 <= x <= box[2] + 1 and box[1] - 1 <= y <= box[3] + 1


def link_text(doc: Document, link: Link) -> str:
    words = doc.pages[link.page].words
    return " ".join(w.text for w in words if any(_inside(w, b) for b in link.boxes))


def label(doc: Document, link: Link) -> str:
    """The link's own words, without the page number printed after them."""
    text = link_text(doc, link)
    printed = PRINTED_PAGE.search(text)
    return text[: printed.start()] if printed else text


def target_text(doc: Document, page: int, top: float) -> str:
    """The text from `top` down to the next destination of the page (or its foot),
    without running heads and feet nor the words of links."""
    links = [b for link in doc.links if link.page == page for b in link.boxes]
    lower = [t for p, t in doc.places.values() if p == page and t > top + 1]
    bottom = min(lower, default=doc.pages[page].height - RUNNING)
    return " ".join(w.text for w in doc.pages[page].words
                    if max(top - 2, RUNNING) <= w.box[1] < bottom
                    and not any(_inside(w, b) for b in links))


def folio(page: Page) -> int | None:
    """The page number printed at the foot of the page, if any: the number nearest its
    outer edge (right on a right-hand page, left on a left-hand one)."""
    numbers = [w for w in page.words if w.box[1] > page.height - RUNNING and w.text.isdigit()]
    outer = min(numbers, key=lambda w: min(w.box[0], page.width - w.box[2]), default=None)
    return None if outer is None else int(outer.text)


def headings(schema: Schema) -> dict[str, str]:
    """Every link target of the full Schéma, anchor → the heading its page must hold."""
    result = {"couverture": schema.edition.title, "sommaire": "Sommaire",
              "signatures": "Signatures", "sigles": "Sigles et abréviations"}
    result |= {anchor("chapitre", c.id): c.title for c in schema.chapters}
    result |= {anchor("instance", i.id): i.name for i in schema.instances}
    for axis in schema.axes:
        result[anchor("axe", str(axis.number))] = f"Axe {axis.number} {axis.title}"
        for obj in axis.objectives:
            result[anchor("objectif", obj.key)] = f"Objectif {obj.number} {obj.title or ''}"
            result |= {anchor("action", a.id): f"{a.id} {a.title}" for a in obj.actions}
    for text in [c.body for c in schema.chapters] + [a.introduction for a in schema.axes]:
        for block in blocks(text):  # a chart without a caption is captioned by its title
            chart = schema.assets.charts.get(block.id)
            result[anchor("figure", block.id)] = block.caption_text or (
                chart.title if chart else "")
    return result


def _document(schema: Schema, pdf: Path) -> Document:
    reader = PdfReader(pdf)
    places = named_destinations(reader)
    return Document(schema, read_pages(pdf), read_links(reader, places), places)


@pytest.fixture(scope="module")
def built_document(manifest: dict, schema: Schema) -> Document:
    entry = next(a for a in manifest["artifacts"] if a["kind"] == "full")
    return _document(schema, ROOT / entry["path"])


@pytest.fixture(scope="module")
def sample_document(tmp_path_factory: pytest.TempPathFactory) -> Document:
    root = make_project(tmp_path_factory.mktemp("renvois"))
    (root / "content" / "chapitres" / "preambule.md").write_text(XREFS, "utf-8")
    project = Project(root, root / "build")
    build(project, pilots=False)
    return _document(check(project)[0], root / "build" / "schema.pdf")


@pytest.fixture(scope="module")
def incremental_document(tmp_path_factory: pytest.TempPathFactory) -> Document:
    """The same sample laid out by parts (`pipeline.parts`), then laid out again after an
    edit that gives its preamble one more page: only the parts that must be are laid out
    again (every part after the preamble, and those that print their pages)."""
    root = make_project(tmp_path_factory.mktemp("renvois-parties"))
    preamble = root / "content" / "chapitres" / "preambule.md"
    preamble.write_text(XREFS, "utf-8")
    project = Project(root, root / "build")
    parts = PartLayout(project.layouts, lambda html: render_document(
        html, project.layouts, fetcher_for(project), "layouts/full.html.j2"))

    def laid_out() -> tuple[Schema, PdfDocument]:
        schema = check(project, review=False)[0]
        html = full_page(renderer_for(schema, project.layouts)[1], schema)
        return schema, parts.lay_out(html, part_starts(schema))

    before = laid_out()[1]
    preamble.write_text(XREFS.replace("\n[^1]:", GROWTH + "\n\n[^1]:"), "utf-8")
    schema, after = laid_out()
    assert len(screen(after).pages) > len(screen(before).pages)
    assert "chapitre-preambule" in parts.laid
    pdf = root / "schema.pdf"
    pdf.write_bytes(_pdf(screen(after)))
    return _document(schema, pdf)


@pytest.fixture(params=["schema", "echantillon", "echantillon-par-parties"])
def document(request: pytest.FixtureRequest) -> Document:
    name = {"schema": "built_document", "echantillon": "sample_document",
            "echantillon-par-parties": "incremental_document"}[request.param]
    found: Document = request.getfixturevalue(name)
    return found


def test_links_land_on_their_target_heading(document: Document) -> None:
    """A named destination is a target of the model; an explicit one, the link's label."""
    expected = headings(document.schema)
    wrong = []
    for link in document.links:
        where = (link.page + 1, link.name)
        heading = expected.get(link.name) if link.name else label(document, link)
        if link.target is None:
            wrong.append((*where, "destination absente du document"))
        elif heading is None:
            wrong.append((*where, "cible inconnue du modèle"))
        elif norm(heading)[:40] not in norm(target_text(document, link.target, link.top)):
            wrong.append((*where, f"p. {link.target + 1} sans « {heading} »"))
    assert document.links
    assert wrong == [], wrong


def test_printed_page_numbers_are_the_target_folios(document: Document) -> None:
    wrong = []
    for link in document.links:
        printed = PRINTED_PAGE.search(link_text(document, link))
        target = None if link.target is None else folio(document.pages[link.target])
        if printed is None or target is None or int(printed[1]) != target:
            wrong.append((link.page + 1, link.name, link_text(document, link), target))
    assert document.links
    assert wrong == [], wrong


def test_sommaire_links_every_part_in_order(document: Document) -> None:
    sommaire = document.places["sommaire"][0]
    names = [link.name for link in document.links if link.page == sommaire]
    assert list(dict.fromkeys(names)) == part_anchors(document.schema)


def test_sample_cross_refers_to_every_kind(sample_document: Document) -> None:
    lists = {sample_document.places[name][0] for name in ("sommaire", "figures")
             if name in sample_document.places}
    outside = [link.name for link in sample_document.links if link.page not in lists]
    assert {name.split("-")[0] for name in outside} == set(XREF_KINDS)
    assert len(outside) == XREFS.count("[[")


def test_the_viewer_numbers_the_pages_as_the_book_does(built_document: Document,
                                                        manifest: dict) -> None:
    """The screen PDF leaves out the book's blank pages: its page labels are the folios
    printed on its pages, so that « p. 27 » is page 27 in the reader's viewer too."""
    entry = next(a for a in manifest["artifacts"] if a["kind"] == "full")
    labels = [int(label) for label in PdfReader(ROOT / entry["path"]).page_labels]
    printed = [(n, folio(page)) for n, page in enumerate(built_document.pages)]
    assert len([f for _, f in printed if f is not None]) > 40
    assert [(n, labels[n]) for n, f in printed if f is not None] == [
        (n, f) for n, f in printed if f is not None]
    assert labels != list(range(1, len(labels) + 1))  # a blank page left out


def test_an_axis_extract_numbers_its_pages_as_the_full_schema(manifest: dict) -> None:
    """Its cover and « about » page are i and ii; then the full Schéma's folios, as its
    pages print them."""
    extracts = [a for a in manifest["artifacts"] if a["kind"] == "axis"]
    assert extracts
    for entry in extracts:
        path = ROOT / entry["path"]
        labels = PdfReader(path).page_labels
        printed = [folio(page) for page in read_pages(path)]
        assert labels[:2] == ["i", "ii"], entry["path"]
        assert [int(label) for label in labels[2:]] == printed[2:], entry["path"]
