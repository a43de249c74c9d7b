"""Stage 4c (open data) — the whole model as JSON, and its JSON Schema, from the dataclasses.

`export` walks the frozen dataclasses of `model` (the printed texts as written, Markdown
included); `json_schema` derives the JSON Schema from the same classes' type hints, so the
two cannot drift. What is never published stays out: source locations and editorial notes.
"""

from __future__ import annotations

import dataclasses
import datetime
import types
import typing
from enum import Enum
from typing import Any

from pipeline import model
from pipeline.errors import SourceLocation
from pipeline.suivi import model as suivi_model

LEFT_OUT = ("location", "notes", "version_line", "not_acronyms", "assets")  # not published
SCHEMA_ID = "schema.schema.json"


NAMES = {**vars(suivi_model), **vars(model)}  # the model's classes, fiches and suivi included


def _fields(cls: type) -> list[tuple[str, Any]]:
    hints = typing.get_type_hints(cls, NAMES)
    return [(f.name, hints[f.name]) for f in dataclasses.fields(cls)
            if f.name not in LEFT_OUT and hints[f.name] is not SourceLocation]


def export(schema: model.Schema) -> dict[str, Any]:
    """The Schéma as JSON data, with `$schema` naming its JSON Schema beside it."""
    data = _value(schema)
    assert isinstance(data, dict)
    return {"$schema": SCHEMA_ID, **data}


def _value(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _value(getattr(value, name)) for name, _hint in _fields(type(value))}
    if isinstance(value, tuple):
        return [_value(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return str(value)
    return value


def json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of `export`'s output."""
    defs: dict[str, Any] = {}
    root = _definition(model.Schema, defs)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "Modèle du Schéma des services aux familles",
            **root, "properties": {"$schema": {"type": "string"}, **root["properties"]},
            "$defs": defs}


def _definition(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    props = {name: _type(hint, defs) for name, hint in _fields(cls)}
    return {"type": "object", "properties": props, "required": sorted(props),
            "additionalProperties": False, "description": (cls.__doc__ or cls.__name__)
            .strip().splitlines()[0]}


def _type(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return {"anyOf": [_type(arg, defs) for arg in args]}
    if origin is tuple:
        return {"type": "array", "items": _type(args[0], defs)}
    if hint is type(None):
        return {"type": "null"}
    if isinstance(hint, type) and issubclass(hint, Enum):
        return {"enum": [member.value for member in hint]}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        name = hint.__name__
        if name not in defs:
            defs[name] = {}  # recursion guard
            defs[name] = _definition(hint, defs)
        return {"$ref": f"#/$defs/{name}"}
    simple = {bool: "boolean", int: "integer", float: "number", str: "string",
              model.Text: "string"}
    if hint is datetime.date:
        return {"type": "string", "format": "date"}
    return {"type": simple[hint]}
