"""Stage 2 (review: findings) — what the spelling and consistency reviews report.

An `Issue` is one finding of a review (an unknown word, two forms of one name, two
identical descriptions…) with every place it occurs, each with its passage. `make check`
prints each issue as one warning at its first place; the review pack lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.errors import Findings, SourceLocation
from pipeline.model import Text
from pipeline.review.text import Piece, Reading, around, shorten


@dataclass(frozen=True)
class Place:
    """Where an issue occurs: file and line, what is printed there, and the passage."""

    location: SourceLocation
    what: str  # e.g. « action 1.2.3 : intitulé »
    part: str  # e.g. « Axe 2 »
    section: str  # the heading it follows, in a chapter
    before: str
    match: str
    after: str

    @classmethod
    def of(cls, reading: Reading, piece: Piece, start: int = 0, end: int | None = None,
           ) -> Place:
        before, match, after = around(piece.text, start, len(piece.text) if end is None else end)
        return cls(piece.location, piece.field.what, reading.part(piece.location).label,
                   piece.section, before, match, after)

    @classmethod
    def text(cls, reading: Reading, text: Text, what: str) -> Place:
        """A whole printed string of the model (a title, a descriptif), shortened."""
        return cls(text.location, what, reading.part(text.location).label, "", "",
                   shorten(text), "")


@dataclass(frozen=True)
class Issue:
    """One finding of a review, with every place it occurs."""

    rule: str  # « orthographe », « doublon », « graphie », « milliers »…
    message: str  # in French, one sentence, said to the editor
    places: tuple[Place, ...]
    word: str = ""  # the unknown word (spelling)
    suggestions: tuple[str, ...] = ()

    @property
    def location(self) -> SourceLocation:
        return self.places[0].location

    def warning(self, findings: Findings) -> None:
        """One `path:line: warning:` at its first place, naming the others."""
        others = [str(p.location) for p in self.places[1:]]
        also = ""
        if others:
            shown = ", ".join(others[:3]) + (f" et {len(others) - 3} autre(s)"
                                             if len(others) > 3 else "")
            also = f" (aussi : {shown})"
        findings.warning(self.location, f"{self.rule} : {self.message}{also}")
