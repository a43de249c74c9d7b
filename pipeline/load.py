"""Stage 1 — load: content/ becomes the typed `Schema` model.

Each file is read on its own; a file that cannot be read adds its findings and the
others are still read, so that one run tells the editor everything at once. The axes'
structure is checked here (fields, types); cross-file rules live in `validate`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pipeline.chapters import load_chapters
from pipeline.errors import Findings, PipelineError
from pipeline.fields import Fields
from pipeline.model import (
    Action,
    Axis,
    Calendar,
    Descriptif,
    Edition,
    EditorialNote,
    Instance,
    InstanceMember,
    Objective,
    Organisation,
    PilotRef,
    Schema,
    Service,
    Signatory,
    StrategicObjective,
    Term,
)
from pipeline.yamlsrc import YList, YMap, YStr, YValue, load_yaml

T = TypeVar("T")
NOTE_KEYS = {"note_editoriale", "a_completer"}


def load_schema(content: Path, findings: Findings) -> Schema:
    """Read every file of `content` into a `Schema`; problems go to `findings`."""
    return Schema(
        edition=_load_edition(content / "edition.yml", findings),
        organisations=_load_list(content / "organisations.yml", "organisations", _organisation, findings),
        signatories=_load_list(content / "signataires.yml", "signataires", _signatory, findings),
        chapters=load_chapters(content / "chapitres", findings),
        axes=tuple(_load_axis(p, findings) for p in sorted((content / "axes").glob("axe-*.yml"))),
        instances=_load_list(content / "instances.yml", "instances", _instance, findings),
        glossary=_load_list(content / "glossaire.yml", "sigles", _term, findings, {"hors_sigles"}),
        not_acronyms=_names_in_capitals(content / "glossaire.yml", findings),
    )


def _read(path: Path, findings: Findings) -> YValue:
    try:
        return load_yaml(path)
    except PipelineError as exc:
        findings.extend(exc.findings)
        return None


def _load_list(
    path: Path, key: str, build: Callable[[YValue, Path, Findings], T], findings: Findings,
    other_keys: set[str] | None = None,
) -> tuple[T, ...]:
    root = _read(path, findings)
    if root is None:
        return ()
    fields = Fields(root, path, findings, path.name, {key} | NOTE_KEYS | (other_keys or set()))
    return tuple(x for x in (build(item, path, findings) for item in fields.seq(key)) if x)


def _names_in_capitals(path: Path, findings: Findings) -> tuple[str, ...]:
    """Words written in capitals that are names, not acronyms (`hors_sigles`)."""
    root = load_yaml(path) if path.is_file() else None
    if not isinstance(root, YMap):
        return ()
    return Fields(root, path, Findings(), path.name, set(root)).texts("hors_sigles", required=False)


def notes_of(fields: Fields) -> tuple[EditorialNote, ...]:
    notes = []
    for key, is_open in (("note_editoriale", False), ("a_completer", True)):
        text = fields.text(key, required=False)
        if text:
            notes.append(EditorialNote(text, fields.loc(fields.key_line(key)), is_open))
    return tuple(notes)


def _load_edition(path: Path, findings: Findings) -> Edition:
    keys = {"titre", "sous_titre", "periode", "version", "date", "statut", "lieu", "structure"}
    f = Fields(_read(path, findings), path, findings, "édition", keys | NOTE_KEYS)
    period = Fields(f.node.get("periode"), path, findings, "période", {"debut", "fin"})
    status = f.text("statut") or "brouillon"
    if status not in {"brouillon", "edition"}:
        f.error(f.key_line("statut"), f"statut « {status} » inconnu : brouillon ou edition")
    return Edition(
        title=f.text("titre") or "",
        subtitle=f.text("sous_titre", required=False) or "",
        start=period.integer("debut") or 0,
        end=period.integer("fin") or 0,
        version=f.text("version") or "",
        date=f.text("date", required=False),
        status=status,
        place=f.text("lieu") or "",
        structure=f.texts("structure"),
        location=f.loc(),
    )


def _organisation(node: YValue, path: Path, findings: Findings) -> Organisation:
    f = Fields(node, path, findings, "organisation",
               {"id", "nom", "nom_complet", "type", "services"} | NOTE_KEYS)
    services = []
    for item in f.seq("services", required=False):
        s = Fields(item, path, findings, "service", {"id", "nom"} | NOTE_KEYS)
        services.append(Service(s.text("id") or "", s.text("nom") or ""))
    return Organisation(
        id=f.text("id") or "", name=f.text("nom") or "",
        full_name=f.text("nom_complet", required=False), kind=f.text("type") or "",
        services=tuple(services), location=f.loc(),
    )


def _signatory(node: YValue, path: Path, findings: Findings) -> Signatory:
    f = Fields(node, path, findings, "signataire", {"nom", "titre", "organisation"} | NOTE_KEYS)
    return Signatory(f.text("nom") or "", f.text("titre") or "", f.text("organisation") or "", f.loc())


def _term(node: YValue, path: Path, findings: Findings) -> Term:
    f = Fields(node, path, findings, "sigle", {"sigle", "definition", "source"} | NOTE_KEYS)
    return Term(f.text("sigle") or "", f.text("definition") or "", f.loc())


def _instance(node: YValue, path: Path, findings: Findings) -> Instance:
    f = Fields(node, path, findings, "instance",
               {"id", "nom", "periodicite", "composition", "roles"} | NOTE_KEYS)
    members = []
    for item in f.seq("composition"):
        m = Fields(item, path, findings, "membre", {"role", "texte"})
        members.append(InstanceMember(m.text("role") or "", m.text("texte") or ""))
    roles = Fields(f.node.get("roles"), path, findings, "rôles", {"titre", "points"})
    return Instance(
        id=f.text("id") or "", name=f.text("nom") or "", frequency=f.text("periodicite") or "",
        composition=tuple(members), roles_title=roles.text("titre") or "",
        roles=roles.texts("points"), location=f.loc(),
    )


def _load_axis(path: Path, findings: Findings) -> Axis:
    keys = {"numero", "titre", "introduction", "objectifs_strategiques", "objectifs"}
    f = Fields(_read(path, findings), path, findings, "axe", keys | NOTE_KEYS)
    number = f.integer("numero") or 0
    if "objectifs_strategiques" in f.node:
        strategic = tuple(_strategic(n, number, path, findings) for n in f.seq("objectifs_strategiques"))
    else:
        objectives = tuple(_objective(n, number, path, findings) for n in f.seq("objectifs"))
        strategic = (StrategicObjective("", "", None, objectives, f.loc()),)
    intro = f.node.get("introduction")
    return Axis(
        number=number, title=f.text("titre") or "", introduction=f.text("introduction") or "",
        strategic=strategic, location=f.loc(), intro_line=getattr(intro, "line", 0),
    )


def _strategic(node: YValue, axis: int, path: Path, findings: Findings) -> StrategicObjective:
    f = Fields(node, path, findings, "objectif stratégique",
               {"lettre", "titre", "texte", "objectifs"} | NOTE_KEYS)
    return StrategicObjective(
        letter=f.text("lettre") or "", title=f.text("titre") or "",
        text=f.text("texte", required=False),
        objectives=tuple(_objective(n, axis, path, findings) for n in f.seq("objectifs")),
        location=f.loc(),
    )


def _objective(node: YValue, axis: int, path: Path, findings: Findings) -> Objective:
    f = Fields(node, path, findings, "objectif", {"numero", "titre", "actions"} | NOTE_KEYS)
    notes = notes_of(f)
    title = f.text("titre", required=False)
    if title is None and not notes:
        f.error(f.line, "objectif sans titre : donnez un « titre » ou expliquez son absence "
                "dans une « note_editoriale »")
    return Objective(
        axis=axis, number=f.integer("numero") or 0, title=title,
        actions=tuple(_action(n, path, findings) for n in f.seq("actions")),
        location=f.loc(), notes=notes,
    )


def _action(node: YValue, path: Path, findings: Findings) -> Action:
    f = Fields(node, path, findings, "action",
               {"id", "intitule", "descriptif", "pilotes", "calendrier", "note"} | NOTE_KEYS)
    return Action(
        id=f.text("id") or "", title=f.text("intitule") or "",
        descriptif=_descriptif(f), pilots=_pilots(f), calendar=_calendar(f),
        note=f.text("note", required=False), location=f.loc(), notes=notes_of(f),
    )


def _descriptif(f: Fields) -> Descriptif:
    value = f.node.get("descriptif")
    if isinstance(value, YStr) and value.strip():
        return Descriptif(str(value).strip(), ())
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
    for item in f.seq("pilotes"):
        if not isinstance(item, YStr) or not item.strip():
            f.error(getattr(item, "line", f.line), "action : pilote vide")
            continue
        org, _, service = str(item).strip().partition("/")
        refs.append(PilotRef(org, service or None, f.loc(item.line)))
    if not refs:
        f.error(f.key_line("pilotes"), "action : au moins un pilote est attendu")
    return tuple(refs)


def _calendar(f: Fields) -> Calendar:
    value = f.node.get("calendrier")
    if isinstance(value, YStr) and value.strip().isdigit():
        return Calendar(int(value))
    c = Fields(value, f.path, f.findings, "calendrier", {"annee", "et_suivantes", "rentree"})
    return Calendar(c.integer("annee") or 0, c.flag("et_suivantes"), c.flag("rentree"))

