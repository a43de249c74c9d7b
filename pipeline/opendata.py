"""Stage 4c — open data: the Schéma's tables as CSV files with a Frictionless Data Package.

From the same model as the publications, `tables` gives the rows of each file (axes,
objectives, actions, pilots in long format, organisations, glossary) and `write_data`
writes them in a folder (UTF-8, comma, header row, one value per cell) with a
`datapackage.json` (a Table Schema per file: types, primary and foreign keys, licence,
source, version and date) and the export of the whole model (`schema.json`, with its JSON
Schema, `modelexport`). Texts are the printed ones as plain text: the same Markdown
renderer as the PDF, tags taken off. Nothing depends on a clock: the date is the edition's.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from pipeline.markdown import Renderer
from pipeline.model import Action, Schema
from pipeline.modelexport import export, json_schema
from pipeline.output import Artifact, artifact
from pipeline.views import slug, xref_labels

LICENCE = {"name": "etalab-2.0", "title": "Licence Ouverte / Open Licence version 2.0",
           "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
TAG = re.compile(r"<[^>]+>")

Column = tuple[str, str, str]  # name, Table Schema type, description (French)


@dataclass(frozen=True)
class Table:
    name: str  # file name without .csv
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    foreign: tuple[tuple[str, str, str], ...]  # (column, other table, its column)
    rows: tuple[tuple[str, ...], ...]

    def csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c[0] for c in self.columns])
        writer.writerows(self.rows)
        return out.getvalue().encode("utf-8")

    def resource(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "fields": [_field(name, kind, text, name in self.key)
                       for name, kind, text in self.columns],
            "primaryKey": list(self.key)}
        if self.foreign:
            schema["foreignKeys"] = [{"fields": col, "reference": {"resource": other,
                                                                   "fields": ref}}
                                     for col, other, ref in self.foreign]
        return {"name": self.name, "path": f"{self.name}.csv", "title": self.title,
                "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
                "encoding": "utf-8", "schema": schema}


def _field(name: str, kind: str, text: str, required: bool) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": kind, "description": text}
    if required:
        field["constraints"] = {"required": True}
    if kind == "boolean":
        field |= {"trueValues": ["oui"], "falseValues": ["non"]}
    return field


def plain_text(renderer: Renderer) -> Callable[[str | None], str]:
    """Inline Markdown → the printed text without markup (renvois keep their label)."""
    def text(source: str | None) -> str:
        if not source:
            return ""
        rendered: Markup = renderer.inline(source)
        return html.unescape(TAG.sub("", str(rendered))).strip()
    return text


def _yes(value: bool) -> str:
    return "oui" if value else "non"


def tables(schema: Schema) -> list[Table]:
    text = plain_text(Renderer(xref_labels(schema), lambda _id: Markup("")))
    return [
        Table("axes", "Axes du Schéma",
              (("id", "integer", "numéro de l'axe"), ("titre", "string", "intitulé de l'axe")),
              ("id",), (), tuple((str(a.number), text(a.title)) for a in schema.axes)),
        Table("objectifs", "Objectifs opérationnels",
              (("id", "string", "axe.objectif"), ("axe", "integer", "numéro de l'axe"),
               ("objectif_strategique", "string", "lettre de l'objectif stratégique"),
               ("objectif_strategique_titre", "string", "intitulé de l'objectif stratégique"),
               ("numero", "integer", "numéro de l'objectif dans l'axe"),
               ("titre", "string", "intitulé de l'objectif")),
              ("id",), (("axe", "axes", "id"),), tuple(_objectives(schema, text))),
        Table("actions", "Actions (une ligne par action)", ACTION_COLUMNS, ("id",),
              (("axe", "axes", "id"), ("objectif", "objectifs", "id")),
              tuple(_action_row(schema, a, text) for a in schema.actions)),
        Table("pilotes", "Pilotes des actions (une ligne par action et pilote)",
              (("action", "string", "identifiant de l'action"),
               ("rang", "integer", "rang du pilote dans la cellule « Pilote »"),
               ("organisation", "string", "identifiant de l'organisation"),
               ("organisation_nom", "string", "nom de l'organisation"),
               ("service", "string", "identifiant du service (vide : l'organisation)"),
               ("service_nom", "string", "nom du service")),
              ("action", "rang"), (("action", "actions", "id"),
                                   ("organisation", "organisations", "id")),
              tuple(_pilot_rows(schema, text))),
        Table("organisations", "Organisations (signataires et pilotes)",
              (("id", "string", "identifiant"), ("nom", "string", "nom imprimé"),
               ("nom_complet", "string", "nom développé"),
               ("type", "string", "institution signataire ou autre organisation")),
              ("id",), (), tuple((o.id, text(o.name), text(o.full_name), o.kind)
                                 for o in schema.organisations)),
        Table("glossaire", "Sigles employés",
              (("sigle", "string", "le sigle"), ("definition", "string", "son développé")),
              ("sigle",), (), tuple((t.acronym, text(t.definition)) for t in schema.glossary)),
    ]


ACTION_COLUMNS: tuple[Column, ...] = (
    ("id", "string", "identifiant axe.objectif.action"), ("axe", "integer", "numéro de l'axe"),
    ("objectif_strategique", "string", "lettre de l'objectif stratégique"),
    ("objectif", "string", "identifiant de l'objectif (axe.objectif)"),
    ("intitule", "string", "intitulé de l'action"),
    ("descriptif", "string", "descriptif en texte brut (une ligne par point, « - »)"),
    ("calendrier_annee", "integer", "année du calendrier prévisionnel"),
    ("calendrier_et_suivantes", "boolean", "« et suivantes »"),
    ("calendrier_rentree", "boolean", "à la rentrée de l'année"),
    ("calendrier", "string", "calendrier tel qu'imprimé"),
    ("note", "string", "note sous le tableau"),
)


def _objectives(schema: Schema, text: Callable[[str | None], str]) -> Iterator[tuple[str, ...]]:
    for axis in schema.axes:
        for strategic in axis.strategic:
            for obj in strategic.objectives:
                yield (obj.key, str(axis.number), strategic.letter, text(strategic.title),
                       str(obj.number), text(obj.title))


def _action_row(schema: Schema, action: Action,
                text: Callable[[str | None], str]) -> tuple[str, ...]:
    axis_number, obj_number = action.id.split(".")[:2]
    axis = next(a for a in schema.axes if str(a.number) == axis_number)
    letter = next(s.letter for s in axis.strategic
                  for o in s.objectives if action in o.actions)
    d, cal = action.descriptif, action.calendar
    lines = [text(d.text)] if d.text else []
    lines += [f"- {text(p)}" for p in d.points]
    lines += [text(d.after)] if d.after else []
    return (action.id, axis_number, letter, f"{axis_number}.{obj_number}", text(action.title),
            "\n".join(lines), str(cal.year), _yes(cal.onwards), _yes(cal.school_start),
            cal.label, text(action.note))


def _pilot_rows(schema: Schema, text: Callable[[str | None], str]) -> Iterator[tuple[str, ...]]:
    for action in schema.actions:
        for rank, ref in enumerate(action.pilots, 1):
            org = schema.organisation(ref.organisation)
            service = org.service(ref.service) if org and ref.service else None
            yield (action.id, str(rank), ref.organisation, text(org.name if org else ""),
                   ref.service or "", text(service.name if service else ""))


def package(schema: Schema, items: list[Table]) -> dict[str, Any]:
    edition = schema.edition
    title = f"{edition.title} {edition.start}-{edition.end}"
    body: dict[str, Any] = {
        "profile": "tabular-data-package", "name": f"{slug(title)}-{slug(edition.version)}",
        "title": f"{title} — données ouvertes", "version": edition.version,
        "description": f"Les tableaux du {title} ({edition.subtitle}), extraits de la même "
                       "source que ses publications.",
        "licenses": [LICENCE], "sources": [{"title": title, "path": "../schema.pdf"}],
        "keywords": list(edition.keywords), "resources": [t.resource() for t in items]}
    if edition.date:
        body["created"] = f"{edition.date.isoformat()}T00:00:00Z"
    return body


def _json(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


def write_data(schema: Schema, folder: Path, root: Path) -> list[Artifact]:
    """Every file of the open data in `folder` (kind "data"), described for the manifest."""
    items = tables(schema)
    written = [artifact(root, folder / f"{t.name}.csv", t.csv(), "data", t.title)
               for t in items]
    written.append(artifact(root, folder / "datapackage.json", _json(package(schema, items)),
                            "data", "Description des données (Frictionless Data Package)"))
    written.append(artifact(root, folder / "schema.json", _json(export(schema)), "data",
                            "Le modèle complet du Schéma (JSON)"))
    written.append(artifact(root, folder / "schema.schema.json", _json(json_schema()), "data",
                            "Schéma JSON du modèle"))
    return written
