"""Layout by parts: the full Schéma laid out part by part, joined into one document.

The full Schéma's HTML is cut before each of its parts (the front matter, then each
chapter, axis, the signatures, each annex and the back cover), where style.css already
forces a page break (`.chapter`, `.axis`, `.signatures`, `.back-cover`: `break-before:
page`; the book, `printing`, opens each on a right-hand page, the back cover on a left
one). Each part is laid out alone, with what a single layout carries into it: its
page numbers follow the previous parts' (`counter-reset: page` on its first page; a
blank page is joined before it where the book has one, so that a page's rank is its
number), its
footnotes are numbered after theirs (`counter-reset: footnote`), and a link to another
part prints that part's page (each stylesheet rule that prints `target-counter(attr(href),
page)` is repeated for such a link with the number written in the HTML). The parts' pages
are joined with `Document.copy`: links, bookmarks, named destinations and tags are those
of one document, and so is every page (`tests/test_parts.py` compares them with a single
layout's, box positions included).

Parts are kept by their exact HTML (`PartLayout`): an edit lays out again only the parts
whose HTML changed, which includes those after a part whose page count changed (their
first page number) and those that print the page of a part that moved (the sommaire).
The page of a part not laid out yet is taken from the previous layout (or guessed), and
the parts that printed a wrong one are laid out again until every printed page is right.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tinycss2  # type: ignore[import-untyped]  # WeasyPrint's CSS parser
from weasyprint import Document

from pipeline.errors import Finding, PipelineError, SourceLocation
from pipeline.model import Schema
from pipeline.printing import BACK_COVER, is_blank
from pipeline.products import anchor_pages
from pipeline.views import part_anchors

PAGE_ATTRIBUTE = "data-page-partie"  # the page of a link's target laid out in another part
TARGET_PAGE = "target-counter(attr(href),page)"  # as written in a `content` (no spaces)
ID = re.compile(r'<[a-zA-Z][^>]*?\sid="([^"]+)"')
LINK = re.compile(r'<a\s[^>]*?href="#([^"]+)"[^>]*>')
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"#?:]+)">')
INLINE_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
FOOTNOTE = '<span class="footnote">'  # pipeline.markdown's footnote: `float: footnote`
PASSES = 4  # page numbers settle in two passes; more means they never will

Render = Callable[[str], Document]
# The annexes' first elements (partials/fiches-annex, changes): `.chapter`, a page break
ANNEXES = ("fiches-actions", "changements")
# Two parts of the book (print.css opens them on a right-hand page): the second page of
# their layout is a blank left-hand page, joined where the book leaves one
TWO_OPENERS = '<section class="chapter"></section><section class="chapter"></section>'


def opens_on_the_left(name: str) -> bool:
    """Whether the part `name` begins on a left-hand page of the book (print.css): the back
    cover; every other part opens on a right-hand one."""
    return name == BACK_COVER


def part_starts(schema: Schema) -> list[str]:
    """The id of each part's first element but the front matter's: each chapter, axis,
    the signatures, each annex (a bilan annexed stays with the part before it: it does
    not begin with a page break) and the back cover."""
    return [*part_anchors(schema), *ANNEXES, BACK_COVER]


@dataclass(frozen=True)
class Part:
    """One part of the full Schéma's HTML: top-level elements from one forced page break
    to the next."""

    name: str  # the id of its first element ("" for the front matter)
    body: str  # its elements, as in the full HTML
    anchors: frozenset[str]
    targets: tuple[str, ...]  # the link targets of other parts, in order of appearance
    footnotes: int


@dataclass(frozen=True)
class Split:
    head: str  # the full HTML up to the end of its <body> tag
    parts: tuple[Part, ...]
    tail: str


def split(html: str, starts: Collection[str]) -> Split:
    """`html` cut before each top-level element whose id is in `starts`."""
    opened = html.index(">", html.index("<body")) + 1
    closed = html.rindex("</body>")
    cuts = [opened] + [m.start() for m in ID.finditer(html, opened, closed) if m[1] in starts]
    cuts.append(closed)
    pieces = [html[a:b] for a, b in itertools.pairwise(cuts)]
    names = [""] + [m[1] for m in ID.finditer(html, opened, closed) if m[1] in starts]
    return Split(html[:opened], tuple(_part(n, b) for n, b in zip(names, pieces, strict=True)),
                 html[closed:])


def _part(name: str, body: str) -> Part:
    anchors = frozenset(ID.findall(body))
    targets = tuple(dict.fromkeys(t for t in LINK.findall(body) if t not in anchors))
    return Part(name, body, anchors, targets, body.count(FOOTNOTE))


def page_rules(css: str) -> list[str]:
    """The rules of `css` that print a link's target page, for a link whose target page
    is written in its HTML: same selector with [data-page-partie], same content with
    attr(data-page-partie) for target-counter(attr(href), page)."""
    result = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        contents = [d for d in tinycss2.parse_declaration_list(rule.content, True, True)
                    if d.type == "declaration" and d.lower_name == "content"
                    and TARGET_PAGE in _compact(d.value)]
        if not contents:
            continue
        selectors = _selectors(rule.prelude)
        values = "; ".join(f"content: {_printed_page(d.value)}"
                           + (" !important" if d.important else "") for d in contents)
        result.append(f"{', '.join(selectors)} {{ {values} }}")
    return result


def _compact(tokens: list[object]) -> str:
    return re.sub(r"\s+", "", tinycss2.serialize(tokens))


def _selectors(prelude: list[object]) -> list[str]:
    selectors: list[list[object]] = [[]]
    for token in prelude:
        if getattr(token, "type", "") == "literal" and getattr(token, "value", "") == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    result = []
    for tokens in selectors:
        text = tinycss2.serialize(tokens).strip()
        pseudo = re.search(r"::?(?:before|after|marker)$", text)
        at = pseudo.start() if pseudo else len(text)
        result.append(f"{text[:at]}[{PAGE_ATTRIBUTE}]{text[at:]}")
    return result


def _printed_page(tokens: list[object]) -> str:
    out = []
    for token in tokens:
        if getattr(token, "type", "") == "function" and \
                _compact([token]) == TARGET_PAGE:
            out.append(f"attr({PAGE_ATTRIBUTE})")
        else:
            out.append(tinycss2.serialize([token]))
    return "".join(out).strip()


def head_rules(head: str, layouts: Path) -> str:
    """The page rules (`page_rules`) of every stylesheet `head` links or holds."""
    sheets = [(layouts / href).read_text("utf-8") for href in STYLESHEET.findall(head)
              if (layouts / href).is_file()]
    sheets += INLINE_STYLE.findall(head)
    return "\n".join(rule for css in sheets for rule in page_rules(css))


def part_html(split_html: Split, part: Part, rules: str, first_page: int, footnotes: int,
              pages: dict[str, int]) -> str:
    """The HTML a part is laid out from: the full head, the part's elements, its first
    page's number, its first footnote's, and the pages of other parts it prints."""
    style = [rules] if part.targets and rules else []
    if first_page > 1:
        style.append(f"@page :first {{ counter-reset: page {first_page} }}")
    if footnotes:
        style.append(f"html {{ counter-reset: footnote {footnotes} }}")
    head = split_html.head
    if style:
        end = head.index("</head>")
        head = head[:end] + "<style>" + "\n".join(style) + "</style>" + head[end:]

    def numbered(link: re.Match[str]) -> str:
        if link[1] in part.anchors or link[1] not in pages:
            return link[0]
        return f'{link[0][:-1]} {PAGE_ATTRIBUTE}="{pages[link[1]]}">'
    return head + LINK.sub(numbered, part.body) + split_html.tail


class Joined(Document):  # type: ignore[misc]
    """The parts' pages as one document; it keeps the parts' documents alive (their fonts
    are released with them)."""

    parts: tuple[Document, ...] = ()


def join(documents: list[Document]) -> Joined:
    first = documents[0]
    joined = Joined([page for doc in documents for page in doc.pages], first.metadata,
                    first.url_fetcher, first.font_config, first.color_profiles,
                    first.output_intent)
    joined.parts = tuple(documents)
    return joined


@dataclass
class PartLayout:
    """Lays out the full Schéma by parts, keeping each part laid out for the next call."""

    layouts: Path
    render: Render
    source: str = "layouts/full.html.j2"
    kept: dict[str, Document] = field(default_factory=dict)  # sha256 of its HTML → part
    pages: dict[str, int] = field(default_factory=dict)  # the last layout's anchor pages
    resources: str = ""
    laid: list[str] = field(default_factory=list)  # the parts the last call laid out
    _rules: tuple[str, str] = ("", "")

    def lay_out(self, html: str, starts: Collection[str], resources: str = "") -> Joined:
        """The full Schéma of `html` cut before `starts`; `resources`: a fingerprint of the
        files the HTML uses (stylesheets, fonts, images): when it changes, nothing kept is
        used again."""
        if resources != self.resources:
            self.kept, self.resources, self._rules = {}, resources, ("", "")
        cut = split(html, starts)
        if self._rules[0] != cut.head:
            self._rules = (cut.head, head_rules(cut.head, self.layouts))
        rules = self._rules[1]
        self.laid = []
        guess = dict(self.pages)
        seen: dict[str, Document] = {}
        for _ in range(PASSES):
            keys, printed = self._pass(cut, rules, guess, seen)
            documents = [seen[key] for key in keys]
            joined = join(documents)
            found = anchor_pages(joined)
            wrong = {t for part, numbers in zip(cut.parts, printed, strict=True)
                     for t in part.targets if numbers.get(t) != found.get(t)}
            missing = sorted(t for t in wrong if t not in found)
            if missing:
                raise PipelineError([Finding(SourceLocation.of(self.source),
                                             f"WeasyPrint : lien vers #{t} : cette ancre n'est "
                                             "dans aucune partie du Schéma") for t in missing])
            if not wrong:
                self.kept, self.pages = {key: seen[key] for key in keys}, found
                return joined
            guess = found
        raise PipelineError([Finding(SourceLocation.of(self.source),
                                     "les numéros de page imprimés ne se stabilisent pas "
                                     f"après {PASSES} mises en page")])

    def _blank_key(self, cut: Split, seen: dict[str, Document]) -> str:
        """The key in `seen` of a document of one blank page (laid out once)."""
        source = cut.head + TWO_OPENERS + cut.tail
        key = hashlib.sha256(source.encode()).hexdigest()
        if key not in seen:
            document = self.kept.get(key) or self.render(source)
            blank = [page for page in document.pages if is_blank(page)]
            seen[key] = document.copy(blank[:1])
        return key

    def _pass(self, cut: Split, rules: str, guess: dict[str, int],
              seen: dict[str, Document]) -> tuple[list[str], list[dict[str, int]]]:
        """Lay out (or take) each part in order: the keys of its documents in `seen`, and the
        pages each one printed for other parts."""
        keys: list[str] = []
        printed: list[dict[str, int]] = []
        here: dict[str, int] = {}
        first_page, footnotes = 1, 0
        for part in cut.parts:
            if part.name and (first_page % 2 == 0) != opens_on_the_left(part.name):
                keys.append(self._blank_key(cut, seen))  # the book's blank page
                first_page += 1
            # a target laid out already is known; a later one is guessed: the previous
            # layout's page, else this part's first page
            numbers = {t: here.get(t, guess.get(t, first_page)) for t in part.targets}
            source = part_html(cut, part, rules, first_page, footnotes, numbers)
            key = hashlib.sha256(source.encode()).hexdigest()
            document = seen.get(key) or self.kept.get(key)
            if document is None:
                document = self.render(source)
                self.laid.append(part.name)
            seen[key] = document
            keys.append(key)
            printed.append(numbers)
            for number, page in enumerate(document.pages, start=first_page):
                for name in page.anchors:
                    here.setdefault(name, number)
            first_page += len(document.pages)
            footnotes += part.footnotes
        return keys, printed


def fingerprint(folders: Iterable[Path], skip: Collection[str] = (".yml", ".md", ".txt")) -> str:
    """What the layout of unchanged HTML may still depend on: every file of `folders`
    (stylesheets, fonts, images) but the text sources (`skip`), by path, size and date."""
    digest = hashlib.sha256()
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(tuple(skip)):
                    continue
                path = os.path.join(dirpath, name)
                with_stat = os.stat(path)
                digest.update(f"{path}\0{with_stat.st_size}\0{with_stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()
