"""Typed access to one YAML mapping, reporting every mistake with its line.

`Fields` wraps a `YMap` read by `yamlsrc`: it refuses unknown keys, reports missing or
mistyped values as findings (so that one run lists every problem) and converts text to
the types the model wants. A value without a line of its own (an empty one) is reported
at the line of its key, or of the mapping that holds it.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import Findings, SourceLocation
from pipeline.model import EditorialNote, NoteKind, Text
from pipeline.yamlsrc import YList, YMap, YStr, YValue

NOTE_KEYS = {"note_editoriale", "a_completer", "requete"}  # allowed on every mapping of content/
_TRUE = {"oui", "true", "yes", "vrai"}
_FALSE = {"non", "false", "no", "faux"}


class Fields:
    """The fields of one mapping, as `what` (e.g. "action") in file `path`.

    `line` is where to report problems when `node` has no line (it is empty).
    """

    def __init__(
        self, node: YValue, path: Path, findings: Findings, what: str, allowed: set[str],
        line: int = 0,
    ) -> None:
        self.path, self.findings, self.what = path, findings, what
        self.line = getattr(node, "line", 0) or line
        if not isinstance(node, YMap):
            self.error(self.line, f"{what} : une liste de champs « clé: valeur » est attendue")
            node = YMap.empty(self.line)
        self.node = node
        for key in node:
            if key not in allowed:
                self.error(node.key_lines[key], _unknown_key(key, what, allowed))

    def loc(self, line: int | None = None) -> SourceLocation:
        return SourceLocation.of(self.path, self.line if line is None else line)

    def error(self, line: int, message: str) -> None:
        self.findings.error(SourceLocation.of(self.path, line or self.line), message)

    def key_line(self, key: str) -> int:
        return self.node.key_lines.get(key, self.line)

    def mapping(self, key: str, what: str, allowed: set[str]) -> Fields | None:
        """The mapping under `key`, or None (reported) when it is missing."""
        if self.node.get(key) is None:
            self.error(self.key_line(key), f"{self.what} : champ « {key} » manquant ou vide")
            return None
        return Fields(self.node[key], self.path, self.findings, what, allowed, self.key_line(key))

    def located(self, value: YStr) -> Text:
        """The value, stripped, as a `Text` at the line its text begins on."""
        skipped = value[: len(value) - len(value.lstrip())].count("\n")
        return Text(value.strip(), self.loc(value.text_line + skipped))

    def string(self, key: str, required: bool = True) -> Text:
        """`text`, or an empty `Text` at the key's line when it is missing (reported)."""
        return self.text(key, required) or Text("", self.loc(self.key_line(key)))

    def text(self, key: str, required: bool = True) -> Text | None:
        value = self.node.get(key)
        if value is None:
            if required:
                self.error(self.key_line(key), f"{self.what} : champ « {key} » manquant ou vide")
            return None
        if not isinstance(value, YStr):
            self.error(self.key_line(key), f"{self.what} : « {key} » doit être un texte")
            return None
        if required and not value.strip():
            self.error(value.line, f"{self.what} : champ « {key} » vide")
            return None
        return self.located(value)

    def integer(self, key: str) -> int | None:
        raw = self.text(key)
        if raw is None:
            return None
        if not (raw.isascii() and raw.isdigit()):
            self.error(self.key_line(key),
                       f"{self.what} : « {key} » doit être un nombre, pas « {raw} »")
            return None
        return int(raw)

    def flag(self, key: str) -> bool:
        raw = self.text(key, required=False)
        if raw is None:
            return False
        if raw.lower() in _TRUE | _FALSE:
            return raw.lower() in _TRUE
        self.error(self.key_line(key), f"{self.what} : « {key} » vaut oui ou non, pas « {raw} »")
        return False

    def seq(self, key: str, required: bool = True) -> YList:
        value = self.node.get(key)
        if isinstance(value, YList):
            return value
        if value is not None or required:
            self.error(self.key_line(key), f"{self.what} : « {key} » doit être une liste")
        return YList()

    def each(self, key: str, what: str, allowed: set[str],
             required: bool = True) -> list[Fields]:
        """The mappings listed under `key`, each as its own `Fields` of `what`."""
        items = self.seq(key, required)
        line = items.line or self.key_line(key)
        return [Fields(item, self.path, self.findings, what, allowed, line) for item in items]

    def texts(self, key: str, required: bool = True) -> tuple[Text, ...]:
        items = self.seq(key, required)
        result = []
        for item in items:
            if isinstance(item, YStr) and item.strip():
                result.append(self.located(item))
            else:
                self.error(getattr(item, "line", items.line),
                           f"{self.what} : « {key} » : texte attendu")
        return tuple(result)


def notes_of(fields: Fields, subject: str = "") -> tuple[EditorialNote, ...]:
    """The notes written on one mapping (their type is checked by `load.editorial_notes`)."""
    notes = []
    for kind in NoteKind:
        value = fields.node.get(kind.value)
        if isinstance(value, YStr) and value.strip():
            notes.append(EditorialNote(value.strip(), fields.loc(value.line), kind, subject))
    return tuple(notes)


def _unknown_key(key: str, what: str, allowed: set[str]) -> str:
    return f"{what} : clé inconnue « {key} » (clés possibles : {', '.join(sorted(allowed))})"
