"""Trust: a build publishes everything or nothing, one at a time, and says what it does.

Every test starts from a copy of one sample project already built (with an archived
edition in build/editions/), breaks something, and checks that build/ is byte for byte
what it was, that nothing is left beside it, and what the editor is told. Most run the
command in this process; the signals and the killed build run it as a subprocess.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from pipeline import build as build_module
from pipeline import cli, output, staging, system
from tests.test_bad_input import make_project

ROOT = Path(__file__).resolve().parent.parent
EDITION = {"editions/1.0/data/schema.pdf": b"%PDF-1.7 edition archivee\n",
           "editions/1.0/bagit.txt": b"BagIt-Version: 0.97\n"}
SUMMARY = "problème(s) : rien n'a été publié."
INTERNAL = "erreur interne du pipeline"


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None) under `folder`."""
    return {p.relative_to(folder).as_posix(): None if p.is_dir() else p.read_bytes()
            for p in sorted(folder.rglob("*"))}


def leftovers(root: Path) -> list[str]:
    """What a build may have left beside build/ (its lock file excepted)."""
    return sorted(p.name for p in root.iterdir()
                  if p.name.startswith(".build.") and p.name != ".build.lock")


def build(root: Path, *more: str) -> int:
    """A build that runs even when the inputs did not change (--force): these tests break
    the machine under an unchanged content, or count on the build's own work."""
    return cli.main(["build", "--root", str(root), "--force", *more])


