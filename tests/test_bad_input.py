"""The bad-input corpus: every mistake an editor can make is reported, located, harmlessly.

Each folder of tests/bad_input/ holds the files that differ from tests/sample/content
(copied over a fresh copy of the sample), and `expect.txt`: the expected
``path:line: error:`` prefix on its first line, a distinctive fragment of the message on
its second. Optional files shape the copy: `DELETE` (paths to remove), `SYMLINKS`
(``link -> target``) and `LARGE` (``path size``: a sparse file of that size, PNG header
first). A case whose `expect.txt` starts with ``ok`` must build; its other lines are
texts the built HTML must hold literally (``!text``: must not hold).

For a failing case the build must exit non-zero without a traceback, print only
``path:line: error|warning: message`` lines (plus the final count), and leave build/
exactly as it was. The failing cases' builds run concurrently, once, before their tests.
"""

from __future__ import annotations

import ast
import contextlib
import html
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from pypdf import PdfReader

from pipeline import build as build_module
from pipeline import cli, textcheck, validate
from pipeline.errors import Findings, PipelineError
from pipeline.figures import assets, checks, data, files, maps, svgcheck
from pipeline.project import Project, check
from pipeline.suivi import rules as suivi_rules

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "sample"
CASES = ROOT / "tests" / "bad_input"
CONTROL_FILES = {"expect.txt", "DELETE", "SYMLINKS", "LARGE"}
FINDING = re.compile(r"^[^:\s]+(:\d+|/): (error|warning): ")  # a folder: no line
SUMMARY = re.compile(r"^\d+ problème\(s\) : rien n'a été publié\.$")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OLD_MANIFEST = b'{"artifacts": [{"kind": "full", "path": "build/schema.pdf"}]}\n'
OLD_FILE = b"publication precedente, a ne pas toucher\n"
FIGURE_RULES = (assets, checks, data, files, maps, svgcheck)  # the figures' rules (issue 11)


@dataclass(frozen=True)
class Expectation:
    ok: bool
    prefix: str = ""
    fragment: str = ""
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    printed: tuple[str, ...] = ()

    @classmethod
    def read(cls, case: Path) -> Expectation:
        lines = [x for x in (case / "expect.txt").read_text("utf-8").splitlines() if x.strip()]
        if lines[0].strip() == "ok":
            wanted = lines[1:]
            return cls(True, present=tuple(x for x in wanted if x[0] not in "!~"),
                       absent=tuple(x[1:] for x in wanted if x.startswith("!")),
                       printed=tuple(x[1:] for x in wanted if x.startswith("~")))
        return cls(False, prefix=lines[0].strip(), fragment=lines[1].strip())


def _cases(ok: bool) -> list[Path]:
    return [c for c in sorted(CASES.iterdir()) if c.is_dir() and Expectation.read(c).ok is ok]


def make_project(tmp_path: Path, case: Path | None = None) -> Path:
    """A copy of the sample (layouts linked from the repository), `case` laid over it."""
    root = tmp_path / "projet"
    shutil.copytree(SAMPLE / "content", root / "content")
    (root / "layouts").symlink_to(ROOT / "layouts", target_is_directory=True)
    if case is not None:
        _overlay(case, root)
    return root


def _overlay(case: Path, root: Path) -> None:
    for source in sorted(case.rglob("*")):
        relative = source.relative_to(case)
        if source.is_dir() or relative.as_posix() in CONTROL_FILES:
            continue
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, root / relative)
    for line in _control_lines(case / "DELETE"):
        (root / line).unlink()
    for line in _control_lines(case / "SYMLINKS"):
        link, target = (x.strip() for x in line.split("->"))
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        (root / link).symlink_to(target)
    for line in _control_lines(case / "LARGE"):
        name, size = line.split()
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        with (root / name).open("wb") as handle:
            handle.write(PNG_SIGNATURE)
            handle.truncate(int(size))


def _control_lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [x.strip() for x in path.read_text("utf-8").splitlines() if x.strip()]


@dataclass(frozen=True)
class Result:
    """What one run of the command line gave."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> Result:
    """`python -m pipeline ARGS`, in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return Result(code, out.getvalue(), err.getvalue())


def run_build(root: Path) -> Result:
    return run_cli("build", "--root", str(root))


