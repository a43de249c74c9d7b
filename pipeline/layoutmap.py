"""Stage 5a — layout map: what each piece of text of a laid-out Document is, as plain data.

WeasyPrint marks every painted text box with a marked-content id but builds its structure
tree page by page, from box fragments (issues #2902/#2903: a table over two pages becomes
two tables; #1836: page margins are tagged content). This module reads the Document's
boxes once and says, for each page, in the order WeasyPrint's tagger visits them, which
HTML element each text box belongs to (a `Node`), or that it is an artifact (running
header or footer, folio, repeated table header); and the reading order of the whole
document: HTML order, a footnote's text right after its call. `pipeline.tagging` turns
this into the PDF's structure tree. Nothing here knows the Schéma's model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from weasyprint import Document
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

ROLES = {"section": "Sect", "nav": "Sect", "article": "Art", "header": "Div", "footer": "Div",
         "div": "Div", "p": "P", "blockquote": "BlockQuote", "ul": "L", "ol": "L", "dl": "L",
         "li": "LI", "table": "Table", "thead": "THead", "tbody": "TBody", "tfoot": "TFoot",
         "tr": "TR", "th": "TH", "td": "TD", "caption": "Caption", "figure": "Figure",
         "figcaption": "Caption", "a": "Link"}
PSEUDO_ROLES = {"marker": "Lbl", "footnote-call": "Reference", "footnote-marker": "Lbl"}
HEADING = re.compile(r"h([1-6])")
SCOPES = {"col": "Column", "colgroup": "Column", "row": "Row", "rowgroup": "Row"}  # HTML → PDF


@dataclass(frozen=True)
class Node:
    """One structure element to be: an HTML element (or a part of one) that holds text."""

    parent: int | None  # index in Layout.nodes; None: under the Document element
    role: str  # PDF standard structure type
    label: str = ""  # Link: where it goes; Figure: its alternate text; Note: its id
    scope: str = ""  # TH: Column or Row


@dataclass(frozen=True)
class Leaf:
    """One marked text box: the node it belongs to, or the kind of artifact it is."""

    node: int | None
    artifact: str = ""  # "Header", "Footer" (page margins), "Pagination" (repeated header)


@dataclass(frozen=True)
class Layout:
    nodes: tuple[Node, ...]
    pages: tuple[tuple[Leaf, ...], ...]  # per page, in WeasyPrint's visiting order
    reading: tuple[tuple[int, int], ...]  # (page, leaf index) of the content, in reading order


def visiting_order(page_box: Any) -> Iterator[Any]:
    """The text and replaced boxes of a page in the order WeasyPrint's tagger pops their
    marked-content ids (weasyprint/pdf/tags.py `_build_box_tree`): depth first, line
    boxes flattened, margin boxes included."""
    box = page_box._box if isinstance(page_box, AbsolutePlaceholder) else page_box
    if isinstance(box, boxes.TextBox | boxes.ReplacedBox):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from visiting_order(child)


@dataclass
class _Builder:
    """Walks the pages in reading order, creating nodes as their first text appears."""

    pages: list[list[Any]]
    index: dict[int, tuple[int, int]] = field(default_factory=dict)  # id(box) → (page, i)
    nodes: list[Node] = field(default_factory=list)
    keys: dict[tuple[int, str], int] = field(default_factory=dict)
    leaves: dict[tuple[int, int], Leaf] = field(default_factory=dict)
    reading: list[tuple[int, int]] = field(default_factory=list)
    first_page: dict[int, int] = field(default_factory=dict)  # id(element) → page
    footnotes: dict[int, list[tuple[int, Any]]] = field(default_factory=dict)
    headings: list[tuple[int, int]] = field(default_factory=list)  # (HTML, PDF) levels
    items: dict[int, int] = field(default_factory=dict)  # dl node → its current LI node
    labels: dict[int, list[str]] = field(default_factory=dict)  # Link node → its texts
    notes: dict[int, str] = field(default_factory=dict)  # id(footnote element) → its id

    def walk(self, box: Any, page: int, parent: int | None, artifact: str = "") -> None:
        box = box._box if isinstance(box, AbsolutePlaceholder) else box
        if isinstance(box, boxes.TextBox | boxes.ReplacedBox):
            self._leaf(box, page, parent, artifact)
            return
        if isinstance(box, boxes.FootnoteAreaBox):
            return  # each footnote is read at its call
        if isinstance(box, boxes.MarginBox):
            kind = "Header" if box.at_keyword.startswith("@top") else "Footer"
            for child in box.children:
                self.walk(child, page, None, kind)
            return
        if (not artifact and getattr(box, "is_header", False) and box.element is not None
                and self.first_page.setdefault(id(box.element), page) < page):
            artifact = "Pagination"  # a table header repeated on a following page
        node = parent if artifact else self._node_of(box, page, parent)
        for child in box.children:
            self.walk(child, page, node, artifact)
        if _pseudo(box) == "footnote-call":
            for note_page, note in self.footnotes.pop(id(box.element), []):
                self.walk(note, note_page, parent)

    def _leaf(self, box: Any, page: int, parent: int | None, artifact: str) -> None:
        where = self.index[id(box)]
        if artifact:
            self.leaves[where] = Leaf(None, artifact)
            return
        self.leaves[where] = Leaf(parent)
        self.reading.append(where)
        link = self._enclosing(parent, "Link")
        if link is not None and isinstance(box, boxes.TextBox):
            self.labels.setdefault(link, []).append(box.text)

    def _node_of(self, box: Any, page: int, parent: int | None) -> int | None:
        """The node this box's content goes into (created on first sight)."""
        element = box.element
        tag = (box.element_tag or "").split("::")[0]
        if element is None or tag in ("html", "body"):
            return parent
        self.first_page.setdefault(id(element), page)
        pseudo = _pseudo(box)
        if pseudo in ("before", "after"):
            return parent
        key = (id(element), pseudo)
        if key in self.keys:
            return self._content_of(self.keys[key])
        role, parent = self._role(box, element, tag, pseudo, parent)
        if role == "":
            return parent
        self.keys[key] = self._add(parent, role, element, box)
        return self._content_of(self.keys[key])

    def _role(self, box: Any, element: Any, tag: str, pseudo: str,
              parent: int | None) -> tuple[str, int | None]:
        if pseudo == "marker" and parent is not None and self.nodes[parent].role == "LBody":
            return "Lbl", self.nodes[parent].parent  # beside the item's body, not in it
        if pseudo:
            return PSEUDO_ROLES.get(pseudo, "Span"), parent
        if tag in ("dt", "dd"):
            return _definition(self, tag, parent)
        if "footnote" in (element.get("class") or "").split():
            return "Note", parent
        if (match := HEADING.fullmatch(tag)) is not None:
            return f"H{self._level(int(match[1]))}", parent
        if tag in ROLES:
            return ROLES[tag], parent
        inline = isinstance(box, boxes.InlineBox | boxes.InlineLevelBox)
        return ("Span" if inline else "Div"), parent

    def _level(self, html: int) -> int:
        """A heading's level one below the nearest enclosing heading's: none skipped."""
        while self.headings and self.headings[-1][0] >= html:
            self.headings.pop()
        level = self.headings[-1][1] + 1 if self.headings else 1
        self.headings.append((html, level))
        return level

    def _add(self, parent: int | None, role: str, element: Any, box: Any) -> int:
        label = scope = ""
        if role == "Figure":
            label = _alternate(element)
        elif role in ("Note", "Reference"):  # a call and its footnote share one id
            label = self.notes.setdefault(id(element), f"note-{len(self.notes) + 1}")
        elif role == "TH":
            scope = SCOPES.get((element.get("scope") or "col").strip().lower(), "Column")
        self.nodes.append(Node(parent, role, label, scope))
        number = len(self.nodes) - 1
        if role == "LI":  # an item's content goes into its body, its marker into a label
            self.nodes.append(Node(number, "LBody"))
        return number

    def _content_of(self, number: int) -> int:
        if (self.nodes[number].role == "LI" and number + 1 < len(self.nodes)
                and self.nodes[number + 1] == Node(number, "LBody")):
            return number + 1
        return number

    def _enclosing(self, number: int | None, role: str) -> int | None:
        while number is not None and self.nodes[number].role != role:
            number = self.nodes[number].parent
        return number


