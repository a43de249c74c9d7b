"""Reading YAML safely, every value as text that remembers its line.

The content's YAML is composed with PyYAML's safe composer and never resolved by it:
`NO`, `01000` or `12:30` stay the text the editor typed, duplicate keys are refused and
tabs are reported with a hint. The loader stage converts the text to typed values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Union

import yaml

from pipeline.errors import PipelineError, SourceLocation


class YStr(str):
    """A scalar with the line it was written on."""

    line: int
    plain: bool

    def __new__(cls, value: str, line: int, plain: bool = False) -> YStr:
        obj = super().__new__(cls, value)
        obj.line = line
        obj.plain = plain
        return obj


class YList(list["YValue"]):
    line: int = 0


class YMap(dict[str, "YValue"]):
    line: int = 0
    key_lines: dict[str, int]


YValue = Union[YStr, YList, YMap, None]
_NULLS = {"", "~", "null", "Null", "NULL"}


def read_text(path: Path) -> str:
    """The file's text, or an editor-readable error when it is not UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise PipelineError.at(
            SourceLocation.of(path, line),
            "le fichier n'est pas en UTF-8 : réenregistrez-le en UTF-8",
        ) from None
    except FileNotFoundError:
        raise PipelineError.at(SourceLocation.of(path), "fichier introuvable") from None


def load_yaml(path: Path, text: str | None = None) -> YValue:
    """Parse one YAML document into YMap/YList/YStr, or raise a located error."""
    text = read_text(path) if text is None else text
    if not text.strip():
        raise PipelineError.at(SourceLocation.of(path, 1), "le fichier est vide")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise PipelineError.at(_mark_location(path, exc), _yaml_message(exc)) from None
    except yaml.YAMLError as exc:
        raise PipelineError.at(SourceLocation.of(path), f"YAML illisible : {exc}") from None
    return _convert(node, path)


def _mark_location(path: Path, exc: yaml.MarkedYAMLError) -> SourceLocation:
    mark = exc.problem_mark or exc.context_mark
    return SourceLocation.of(path, mark.line + 1 if mark else 0)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "erreur de syntaxe"
    if "\\t" in problem or "tab" in problem:
        return "tabulation interdite : indentez avec des espaces"
    return f"syntaxe YAML : {problem}"


def _convert(node: yaml.Node | None, path: Path) -> YValue:
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        plain = node.style is None
        if plain and node.value in _NULLS:
            return None
        return YStr(node.value, node.start_mark.line + 1, plain)
    if isinstance(node, yaml.SequenceNode):
        seq = YList(_convert(item, path) for item in node.value)
        seq.line = node.start_mark.line + 1
        return seq
    assert isinstance(node, yaml.MappingNode)
    return _convert_map(node, path)


def _convert_map(node: yaml.MappingNode, path: Path) -> YMap:
    result = YMap()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + 1
        if key in result.key_lines:
            raise PipelineError.at(
                SourceLocation.of(path, line),
                f"clé « {key} » en double (déjà à la ligne {result.key_lines[key]})",
            )
        result.key_lines[key] = line
        result[key] = _convert(value_node, path)
    return result
