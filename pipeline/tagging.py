"""Stage 5b — tagging: the written PDF's structure tree rebuilt for PDF/UA-1 (pikepdf).

WeasyPrint writes the PDF tagged (`pdf/ua-1`, or `pdf/a-3a` for an edition): every text
is marked content with an id. Its structure tree, built from page fragments, is replaced
here by one built from the layout map (`pipeline.layoutmap`): one element per HTML
element whatever the pages it spans (one Table per action table), TH with a Scope,
each footnote a Note right after the Reference that calls it, links described by where
they go, Figure with alternate text, headings without skipped levels. Running headers,
footers, folios and repeated table headers become artifacts in the content streams. The
catalog gets the document language and DisplayDocTitle.
"""

from __future__ import annotations

import binascii
import re
import zlib
from dataclasses import dataclass, field
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from weasyprint import Document

from pipeline.layoutmap import Layout, layout_map

LANG = "fr-FR"
MARKED = re.compile(rb"/\w+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
ARTIFACTS = {"Header": b"/Artifact <</Type /Pagination /Subtype /Header>> BDC",
             "Footer": b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC",
             "Pagination": b"/Artifact <</Type /Pagination>> BDC"}


class TaggingError(Exception):
    """WeasyPrint's marked content does not match the layout map (a WeasyPrint change?)."""


def write_tagged(document: Document, lang: str = LANG, plain_metadata: bool = False,
                 **options: object) -> bytes:
    """`document` written by WeasyPrint with `options` (a tagged variant), then retagged."""
    data = document.write_pdf(**options)
    assert isinstance(data, bytes)
    return retag(data, layout_map(document), lang, plain_metadata,
                 getattr(document, "page_labels", None))


def retag(data: bytes, layout: Layout, lang: str = LANG, plain_metadata: bool = False,
          labels: list[int | None] | None = None) -> bytes:
    """The PDF `data` with its structure tree rebuilt from `layout`; XMP left uncompressed
    if `plain_metadata` (PDF/A: the metadata stream is read without decoding); `labels`:
    the number printed on each page, when it is not the page's rank (`page_labels`)."""
    with pikepdf.open(BytesIO(data)) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            raise TaggingError("PDF non balisé : écrivez-le avec pdf_variant pdf/ua-1")
        old = _number_tree(pdf.Root.StructTreeRoot.ParentTree)
        pages: list[pikepdf.Object] = [page.obj for page in pdf.pages]
        mcids = [_aligned(old.get(n), len(leaves), n) for n, leaves in enumerate(layout.pages)]
        for number, page in enumerate(pages):
            leaves = layout.pages[number]
            _mark_artifacts(page, {mcids[number][i]: leaf.artifact
                                   for i, leaf in enumerate(leaves) if leaf.node is None})
        sizes = [len(mcids[n]) for n in range(len(pages))]
        tree = _Tree(pdf, layout, pages, sizes)
        for number, i in layout.reading:
            tree.add_content(layout.pages[number][i].node, number, mcids[number][i])
        _link_annotations(tree, old, mcids, layout)
        pdf.Root.StructTreeRoot = tree.finish()
        _catalog(pdf, lang, plain_metadata)
        if labels:
            pdf.Root.PageLabels = page_labels(labels)
        return saved(pdf)


def page_labels(labels: list[int | None]) -> pikepdf.Object:
    """A PDF page-label tree: page i is labelled labels[i] (decimal), or in small roman
    numerals (i, ii…) where it is None (an extract's cover and « about » page); a range
    starts at each page whose number does not follow the previous one's."""
    nums: list[object] = []
    for index, number in enumerate(labels):
        before = labels[index - 1] if index else None
        if number is None and (index == 0 or before is not None):
            nums += [index, Dictionary(S=Name.r)]
        elif number is not None and (index == 0 or before is None or number != before + 1):
            nums += [index, Dictionary(S=Name.D, St=number)]
    return Dictionary(Nums=Array(nums))


def saved(pdf: pikepdf.Pdf) -> bytes:
    """`pdf` written the one way every publication is: reproducible (deterministic id),
    streams as they are (an archival edition's XMP stays uncompressed), PDF/A-clean."""
    out = BytesIO()
    _no_carriage_return_before_endstream(pdf)
    pdf.save(out, deterministic_id=True, compress_streams=False,
             stream_decode_level=pikepdf.StreamDecodeLevel.none,
             object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def _number_tree(tree: pikepdf.Object) -> dict[int, pikepdf.Object]:
    """A flat number tree (WeasyPrint writes one /Nums array) as a dict."""
    nums = tree.get("/Nums", Array())
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def _aligned(elements: pikepdf.Object | None, count: int, page: int) -> list[int]:
    """The marked-content ids of a page in WeasyPrint's visiting order.

    WeasyPrint creates one structure element per text as it visits it, except inside a
    link, whose texts go straight into the Link element among its other kids (in order).
    A text comes after the newest object created before it; texts after the same object
    come deepest owner first (a nested element's texts close before its parent's)."""
    found = [] if elements is None else list(elements)
    if len(found) != count:
        raise TaggingError(f"page {page + 1} : {len(found)} contenus marqués pour {count} "
                           "textes mis en page ; le balisage de WeasyPrint a changé")
    keys: dict[int, tuple[int, int, int]] = {}
    for owner in {e.objgen: e for e in found}.values():
        last = owner.objgen[0]
        for position, kid in enumerate(owner.get("/K", Array())):
            if isinstance(kid, int):
                keys[kid] = (last, -owner.objgen[0], position)
            elif isinstance(kid, Dictionary):
                last = max(last, _newest(kid))
    return sorted(range(count), key=lambda mcid: keys[mcid])


def _newest(element: pikepdf.Object) -> int:
    """The highest object number in an old structure element's subtree (its link
    annotations' object references included: they are created as the link is visited)."""
    kids = [k for k in element.get("/K", Array()) if isinstance(k, Dictionary)]
    return max([element.objgen[0], *(_newest(k) for k in kids)])


def _mark_artifacts(page: pikepdf.Object, kinds: dict[int, str]) -> None:
    """Turn the marked content of `kinds` into artifacts of that kind."""
    if not kinds:
        return
    contents = page.Contents
    if isinstance(contents, Array):
        raise TaggingError("flux de contenu en plusieurs morceaux : non prévu")

    def replace(match: re.Match[bytes]) -> bytes:
        kind = kinds.get(int(match[1]))
        return ARTIFACTS[kind] if kind else match[0]
    contents.write(zlib.compress(MARKED.sub(replace, contents.read_bytes())),
                   filter=Name.FlateDecode)


@dataclass
class _Tree:
    """The new structure tree, filled in reading order."""

    pdf: pikepdf.Pdf
    layout: Layout
    pages: list[pikepdf.Object]
    sizes: list[int]  # marked-content ids per page
    kids: dict[int | None, list[object]] = field(default_factory=lambda: {None: []})
    first_page: dict[int, int] = field(default_factory=dict)
    owners: dict[tuple[int, int], int] = field(default_factory=dict)  # (page, mcid) → node
    links: list[tuple[int, pikepdf.Object, int]] = field(default_factory=list)

    def add_content(self, node: int | None, page: int, mcid: int) -> None:
        if node is None:
            raise TaggingError("contenu sans élément de structure")
        self._attach(node)
        self.first_page.setdefault(node, page)
        self.kids[node].append((page, mcid))
        self.owners[(page, mcid)] = node

    def add_link(self, node: int, annotation: pikepdf.Object, page: int) -> None:
        self._attach(node)
        self.kids[node].append(annotation)
        self.links.append((node, annotation, page))

    def _attach(self, node: int) -> None:
        """Make `node` and its ancestors children of their parents, in order of appearance."""
        chain: list[int] = []
        current: int | None = node
        while current is not None and current not in self.kids:
            chain.append(current)
            current = self.layout.nodes[current].parent
        for number in reversed(chain):
            self.kids[number] = []
            self.kids[self.layout.nodes[number].parent].append(number)

    def _empty_cells(self) -> None:
        """Each empty cell (a data table's corner) of a row in the tree, in its place: a
        row without it would have fewer cells than the others (PDF/UA-1: every row of a
        Table spans as many columns). Cells are numbered in HTML order, as created."""
        for number, node in enumerate(self.layout.nodes):
            if node.role in ("TD", "TH") and number not in self.kids \
                    and node.parent is not None and node.parent in self.kids:
                self.kids[number] = []
                siblings = self.kids[node.parent]
                at = next((i for i, k in enumerate(siblings) if isinstance(k, int)
                           and k > number), len(siblings))
                siblings.insert(at, number)

    def finish(self) -> pikepdf.Object:
        self._empty_cells()
        root = self.pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        document = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document,
                                                     P=root))
        made: dict[int | None, pikepdf.Object] = {
            n: self._element(n) for n in self.kids if n is not None}
        owners = {None: document, **made}
        for number, element in made.items():
            assert number is not None
            element.P = owners[self.layout.nodes[number].parent]
        for key, element in owners.items():
            element.K = Array([self._kid(k, element, made) for k in self.kids[key]])
        _references(self.layout, made)
        root.K = Array([document])
        root.ParentTree, next_key = self._parent_tree(made)
        root.ParentTreeNextKey = next_key
        ids = sorted((str(e.ID), e) for e in made.values() if "/ID" in e)
        if ids:
            root.IDTree = Dictionary(Names=Array([x for pair in ids for x in pair]))
        return root

    def _element(self, number: int) -> pikepdf.Object:
        node = self.layout.nodes[number]
        element = Dictionary(Type=Name.StructElem, S=Name("/" + node.role))
        if number in self.first_page:
            element.Pg = self.pages[self.first_page[number]]
        if node.role == "TH":
            element.A = Dictionary(O=Name.Table, Scope=Name("/" + node.scope))
        elif node.role == "Figure":
            element.Alt = String(node.label)
        elif node.role == "Note":
            element.ID = String(node.label)
        return self.pdf.make_indirect(element)

    def _kid(self, kid: object, element: pikepdf.Object,
             made: dict[int | None, pikepdf.Object]) -> object:
        if isinstance(kid, int):
            return made[kid]
        if isinstance(kid, tuple):
            page, mcid = kid
            if "/Pg" in element and element.Pg.objgen == self.pages[page].objgen:
                return mcid
            return Dictionary(Type=Name.MCR, Pg=self.pages[page], MCID=mcid)
        assert isinstance(kid, pikepdf.Object)
        page = next(p for n, a, p in self.links if a.objgen == kid.objgen)
        return Dictionary(Type=Name.OBJR, Obj=kid, Pg=self.pages[page])

    def _parent_tree(self, made: dict[int | None, pikepdf.Object]) -> tuple[pikepdf.Object, int]:
        nums: list[object] = []
        for page, size in enumerate(self.sizes):
            owners = [self.owners.get((page, mcid)) for mcid in range(size)]
            nums += [page, Array([None if o is None else made[o] for o in owners])]
        key = len(self.sizes)
        for node, annotation, _page in self.links:
            annotation.StructParent = key
            nums += [key, made[node]]
            key += 1
        return Dictionary(Nums=Array(nums)), key


