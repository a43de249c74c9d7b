"""Archival editions: PDF/A-3a, PDF/UA-1, in a BagIt bag; reproducible, immutable, verifiable.

Everything is exercised on the sample project, where an edition takes seconds, built
in-process: the bag, PDF/A, tampering; reproducibility (built twice from two folders, the
second in another process under another time zone, locale and hash seed, the two bags
compared byte for byte); immutability and the changes between editions. The real
content's edition is built and verified by `make edition` and `make verify-edition`
(CI runs both before the tests).
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import bagit
import pikepdf
import pytest
from pypdf import PdfReader

from pipeline import cli
from pipeline.figures.render import missing as missing_figures
from pipeline.inputs import content_files
from pipeline.model import Schema
from pipeline.project import Project, check
from pipeline.verify import pdf_problems
from pipeline.views import french_date
from tests.conftest import pdftotext
from tests.test_bad_input import Result, run_cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "sample" / "content"


def run(command: str, root: Path, *args: str,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str] | Result:
    """The command line on `root`: in-process, or in a process of its own under `env`."""
    if env is None:
        return run_cli(command, "--root", str(root), *args)
    return subprocess.run(
        [sys.executable, "-m", "pipeline", command, "--root", str(root), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )


def copy_project(target: Path, content: Path = ROOT / "content") -> Path:
    shutil.copytree(content, target / "content")
    shutil.copytree(ROOT / "layouts", target / "layouts")
    return target


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def built(result: subprocess.CompletedProcess[str] | Result) -> None:
    assert result.returncode == 0, result.stderr


# --- the real edition, built twice ------------------------------------------------------

@pytest.fixture(scope="module")
def edition_schema() -> Schema:
    """The sample's content, as the edition is built from it."""
    return check(Project(SAMPLE.parent, SAMPLE.parent / "build"))[0]


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory, edition_schema: Schema) -> Path:
    """The bag of the sample's edition, built from a copy of the project."""
    root = copy_project(tmp_path_factory.mktemp("a") / "projet", SAMPLE)
    built(run("edition", root))
    return root / "build" / "editions" / edition_schema.edition.version


def test_two_builds_are_identical_byte_for_byte(tmp_path: Path) -> None:
    """The sample's edition from two folders, the second in another process under another
    time zone, locale and hash seed."""
    here = copy_project(tmp_path / "a" / "projet", SAMPLE)
    there = copy_project(tmp_path / "b" / "ailleurs" / "autre-copie", SAMPLE)
    built(run("edition", here))
    built(run("edition", there, env={"TZ": "Pacific/Auckland", "LANG": "C", "LC_ALL": "C",
                                      "PYTHONHASHSEED": "4242"}))
    first = files_of(here / "build" / "editions" / "1.0")
    second = files_of(there / "build" / "editions" / "1.0")
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []
    assert len(first) > 20


def test_the_bag_holds_every_publication_and_the_sources(real: Path,
                                                       edition_schema: Schema) -> None:
    names = set(files_of(real))
    assert {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt",
            "tagmanifest-sha256.txt", "data/edition.json", "data/changes.json",
            "data/schema.pdf", "data/extraits/signatures.pdf"} <= names
    assert {f"data/extraits/axe-{a.number}.pdf" for a in edition_schema.axes} <= names
    assert {"data/donnees/datapackage.json", "data/donnees/actions.csv",
            "data/donnees/schema.json"} <= names  # the open data
    sources = {f"data/sources/content/{p.relative_to(SAMPLE).as_posix()}"
               for p in content_files(SAMPLE)}
    assert sources <= names


