"""Stage 4c — one layout, two forms: the printed booklet and the screen PDF.

The full Schéma is laid out once, as a book (`layouts/print.css` and the thumb index of
the axes, `partials/print-layer.css.j2`, over style.css): mirrored margins, folios on the
outer edge, every part opener on a right-hand page, 3 mm bleed and crop marks. The
printer's variant is those pages, padded to a multiple of 4 (a stitched booklet) with
blank pages before the back cover, which stays the last, left-hand page. The screen PDF
is the same pages trimmed (no bleed, no marks) without the blank left-hand pages: its
folios are the book's, so that a page reference is the same on paper and on screen
(the PDF's page labels say so to the reader's viewer).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from io import BytesIO

import jinja2
import pikepdf
from markupsafe import Markup
from weasyprint import Document
from weasyprint.document import Page
from weasyprint.formatting_structure.boxes import TextBox

from pipeline.model import Schema
from pipeline.tagging import saved

SHEET = 4  # pages of one folded sheet: a booklet's page count is a multiple of it
BLEED = 3 * 72 / 25.4  # the bleed a printer gets (PDF points); print.css lays out 8 mm
BACK_COVER = "quatrieme-de-couverture"


def padded(document: Document, filler: Callable[[], Document]) -> Document:
    """`document` with blank pages before its back cover (or at its end) so that its page
    count is a multiple of SHEET; blank pages are taken from `document` itself when it has
    any (a planned blank verso), else from a document `filler` lays out."""
    missing = -len(document.pages) % SHEET
    if not missing:
        return document
    pages = list(document.pages)
    blank = next((p for p in pages if is_blank(p)), None)
    if blank is None:
        blank = filler().pages[0]
    at = next((i for i, p in enumerate(pages) if BACK_COVER in p.anchors), len(pages))
    padded_doc = document.copy(pages[:at] + [blank] * missing + pages[at:])
    padded_doc.metadata = document.metadata
    return padded_doc


def bleed_box(data: bytes) -> bytes:
    """The print PDF `data` with each page's BleedBox at BLEED around its TrimBox.

    WeasyPrint sets it between the CSS bleed and 10 pt; the CSS bleed is wider than the
    printer's so that the crop marks, drawn in its outer half, stay outside the bleed."""
    with pikepdf.open(BytesIO(data)) as pdf:
        for page in pdf.pages:
            left, bottom, right, top = (float(v) for v in page.obj.TrimBox)
            page.obj.BleedBox = pikepdf.Array([left - BLEED, bottom - BLEED,
                                               right + BLEED, top + BLEED])
        return saved(pdf)


def is_blank(page: object) -> bool:
    """A page WeasyPrint left blank on purpose (a left page before a right-hand opener);
    not a page of footnotes carried over, which WeasyPrint also types blank."""
    box = getattr(page, "_page_box", None)
    return bool(box is not None and box.page_type.blank
                and not any(isinstance(b, TextBox) for b in box.descendants()))


def screen(document: Document) -> Document:
    """The screen form of the book `document`: its pages but the blank ones, trimmed."""
    trimmed = document.copy([trim(page) for page in document.pages if not is_blank(page)])
    trimmed.metadata = document.metadata
    trimmed.page_labels = folios(document)  # pipeline.tagging writes them
    return trimmed


def trim(page: Page) -> Page:
    """`page` as read on screen: no bleed (the media box is the trim box) and no crop
    marks; what was laid out in the bleed (a cover's colour) is cut off by the viewer."""
    trimmed = copy.copy(page)
    trimmed.bleed = dict.fromkeys(page.bleed, 0)
    box = copy.copy(page._page_box)
    box.style = copy.copy(box.style)
    box.style["marks"] = ()
    trimmed._page_box = box
    return trimmed


def folios(document: Document) -> list[int]:
    """The book's page number of each page of its screen form (`screen`)."""
    return [number for number, page in enumerate(document.pages, start=1)
            if not is_blank(page)]


def layered(html: str, env: jinja2.Environment, schema: Schema) -> str:
    """`html` with the print layer last in its head, over the screen's stylesheets (an
    author stylesheet: WeasyPrint's `stylesheets=` are user ones, which the document's own
    rules override): print.css, then the rules drawn from the Schéma (the thumb index)."""
    generated = env.get_template("partials/print-layer.css.j2").render(schema=schema)
    layer = Markup('<link rel="stylesheet" href="print.css"><style>{}</style>').format(
        Markup(generated))
    head_end = html.index("</head>")
    return html[:head_end] + str(layer) + html[head_end:]