def _definition(builder: _Builder, tag: str, parent: int | None) -> tuple[str, int | None]:
    """A `dl` is a list: each `dt` opens an item (its label), the `dd` after it is its body."""
    if parent is None:
        return ("Lbl" if tag == "dt" else "LBody"), parent
    if tag == "dt" or parent not in builder.items:
        builder.nodes.append(Node(parent, "LI"))
        builder.items[parent] = len(builder.nodes) - 1
    return ("Lbl" if tag == "dt" else "LBody"), builder.items[parent]


def _pseudo(box: Any) -> str:
    tag = box.element_tag or ""
    return tag.split("::", 1)[1] if "::" in tag else ""


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


SVG = "{http://www.w3.org/2000/svg}"


def _alternate(figure: Any) -> str:
    """A figure's alternate text: its drawing's (an inline SVG's <title>, which names it,
    or an image's alt), else its caption's text, else its own."""
    for child in figure.iter():
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in ("svg", f"{SVG}svg"):
            title = next((t for t in child if t.tag in ("title", f"{SVG}title")), None)
            if title is not None and _text(title):
                return _text(title)
        elif tag == "img" and (child.get("alt") or "").strip():
            return " ".join(child.get("alt").split())
    caption = figure.find(".//figcaption")
    return _text(caption if caption is not None else figure)