def _references(layout: Layout, made: dict[int | None, pikepdf.Object]) -> None:
    """Each footnote call (Reference) points to its Note (/Ref, as in ISO 32000-2)."""
    made_nodes = [(layout.nodes[n], e) for n, e in made.items() if n is not None]
    notes = {node.label: e for node, e in made_nodes if node.role == "Note"}
    for node, element in made_nodes:
        if node.role == "Reference" and node.label in notes:
            element.Ref = Array([notes[node.label]])


def _link_annotations(tree: _Tree, old: dict[int, pikepdf.Object], mcids: list[list[int]],
                      layout: Layout) -> None:
    """Each link annotation into the Link element of the text it covers, described."""
    numbers = {page.objgen: n for n, page in enumerate(tree.pages)}
    visits = [{mcid: i for i, mcid in enumerate(order)} for order in mcids]
    for number, page in enumerate(tree.pages):
        for annotation in page.get("/Annots", Array()):
            if annotation.get("/Subtype") != Name.Link:
                continue
            where = _first_content(old.get(int(annotation.get("/StructParent", -1))), numbers)
            node = None
            if where is not None:
                node = layout.pages[where[0]][visits[where[0]][where[1]]].node
            link = _enclosing_link(layout, node)
            if link is None:
                raise TaggingError(f"page {number + 1} : lien sans texte balisé")
            annotation.Contents = String(layout.nodes[link].label)
            tree.add_link(link, annotation, number)


