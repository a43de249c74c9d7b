"""Stage 6a — changes: what an edition changed in the actions since the previous one.

Computed from the two editions' sources (the previous one is read from its archived
bag), never written by hand: actions added, removed, and changed with the fields that
changed. Published as a page of the new edition and as `changes.json`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipeline.model import Action, Schema

FIELDS: dict[str, Callable[[Action], object]] = {
    "intitule": lambda a: a.title,
    "descriptif": lambda a: a.descriptif,
    "pilotes": lambda a: tuple(p.key for p in a.pilots),
    "calendrier": lambda a: a.calendar,
    "note": lambda a: a.note,
}
LABELS = {"intitule": "intitulé", "descriptif": "descriptif", "pilotes": "pilotes",
          "calendrier": "calendrier", "note": "renvoi"}


@dataclass(frozen=True)
class Changed:
    action: Action
    fields: tuple[str, ...]  # keys of FIELDS

    @property
    def labels(self) -> str:
        return ", ".join(LABELS[f] for f in self.fields)


@dataclass(frozen=True)
class Changes:
    """The actions of `version` compared with those of `previous` (None: a first edition)."""

    version: str
    previous: str | None
    added: tuple[Action, ...]
    removed: tuple[Action, ...]
    changed: tuple[Changed, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def as_json(self) -> dict[str, Any]:
        return {
            "edition": self.version,
            "edition_precedente": self.previous,
            "ajoutees": [_brief(a) for a in self.added],
            "retirees": [_brief(a) for a in self.removed],
            "modifiees": [{**_brief(c.action), "champs": list(c.fields)} for c in self.changed],
        }


def compare(version: str, current: Schema, previous: Schema | None,
            previous_version: str | None) -> Changes:
    """The changes of the actions from `previous` (None: every action is new) to `current`."""
    now = {a.id: a for a in current.actions}
    before = {a.id: a for a in previous.actions} if previous else {}
    changed = []
    for action_id, action in now.items():
        old = before.get(action_id)
        if old is not None:
            fields = tuple(k for k, get in FIELDS.items() if get(old) != get(action))
            if fields:
                changed.append(Changed(action, fields))
    return Changes(
        version, previous_version,
        added=tuple(a for i, a in now.items() if i not in before),
        removed=tuple(a for i, a in before.items() if i not in now),
        changed=tuple(changed),
    )


def _brief(action: Action) -> dict[str, str]:
    return {"id": action.id, "intitule": action.title}