def layout_map(document: Document) -> Layout:
    """The layout map of `document` (its pages as they are written)."""
    pages = [list(visiting_order(page._page_box)) for page in document.pages]
    builder = _Builder(pages)
    for number, page in enumerate(pages):
        builder.index.update({id(box): (number, i) for i, box in enumerate(page)})
    for number, page in enumerate(document.pages):
        for area in page._page_box.children:
            if isinstance(area, boxes.FootnoteAreaBox):
                for note in area.children:
                    builder.footnotes.setdefault(id(note.element), []).append((number, note))
    for number, page in enumerate(document.pages):
        builder.walk(page._page_box, number, None)
    for notes in list(builder.footnotes.values()):  # a footnote whose call is on no page
        for number, note in notes:
            builder.walk(note, number, None)
    nodes = _described(builder)
    leaves = tuple(tuple(builder.leaves.get((n, i), Leaf(None, "Pagination"))
                         for i in range(len(page))) for n, page in enumerate(pages))
    return Layout(tuple(nodes), leaves, tuple(builder.reading))


def _described(builder: _Builder) -> list[Node]:
    """Each Link node labelled with what its text says, the page number spelt out."""
    nodes = list(builder.nodes)
    for number, texts in builder.labels.items():
        nodes[number] = Node(nodes[number].parent, "Link", link_description("".join(texts)))
    return nodes


LEADER_PAGE = re.compile(r"(?:\s*\.){2,}\s*(\d+)\s*$")
SHORT_PAGE = re.compile(r",?\s*p\.\s*(\d+)\s*$")


def link_description(text: str) -> str:
    """"Axe 2, p. 6" or "Préambule ..... 5" → "Axe 2, page 6", "Préambule, page 5"."""
    text = " ".join(text.split())
    for pattern in (LEADER_PAGE, SHORT_PAGE):
        if (match := pattern.search(text)) is not None:
            return f"{text[:match.start()].rstrip(' ,')}, page {match[1]}"
    return text
