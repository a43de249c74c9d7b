"""Stage 4c — one layout, two forms: the printed booklet and the screen PDF.

The full Schéma is laid out once, as a book (`layouts/print.css` and the thumb index of
the axes, `partials/print-layer.css.j2`, over style.css): mirrored margins, folios on the
outer edge, every part opener on a right-hand page, backgrounds into the bleed. The
screen PDF is its pages trimmed, without the blank left-hand pages: its folios are the
book's, so that a page reference is the same on paper and on screen (the PDF's page
labels say so to the reader's viewer). The printer's PDF is made from the screen PDF's
bytes, not written again: the book's blank pages put back, blank pages before the back
cover (which stays the last, left-hand page) to a multiple of 4 (a stitched booklet),
each page on a sheet with 3 mm of bleed and crop marks outside it.
"""

from __future__ import annotations

import copy
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


MM = 72 / 25.4  # one millimetre in PDF points
MARKS = 8 * MM  # print.css's CSS bleed: the sheet's margin, marks in its outer half


def printed(screen_pdf: bytes, book: Document) -> tuple[bytes, int]:
    """The printer's PDF of the book `book`, from its screen PDF: each screen page at its
    place in the book, the book's blank pages between them, blank pages before the back
    cover (or at the end) to whole sheets (SHEET); every page on a sheet MARKS wider than
    the trim on each side, what the layout drew in the bleed shown up to a BleedBox BLEED
    around the trim, crop and registration marks on white in the outer half of the
    margin, outside the bleed (a printer's preflight refuses marks inside it). The
    sources attached to the full Schéma of an edition are not: they ride along in its
    screen PDF only. With its page count."""
    blank = [is_blank(page) for page in book.pages]  # the others are the screen's pages
    back = next((i for i, page in enumerate(book.pages) if BACK_COVER in page.anchors),
                len(blank))
    blank[back:back] = [True] * (-len(blank) % SHEET)
    with pikepdf.open(BytesIO(screen_pdf)) as pdf:
        for index in (i for i, is_empty in enumerate(blank) if is_empty):
            pdf.pages.insert(index, _blank_page(pdf, pdf.pages[0]))
        for page in pdf.pages:
            _on_a_sheet(pdf, page)
        for key in ("/PageLabels", "/AF"):
            if key in pdf.Root:
                del pdf.Root[key]
        if "/Names" in pdf.Root and "/EmbeddedFiles" in pdf.Root.Names:
            del pdf.Root.Names.EmbeddedFiles
        return saved(pdf), len(blank)


def _blank_page(pdf: pikepdf.Pdf, model: pikepdf.Page) -> pikepdf.Page:
    """A page with nothing on it, of `model`'s size."""
    return pikepdf.Page(pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=model.obj.MediaBox, Resources=pikepdf.Dictionary(),
        Contents=pdf.make_stream(b""))))


def _on_a_sheet(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    left, bottom, right, top = (float(v) for v in page.obj.MediaBox)
    page.obj.TrimBox = pikepdf.Array([left, bottom, right, top])
    page.obj.BleedBox = pikepdf.Array([left - BLEED, bottom - BLEED, right + BLEED, top + BLEED])
    page.obj.MediaBox = pikepdf.Array([left - MARKS, bottom - MARKS, right + MARKS,
                                       top + MARKS])
    clip = (f"q {left - BLEED:.3f} {bottom - BLEED:.3f} {right - left + 2 * BLEED:.3f} "
            f"{top - bottom + 2 * BLEED:.3f} re W n\n").encode()
    page.contents_add(pdf.make_stream(clip), prepend=True)  # backgrounds stop at the bleed
    page.contents_add(pdf.make_stream(b"Q\n" + _marks(left, bottom, right, top)))


def _marks(left: float, bottom: float, right: float, top: float) -> bytes:
    """Crop marks on the trim's lines and a registration mark in the middle of each side,
    in the outer half of the margin (an artifact: not part of the text)."""
    far, near = MARKS, MARKS / 2  # from the trim: where marks start, where they stop
    lines = []
    for x, dx in ((left, -1), (right, 1)):
        for y, dy in ((bottom, -1), (top, 1)):
            lines += [(x + dx * far, y, x + dx * near, y), (x, y + dy * far, x, y + dy * near)]
    middle_x, middle_y = (left + right) / 2, (bottom + top) / 2
    centres = [(middle_x, top + 3 * near / 2), (middle_x, bottom - 3 * near / 2),
               (left - 3 * near / 2, middle_y), (right + 3 * near / 2, middle_y)]
    arm, radius = near / 2, MM
    ops = ["/Artifact BMC", "q", "0 0 0 RG", "0.5 w"]
    ops += [f"{x0:.3f} {y0:.3f} m {x1:.3f} {y1:.3f} l S" for x0, y0, x1, y1 in lines]
    for x, y in centres:
        ops += [f"{x - arm:.3f} {y:.3f} m {x + arm:.3f} {y:.3f} l S",
                f"{x:.3f} {y - arm:.3f} m {x:.3f} {y + arm:.3f} l S", _circle(x, y, radius)]
    ops += ["Q", "EMC"]
    return "\n".join(ops).encode() + b"\n"


def _circle(x: float, y: float, r: float) -> str:
    """A circle in four Bézier curves."""
    k = 0.5523 * r
    return (f"{x + r:.3f} {y:.3f} m "
            f"{x + r:.3f} {y + k:.3f} {x + k:.3f} {y + r:.3f} {x:.3f} {y + r:.3f} c "
            f"{x - k:.3f} {y + r:.3f} {x - r:.3f} {y + k:.3f} {x - r:.3f} {y:.3f} c "
            f"{x - r:.3f} {y - k:.3f} {x - k:.3f} {y - r:.3f} {x:.3f} {y - r:.3f} c "
            f"{x + k:.3f} {y - r:.3f} {x + r:.3f} {y - k:.3f} {x + r:.3f} {y:.3f} c S")


def is_blank(page: object) -> bool:
    """A page WeasyPrint left blank on purpose (a left page before a right-hand opener);
    not a page of footnotes carried over, which WeasyPrint also types blank."""
    box = getattr(page, "_page_box", None)
    return bool(box is not None and box.page_type.blank
                and not any(isinstance(b, TextBox) for b in box.descendants()))


def screen(document: Document) -> Document:
    """The screen form of the book `document`: its pages but the blank ones, trimmed."""
    numbers = folios(document)
    trimmed = document.copy([trim(document.pages[number - 1]) for number in numbers])
    trimmed.metadata = document.metadata
    trimmed.page_labels = numbers  # pipeline.tagging writes them
    return trimmed


def trim(page: Page) -> Page:
    """`page` as read on screen: no bleed (the media box is the trim box); what was laid
    out in the bleed (a cover's colour, a thumb tab) is drawn all the same, and shown in
    the printer's PDF (`printed`)."""
    trimmed = copy.copy(page)
    trimmed.bleed = dict.fromkeys(page.bleed, 0)
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
