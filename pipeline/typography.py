"""Stage 3 (typography) — French typography, applied to text only (never to markup).

The editors type plain text; this module sets what the Imprimerie nationale's rules
ask for: typographic apostrophe, French quotes for straight ones, narrow no-break spaces
before « ; : ! ? » and inside guillemets, no-break spaces in numbers, before % and €, and
between a number and the word it counts (« 6 années », « 0-3 ans »), a minus sign for
a hyphen before a number that opens a parenthesis (« (−4 %) »), the ellipsis
character for three dots, an en dash for a spaced hyphen, ordinals in superscript. A
`Keeper` then marks the names a line must never hyphenate (the glossary's acronyms, the
organisations, the places of edition.yml), and the hyphenated ones that must not break
at their hyphen (« Île-de-France », « AP-HP », a range « 0-3 »).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from markupsafe import Markup, escape

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\.\.\.(?!\.)"), "…"),
    (re.compile(r"(?<=\()- ?(?=\d)"), "\u2212"),  # « (- 4 %) » : a minus sign
    (re.compile(r"(?<=\S) - (?=\S)"), " – "),
    (re.compile(r'(?:(?<=^)|(?<=[\s(\[]))"(?=\S)'), "«"),
    (re.compile(r'"'), "»"),
    (re.compile(r"(?<=\w)'|'(?=\w)"), "’"),
    (re.compile(r"«[ \u00a0\u202f]*"), "«" + NNBSP),
    (re.compile(r"[ \u00a0\u202f]*»"), NNBSP + "»"),
    (re.compile(r"[ \u00a0]+(?=[;:!?](?:\s|$|[)»]))"), NNBSP),
    (re.compile(r"(?<=[\w)»])(?=[;!?](?:\s|$))"), NNBSP),
    (re.compile(r"(?<=\d)[ \u00a0]?(?=%)"), NNBSP),
    (re.compile(r"(?<=\d)[ \u00a0]?(?=€)"), NBSP),
    (re.compile(r"(?<=\d) (?=\d{3}\b)"), NNBSP),
    (re.compile(r"(?<=\b\d)(?<!\d{4}) (?=[a-zà-ÿœ]{2,}\b)|(?<=\b\d\d)(?<!\d{4}) "
                r"(?=[a-zà-ÿœ]{2,}\b)|(?<=\b\d\d\d)(?<!\d{4}) (?=[a-zà-ÿœ]{2,}\b)"), NBSP),
)
_ORDINAL = re.compile(r"\b(\d+)(ers?|res?|es?|ème|èmes)\b")
SHORTEST_HYPHENATED = 6  # layouts/style.css: `hyphenate-limit-chars: 6 3 3`
_RANGE = r"\b\d+-\d+\b"  # « 0-3 ans », « 16-25 » : never broken at the hyphen


def french(text: str) -> str:
    """`text` with French spacing, quotes, dashes and apostrophes (ordinals untouched)."""
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


class Keeper:
    """Marks the names never to hyphenate in a piece of typographed text.

    `names`: acronyms, organisation and place names, as the editors write them. A name
    becomes `<span class="nom">` (no hyphenation); one with a hyphen and no space, or a
    numeric range, `<span class="nom insecable">` (no break at its hyphen either). A name
    whose words are all too short to be hyphenated (« Caf de Paris », « CPAM ») stays
    plain text: every inline box is a place where WeasyPrint's line breaking can go wrong
    (an extra box made it break « Rendre / les informations de la Caf de / Paris … »)."""

    def __init__(self, names: Iterable[str]) -> None:
        typed = sorted({french(n.strip()) for n in names if n.strip()}, key=len, reverse=True)
        words = "|".join(re.escape(n) for n in typed)
        self.pattern = re.compile(rf"(?<![\w-])(?:{words})(?![\w-])|{_RANGE}" if words
                                  else _RANGE)

    def html(self, piece: str) -> Markup:
        """`piece` (already typographed text) escaped, its names marked."""
        out: list[Markup] = []
        last = 0
        for match in self.pattern.finditer(piece):
            out.append(escape(piece[last:match.start()]))
            name = match.group(0)
            if "-" not in name and all(len(w) < SHORTEST_HYPHENATED
                                       for w in re.split(r"[\s\u00a0’']+", name)):
                out.append(escape(name))  # too short to be hyphenated: no box to break on
            elif re.fullmatch(r"[^\s\u00a0]+", name):
                kind = "nom insecable" if "-" in name else "nom"
                out.append(Markup('<span class="{}">{}</span>').format(kind, name))
            else:  # a name of several words: its hyphenated words unbroken
                inner = Markup("").join(
                    Markup('<span class="insecable">{}</span>').format(w) if "-" in w
                    else escape(w) for w in re.split(r"([\s\u00a0]+)", name))
                out.append(Markup('<span class="nom">{}</span>').format(inner))
            last = match.end()
        out.append(escape(piece[last:]))
        return Markup("").join(out)

    def to_html(self, text: str) -> Markup:
        """Plain `text` as escaped HTML with French typography, ordinal exponents and
        names kept whole."""
        return Markup("").join(
            Markup("<sup>{}</sup>").format(piece) if sup else self.html(piece)
            for piece, sup in segments(text)
            if piece
        )


PLAIN = Keeper(())


def to_html(text: str) -> Markup:
    """Plain `text` as escaped HTML with French typography and ordinal exponents."""
    return PLAIN.to_html(text)
