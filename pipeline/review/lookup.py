"""Stage 2 (review: the dictionary) — Hunspell's French dictionary, asked once per word.

`pyenchant` (on `libenchant-2-2`) finds Hunspell's French dictionary by its language
tag. Loading it and asking it about the 2 600 distinct words of the Schéma takes about
0.3 s, as long as the whole of `make check`; its verdicts are therefore kept between runs
in the user's cache folder, keyed by the dictionary's files (size and date): a run that
meets only words already asked neither imports enchant nor loads the dictionary. A new
dictionary (another `hunspell-fr`) starts a new cache. Nothing of the cache reaches a
publication: it only spares look-ups.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

LANGUAGES = ("fr_FR", "fr")
HUNSPELL_DIRS = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts")


class Dictionary(Protocol):
    def check(self, word: str) -> bool: ...

    def suggest(self, word: str) -> list[str]: ...


class DictionaryMissing(Exception):
    """Hunspell's French dictionary or libenchant is not installed."""


def cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "schema-familles" / "hunspell-fr.json"


def signature() -> str | None:
    """The installed French dictionary's files (path, size, date), or None if not found."""
    for folder in HUNSPELL_DIRS:
        for tag in LANGUAGES:
            files = [Path(folder) / f"{tag}.{ext}" for ext in ("dic", "aff")]
            if all(f.is_file() for f in files):
                stats = [(str(f.resolve()), f.stat().st_size, f.stat().st_mtime_ns)
                         for f in files]
                return json.dumps(stats)
    return None


def load_dictionary() -> Dictionary:
    try:
        import enchant  # finds the C library when imported
    except ImportError as exc:
        raise DictionaryMissing(str(exc)) from None
    for tag in LANGUAGES:
        if enchant.dict_exists(tag):
            found: Dictionary = enchant.Dict(tag)
            return found
    raise DictionaryMissing("pas de dictionnaire français pour enchant")


@dataclass
class Lookup:
    """Hunspell's verdict on words and its suggestions, remembered in `path`."""

    path: Path
    key: str | None
    known: dict[str, bool] = field(default_factory=dict)
    suggestions: dict[str, list[str]] = field(default_factory=dict)
    dictionary: Dictionary | None = None
    changed: bool = False

    @classmethod
    def open(cls, path: Path | None = None) -> Lookup:
        path = path or cache_file()
        key = signature()
        stored = _read(path)
        if key is None or stored.get("dictionnaire") != key:
            return cls(path, key)
        return cls(path, key, dict(stored.get("mots", {})), dict(stored.get("suggestions", {})))

    def check(self, word: str) -> bool:
        if word not in self.known:
            self.known[word] = self._dictionary().check(word)
            self.changed = True
        return self.known[word]

    def suggest(self, word: str) -> list[str]:
        if word not in self.suggestions:
            self.suggestions[word] = self._dictionary().suggest(word)[:5]
            self.changed = True
        return self.suggestions[word]

    def _dictionary(self) -> Dictionary:
        if self.dictionary is None:
            self.dictionary = load_dictionary()
        return self.dictionary

    def save(self) -> None:
        """Write what was learnt (atomically: several runs may share the cache)."""
        if not self.changed or self.key is None:
            return
        body = {"dictionnaire": self.key, "mots": self.known, "suggestions": self.suggestions}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        except OSError:  # a cache that cannot be written is only slower next time
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(body, handle, ensure_ascii=False)
            os.replace(tmp, self.path)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
            return
        self.changed = False


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
