"""Inputs: build/ is rebuilt exactly when an input changed, whatever the clocks or names say.

The fingerprint is exercised on a copy of the sample project (no layout needed); the
decision to build on the sample built once, copied for each test (copies get new
timestamps: only contents count), through the command line run in-process.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pytest

from pipeline import chapters, cli, yamlsrc
from pipeline.errors import Findings
from pipeline.figures import assets
from pipeline.inputs import content_files, fingerprint, is_leftover, up_to_date
from pipeline.load import load_schema
from pipeline.project import Project, check

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "sample" / "content"
LEFTOVERS = ["content/axes/.axe-1.yml.swp", "content/chapitres/plan.md~",
             "content/chapitres/.preambule.md.swo", "content/.#edition.yml",
             "content/#glossaire.yml#", "content/.DS_Store", "layouts/.DS_Store",
             "layouts/__pycache__/x.cpython-311.pyc", "layouts/base.css~"]
UP_TO_DATE = "build/ à jour (entrées inchangées)"


def project_copy(target: Path) -> Path:
    shutil.copytree(SAMPLE, target / "content")
    shutil.copytree(ROOT / "layouts", target / "layouts")
    return target


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    return project_copy(tmp_path / "projet")


# --- the fingerprint -----------------------------------------------------------------------

@pytest.mark.parametrize("name", [*LEFTOVERS, "pipeline/__pycache__/cli.cpython-311.pyc"])
def test_leftovers_are_recognised(name: str) -> None:
    assert is_leftover(PurePosixPath(name))


@pytest.mark.parametrize("name", ["content/axes/axe-1.yml", "content/chapitres/plan.md",
                                  "content/chapitres/note: à lire.md", "layouts/base.css"])
def test_sources_are_not_leftovers(name: str) -> None:
    assert not is_leftover(PurePosixPath(name))


def _rename(root: Path) -> None:
    (root / "content/axes/axe-2.yml").rename(root / "content/axes/axe-3.yml")


def _add(root: Path) -> None:
    shutil.copy(root / "content/axes/axe-2.yml", root / "content/axes/axe-3.yml")


def _delete(root: Path) -> None:
    (root / "content/axes/axe-2.yml").unlink()


def _odd_name(root: Path) -> None:
    (root / "content/chapitres/preambule.md").rename(
        root / "content/chapitres/préambule: texte d'ouverture.md")


def _layout(root: Path) -> None:
    (root / "layouts" / "notes de mise en page: à voir.txt").write_text("x", "utf-8")


@pytest.mark.parametrize("change", [_rename, _add, _delete, _odd_name, _layout])
def test_adding_removing_or_renaming_an_input_changes_the_fingerprint(
        root: Path, change: Callable[[Path], None]) -> None:
    before = fingerprint(root)
    change(root)
    assert fingerprint(root) != before


def test_editing_a_file_with_a_space_and_a_colon_in_its_name_changes_it(root: Path) -> None:
    _odd_name(root)
    before = fingerprint(root)
    path = root / "content/chapitres/préambule: texte d'ouverture.md"
    path.write_text(path.read_text("utf-8") + "\nUne phrase de plus.\n", "utf-8")
    assert fingerprint(root) != before


def test_leftovers_and_stray_content_files_leave_it_unchanged(root: Path) -> None:
    before = fingerprint(root)
    for name in [*LEFTOVERS, "content/notes-perso.docx", "content/axes/brouillon.txt",
                 "content/chapitres/vieux/plan.md"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"brouillon")
    (root / "content/chapitres/.#preambule.md").symlink_to("moi@machine.1234:1700000000")
    assert fingerprint(root) == before
    (root / "content/chapitres/plan.md~").write_bytes(b"encore")
    assert fingerprint(root) == before


def test_the_options_of_the_build_are_part_of_it(root: Path) -> None:
    assert fingerprint(root, pilots=True) != fingerprint(root, pilots=False)


def test_content_files_are_what_the_pipeline_reads(root: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (root / "content/notes-perso.docx").write_bytes(b"PK")
    (root / "content/chapitres/plan.md~").write_text("---\nid: x\n---\n", "utf-8")
    (root / "content/chapitres/.#plan.md").symlink_to("moi@machine.1234:1700000000")
    read: set[Path] = set()
    original = yamlsrc.read_text

    def spy(path: Path) -> str:
        read.add(path)
        return original(path)

    monkeypatch.setattr(yamlsrc, "read_text", spy)
    monkeypatch.setattr(chapters, "read_text", spy)
    checked = assets.check_file  # a figure file is read as bytes, to be checked

    def check_spy(path: Path, found: Findings) -> None:
        read.add(path)
        checked(path, found)

    monkeypatch.setattr(assets, "check_file", check_spy)
    findings = Findings()
    load_schema(root / "content", findings)
    assert findings.errors == []
    guide = root / "content" / "README.md"  # for the editors (and the archive), not read
    guide.write_text("# Guide\n", "utf-8")
    assert sorted(read) == [p for p in content_files(root / "content") if p != guide]


def test_leftovers_beside_the_chapters_do_not_count_as_chapters(root: Path) -> None:
    (root / "content/chapitres/.#preambule.md").symlink_to("moi@machine.1234:1700000000")
    (root / "content/chapitres/preambule.md~").write_text("cassé", "utf-8")
    schema, _warnings = check(Project(root, root / "build"))
    assert sorted(c.id for c in schema.chapters) == ["gouvernance", "preambule"]


# --- the decision to build -------------------------------------------------------------------

@pytest.fixture(scope="module")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = project_copy(tmp_path_factory.mktemp("construit") / "projet")
    assert cli.main(["build", "--root", str(root)]) == 0
    assert (root / "build" / "inputs.sha256").is_file()
    return root


@pytest.fixture()
def built(built_sample: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built_sample, tmp_path / "copie"))


def build(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    assert cli.main(["build", "--root", str(root), *args]) == 0
    return capsys.readouterr().out.splitlines()


def test_a_build_with_nothing_to_do_says_so_and_writes_nothing(
        built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in LEFTOVERS[:2]:
        (built / name).write_text("en cours d'édition", "utf-8")
    (built / "content" / "notes-perso.docx").write_bytes(b"PK")
    before = snapshot(built / "build")
    assert build(built, capsys) == [UP_TO_DATE]
    assert snapshot(built / "build") == before


def test_force_rebuilds(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = (built / "build" / "manifest.json").stat().st_mtime_ns
    lines = build(built, capsys, "--force")
    assert [line for line in lines if re.fullmatch(r"build/schema\.pdf  \d+ p\.", line)]
    assert (built / "build" / "manifest.json").stat().st_mtime_ns != manifest


def test_a_renamed_input_rebuilds(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _odd_name(built)
    assert [line for line in build(built, capsys)
            if re.fullmatch(r"build/schema\.pdf  \d+ p\.", line)]
    assert build(built, capsys) == [UP_TO_DATE]


def test_a_deleted_input_is_not_nothing_to_do(built: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    _delete(built)  # the preamble still cites [[axe:2]]: the build runs, and says why not
    assert cli.main(["build", "--root", str(built)]) == 1
    errors = capsys.readouterr().err
    assert "content/chapitres/preambule.md:" in errors and "Traceback" not in errors


@pytest.mark.parametrize("damage", ["delete", "edit"])
def test_a_damaged_output_rebuilds(built: Path, capsys: pytest.CaptureFixture[str],
                                   damage: str) -> None:
    target = built / "build" / "extraits" / "axe-2.pdf"
    if damage == "delete":
        target.unlink()
    else:
        target.write_bytes(target.read_bytes() + b"\n")
    assert not up_to_date(built, built / "build")
    assert "build/extraits/axe-2.pdf  3 p." in build(built, capsys)
    assert build(built, capsys) == [UP_TO_DATE]


def test_a_build_without_pilots_is_not_taken_for_a_full_one(
        built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(built, capsys, "--sans-pilotes")[-1] != UP_TO_DATE
    assert build(built, capsys, "--sans-pilotes") == [UP_TO_DATE]
    assert any("pilote-" in line for line in build(built, capsys))
