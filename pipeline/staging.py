"""Stage 5 — publish: all or nothing, one build at a time.

Every output of a build is written aside, into a hidden sibling of the output folder
(`.build.staging-<pid>/`); only when all of it is written is the output folder switched
to it in one step (Linux `renameat2` RENAME_EXCHANGE; elsewhere two renames, undone if
the second fails), the archived editions (`build/editions/`) carried over by hard links
beforehand so that they are never missing, and the old tree removed. A failure, an
interruption or a killed process leaves build/ exactly as it was; what a killed build
left aside is removed by the next one. A lock beside the output folder (`.build.lock`,
`flock`) lets one build at a time write to it; a second one is told so and stops.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline import system
from pipeline.errors import Finding, PipelineError, SourceLocation

KEPT = "editions"  # archived editions live in build/ but belong to no build


class Busy(PipelineError):
    """Another build holds the output folder: said in one line, nothing else to report."""


@contextmanager
def exclusive(out: Path) -> Iterator[None]:
    """Hold the output folder's lock for the block, or refuse at once if another holds it."""
    with located(out, out):
        out.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(_sibling(out, "lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy([Finding(SourceLocation.of(out), (
                "une autre construction écrit déjà dans ce dossier : attendez qu'elle "
                "finisse, puis relancez ; rien n'a été publié"))]) from None
        yield
    finally:
        os.close(handle)


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A fresh staging folder, published as `out` if the block ends normally; removed in
    every case. Hold `exclusive(out)` around it."""
    stage = _sibling(out, f"staging-{os.getpid()}")
    with located(out, stage):
        _check_out(out)
        _clear_leftovers(out)
        stage.mkdir(mode=0o755)
    try:
        with located(out, stage):
            yield stage
            _carry(out / KEPT, stage / KEPT)
            with system.held_signals(deliver_after=False):
                _switch(stage, out)
                _remove(stage)  # now the old tree
    finally:
        with system.held_signals():
            _remove(stage)


@contextmanager
def located(out: Path, stage: Path) -> Iterator[None]:
    """An OSError of the block becomes a located error, the staging folder named as `out`."""
    try:
        yield
    except OSError as exc:
        where = str(exc.filename) if exc.filename else str(out)
        where = where.replace(str(stage), str(out), 1) if where.startswith(str(stage)) else where
        raise PipelineError.at(SourceLocation.of(where),
                               system.environment_message(exc)) from None


def _sibling(out: Path, what: str) -> Path:
    return out.parent / f".{out.name}.{what}"


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise PipelineError.at(SourceLocation.of(out), "un fichier porte ce nom : le dossier de "
                               "sortie doit être un dossier ; déplacez ce fichier")
    if out.is_dir() and os.path.ismount(out):
        raise PipelineError.at(SourceLocation.of(out), "point de montage : il ne peut pas être "
                               "remplacé d'un seul coup ; montez son dossier parent, ou "
                               "choisissez un sous-dossier (--out)")
    if out.is_dir() and not os.access(out, os.W_OK | os.X_OK):
        raise PipelineError.at(SourceLocation.of(out), "dossier en lecture seule (permission "
                               "refusée) : rendez-le inscriptible (chmod u+w), puis relancez")


def _clear_leftovers(out: Path) -> None:
    """Undo what a killed build left beside `out` (we hold the lock: no build is running)."""
    name = glob.escape(out.name)
    aside = sorted(out.parent.glob(f".{name}.old-*"))
    if not out.exists() and aside:  # killed between the two renames of `_by_renames`
        os.rename(aside.pop(), out)
    for leftover in [*aside, *out.parent.glob(f".{name}.staging-*")]:
        _remove(leftover)


def _carry(kept: Path, target: Path) -> None:
    """Copy build/editions/ into the new tree as hard links: instant, and the editions are
    in build/ before, during and after the switch."""
    if kept.is_symlink():
        os.symlink(os.readlink(kept), target)
    elif kept.is_dir():
        _link_tree(kept, target)


def _link_tree(source: Path, target: Path) -> None:
    target.mkdir()
    for entry in os.scandir(source):
        here = target / entry.name
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), here)
        elif entry.is_dir():
            _link_tree(Path(entry.path), here)
        else:
            try:
                os.link(entry.path, here, follow_symlinks=False)
            except OSError:  # a file system without hard links
                shutil.copy2(entry.path, here, follow_symlinks=False)
    shutil.copystat(source, target)


def _switch(stage: Path, out: Path) -> None:
    """Put the staging tree at `out` in one step; the old tree, if any, ends at `stage`."""
    if not out.exists():
        os.rename(stage, out)
    elif not system.exchange(stage, out):
        _by_renames(stage, out)


def _by_renames(stage: Path, out: Path) -> None:
    """Where `renameat2` is missing: two renames, the first undone if the second fails."""
    aside = _sibling(out, f"old-{os.getpid()}")
    os.rename(out, aside)
    try:
        os.rename(stage, out)
    except BaseException:
        os.rename(aside, out)
        raise
    os.rename(aside, stage)


def _remove(path: Path) -> None:
    """Remove a tree we wrote or replaced, even where its folders were made read-only;
    what cannot be removed stays for the next build to remove."""
    with contextlib.suppress(OSError):
        if path.is_symlink() or not path.is_dir():
            path.unlink(missing_ok=True)
            return
        for folder, _dirs, _files in os.walk(path):
            os.chmod(folder, 0o755)
    shutil.rmtree(path, ignore_errors=True)
