"""Stage 2-3 (figure blocks) — `::: figure ID` and `::: graphique ID` read from the tokens.

A block holds paragraphs: the caption (the first one), a source line (« Source : … ») and
the alternative text (« Description : … »). `blocks` reads them from the parser's own
tokens, the ones validation walks and the renderer renders, so that the two never
disagree; `numbering` numbers the figures in the order the publication prints them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token

from pipeline.markdown import parse
from pipeline.model import Schema, Text

FIGURE_BLOCKS = ("figure", "graphique")
SOURCE = re.compile(r"sources?\s*:\s*", re.IGNORECASE)
ALT = re.compile(r"description\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    kind: str  # "figure" | "graphique"
    id: str
    offset: int  # its line in its text (0-based)
    caption: Token | None = None  # the inline token of each part
    source: Token | None = None
    alt: str = ""
    extra: tuple[int, ...] = field(default=())  # offsets of what is none of the three

    @property
    def caption_text(self) -> str:
        return self.caption.content if self.caption else ""


def block_kind(token: Token) -> str | None:
    """"figure" or "graphique" for the opening token of such a block."""
    for kind in FIGURE_BLOCKS:
        if token.type == f"container_{kind}_open":
            return kind
    return None


def read_block(tokens: Sequence[Token], start: int) -> tuple[Block, int]:
    """The block opening at `tokens[start]`, and the index of its closing token."""
    opener = tokens[start]
    kind = block_kind(opener) or "figure"
    words = opener.info.split()
    parts: dict[str, Token] = {}
    alt, extra = "", list[int]()
    index = start + 1
    while tokens[index].type != f"container_{kind}_close":
        token = tokens[index]
        if token.type == "inline" and token.level == opener.level + 2:
            alt = _part(token, parts, alt, extra)
        elif token.level == opener.level + 1 and token.nesting >= 0 and \
                token.type != "paragraph_close" and token.type != "paragraph_open":
            extra.append((token.map or [0])[0])
        index += 1
    block = Block(kind, words[1] if len(words) > 1 else "", (opener.map or [0])[0],
                  parts.get("caption"), parts.get("source"), alt, tuple(extra))
    return block, index


def _part(token: Token, parts: dict[str, Token], alt: str, extra: list[int]) -> str:
    content = token.content
    if SOURCE.match(content) and "source" not in parts:
        parts["source"] = token
    elif ALT.match(content) and not alt:
        return ALT.sub("", content, count=1).strip()
    elif "caption" not in parts:
        parts["caption"] = token
    else:
        extra.append((token.map or [0])[0])
    return alt


def blocks(text: str) -> Iterator[Block]:
    tokens = parse(text).tokens
    for index, token in enumerate(tokens):
        if block_kind(token):
            yield read_block(tokens, index)[0]


def figure_texts(schema: Schema) -> Iterator[Text]:
    """The Markdown texts that may hold figures, in the order the Schéma prints them."""
    for name in schema.edition.structure:
        chapter = schema.chapter(name)
        if chapter is not None:
            yield chapter.body
        elif name == "axes":
            for axis in schema.axes:
                yield axis.introduction
                yield from (s.text for s in axis.strategic if s.text)

