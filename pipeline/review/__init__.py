"""Stage 2 (review) — the editorial reviews: spelling, consistency, and the committee's pack.

`review` reads the validated Schéma as printed (`text.Reading`) and runs the spelling
check (`spelling`, Hunspell's French dictionary) and the consistency and typesetting
rules (`consistency`, `typesetting`). `make check` prints their issues as warnings, never
errors (`warn`); `make relecture` lays them out with every editorial decision, open
question and query for the authors (`pack`, `render`). Nothing here imports WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import Findings, SourceLocation
from pipeline.model import Schema
from pipeline.review import consistency, typesetting
from pipeline.review.issues import Issue
from pipeline.review.lookup import DictionaryMissing, Lookup
from pipeline.review.spelling import Speller, missing_dictionary, misspellings, speller_for
from pipeline.review.text import Reading

RULES = (consistency.same_actions, consistency.name_forms, consistency.acronyms_spelled_out,
         typesetting.thousands, typesetting.final_stops, typesetting.straight_quotes)


@dataclass(frozen=True)
class Review:
    reading: Reading
    spelling: list[Issue]  # empty when the dictionary is missing
    consistency: list[Issue]
    speller: Speller | None  # None: no French dictionary installed

    @property
    def issues(self) -> list[Issue]:
        return self.spelling + self.consistency


def review(schema: Schema, content: Path, spelling: bool = True) -> Review:
    """Every spelling and consistency issue of the Schéma as printed."""
    reading = Reading(schema)
    found = [issue for rule in RULES for issue in rule(reading)]
    if not spelling:
        return Review(reading, [], found, None)
    lookup = Lookup.open()
    speller = speller_for(reading, content, lookup)
    try:
        words = misspellings(reading, speller)
    except DictionaryMissing:
        return Review(reading, [], found, None)
    lookup.save()
    return Review(reading, words, found, speller)


def warn(schema: Schema, content: Path, findings: Findings, spelling: bool = True) -> None:
    """The issues as warnings of `make check`, in the order of the publication; one more
    when the French dictionary is missing."""
    result = review(schema, content, spelling)
    rank = result.reading.part
    for issue in sorted(result.issues, key=lambda i: (rank(i.location).rank, i.location.line)):
        issue.warning(findings)
    if spelling and result.speller is None:
        findings.warning(SourceLocation.of(f"{content}/"), missing_dictionary())


__all__ = ["Review", "review", "warn"]
