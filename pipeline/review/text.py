"""Stage 2 (review: the text as printed) — what the reviews read, in the publication's order.

The spelling and consistency reviews and the committee's review pack read the printed
strings of `printed`, ordered as the full Schéma prints them (the parts of `structure`,
then the registries). A Markdown string is read from the tokens `markdown.parse` gives
the renderer (text tokens, headings, note bodies), never from its raw source; the
hidden blocks (`::: note-editoriale`, `::: a-completer`, `::: requete`) are kept apart,
each with the passage it concerns. Every piece of text keeps its file and line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePath

from markdown_it.token import Token

from pipeline.errors import SourceLocation
from pipeline.markdown import HIDDEN_BLOCKS, block_name, parse, walk
from pipeline.model import NoteKind, Schema
from pipeline.printed import Field, Way, printed

REGISTRIES = ("organisations.yml", "instances.yml", "glossaire.yml", "edition.yml",
              "editions.yml")
NOT_WORDS = (" : id", " : lettre")  # printed, but identifiers, not words
SHORT = 320  # characters of a passage quoted in the review pack


@dataclass(frozen=True)
class Piece:
    """A run of printed text (a text token, a plain string) at its line."""

    text: str
    location: SourceLocation
    field: Field
    section: str = ""  # the heading it follows, in a chapter or an introduction
    heading: int = 0  # its heading level (2 for `##`), 0 when it is not a heading


@dataclass(frozen=True)
class HiddenNote:
    """A `::: note-editoriale | a-completer | requete` block of a Markdown text."""

    kind: NoteKind
    text: str
    location: SourceLocation
    field: Field
    section: str
    passage: str  # the printed text it stands before (or after, at the end)


@dataclass(frozen=True)
class Part:
    rank: int
    label: str  # « Axe 2 », « Chapitre Préambule », « Registre organisations.yml »


class Reading:
    """The printed text of a Schéma, in the publication's order."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.parts = _parts(schema)
        order = {path: part.rank for path, part in self.parts.items()}
        fields = [f for f in printed(schema) if not f.what.endswith(NOT_WORDS)]
        self.fields = sorted(fields, key=lambda f: order.get(f.text.location.path, len(order)))

    def part(self, location: SourceLocation) -> Part:
        found = self.parts.get(location.path)
        return found or Part(len(self.parts), PurePath(location.path).name)

    @cached_property
    def pieces(self) -> tuple[Piece, ...]:
        return tuple(p for f in self.fields if f.text for p in _pieces(f))

    @cached_property
    def hidden(self) -> tuple[HiddenNote, ...]:
        return tuple(n for f in self.fields if f.way is Way.BLOCK and f.text
                     for n in _hidden(f))


def _parts(schema: Schema) -> dict[str, Part]:
    """Each source file → the part of the publication that prints it, in order."""
    parts: dict[str, Part] = {schema.edition.location.path: Part(0, "Couverture et édition")}
    for name in schema.edition.structure:
        chapter = schema.chapter(name)
        if chapter is not None:
            parts[chapter.location.path] = Part(len(parts), f"Chapitre « {chapter.title} »")
        elif name == "axes":
            for axis in schema.axes:
                parts[axis.location.path] = Part(len(parts), f"Axe {axis.number}")
        elif name == "signatures" and schema.signatories:
            parts[schema.signatories[0].location.path] = Part(len(parts), "Signatures")
    for chapter in schema.chapters:  # not published: after the others
        parts.setdefault(chapter.location.path, Part(len(parts), f"Chapitre « {chapter.title} »"))
    folder = PurePath(schema.edition.location.path).parent
    for registry in REGISTRIES:
        parts.setdefault(str(folder / registry), Part(len(parts), f"Registre {registry}"))
    return parts


def _pieces(field: Field) -> Iterator[Piece]:
    if field.way is Way.PLAIN:
        for offset, line in enumerate(field.text.split("\n")):
            yield Piece(line, field.text.line_at(offset), field)
        return
    section, level = "", 0
    for token, where, hidden in walk(parse(field.text).tokens, field.text):
        if token.type == "heading_open":
            level = int(token.tag[1:])
        elif token.type == "heading_close":
            level = 0
        elif token.type == "inline" and level:
            section = plain(token)
        elif token.type in ("text", "code_inline") and not hidden:
            yield Piece(token.content, where, field, section, level)
        elif token.type == "xref" and token.meta.get("label") and not hidden:
            yield Piece(token.meta["label"], where, field, section, level)


def _hidden(field: Field) -> Iterator[HiddenNote]:
    tokens = parse(field.text).tokens
    lines = field.text.split("\n")
    section = ""
    for index, token in enumerate(tokens):
        if token.type == "inline" and index and tokens[index - 1].type == "heading_open":
            section = plain(token)
        if token.nesting != 1 or block_name(token) not in HIDDEN_BLOCKS or not token.map:
            continue
        start, end = token.map
        body = "\n".join(lines[start + 1 : end - 1 if _closed(lines, end) else end]).strip()
        kind = NoteKind(block_name(token).replace("-", "_"))
        yield HiddenNote(kind, body, field.text.line_at(start), field, section,
                         _passage(tokens, index))


def _closed(lines: list[str], end: int) -> bool:
    return 0 < end <= len(lines) and lines[end - 1].strip().startswith(":::")


def _passage(tokens: tuple[Token, ...], index: int) -> str:
    """The first printed text after the hidden block at `index` (before it, at the end)."""
    depth = 0
    after: list[str] = []
    before: list[str] = []
    for position, token in enumerate(tokens):
        if block_name(token) in HIDDEN_BLOCKS:
            depth += token.nesting
        elif token.type == "inline" and not depth:
            (after if position > index else before).append(plain(token))
    chosen = after[0] if after else (before[-1] if before else "")
    return shorten(chosen)


def plain(inline: Token) -> str:
    """The printed words of an inline token: its text, renvoi labels, spaces for breaks."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "xref":
            meta = child.meta
            parts.append(meta.get("label") or f"[{meta['kind']}:{meta['target']}]")
    return "".join(parts)


def shorten(text: str, limit: int = SHORT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def around(text: str, start: int, end: int, width: int = 90) -> tuple[str, str, str]:
    """The words before, the match, the words after (for a quoted passage)."""
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    before = ("… " + before.split(" ", 1)[-1]) if start > width else before
    after = (after.rsplit(" ", 1)[0] + " …") if end + width < len(text) else after
    return before, text[start:end], after

