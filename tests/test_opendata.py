"""The open data (build/donnees/): a valid Frictionless package, one row per action, pilot
organisations that exist, the model export valid against its JSON Schema."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
from frictionless import Package, system

from pipeline.model import Schema
from tests.conftest import ROOT

DATA = ROOT / "build" / "donnees"


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_datapackage_is_valid() -> None:
    with system.use_context(trusted=True):
        report = Package(str(DATA / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]


def test_datapackage_says_licence_version_and_sources(schema: Schema) -> None:
    package = json.loads((DATA / "datapackage.json").read_text("utf-8"))
    assert package["version"] == schema.edition.version
    assert package["licenses"] and package["sources"]
    names = {r["name"] for r in package["resources"]}
    assert names == {"axes", "objectifs", "actions", "pilotes", "organisations", "glossaire"}


def test_one_row_per_action(schema: Schema) -> None:
    assert [r["id"] for r in rows("actions")] == [a.id for a in schema.actions]


def test_every_pilot_organisation_exists() -> None:
    organisations = {r["id"] for r in rows("organisations")}
    pilots = rows("pilotes")
    assert pilots and {r["organisation"] for r in pilots} <= organisations


def test_model_export_is_valid_against_its_json_schema(schema: Schema) -> None:
    data = json.loads((DATA / "schema.json").read_text("utf-8"))
    shape = json.loads((DATA / "schema.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(shape).validate(data)
    exported = [a["id"] for axis in data["axes"] for s in axis["strategic"]
                for o in s["objectives"] for a in o["actions"]]
    assert exported == [a.id for a in schema.actions]


def test_data_is_in_the_manifest(manifest: dict) -> None:
    listed = {Path(a["path"]).name for a in manifest["artifacts"] if a["kind"] == "data"}
    assert {p.name for p in DATA.iterdir()} == listed
