"""French typography, applied to text only (never to markup).

The editors type plain text; this module sets what the Imprimerie nationale's rules
ask for: typographic apostrophe, narrow no-break spaces before « ; : ! ? » and inside
guillemets, no-break spaces in numbers and before % and €, ordinals in superscript.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markupsafe import Markup, escape

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<=\w)'|'(?=\w)"), "’"),
    (re.compile(r"«[ \u00a0\u202f]*"), "«" + NNBSP),
    (re.compile(r"[ \u00a0\u202f]*»"), NNBSP + "»"),
    (re.compile(r"[ \u00a0]+(?=[;:!?](?:\s|$|[)»]))"), NNBSP),
    (re.compile(r"(?<=[\w)»])(?=[;!?](?:\s|$))"), NNBSP),
    (re.compile(r"(?<=\d)[ \u00a0]?(?=%)"), NNBSP),
    (re.compile(r"(?<=\d)[ \u00a0]?(?=€)"), NBSP),
    (re.compile(r"(?<=\d) (?=\d{3}\b)"), NNBSP),
)
_ORDINAL = re.compile(r"\b(\d+)(ers?|res?|es?|ème|èmes)\b")


def french(text: str) -> str:
    """`text` with French spacing and apostrophes (ordinals untouched)."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def segments(text: str) -> Iterator[tuple[str, bool]]:
    """Split typographed `text` into (piece, is_superscript) around ordinals."""
    text = french(text)
    last = 0
    for match in _ORDINAL.finditer(text):
        yield text[last : match.start(2)], False
        yield match.group(2), True
        last = match.end()
    yield text[last:], False


def to_html(text: str) -> Markup:
    """Plain `text` as escaped HTML with French typography and ordinal exponents."""
    return Markup("").join(
        Markup("<sup>{}</sup>").format(piece) if sup else escape(piece)
        for piece, sup in segments(text)
        if piece
    )