def retitle(root: Path) -> None:
    """Change the title every publication carries: no output would be rebuilt the same."""
    edition = root / "content" / "edition.yml"
    edition.write_text(edition.read_text("utf-8").replace("titre: Schéma d'essai",
                                                          "titre: Schéma retitré"), "utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built once, an archived edition in its build/."""
    root = make_project(tmp_path_factory.mktemp("fiabilite"))
    for name, data in EDITION.items():
        (root / "build" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "build" / name).write_bytes(data)
        (root / "build" / name).chmod(0o444)
    assert build(root) == 0
    return root


@pytest.fixture
def root(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "projet"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def test_a_build_publishes_every_output_and_keeps_the_editions(built: Path) -> None:
    names = {p.relative_to(built / "build").as_posix() for p in (built / "build").rglob("*.*")}
    assert {"manifest.json", "schema.pdf", "schema.html", "extraits/axe-2.pdf",
            "extraits/pilote-relais.pdf", *EDITION} <= names
    assert {k: v for k, v in snapshot(built / "build").items() if k in EDITION} == EDITION
    assert leftovers(built) == []


# --- all or nothing: a failure at any stage after validation leaves build/ as it was ---

def _raise(exc: BaseException) -> Callable[..., Any]:
    def fail(*_args: object, **_kwargs: object) -> Any:
        raise exc
    return fail


def _in_child(exc: BaseException, real: Callable[..., Any]) -> Callable[..., Any]:
    """`real`, but raising `exc` in the forked child only (the parent's pid is now's)."""
    parent = os.getpid()

    def maybe(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            raise exc
        return real(*args, **kwargs)
    return maybe


def _killed_child(real: Callable[..., Any]) -> Callable[..., Any]:
    parent = os.getpid()

    def maybe(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return maybe


def _failing_write(name: str, code: int) -> Callable[[Path, bytes], None]:
    real = output.write_atomic

    def write(target: Path, data: bytes) -> None:
        if target.name == name:
            raise OSError(code, os.strerror(code), str(target))
        real(target, data)
    return write


def _second_rename_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """No renameat2, and the rename of the staging folder onto build/ fails."""
    real = os.rename

    def rename(source: Any, target: Any) -> None:
        if ".staging-" in str(source) and Path(target).name == "build":
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(target))
        real(source, target)
    monkeypatch.setattr(system, "exchange", lambda _a, _b: False)
    monkeypatch.setattr(os, "rename", rename)


INJECTIONS: dict[str, tuple[Callable[[pytest.MonkeyPatch], None], int, str]] = {
    "mise en page": (lambda m: m.setattr(build_module, "render_document",
                                         _raise(RuntimeError("pango"))), 2, INTERNAL),
    "PDF écrit par l'enfant": (lambda m: m.setattr(build_module, "_pdf", _in_child(
        OSError(errno.ENOSPC, "No space left on device"), build_module._pdf)),
        1, "build: error: disque plein"),
    "fichier écrit ici": (lambda m: m.setattr(output, "write_atomic",
                                              _failing_write("axe-2.pdf", errno.EROFS)),
                          1, "build/extraits/axe-2.pdf: error: système de fichiers en "
                             "lecture seule"),
    "fichier écrit par l'enfant": (lambda m: m.setattr(output, "write_atomic",
                                                       _failing_write("schema.pdf", errno.ENOSPC)),
                                   # the screen or the print Schéma, whichever comes first
                                   1, "/schema.pdf: error: disque plein"),
    "manifeste": (lambda m: m.setattr(build_module, "write_manifest", _raise(OSError(
        errno.EDQUOT, "Disk quota exceeded", "manifest.json"))), 1, "quota disque dépassé"),
    "exception dans l'enfant": (lambda m: m.setattr(build_module, "_write_extracts", _in_child(
        KeyError("axe-9"), build_module._write_extracts)), 2, "ChildFailed : KeyError"),
    "enfant tué": (lambda m: m.setattr(build_module, "_write_extracts",
                                       _killed_child(build_module._write_extracts)),
                   2, "tué par le signal 9"),
    "échange des dossiers": (lambda m: m.setattr(system, "exchange", _raise(OSError(
        errno.EBUSY, "Device or resource busy", "build"))), 1, "chemin occupé"),
    "renommage de repli": (_second_rename_fails, 1, "build: error: écriture ou lecture "
                                                    "impossible"),
}


@pytest.mark.parametrize("stage", INJECTIONS)
def test_a_failure_at_any_stage_publishes_nothing(
        stage: str, root: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    inject, status, said = INJECTIONS[stage]
    before = snapshot(root / "build")
    retitle(root)
    inject(monkeypatch)
    assert build(root, "--sans-pilotes") == status  # the child writes the print variant
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err, err
    assert err.splitlines()[-1].endswith(SUMMARY if status == 1 else "rien n'a été publié."), err
    assert snapshot(root / "build") == before
    assert leftovers(root) == []


# --- outputs that no longer exist disappear; the renames fallback publishes too ---

@pytest.mark.parametrize("switch", ["renameat2", "renommages"])
def test_a_removed_axis_and_pilot_disappear_editions_stay(
        switch: str, root: Path, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    options = []
    if switch == "renommages":  # without renameat2 (and without the pilots, to save time)
        monkeypatch.setattr(system, "exchange", lambda _a, _b: False)
        options = ["--sans-pilotes"]
        # killed between its two renames, a build leaves build/ aside: put back first
        (root / "build").rename(root / ".build.old-99999")
    (root / "content" / "axes" / "axe-2.yml").unlink()  # relais pilots in axis 2 only
    chapter = root / "content" / "chapitres" / "preambule.md"
    chapter.write_text(chapter.read_text("utf-8").replace("le second, [[axe:2]],", "le second"),
                       "utf-8")
    assert build(root, *options) == 0
    files = {k for k, v in snapshot(root / "build").items() if v is not None}
    manifest = json.loads((root / "build" / "manifest.json").read_text("utf-8"))
    listed = {a["path"].removeprefix("build/") for a in manifest["artifacts"]}
    assert listed == files - {"manifest.json", "inputs.sha256", *EDITION}
    assert "extraits/axe-1.pdf" in listed
    assert not {"extraits/axe-2.pdf", "extraits/pilote-relais.pdf"} & files
    assert {k: v for k, v in snapshot(root / "build").items() if k in EDITION} == EDITION
    assert leftovers(root) == []
    out, err = capfd.readouterr()  # the forked child's lines too
    written = ["Schéma complet écrit", "extraits écrits : 2 fichiers",
               *(["extraits par pilote écrits : 2 fichiers"] if not options else []),
               "données ouvertes écrites : 9 fichiers",
               f"édition web écrite : {sum(a['kind'] == 'site' for a in manifest['artifacts'])} "
               "fichiers"]
    pages = next(a["pages"] for a in manifest["artifacts"] if a["kind"] == "full")
    assert _progress(out) == ["contenu vérifié : 1 axe, 3 actions",
                              *sorted([f"Schéma mis en page : {pages} pages", *written]),
                              f"publié dans build/ : {len(listed) + 1} fichiers"]
    assert f"build/schema.pdf  {pages} p." in out.splitlines()
    # nothing but the content's warnings (COFIL is spelled out in the axis removed)
    assert [line for line in err.splitlines() if ": warning: " not in line] == []


def _progress(out: str) -> list[str]:
    """The progress lines, without their times, in a stable order (three processes write:
    the pilot extracts' while the full Schéma is laid out)."""
    lines = [re.sub(r" \(\d+\.\d s\)$", "", x) for x in out.splitlines() if x.endswith(" s)")]
    return lines[:1] + sorted(lines[1:-1]) + lines[-1:]


# --- one build at a time ---

def test_a_second_build_is_refused_while_one_runs(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(root / "build")
    with staging.exclusive(root / "build"):
        started = time.perf_counter()
        assert build(root) == 1
        assert time.perf_counter() - started < 5  # refused, not waiting
    assert capsys.readouterr().err == (
        "build: error: une autre construction écrit déjà dans ce dossier : attendez qu'elle "
        "finisse, puis relancez ; rien n'a été publié\n")
    assert snapshot(root / "build") == before


# --- the machine's problems, said as such ---

@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging (a FIFO opened for reading waits for a writer)."""
    def expired(_number: int, _frame: object) -> None:
        raise TimeoutError("la lecture attend encore")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _unreadable(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 000; as root (who reads anything), the refusal the system would give."""
    path.chmod(0)
    if os.geteuid() != 0:
        return
    real = os.open

    def refuse(name: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(name) == path:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(name))
        return real(name, flags, *args, **kwargs)
    monkeypatch.setattr(os, "open", refuse)


def _unlistable(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 000 on a folder; as root, the refusal the system would give."""
    folder.chmod(0)
    if os.geteuid() != 0:
        return
    real = os.scandir

    def refuse(name: Any = ".") -> Any:
        if Path(name) == folder:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(name))
        return real(name)
    monkeypatch.setattr(os, "scandir", refuse)


def _read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root writes anywhere: say what access(2) says to others
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: (
            Path(p) != folder and real(p, mode, *a, **k)))


ENVIRONMENT: dict[str, tuple[Callable[[Path, pytest.MonkeyPatch], None], str]] = {
    "fichier illisible": (
        lambda r, m: _unreadable(r / "content" / "axes" / "axe-2.yml", m),
        "content/axes/axe-2.yml:1: error: fichier illisible (permission refusée) : vérifiez "
        "ses droits"),
    "dossier illisible": (
        lambda r, m: _unlistable(r / "content" / "chapitres", m),
        "content/chapitres/: error: dossier illisible (permission refusée)"),
    "tube nommé": (
        lambda r, _m: os.mkfifo(r / "content" / "axes" / "axe-3.yml"),
        "content/axes/axe-3.yml:1: error: ce n'est pas un fichier ordinaire"),
    "dossier à la place d'un fichier": (
        lambda r, _m: (r / "content" / "chapitres" / "annexe.md").mkdir(),
        "content/chapitres/annexe.md:1: error: un dossier porte ce nom"),
    "dossier de sortie monté": (
        lambda r, m: m.setattr(os.path, "ismount", lambda p: Path(p) == r / "build"),
        "build: error: point de montage"),
    "dossier de sortie en lecture seule": (
        lambda r, m: _read_only(r / "build", m),
        "build: error: dossier en lecture seule (permission refusée)"),
}


@pytest.mark.parametrize("problem", ENVIRONMENT)
def test_the_machines_problems_are_located_and_plain(
        problem: str, root: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    make, said = ENVIRONMENT[problem]
    before = snapshot(root / "build")
    make(root, monkeypatch)
    with _deadline(20):
        assert build(root) == 1
    err = capsys.readouterr().err
    assert err.startswith(said) and "interne" not in err and "Traceback" not in err, err
    for folder in (root / "build", root / "content" / "chapitres"):
        folder.chmod(0o755)
    assert snapshot(root / "build") == before
    assert leftovers(root) == []


# --- interrupted, terminated, killed: as a subprocess, slowed down in its forked child ---

SLOW_CHILD = """
import os, sys, time
from pathlib import Path
from pipeline import build, cli
real = build._write_extracts  # runs in the forked child (build.publish)
def slow(*args):
    Path(sys.argv[1]).write_text(str(os.getpid()))
    time.sleep(60)
    return real(*args)
build._write_extracts = slow
sys.exit(cli.main(["build", "--root", sys.argv[2], "--sans-pilotes"]))
"""


def _slow_build(root: Path) -> tuple[subprocess.Popen[str], int]:
    """A build started in its own process group, stopped in its child; (it, child's pid)."""
    marker = root / "enfant.pid"
    proc = subprocess.Popen([sys.executable, "-c", SLOW_CHILD, str(marker), str(root)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 30
    while not marker.exists() or not marker.read_text():
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    child = int(marker.read_text())
    assert child != proc.pid, "la partie ralentie ne tourne plus dans l'enfant"
    return proc, child


def _gone(pid: int, within: float = 5) -> bool:
    """The process ended (a zombie waiting for its reaper counts as ended)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_build_says_one_line_and_publishes_nothing(
        sig: signal.Signals, status: int, root: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(root / "build")
    retitle(root)
    proc, child = _slow_build(root)
    assert build(root) == 1  # meanwhile, a second build is refused
    assert "une autre construction écrit déjà" in capsys.readouterr().err
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # Ctrl-C reaches the whole process group
    else:
        proc.send_signal(sig)  # SIGTERM, to the parent alone
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == status
    assert err == "interrompu : rien n'a été publié\n"
    assert _gone(child)
    assert snapshot(root / "build") == before
    assert leftovers(root) == []


def test_a_killed_build_takes_its_child_along_and_the_next_one_works(root: Path) -> None:
    before = snapshot(root / "build")
    retitle(root)
    proc, child = _slow_build(root)
    proc.kill()
    proc.wait(timeout=10)
    assert _gone(child), "le processus enfant survit à son parent"
    assert snapshot(root / "build") == before
    assert leftovers(root) == [f".build.staging-{proc.pid}"]  # what the next build removes
    assert build(root, "--sans-pilotes") == 0
    assert leftovers(root) == []
    assert not (root / "build" / "extraits" / "pilote-relais.pdf").exists()


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_text("a")
    (tmp_path / "b").mkdir()
    if not system.exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("renameat2 indisponible : la construction se replie sur deux renommages")
    assert (tmp_path / "b" / "x").read_text() == "a"
    assert list((tmp_path / "a").iterdir()) == []

