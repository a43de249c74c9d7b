"""Stage 2 (review: spelling) — a French spell check of every printed word.

Hunspell's French dictionary (Debian's `hunspell-fr`), read through `pyenchant` and
`libenchant-2-2`: the binding Debian and PyPI both maintain, which finds the system's
Hunspell dictionaries by their language tag without a path. Known besides the dictionary:
the project's word list `content/lexique.txt` (names, acronyms, terms of the field), the
glossary's acronyms, and, in the text, the words of the registries' names (a name is
checked where it is defined, in its registry). Words are read from the renderer's text
tokens (`text.Reading`); inclusive forms (`enfant.s`, `parent·s`, `acteur·rice·s`) are
read as the word they extend. Each distinct word is looked up once (`lookup`, whose
verdicts last between runs); suggestions, slow (Hunspell takes up to 0.4 s a word), are
asked only for the review pack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pipeline.review.issues import Issue, Place
from pipeline.review.lookup import Lookup
from pipeline.review.text import Reading

LEXICON = "lexique.txt"
INSTALL = "apt-get install hunspell-fr libenchant-2-2 (ou sh tools/system-deps.sh)"
URL = re.compile(r"[a-z]+://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+")
WORD = re.compile(r"(?<![\w/@])[^\W\d_]+(?:[-‐‑·•‧.'’][^\W\d_]+)*(?![\w])")
INCLUSIVE = re.compile(r"[·•‧.]")
ELIDED = re.compile(r"(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu|quelqu)['’]",
                    re.IGNORECASE)
NAME_FILES = ("organisations.yml", "signataires.yml", "instances.yml")


def missing_dictionary() -> str:
    """What to install: one line, for `make check` and `make relecture`."""
    return ("orthographe non vérifiée : dictionnaire français (Hunspell) ou libenchant "
            f"introuvable ; installez-les : {INSTALL}")


def read_lexicon(content: Path) -> set[str]:
    """The words of content/lexique.txt, one a line (`#` starts a comment)."""
    path = content / LEXICON
    if not path.is_file():
        return set()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return {line for line in lines if line}


class Speller:
    """Tells known words from unknown ones; each distinct word asked of Hunspell once."""

    def __init__(self, lookup: Lookup, known: set[str], names: set[str]) -> None:
        self.lookup = lookup
        self.known = known  # everywhere: lexique, acronyms
        self.names = names  # in the text: the registries' names
        self.cache: dict[str, bool] = {}
        self.verdicts: dict[tuple[str, bool], bool] = {}

    def correct(self, word: str, in_registry: bool = False) -> bool:
        key = (word, in_registry)
        verdict = self.verdicts.get(key)
        if verdict is None:
            verdict = self.verdicts[key] = self._correct(word, in_registry)
        return verdict

    def _correct(self, word: str, in_registry: bool) -> bool:
        if word in self.known or _uncapitalised(word) in self.known:
            return True
        if not in_registry and word in self.names:
            return True
        return self._in_dictionary(word)

    def _in_dictionary(self, word: str) -> bool:
        if word not in self.cache:
            self.cache[word] = self._look_up(word)
        return self.cache[word]

    def _look_up(self, word: str) -> bool:
        if len(word) < 2 or word.isupper() or self.lookup.check(word.replace("’", "'")):
            return True
        parts = [p for p in re.split(r"['’-]", word) if p]
        if len(parts) < 2:
            return False
        return all(self._in_dictionary(p) for p in parts) or (  # tou-te-s: toutes
            "-" in word and all(len(p) <= 3 for p in parts[1:])
            and self._in_dictionary("".join(parts)))

    def suggest(self, word: str) -> tuple[str, ...]:
        return tuple(self.lookup.suggest(word.replace("’", "'")))


def _uncapitalised(word: str) -> str:
    return word[:1].lower() + word[1:]


def words(text: str) -> Iterator[tuple[str, int, int]]:
    """Each word to check in `text`, with where it is written (inclusive forms whole)."""
    for match in WORD.finditer(_without_urls(text)):
        word, position = match[0], match.start()
        elided = ELIDED.match(word) if "’" in word or "'" in word else None  # l’, qu’…
        if elided and len(word) > elided.end():
            word, position = word[elided.end() :], position + elided.end()
        if not INCLUSIVE.search(word):
            yield word, position, match.end()
            continue
        parts = INCLUSIVE.split(word)
        if all(p.islower() and len(p) <= 5 for p in parts[1:]):  # enfant.s, acteur·rice·s
            yield _inclusive_base(parts), position, match.end()
            continue
        for part in parts:  # an abbreviation, or words run together by a full stop
            yield part, position, position + len(part)
            position += len(part) + 1


def _inclusive_base(parts: list[str]) -> str:
    """The word an inclusive form extends: « acteur·rice·s » → acteur, « tou·te·s » → toutes."""
    return parts[0] if len(parts[0]) > 3 else "".join(parts)


def misspellings(reading: Reading, speller: Speller) -> list[Issue]:
    """Every unknown word, once, with each place it is printed at (in printing order).

    Each distinct word of the whole text is judged once; only the texts that hold an
    unknown one are then read word by word, for its places."""
    pieces = [(p, p.location.path.endswith(NAME_FILES)) for p in reading.pieces]
    suspects = set()
    for in_registry in (False, True):
        text = "\n".join(_without_urls(p.text) for p, registry in pieces
                         if registry is in_registry)
        for raw in set(WORD.findall(text)):
            if any(not speller.correct(w, in_registry) for w, _s, _e in words(raw)):
                suspects.add(raw)
    found: dict[str, list[Place]] = {}
    for piece, in_registry in pieces:
        if not any(raw in piece.text for raw in suspects):
            continue
        for word, start, end in words(piece.text):
            if not speller.correct(word, in_registry):
                found.setdefault(word, []).append(Place.of(reading, piece, start, end))
    return [Issue("orthographe", f"mot inconnu du dictionnaire : « {word} » ; s'il est juste, "
                  f"ajoutez-le à content/{LEXICON}", tuple(places), word)
            for word, places in found.items()]


def _without_urls(text: str) -> str:
    if "://" in text or "@" in text or "www." in text:
        return URL.sub(lambda m: " " * len(m[0]), text)
    return text


def speller_for(reading: Reading, content: Path, lookup: Lookup) -> Speller:
    """The speller of a Schéma: its lexique, its acronyms, the words of its registries' names."""
    schema = reading.schema
    acronyms = {t.acronym for t in schema.glossary} | set(schema.not_acronyms)
    names = [o.name for o in schema.organisations] + [o.full_name or "" for o in
                                                      schema.organisations]
    names += [s.name for o in schema.organisations for s in o.services]
    names += [p.name for p in schema.signatories] + [i.name for i in schema.instances]
    name_words = {word for name in names for word, _start, _end in words(name)}
    return Speller(lookup, read_lexicon(content) | acronyms, name_words)