def test_edition_json_describes_what_is_in_the_bag(real: Path, edition_schema: Schema) -> None:
    description = json.loads((real / "data" / "edition.json").read_text("utf-8"))
    version = edition_schema.edition.version
    record = next(r for r in edition_schema.editions if r.version == version)
    assert description["edition"] == record.version
    assert description["date"] == record.date.isoformat()
    assert {"python", "weasyprint", "pydyf", "pango", "bagit"} <= set(description["outils"])
    listed = description["publications"]
    assert {p["kind"] for p in listed} == {"full", "print", "axis", "signatures", "pilot",
                                          "data"}
    for item in listed:
        data = (real / "data" / item["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == item["sha256"], item["path"]
        if item["path"].endswith(".pdf"):
            assert len(PdfReader(real / "data" / item["path"]).pages) == item["pages"]
    for source in description["sources"]:
        data = (real / "data" / source["chemin"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == source["sha256"]
    assert description["figures_non_reproduites"] == missing_figures(edition_schema)


def test_every_pdf_is_pdfa_3a_and_pdfua_1_with_the_edition_in_its_xmp(
        real: Path, edition_schema: Schema) -> None:
    version = edition_schema.edition.version
    record = next(r for r in edition_schema.editions if r.version == version)
    for path in sorted((real / "data").rglob("*.pdf")):
        with pikepdf.open(path) as pdf:
            meta = pdf.open_metadata()
            assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "A")
            assert meta.get("pdfuaid:part") == "1", path.name
            assert "/Filter" not in pdf.Root.Metadata, path.name
            assert meta.get("xmpMM:VersionID") == record.version, path.name
            assert "fr-FR" in str(meta.get("dc:language")), path.name
            assert str(meta.get("xmp:CreateDate")).startswith(record.date.isoformat())
            assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
            assert not pdf.is_encrypted


def test_the_full_pdf_carries_its_sources_as_associated_files(real: Path) -> None:
    with pikepdf.open(real / "data" / "schema.pdf") as pdf:
        attached = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
        relationships = {str(spec.get("/AFRelationship")) for spec in pdf.Root.AF}
    expected = {f"content/{p.relative_to(SAMPLE).as_posix()}": p.read_bytes()
                for p in content_files(SAMPLE)}
    assert attached == expected
    assert relationships == {"/Source"}
    for other in ("extraits/axe-1.pdf", "impression/schema.pdf"):  # the print: made from it
        with pikepdf.open(real / "data" / other) as extract:
            assert len(extract.attachments) == 0 and "/AF" not in extract.Root, other


def test_colophons_and_footers_name_the_edition(real: Path, edition_schema: Schema) -> None:
    """The edition label is on the colophon or « about » page (not on the cover: a cover
    carries no date) and in the small print of the last page."""
    version = edition_schema.edition.version
    record = next(r for r in edition_schema.editions if r.version == version)
    label = f"dition {record.version} du {french_date(record.date)}"
    for path in sorted((real / "data").rglob("*.pdf")):
        pages = [" ".join(page.split()) for page in pdftotext(path)]
        assert label in " ".join(pages[:2]), f"{path.name}: pages 1-2"
        assert label in pages[-1], f"{path.name}: dernière page"


def test_verify_edition_passes_on_the_edition(real: Path) -> None:
    result = run("verify-edition", real.parent.parent.parent)
    assert result.returncode == 0, result.stderr
    assert "intacte" in result.stdout


def _project_with_copy_of(bag: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A project holding a writable copy of the edition `bag`: (project root, the copy)."""
    root = tmp_path / "projet"
    copy = root / "build" / "editions" / bag.name
    shutil.copytree(bag, copy)
    shutil.copytree(SAMPLE, root / "content")
    return root, copy


@pytest.mark.parametrize("victim", ["data/extraits/axe-2.pdf", "data/edition.json",
                                    "data/sources/content/axes/axe-2.yml"])
def test_one_flipped_byte_is_reported_by_name(real: Path, tmp_path: Path, victim: str) -> None:
    root, copy = _project_with_copy_of(real, tmp_path)
    target = copy / victim
    target.chmod(0o644)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    result = run("verify-edition", root)
    assert result.returncode == 1
    assert victim in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_is_reported_by_name(real: Path, tmp_path: Path) -> None:
    root, copy = _project_with_copy_of(real, tmp_path)
    (copy / "data" / "extraits" / "signatures.pdf").unlink()
    result = run("verify-edition", root)
    assert result.returncode == 1
    assert "data/extraits/signatures.pdf" in result.stderr


# --- immutability and changes, on the sample ----------------------------------------------

@pytest.fixture()
def sample(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "echantillon", SAMPLE)
    built(run("edition", root))
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_an_identical_rebuild_is_accepted(sample: Path) -> None:
    bag = sample / "build" / "editions" / "1.0"
    before = files_of(bag)
    result = run("edition", sample)
    assert result.returncode == 0, result.stderr
    assert "identique" in result.stdout
    assert files_of(bag) == before


def test_a_rebuild_that_would_change_a_byte_is_refused(sample: Path) -> None:
    bag = sample / "build" / "editions" / "1.0"
    before = files_of(bag)
    _edit(sample / "content" / "axes" / "axe-1.yml", "Renforcer le travail partenarial",
          "Renforcer le travail en partenariat")
    result = run("edition", sample)
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("content/editions.yml:3: error: l'édition 1.0 existe déjà")
    assert "data/schema.pdf" in first and "data/sources/content/axes/axe-1.yml" in first
    assert "Traceback" not in result.stderr
    assert files_of(bag) == before
    assert [p.name for p in bag.parent.iterdir()] == ["1.0"]  # no staging left behind


def test_a_version_missing_from_the_register_is_refused(sample: Path) -> None:
    _edit(sample / "content" / "edition.yml", 'version: "1.0"', 'version: "1.1"')
    result = run("edition", sample)
    assert result.returncode == 1
    assert result.stderr.startswith("content/edition.yml:7: error: la version « 1.1 » n'est pas")


def test_open_questions_block_an_edition_even_in_a_draft(sample: Path) -> None:
    _edit(sample / "content" / "axes" / "axe-1.yml", "        calendrier: {annee: 2022}\n",
          "        calendrier: {annee: 2022}\n        a_completer: qui copilote ?\n")
    assert run("check", sample).returncode == 0  # a warning in a draft
    result = run("edition", sample)
    assert result.returncode == 1
    assert "axe-1.yml:14: error:" in result.stderr


def _register(root: Path, version: str, day: str) -> None:
    with (root / "content" / "editions.yml").open("a", encoding="utf-8") as handle:
        handle.write(f'  - version: "{version}"\n    date: "{day}"\n    resume: Révision.\n')
    _edit(root / "content" / "edition.yml", 'version: "1.0"', f'version: "{version}"')


def test_the_next_edition_lists_its_changes(sample: Path) -> None:
    axe1 = sample / "content" / "axes" / "axe-1.yml"
    _edit(axe1, "Renforcer le travail partenarial", "Renforcer le travail en partenariat")
    _edit(axe1, "calendrier: {annee: 2022}", "calendrier: {annee: 2023}")
    text = axe1.read_text("utf-8")
    start = text.index('      - id: "1.1.2"')
    end = text.index("  - numero: 2")
    axe1.write_text(text[:start] + text[end:], "utf-8")  # 1.1.2 removed
    _edit(axe1, "        calendrier: {annee: 2021, rentree: oui}\n",
          "        calendrier: {annee: 2021, rentree: oui}\n"
          '      - id: "1.2.2"\n        intitule: Ouvrir un lieu nouveau\n'
          "        descriptif: Un lieu\n        pilotes: [caf]\n"
          "        calendrier: {annee: 2024}\n")
    _register(sample, "1.1", "2027-03-01")
    result = run("edition", sample)
    assert result.returncode == 0, result.stderr
    bag = sample / "build" / "editions" / "1.1"
    changes = json.loads((bag / "data" / "changes.json").read_text("utf-8"))
    assert changes["edition_precedente"] == "1.0"
    assert [a["id"] for a in changes["ajoutees"]] == ["1.2.2"]
    assert [a["id"] for a in changes["retirees"]] == ["1.1.2"]
    modified = [(a["id"], a["champs"]) for a in changes["modifiees"]]
    assert modified == [("1.1.1", ["intitule", "calendrier"])]
    text = " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(bag / "data" / "schema.pdf").pages)
    assert "Changements depuis l’édition 1.0" in text
    assert "Ouvrir un lieu nouveau" in text and "Recenser l’offre existante" in text
    assert run("verify-edition", sample, "--version", "1.1").returncode == 0
    assert filecmp.cmp(bag.parent / "1.0" / "bagit.txt", bag / "bagit.txt", shallow=False)


def test_the_previous_edition_must_be_at_hand(sample: Path) -> None:
    shutil.rmtree(sample / "build" / "editions" / "1.0")
    _register(sample, "1.1", "2027-03-01")
    result = run("edition", sample)
    assert result.returncode == 1
    assert "content/editions.yml:6: error: l'édition précédente 1.0 est introuvable" \
        in result.stderr


# --- in a git checkout, an edition is built from committed inputs only ----------------------

GIT = ["git", "-c", "user.name=Archiviste", "-c", "user.email=archives@example.org",
       "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]


def git(root: Path, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(root), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture()
def checkout(tmp_path: Path) -> Path:
    """The sample as a git repository, everything committed."""
    root = copy_project(tmp_path / "depot", SAMPLE)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Sources de l'édition 1.0")
    return root


def _modify(root: Path) -> str:
    _edit(root / "content/axes/axe-1.yml", "Renforcer le travail partenarial",
          "Renforcer le travail en partenariat")
    return "content/axes/axe-1.yml: error: modifié depuis le dernier commit"


def _untracked(root: Path) -> str:
    shutil.copy(root / "content/chapitres/gouvernance.md", root / "content/chapitres/suite.md")
    return "content/chapitres/suite.md: error: nouveau, jamais committé"


def _staged(root: Path) -> str:
    _edit(root / "layouts/style.css", "}", "}\n")
    git(root, "add", "layouts/style.css")
    return "layouts/style.css: error: modifié depuis le dernier commit"


def _deleted(root: Path) -> str:
    git(root, "rm", "-q", "content/glossaire.yml")
    return "content/glossaire.yml: error: supprimé depuis le dernier commit"


@pytest.mark.parametrize("change", [_modify, _untracked, _staged, _deleted])
def test_uncommitted_inputs_are_refused_before_anything_is_written(
        checkout: Path, capsys: pytest.CaptureFixture[str],
        change: Callable[[Path], str]) -> None:
    expected = change(checkout)
    assert cli.main(["edition", "--root", str(checkout)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(expected), lines
    assert "committez d'abord" in lines[0] and "Traceback" not in "".join(lines)
    assert len(lines) == 2
    assert not (checkout / "build").exists()


def test_a_committed_checkout_builds_and_names_its_commit(checkout: Path) -> None:
    for name, data in STRAYS.items():  # leftovers and strays are not inputs: no refusal
        (checkout / name).write_bytes(data)
    built(run("edition", checkout))
    description = json.loads(
        (checkout / "build/editions/1.0/data/edition.json").read_text("utf-8"))
    assert description["commit_source"] == git(checkout, "rev-parse", "HEAD")
    assert description["sources_modifiees_depuis_le_commit"] is False


# --- what an edition takes in, what verify-edition refuses, on the sample ---------------------

STRAYS = {"content/notes-perso.docx": b"PK\x03\x04", "content/axes/.axe-1.yml.swp": b"b0VIM",
          "content/chapitres/plan.md~": b"---\nid: plan\n---\n", "content/.DS_Store": b"\0"}


@pytest.fixture(scope="module")
def stray_bag(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's edition, built with a stray file and editors' leftovers in content/."""
    root = copy_project(tmp_path_factory.mktemp("egare") / "projet", SAMPLE)
    for name, data in STRAYS.items():
        (root / name).write_bytes(data)
    built(run("edition", root))
    return root / "build" / "editions" / "1.0"


def test_the_edition_takes_in_only_the_files_the_pipeline_reads(stray_bag: Path) -> None:
    root = stray_bag.parent.parent.parent
    expected = [p.relative_to(root).as_posix() for p in content_files(root / "content")]
    assert not set(expected) & set(STRAYS)
    description = json.loads((stray_bag / "data" / "edition.json").read_text("utf-8"))
    assert [s["chemin"] for s in description["sources"]] == [f"sources/{n}" for n in expected]
    copied = (stray_bag / "data" / "sources").rglob("*")
    assert sorted(p.relative_to(stray_bag / "data" / "sources").as_posix()
                  for p in copied if p.is_file()) == expected
    with pikepdf.open(stray_bag / "data" / "schema.pdf") as pdf:
        assert sorted(pdf.attachments) == expected


def _writable_copy(bag: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A project holding a writable copy of the sample's edition: (project root, the copy)."""
    root = tmp_path / "projet"
    copy = root / "build" / "editions" / bag.name
    shutil.copytree(bag, copy)
    for path in copy.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.copytree(SAMPLE, root / "content")
    return root, copy


def verify(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    status = cli.main(["verify-edition", "--root", str(root)])
    return status, capsys.readouterr().err.splitlines()


def test_the_sample_edition_verifies(stray_bag: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    root, _copy = _writable_copy(stray_bag, tmp_path)
    assert verify(root, capsys) == (0, [])


def test_a_change_hidden_by_recomputed_manifests_is_refused(
        stray_bag: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, copy = _writable_copy(stray_bag, tmp_path)
    target = copy / "data" / "schema.pdf"
    target.write_bytes(target.read_bytes().replace(b"%%EOF", b"%%EOF\n% ajout", 1))
    bagit.Bag(str(copy)).save(processes=1, manifests=True)
    assert bagit.Bag(str(copy)).is_valid()  # the bag alone no longer sees it
    status, lines = verify(root, capsys)
    assert status == 1
    assert ("build/editions/1.0/data/schema.pdf: sha256 différent de celui inscrit dans "
            "data/edition.json (publications) : fichier modifié depuis l'édition") in lines


@pytest.mark.parametrize("stray", ["notes.txt", "fetch.txt", "autre/copie.pdf",
                                   "data/notes.txt", "data/sources/content/notes-perso.docx",
                                   "data/extraits/axe-9.pdf"])
def test_a_file_outside_the_edition_layout_is_refused(
        stray_bag: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        stray: str) -> None:
    root, copy = _writable_copy(stray_bag, tmp_path)
    (copy / stray).parent.mkdir(parents=True, exist_ok=True)
    (copy / stray).write_bytes(b"ajout")
    if stray.startswith("data/"):  # listed in the manifests, so that only edition.json tells
        bagit.Bag(str(copy)).save(processes=1, manifests=True)
    status, lines = verify(root, capsys)
    assert status == 1
    named = stray if stray.startswith("data/") else stray.split("/")[0]
    assert any(line.startswith(f"build/editions/1.0/{named}: ") for line in lines), lines


# --- each PDF/A check of verify-edition can fail --------------------------------------------

def _tampered(real: Path, tmp_path: Path, change: Callable[[pikepdf.Pdf], None],
              **save: object) -> Path:
    target = tmp_path / "modifie.pdf"
    with pikepdf.open(real / "data" / "extraits" / "signatures.pdf") as pdf:
        change(pdf)
        pdf.save(target, **save)
    return target


def _drop_font_files(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in obj:
                    del obj[key]


def _set_info_title(pdf: pikepdf.Pdf) -> None:
    pdf.docinfo["/Title"] = "Un autre titre"


def _drop_output_intents(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/OutputIntents"]


def _drop_pdfa_id(pdf: pikepdf.Pdf) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        del meta["pdfaid:part"]


def _add_launch_action(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(
        S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")))


def _drop_structure(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/StructTreeRoot"]
    del pdf.Root["/MarkInfo"]


@pytest.mark.parametrize(("change", "expected"), [
    (_drop_structure, "non balisé"),
    (_drop_font_files, "police non incorporée"),
    (_set_info_title, "Title du dictionnaire Info"),
    (_drop_output_intents, "pas d'output intent"),
    (_drop_pdfa_id, "pas d'identification PDF/A"),
    (_add_launch_action, "action /Launch interdite"),
])
def test_each_pdfa_check_reports_what_breaks_it(
        real: Path, tmp_path: Path, change: Callable[[pikepdf.Pdf], None], expected: str) -> None:
    assert pdf_problems(real / "data" / "extraits" / "signatures.pdf") == []
    problems = pdf_problems(_tampered(real, tmp_path, change))
    assert any(expected in p for p in problems), problems


def test_an_encrypted_pdf_is_refused(real: Path, tmp_path: Path) -> None:
    target = _tampered(real, tmp_path, lambda pdf: None,
                       encryption=pikepdf.Encryption(owner="o", user="", R=6))
    assert any("chiffré" in p for p in pdf_problems(target))
