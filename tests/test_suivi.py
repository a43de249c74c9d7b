"""The worked example of examples/suivi/: fiches, bilans, pilot bilans and suivi.csv.

The example is built once (a copy, so that the repository's examples/suivi/build is left
alone) and every expectation is computed here from its YAML files, not from the pipeline.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from tests.conftest import norm, pdftotext
from tests.test_bad_input import run_build

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "suivi"
LABELS = {"a-venir": "à venir", "en-cours": "en cours", "realise": "réalisé",
          "en-pause": "en pause", "abandonne": "abandonné"}
ACTION_ID = re.compile(r"(?<![\d.])[1-9]\.[1-9]\.[1-9](?![\d.])")


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("exemple") / "suivi"
    shutil.copytree(EXAMPLE / "content", root / "content")
    (root / "layouts").symlink_to(ROOT / "layouts", target_is_directory=True)
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def actions() -> dict[str, dict]:
    """Every action of the example by id, with its pilots' organisations and calendar."""
    found = {}
    for path in sorted((EXAMPLE / "content" / "axes").glob("*.yml")):
        for objective in _yaml(path)["objectifs"]:
            for action in objective["actions"]:
                found[action["id"]] = action
    return found


@pytest.fixture(scope="module")
def years() -> dict[int, dict]:
    return {int(p.stem): _yaml(p) for p in sorted((EXAMPLE / "content" / "suivi").glob("*.yml"))}


@pytest.fixture(scope="module")
def manifest(built: Path) -> list[dict]:
    return json.loads((built / "build" / "manifest.json").read_text())["artifacts"]


def _text(built: Path, relative: str) -> list[str]:
    return pdftotext(built / "build" / relative)


def _status(years: dict[int, dict], year: int, action: str) -> str | None:
    return (years[year]["actions"].get(action) or {}).get("statut")


def _late(action: dict, status: str | None, year: int) -> bool:
    calendar = action["calendrier"]
    start, onwards = int(calendar["annee"]), calendar.get("et_suivantes") == "oui"
    if start >= year:
        return False
    return status in {None, "a-venir"} if onwards else status not in {"realise", "abandonne"}


def test_every_page_says_it_is_a_fictional_example(built: Path, manifest: list[dict]) -> None:
    pdfs = [a["path"] for a in manifest if a["path"].endswith(".pdf")]
    assert {a["kind"] for a in manifest} >= {"fiche", "bilan", "bilan-pilote", "data"}
    for path in pdfs:
        for number, page in enumerate(pdftotext(built / path), start=1):
            if not page.strip():  # a blank verso of the print variant, left blank on purpose
                continue
            assert "exemplefictif" in norm(page), f"{path} p. {number}"


def test_bilan_counts_by_status_equal_the_suivi_files(
        built: Path, years: dict[int, dict], actions: dict[str, dict]) -> None:
    for year, data in years.items():
        summary = _text(built, f"bilans/bilan-{year}.pdf")[0]
        statuses = [(r or {}).get("statut") for r in data["actions"].values()]
        for key, label in LABELS.items():
            assert re.search(rf"^{label} {statuses.count(key)}$", summary, re.M), (year, label)
        unreported = len(actions) - sum(1 for s in statuses if s)
        if unreported:
            assert re.search(rf"^non renseigné {unreported}$", summary, re.M)
        assert re.search(rf"^Total {len(actions)}$", summary, re.M)


def test_every_late_action_is_flagged_and_no_other(
        built: Path, years: dict[int, dict], actions: dict[str, dict]) -> None:
    for year in years:
        late = {i for i, a in actions.items() if _late(a, _status(years, year, i), year)}
        pages = _text(built, f"bilans/bilan-{year}.pdf")
        listed = pages[0].split(f"Actions en retard ({len(late)})")[1].split("Changements")[0]
        assert set(ACTION_ID.findall(listed)) == late
        rows = _rows("\n".join(p for p in pages[1:] if "Par signataire" not in p))
        assert {i for i, row in rows.items() if "EN RETARD" in row} == late
        assert set(rows) == set(actions)
    assert any(_late(a, _status(years, y, i), y) for y in years for i, a in actions.items())


