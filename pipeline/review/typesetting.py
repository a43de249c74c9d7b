"""Stage 2 (review: typesetting) — what typography cannot settle alone, left in the source.

Rules on the printed text (`text.Reading`), each returning `Issue`s with their places: a
number of four digits or more without its thousands space (`typography` spaces « 2 190 »
but cannot split « 2190 »: a year, a code or a number?), titles of one level some ending
with a full stop and some not, straight double quotes and `...` (« » and … are meant).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from markdown_it.token import Token

from pipeline.markdown import parse
from pipeline.model import Text
from pipeline.printed import Way
from pipeline.review.issues import Issue, Place
from pipeline.review.text import Reading, plain

NUMBER = re.compile(r"(?<![\w.,/-])\d{4,}(?![\w]|[.,/-]\d)")
YEARS = range(1800, 2101)
STRAIGHT = re.compile(r'"[^"\n]{1,200}"|"|\.\.\.')


def thousands(reading: Reading) -> list[Issue]:
    """« 10000 » for « 10 000 » (a year, 1800 to 2100, is not a number to space)."""
    issues = []
    for piece in reading.pieces:
        for match in NUMBER.finditer(piece.text):
            if len(match[0]) == 4 and int(match[0]) in YEARS:
                continue
            spaced = f"{int(match[0]):,}".replace(",", " ")
            issues.append(Issue("milliers", f"nombre « {match[0]} » sans espace des milliers : "
                                f"écrivez « {spaced} » (sauf s'il s'agit d'un code ou d'un "
                                "numéro)", (Place.of(reading, piece, *match.span()),)))
    return issues


def straight_quotes(reading: Reading) -> list[Issue]:
    """Straight double quotes and three full stops, where « » and … are meant."""
    issues = []
    for piece in reading.pieces:
        for match in STRAIGHT.finditer(piece.text):
            said = ("« ... » : écrivez « … » (points de suspension)" if match[0] == "..." else
                    "guillemets droits « \" » : écrivez « texte » (guillemets français)")
            issues.append(Issue("guillemets", said, (Place.of(reading, piece, *match.span()),)))
    return issues


def final_stops(reading: Reading) -> list[Issue]:
    """Titles of one level, some ending with a full stop and some not: the fewer are listed."""
    issues = []
    for level, titles in _titles(reading).items():
        ending = [t for t in titles if t[0].rstrip(" *").endswith(".")]
        other = [t for t in titles if not t[0].rstrip(" *").endswith(".")]
        if not ending or not other:
            continue
        fewer, said = ((ending, "finissent par un point") if len(ending) <= len(other)
                       else (other, "ne finissent pas par un point"))
        places = tuple(Place.text(reading, text, what) for _title, text, what in fewer)
        issues.append(Issue("point final", f"{level} : {len(fewer)} sur {len(titles)} {said}, "
                            "les autres non ; harmonisez", places))
    return issues


Titles = dict[str, list[tuple[str, Text, str]]]  # level → (printed title, its text, what)


def _titles(reading: Reading) -> Titles:
    schema = reading.schema
    levels: Titles = {}

    def add(level: str, title: str, text: Text, what: str) -> None:
        levels.setdefault(level, []).append((title, text, what))

    for chapter in schema.chapters:
        add("titres de chapitres", chapter.title, chapter.title, f"chapitre {chapter.id}")
    for axis in schema.axes:
        add("titres d'axes", axis.title, axis.title, f"axe {axis.number}")
        for strategic in axis.strategic:
            if strategic.letter:
                add("titres d'objectifs stratégiques", strategic.title, strategic.title,
                    f"objectif stratégique {strategic.letter}")
            for objective in strategic.objectives:
                if objective.title:
                    add("titres d'objectifs", objective.title, objective.title,
                        f"objectif {objective.key}")
                for action in objective.actions:
                    add("intitulés d'actions", action.title, action.title, f"action {action.id}")
    for field in reading.fields:
        if field.way is Way.BLOCK and field.text:
            for level, title, line in _headings(field.text):
                add(f"intertitres de niveau {level}", title, Text(title, field.text.line_at(line)),
                    field.what)
    return levels


def _headings(text: Text) -> Iterator[tuple[int, str, int]]:
    """(level, printed title, line) of each Markdown heading of `text`."""
    tokens: tuple[Token, ...] = parse(text).tokens
    for opening, inline in pairwise(tokens):
        if opening.type == "heading_open" and opening.map:
            yield int(opening.tag[1:]), plain(inline), opening.map[0]