def _first_content(element: pikepdf.Object | None,
                   numbers: dict[tuple[int, int], int]) -> tuple[int, int] | None:
    """(page, mcid) of the first marked content under an old structure element."""
    if element is None or not isinstance(element, Dictionary):
        return None
    for kid in element.get("/K", Array()):
        if isinstance(kid, int):
            return numbers[element.Pg.objgen], int(kid)
        if isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
            return numbers[kid.Pg.objgen], int(kid.MCID)
        found = _first_content(kid, numbers)
        if found is not None:
            return found
    return None


def _enclosing_link(layout: Layout, node: int | None) -> int | None:
    while node is not None and layout.nodes[node].role != "Link":
        node = layout.nodes[node].parent
    return node


def _catalog(pdf: pikepdf.Pdf, lang: str, plain_metadata: bool) -> None:
    pdf.Root.Lang = String(lang)
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    if plain_metadata and "/Metadata" in pdf.Root:
        metadata = pdf.Root.Metadata
        metadata.write(metadata.read_bytes())


def _no_carriage_return_before_endstream(pdf: pikepdf.Pdf) -> None:
    """A stream whose data ends with CR gets "CR LF endstream": PDF/A validators then count
    one byte less than /Length (ISO 19005-3 6.1.7.1 reads the EOL before endstream as
    CR LF). Such a stream (1 in 256 after compression: the last byte is the checksum's) is
    written ASCIIHex-encoded over its filters, which ends with '>'. qpdf then writes every
    stream as given (no recompression, no object streams: it would compress them itself)."""
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream) or not obj.read_raw_bytes().endswith(b"\r"):
            continue
        given = obj.get("/Filter", Array())
        filters = [given] if isinstance(given, Name) else list(given)
        params = obj.get("/DecodeParms")
        if params is not None:
            params = Array([None, *([params] if isinstance(params, Dictionary) else params)])
        encoded = binascii.hexlify(obj.read_raw_bytes()) + b">"
        obj.write(encoded, filter=Array([Name.ASCIIHexDecode, *filters]), decode_parms=params)