def _rows(text: str) -> dict[str, str]:
    """The text of each action's row on the axis pages: from its id to the next one."""
    parts = ACTION_ID.split(text)
    return dict(zip(ACTION_ID.findall(text), parts[1:], strict=True))


def test_each_fiche_pdf_holds_its_indicators_and_targets(
        built: Path, manifest: list[dict]) -> None:
    fiches = sorted((EXAMPLE / "content" / "fiches").glob("*.yml"))
    assert [a["path"] for a in manifest if a["kind"] == "fiche"] == [
        f"build/fiches/fiche-{p.stem}.pdf" for p in fiches]
    for path in fiches:
        fiche = _yaml(path)
        text = norm("".join(_text(built, f"fiches/fiche-{fiche['action']}.pdf")))
        assert norm(f"fiche-action {fiche['action']}") in text
        for indicator in fiche["indicateurs"]:
            row = norm(f"{indicator['libelle']} {indicator['unite']} {indicator['cible']} "
                       f"{indicator['annee_cible']}")
            assert row in text, indicator["id"]


def test_pilot_bilans_hold_exactly_their_organisations_actions(
        built: Path, manifest: list[dict], actions: dict[str, dict]) -> None:
    pilots = [a for a in manifest if a["kind"] == "bilan-pilote"]
    assert pilots
    for item in pilots:
        org = item["organisation"]
        mine = {i for i, a in actions.items() if any(p.split("/")[0] == org for p in a["pilotes"])}
        text = "\n".join(pdftotext(built / item["path"]))
        assert set(ACTION_ID.findall(text)) == mine, item["path"]


def test_history_shows_each_years_status(
        built: Path, years: dict[int, dict], actions: dict[str, dict]) -> None:
    last = max(years)
    rows = _rows("\n".join(_text(built, f"bilans/bilan-{last}.pdf")[1:-1]))
    for action in actions:
        history = [(y, _status(years, y, action)) for y in sorted(years)]
        for year, status in history:
            label = LABELS[status] if status else "non renseigné"
            assert f"{year} : {label}" in rows[action], (action, year)


def test_suivi_csv_has_one_row_per_year_action_and_indicator(
        built: Path, years: dict[int, dict]) -> None:
    rows = list(csv.DictReader(io.StringIO((built / "build" / "donnees" / "suivi.csv")
                                           .read_text("utf-8"))))
    fiches = {p.stem: _yaml(p) for p in (EXAMPLE / "content" / "fiches").glob("*.yml")}
    expected = set()
    for year, data in years.items():
        for action in data["actions"]:
            indicators = [i["id"] for i in fiches.get(action, {}).get("indicateurs", [])]
            expected |= {(str(year), action, i) for i in indicators or [""]}
    keys = [(r["annee"], r["action"], r["indicateur"]) for r in rows]
    assert len(keys) == len(set(keys)) and set(keys) == expected
    assert list(rows[0]) == ["annee", "action", "statut", "avancement", "indicateur", "valeur",
                             "cible"]


def test_full_schema_annexes_the_fiches_and_cites_their_pages(built: Path) -> None:
    pages = _text(built, "schema.pdf")
    labels = PdfReader(built / "build" / "schema.pdf").page_labels  # the book's folios
    marks = re.findall(r"fiche p\. (\d+)", "\n".join(pages))
    fiches = sorted(p.stem for p in (EXAMPLE / "content" / "fiches").glob("*.yml"))
    assert len(marks) == len(fiches)
    for page, action in zip(marks, fiches, strict=True):
        assert f"FICHE-ACTION {action}" in pages[labels.index(page)]


def test_full_schema_annexes_the_latest_bilan_when_asked(
        built: Path, years: dict[int, dict]) -> None:
    assert _yaml(EXAMPLE / "content" / "edition.yml")["bilan_en_annexe"] == "oui"
    text = "\n".join(_text(built, "schema.pdf"))
    assert f"Bilan {max(years)} des actions du Schéma" in text
    assert f"Bilan {min(years)} des actions du Schéma" not in text
