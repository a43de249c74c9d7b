"""Reading YAML safely, every value as text that remembers its line.

The content's YAML is composed with PyYAML's safe composer and never resolved by it:
`NO`, `01000` or `12:30` stay the text the editor typed, duplicate keys are refused and
tabs are reported with a hint. Aliases (`*nom`) are refused and nesting is bounded, so
that no file can make the loader loop or recurse without end. The loader stage converts
the text to typed values.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import yaml

from pipeline.errors import Findings, PipelineError, SourceLocation

MAX_DEPTH = 40  # an axis with strategic objectives and descriptif points nests 10 deep


class YStr(str):
    """A scalar with the line it was written on (`text_line`: where its text begins)."""

    line: int
    plain: bool
    text_line: int

    def __new__(cls, value: str, line: int, plain: bool = False, text_line: int = 0) -> YStr:
        obj = super().__new__(cls, value)
        obj.line = line
        obj.plain = plain
        obj.text_line = text_line or line
        return obj


class YList(list["YValue"]):
    line: int = 0


class YMap(dict[str, "YValue"]):
    line: int = 0
    key_lines: dict[str, int]

    @classmethod
    def empty(cls, line: int = 0) -> YMap:
        result = cls()
        result.line = line
        result.key_lines = {}
        return result


YValue = YStr | YList | YMap | None
_NULLS = {"", "~", "null", "Null", "NULL"}


class _Refused(yaml.MarkedYAMLError):
    """A construct that is valid YAML but not allowed in the content."""


class _Composer(yaml.SafeLoader):
    """PyYAML's safe loader used for composing only: no alias, bounded nesting."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(None, None, f"alias YAML « *{event.anchor} » interdit : recopiez la "
                           "valeur elle-même (les ancres & et alias * ne sont pas permis)", mark)
        if self.depth >= MAX_DEPTH:
            raise _Refused(None, None, f"contenu imbriqué trop profondément (plus de {MAX_DEPTH} "
                           "niveaux) : simplifiez la structure", mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def read_text(path: Path) -> str:
    """The file's text, or an editor-readable error: missing, unreadable, not a plain file
    (a folder, a named pipe: never waited on), not UTF-8."""
    data = _read_bytes(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PipelineError.at(
            SourceLocation.of(path, line),
            "le fichier n'est pas en UTF-8 : réenregistrez-le en UTF-8",
        ) from None


def _read_bytes(path: Path) -> bytes:
    """Opened without blocking (a FIFO would wait for a writer), then its type checked."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    try:
        kind = os.fstat(handle).st_mode
        if stat.S_ISDIR(kind):
            raise _unreadable(path, IsADirectoryError(errno.EISDIR, "dossier"))
        if not stat.S_ISREG(kind):
            raise PipelineError.at(SourceLocation.of(path, 1), "ce n'est pas un fichier ordinaire "
                                   "(tube nommé, périphérique…) : remplacez-le par un fichier")
        with os.fdopen(os.dup(handle), "rb") as stream:
            return stream.read()
    except OSError as exc:
        raise _unreadable(path, exc) from None
    finally:
        os.close(handle)


def _unreadable(path: Path, exc: OSError) -> PipelineError:
    if isinstance(exc, FileNotFoundError):
        message = "fichier introuvable"
    elif isinstance(exc, IsADirectoryError):
        message = "un dossier porte ce nom : un fichier est attendu"
    elif isinstance(exc, PermissionError):
        message = "fichier illisible (permission refusée) : vérifiez ses droits (chmod a+r)"
    elif exc.errno == errno.ENXIO:
        message = ("ce n'est pas un fichier ordinaire (prise, périphérique…) : remplacez-le "
                   "par un fichier")
    else:
        message = f"fichier illisible ({exc.strerror or exc}) : vérifiez le disque et ses droits"
    return PipelineError.at(SourceLocation.of(path, 1), message)


def read_or_report(path: Path, findings: Findings) -> YValue:
    """The file's YAML; None when it cannot be read (and the reason is in `findings`), so
    that one run reads every other file and reports everything at once."""
    try:
        return load_yaml(path)
    except PipelineError as exc:
        findings.extend(exc.findings)
        return None


def load_yaml(path: Path, text: str | None = None) -> YValue:
    """Parse one YAML document into YMap/YList/YStr, or raise a located error."""
    text = read_text(path) if text is None else text
    if not text.strip():
        raise PipelineError.at(SourceLocation.of(path, 1), "le fichier est vide")
    fast = _compose_with_libyaml(text, path)
    if fast is not _SLOW:
        return fast
    try:
        node = yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as exc:
        raise PipelineError.at(_mark_location(path, exc), _yaml_message(exc)) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise PipelineError.at(SourceLocation.of(path, line), f"caractère interdit (U+"
                               f"{exc.character:04X}) : retirez-le") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise PipelineError.at(SourceLocation.of(path, 1), f"YAML illisible : {exc}") from None
    if node is None:
        raise PipelineError.at(SourceLocation.of(path, 1),
                               "le fichier ne contient aucune donnée (seulement des commentaires)")
    return _convert(node, path)


_SLOW = YStr("", 0)  # the fast path's answer when the careful one must speak
_Frame = tuple["YMap | YList", list[str | None]]  # a collection being read, its pending key


def _compose_with_libyaml(text: str, path: Path) -> YValue:
    """The document read from libyaml's events (twenty times faster than PyYAML's Python
    parser), or `_SLOW` for anything but a plain, well-formed document: an error, an
    alias, deep nesting, a duplicate or complex key, several documents. The careful path
    (`_Composer`) then reads it again and says what is wrong, in its own words."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return _SLOW
    try:
        return _from_events(yaml.parse(text, Loader=loader), path)
    except (yaml.YAMLError, _NotPlain):
        return _SLOW


class _NotPlain(Exception):
    """A construct the fast path leaves to the careful one."""


def _from_events(events: Iterator[yaml.Event], path: Path) -> YValue:
    stack: list[_Frame] = []
    root: list[YValue] = []
    documents = 0
    for event in events:
        line = (event.start_mark.line if event.start_mark else 0) + 1
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
        if documents > 1 or isinstance(event, yaml.AliasEvent) or len(stack) >= MAX_DEPTH:
            raise _NotPlain
        if isinstance(event, yaml.ScalarEvent):
            _add(stack, root, _scalar(event, line, path), line)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            child: YMap | YList = YMap.empty(line) if isinstance(
                event, yaml.MappingStartEvent) else YList()
            child.line = line
            _add(stack, root, child, line)
            stack.append((child, [None]))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
    if not root:
        raise _NotPlain  # comments only: the careful path says so
    return root[0]


def _scalar(event: yaml.ScalarEvent, line: int, path: Path) -> YStr | None:
    plain = not event.style  # libyaml says "" where PyYAML says None
    if plain and event.value in _NULLS:
        return None
    _refuse_surrogates(event.value, path, line)
    return YStr(event.value, line, plain, line + 1 if event.style in ("|", ">") else line)


def _add(stack: list[_Frame], root: list[YValue], value: YValue, line: int) -> None:
    """Put `value` where the document is being read: a key, a value, an item, the root."""
    if not stack:
        root.append(value)
        return
    parent, pending = stack[-1]
    if isinstance(parent, YList):
        parent.append(value)
    elif pending[0] is None:  # a key
        if not isinstance(value, YStr) or str(value) in parent.key_lines:
            raise _NotPlain
        pending[0] = str(value)
        parent.key_lines[str(value)] = line
    else:
        parent[pending[0]] = value
        pending[0] = None


def _mark_location(path: Path, exc: yaml.MarkedYAMLError) -> SourceLocation:
    mark = exc.problem_mark or exc.context_mark
    return SourceLocation.of(path, mark.line + 1 if mark else 1)


# PyYAML's commonest problems, said in French with what to change.
_PROBLEMS = (
    ("'\\t'", "tabulation interdite : indentez avec des espaces"),
    ("mapping values are not allowed here",
     "« : » inattendu : mettez entre guillemets un texte qui contient « : », ou corrigez "
     "l'indentation"),
    ("expected ',' or ']'", "crochet « [ » ouvert{context} et jamais fermé : ajoutez « ] »"),
    ("expected ',' or '}'", "accolade « { » ouverte{context} et jamais fermée : ajoutez « } »"),
    ("found unexpected end of stream", "guillemet ouvert{context} et jamais fermé"),
    ("could not find expected ':'", "ligne sans « : » : écrivez « clé: valeur »"),
    ("expected <block end>", "indentation incohérente : alignez cette ligne sur ses voisines"),
    ("found duplicate anchor", "ancre « & » en double : les ancres ne sont pas permises"),
    ("expected a single document", "un seul document par fichier : retirez la ligne « --- »"),
)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "erreur de syntaxe"
    if isinstance(exc, _Refused):
        return problem
    context = f" ligne {exc.context_mark.line + 1}" if exc.context_mark else ""
    for english, french in _PROBLEMS:
        if english in problem or english in (exc.context or ""):
            return "syntaxe YAML : " + french.replace("{context}", context)
    return f"syntaxe YAML : {problem}"


def _convert(node: yaml.Node, path: Path) -> YValue:
    if isinstance(node, yaml.ScalarNode):
        plain = node.style is None
        if plain and node.value in _NULLS:
            return None
        line = node.start_mark.line + 1
        _refuse_surrogates(node.value, path, line)
        return YStr(node.value, line, plain, line + 1 if node.style in ("|", ">") else line)
    if isinstance(node, yaml.SequenceNode):
        seq = YList(_convert(item, path) for item in node.value)
        seq.line = node.start_mark.line + 1
        return seq
    assert isinstance(node, yaml.MappingNode)
    return _convert_map(node, path)


def _refuse_surrogates(value: str, path: Path, line: int) -> None:
    """Escapes like "\\ud800" give text that no file can hold."""
    if any("\ud800" <= char <= "\udfff" for char in value):
        raise PipelineError.at(SourceLocation.of(path, line), "caractère invalide (échappement "
                               "« \\ud8.. » isolé) : écrivez le caractère lui-même")


def _convert_map(node: yaml.MappingNode, path: Path) -> YMap:
    result = YMap.empty(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise PipelineError.at(SourceLocation.of(path, line),
                                   "clé invalide : une clé est un simple mot, pas une liste")
        key = str(key_node.value)
        _refuse_surrogates(key, path, line)
        if key in result.key_lines:
            raise PipelineError.at(
                SourceLocation.of(path, line),
                f"clé « {key} » en double (déjà à la ligne {result.key_lines[key]})",
            )
        result.key_lines[key] = line
        result[key] = _convert(value_node, path)
    return result
