"""Stage 1 (axes) — one axis file becomes an `Axis`: objectives, actions and their fields.

An axis holds its objectives directly, or grouped under strategic objectives (A, B…).
Each action's fields are typed here (descriptif as a paragraph, points or both; pilots
as registry references; calendar as a year with its flags), every mistake reported at
its line; cross-file rules (pilots known, ids unique…) live in `validate`.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import Findings, SourceLocation
from pipeline.fields import NOTE_KEYS, Fields, notes_of
from pipeline.model import (
    Action,
    Axis,
    Calendar,
    Descriptif,
    Objective,
    PilotRef,
    StrategicObjective,
    Text,
)
from pipeline.yamlsrc import YList, YMap, YStr

STRATEGIC = {"lettre", "titre", "texte", "objectifs"} | NOTE_KEYS
OBJECTIVE = {"numero", "titre", "actions"} | NOTE_KEYS
ACTION = {"id", "intitule", "descriptif", "pilotes", "calendrier", "note"} | NOTE_KEYS


def load_axis(node: YMap | None, path: Path, findings: Findings) -> Axis:
    """One axis file's top mapping (None: unreadable, already reported) as an `Axis`."""
    if node is None:  # reported; stands in for the axis so that nothing else is reported
        digits = re.search(r"\d+", path.stem)
        empty = Text("", SourceLocation.of(path, 1))
        return Axis(int(digits[0]) if digits else 0, empty, empty, (), empty.location)
    keys = {"numero", "titre", "introduction", "objectifs_strategiques", "objectifs"}
    f = Fields(node, path, findings, "axe", keys | NOTE_KEYS)
    number = f.integer("numero") or 0
    if "objectifs_strategiques" in f.node:
        strategic = tuple(_strategic(s, number) for s in f.each(
            "objectifs_strategiques", "objectif stratégique", STRATEGIC))
    else:
        objectives = tuple(_objective(o, number) for o in f.each("objectifs", "objectif",
                                                                  OBJECTIVE))
        none = Text("", f.loc())
        strategic = (StrategicObjective(none, none, None, objectives, f.loc()),)
    return Axis(number=number, title=f.string("titre"), introduction=f.string("introduction"),
                strategic=strategic, location=f.loc())


def _strategic(f: Fields, axis: int) -> StrategicObjective:
    return StrategicObjective(
        letter=f.string("lettre"), title=f.string("titre"),
        text=f.text("texte", required=False),
        objectives=tuple(_objective(o, axis) for o in f.each("objectifs", "objectif", OBJECTIVE)),
        location=f.loc(),
    )


def _objective(f: Fields, axis: int) -> Objective:
    notes = notes_of(f)
    title = f.text("titre", required=False)
    if title is None and not notes:
        f.error(f.line, "objectif sans titre : donnez un « titre » ou expliquez son absence "
                "dans une « note_editoriale »")
    return Objective(
        axis=axis, number=f.integer("numero") or 0, title=title,
        actions=tuple(_action(a) for a in f.each("actions", "action", ACTION)),
        location=f.loc(), notes=notes,
    )


def _action(f: Fields) -> Action:
    return Action(
        id=f.string("id"), title=f.string("intitule"),
        descriptif=_descriptif(f), pilots=_pilots(f), calendar=_calendar(f),
        note=f.text("note", required=False), location=f.loc(), notes=notes_of(f),
    )


def _descriptif(f: Fields) -> Descriptif:
    value = f.node.get("descriptif")
    if isinstance(value, YStr) and value.strip():
        return Descriptif(f.located(value), ())
    if isinstance(value, YList):
        return Descriptif(None, f.texts("descriptif"))
    if isinstance(value, YMap):
        d = Fields(value, f.path, f.findings, "descriptif", {"texte", "points", "suite"})
        return Descriptif(d.text("texte", required=False), d.texts("points"),
                          d.text("suite", required=False))
    f.error(f.key_line("descriptif"), "action : champ « descriptif » manquant ou vide")
    return Descriptif(None, ())


def _pilots(f: Fields) -> tuple[PilotRef, ...]:
    refs = []
    items = f.seq("pilotes")
    for item in items:
        if not isinstance(item, YStr) or not item.strip():
            f.error(getattr(item, "line", items.line), "action : pilote vide")
            continue
        org, _, service = str(item).strip().partition("/")
        where = f.loc(item.line)
        refs.append(PilotRef(Text(org, where), Text(service, where) if service else None, where))
    if not refs:
        f.error(f.key_line("pilotes"), "action : au moins un pilote est attendu")
    return tuple(refs)


def _calendar(f: Fields) -> Calendar:
    """`calendrier: 2022` or `calendrier: {annee: 2022, et_suivantes: oui}`."""
    if isinstance(f.node.get("calendrier"), YStr):
        return Calendar(f.integer("calendrier") or 0, location=f.loc(f.key_line("calendrier")))
    c = f.mapping("calendrier", "calendrier", {"annee", "et_suivantes", "rentree"})
    if c is None:
        return Calendar(0)
    return Calendar(c.integer("annee") or 0, c.flag("et_suivantes"), c.flag("rentree"),
                    location=c.loc(c.key_line("annee")))