def run_subprocess(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True,
        timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _old_build(root: Path) -> dict[str, bytes]:
    """Fill build/ as a previous publication left it; return its contents."""
    (root / "build").mkdir()
    (root / "build" / "manifest.json").write_bytes(OLD_MANIFEST)
    (root / "build" / "schema.pdf").write_bytes(OLD_FILE)
    return _snapshot(root / "build")


@dataclass(frozen=True)
class Run:
    """One failing case built and checked: build/ before, the results, build/ after."""

    before: dict[str, bytes]
    result: Result
    checked: Result
    after: dict[str, bytes]


def _run_case(case: Path, tmp_path: Path) -> Run:
    root = make_project(tmp_path, case)
    before = _old_build(root)
    result = run_build(root)
    checked = run_cli("check", "--root", str(root))
    return Run(before, result, checked, _snapshot(root / "build"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    return {case.name: _run_case(case, tmp_path_factory.mktemp(case.name))
            for case in _cases(ok=False)}


def test_corpus_is_large_enough() -> None:
    assert len(_cases(ok=False)) >= 60


def test_sample_builds_from_the_command_line(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = run_subprocess("build", "--root", str(root), "--sans-pilotes")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (root / "build" / "schema.pdf").stat().st_size > 0


def test_a_bad_case_from_the_command_line(tmp_path: Path) -> None:
    """The real process: exit status 1, findings only on stderr, build/ untouched."""
    root = make_project(tmp_path, CASES / "unknown_pilot")
    before = _old_build(root)
    result = run_subprocess("build", "--root", str(root))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines and SUMMARY.match(lines[-1]) and all(FINDING.match(x) for x in lines[:-1])
    assert _snapshot(root / "build") == before


@pytest.mark.parametrize("case", _cases(ok=False), ids=lambda c: c.name)
def test_bad_input_is_reported(case: Path, runs: dict[str, Run]) -> None:
    expected = Expectation.read(case)
    result = runs[case.name].result
    lines = result.stderr.splitlines()
    assert result.returncode == 1, result.stdout + result.stderr
    assert lines and SUMMARY.match(lines[-1]), result.stderr
    assert [x for x in lines[:-1] if not FINDING.match(x)] == [], result.stderr
    assert [x for x in lines if x.startswith(expected.prefix) and expected.fragment in x], (
        f"attendu : {expected.prefix} … {expected.fragment}\nobtenu :\n{result.stderr}"
    )
    assert runs[case.name].after == runs[case.name].before


@pytest.mark.parametrize("case", _cases(ok=False), ids=lambda c: c.name)
def test_check_finds_what_build_finds(case: Path, runs: dict[str, Run]) -> None:
    """What `make check` accepts, `make` publishes: the same findings, the same exit."""
    run = runs[case.name]
    assert run.checked.returncode == run.result.returncode
    assert run.checked.stderr == run.result.stderr


@pytest.mark.parametrize("case", _cases(ok=True), ids=lambda c: c.name)
def test_tricky_but_valid_input_builds_literally(case: Path, tmp_path: Path) -> None:
    expected = Expectation.read(case)
    root = make_project(tmp_path, case)
    checked = run_cli("check", "--root", str(root))
    result = run_build(root)
    assert checked.returncode == result.returncode == 0, result.stderr
    assert checked.stderr == result.stderr
    built = html.unescape((root / "build" / "schema.html").read_text("utf-8"))
    pdf = "".join(p.extract_text() or "" for p in PdfReader(root / "build" / "schema.pdf").pages)
    pdf = re.sub(r"\s+", " ", pdf)
    for text in expected.present:
        assert text in built, text
        assert text in pdf, text
    for text in expected.absent:
        assert text not in built, text
    for text in expected.printed:
        assert any(line.startswith(text) for line in result.stderr.splitlines()), result.stderr


def test_yaml_values_stay_the_text_typed(tmp_path: Path) -> None:
    """`NO`, `01000`, `12:30`, `1.10` are neither false, 1000, 750 nor 1.1."""
    root = make_project(tmp_path, CASES / "yaml_values_stay_text")
    schema, _warnings = check(Project(root, root / "build"))
    assert schema.signatories[-1].name == "NO"
    assert schema.organisation("01000") is not None
    assert "01000" in {p.organisation for a in schema.actions for p in a.pilots}
    assert schema.instances[0].frequency == "12:30"
    assert schema.edition.version == "1.10"


def test_a_pipeline_bug_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise KeyError("gabarit")

    monkeypatch.setattr(build_module, "build", broken)
    assert cli.main(["build", "--root", str(make_project(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and "erreur interne du pipeline (KeyError" in err


def test_recursion_is_reported_not_raised(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def too_deep(*_args: object, **_kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(build_module, "build", too_deep)
    assert cli.main(["build", "--root", str(make_project(tmp_path))]) == 2
    assert "imbriqué trop profondément" in capsys.readouterr().err


def _emitters(*modules: ModuleType) -> set[str]:
    """Every function of `modules` that reports a finding: the validation rules."""
    names = set()
    for module in modules:
        tree = ast.parse(Path(module.__file__ or "").read_text("utf-8"))
        for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            calls = [c for c in ast.walk(function) if isinstance(c, ast.Call)]
            if any(ast.unparse(c.func).endswith(("findings.error", "findings.warning", "report"))
                   for c in calls):
                names.add(f"{module.__name__}.{function.name}")
    return names


def test_every_validation_rule_has_a_case(tmp_path: Path) -> None:
    """Each rule of validate, textcheck and suivi.rules reports on at least one case of the
    corpus."""
    hit: set[str] = set()

    def recording(original: Callable[..., None]) -> Callable[..., None]:
        def record(self: Findings, *args: object) -> None:
            caller = sys._getframe(1)
            hit.add(f"{caller.f_globals['__name__']}.{caller.f_code.co_name}")
            original(self, *args)
        return record

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Findings, "error", recording(Findings.error))
        patch.setattr(Findings, "warning", recording(Findings.warning))
        for case in _cases(ok=False) + _cases(ok=True):
            root = make_project(tmp_path / case.name, case)
            with contextlib.suppress(PipelineError):
                check(Project(root, root / "build"))
    rules = _emitters(validate, textcheck, suivi_rules, *FIGURE_RULES)
    assert len(rules) >= 20
    assert sorted(rules - hit) == []
