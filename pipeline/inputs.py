"""Stage 0 — inputs: which files a build reads, their fingerprint, and whether git has them.

Every place that lists content files asks here: `content_files` names the files the
pipeline reads (the registries, the axes, the chapters, the editors' guide), never an
editor's leftover (`is_leftover`) nor a stray file. `fingerprint` hashes the paths and
contents of every input (those content files, layouts/, the code, pyproject.toml): build/
is rebuilt exactly when it changes, whatever the clocks say. `uncommitted` tells an
archival edition which inputs differ from the last commit. Light on purpose: no
WeasyPrint, no YAML, so that a build with nothing to do answers at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

LEFTOVERS = ("*~", ".*.swp", ".*.swo", ".#*", "#*#", ".DS_Store", "__pycache__", "*.pyc")
REGISTRIES = ("edition.yml", "editions.yml", "organisations.yml", "signataires.yml",
              "instances.yml", "glossaire.yml")
SOURCES = (*REGISTRIES, "README.md", "axes/*.yml", "chapitres/*.md",  # under content/
           "fiches/*.yml", "suivi/*.yml", "figures/*", "donnees/*")
TRACKED = ("content", "layouts", "pipeline", "pyproject.toml")  # what a build is made from
CODE = Path(__file__).resolve().parent  # the pipeline that runs, whatever --root says
RECORD = "inputs.sha256"  # beside build/manifest.json
MANIFEST = "manifest.json"


def is_leftover(path: PurePosixPath | Path) -> bool:
    """Whether a relative path is, or lies in, an editor's or tool's leftover."""
    return any(fnmatchcase(part, pattern) for part in path.parts for pattern in LEFTOVERS)


def is_source(relative: PurePosixPath) -> bool:
    """Whether a path relative to content/ names a file the pipeline reads."""
    return not is_leftover(relative) and any(_matches(relative, p) for p in SOURCES)


def _matches(relative: PurePosixPath, pattern: str) -> bool:
    """Part by part: `chapitres/*.md` matches `chapitres/plan.md`, not a deeper file."""
    wanted = pattern.split("/")
    return len(relative.parts) == len(wanted) and all(
        fnmatchcase(part, want) for part, want in zip(relative.parts, wanted, strict=True))


def content_files(content: Path) -> list[Path]:
    """The files of `content` the pipeline reads, sorted by relative path."""
    return [path for name, path in sorted(_walk(content)) if is_source(PurePosixPath(name))]


def input_files(root: Path) -> list[tuple[str, Path]]:
    """Every input of a build of `root`: (name relative to the project, path), sorted."""
    content = root / "content"
    files = [(f"content/{p.relative_to(content).as_posix()}", p) for p in content_files(content)]
    files += [(f"layouts/{name}", path) for name, path in _walk(root / "layouts")]
    files += [(f"pipeline/{name}", path) for name, path in _walk(CODE)]
    if (CODE.parent / "pyproject.toml").is_file():
        files.append(("pyproject.toml", CODE.parent / "pyproject.toml"))
    return sorted(files)


def _walk(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every file under `folder` but leftovers, as (relative posix name, path)."""
    for top, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not is_leftover(PurePosixPath(d))]
        for name in files:
            path = Path(top, name)
            relative = PurePosixPath(path.relative_to(folder).as_posix())
            if not is_leftover(relative) and path.is_file():
                yield relative.as_posix(), path


def fingerprint(root: Path, pilots: bool = True) -> str:
    """SHA-256 over the sorted names and contents of every input, and the build's options."""
    digest = hashlib.sha256(b"pilotes\0" if pilots else b"sans-pilotes\0")
    for name, path in input_files(root):
        content = hashlib.sha256(path.read_bytes()).hexdigest()
        digest.update(os.fsencode(name) + b"\0" + content.encode() + b"\n")
    return digest.hexdigest()


def record(out: Path, value: str) -> None:
    """Write the fingerprint of the inputs a build was made from beside its manifest."""
    from pipeline.output import write_atomic

    write_atomic(out / RECORD, f"{value}\n".encode())


def up_to_date(root: Path, out: Path, pilots: bool = True) -> bool:
    """Whether `out` was built from these very inputs and still holds what it published."""
    try:
        recorded = (out / RECORD).read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return recorded == fingerprint(root, pilots) and _outputs_intact(root, out)


def _outputs_intact(root: Path, out: Path) -> bool:
    """The manifest and every file it lists, with the SHA-256 it lists."""
    try:
        listed = json.loads((out / MANIFEST).read_text("utf-8"))["artifacts"]
        return all(hashlib.sha256((root / item["path"]).read_bytes()).hexdigest()
                   == item["sha256"] for item in listed)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def uncommitted(root: Path) -> list[tuple[str, str]] | None:
    """The inputs of `root` that differ from HEAD, as (git status code, relative path);
    None when `root` is not the top of a git work tree (or git is missing)."""
    if _git(root, "rev-parse", "--show-toplevel") != str(root.resolve()):
        return None
    status = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--",
                  *TRACKED)
    if status is None:
        return None
    return [(code, name) for code, name in _entries(status) if _is_input(name)]


def last_commit(root: Path) -> str | None:
    """The last commit that touched the inputs, None outside a git work tree."""
    return _git(root, "log", "-1", "--format=%H", "--", *TRACKED) or None


def _entries(status: str) -> Iterator[tuple[str, str]]:
    """(code, path) of `git status --porcelain -z`; a rename gives both its paths."""
    fields = iter(status.split("\0"))
    for field in fields:
        if not field:
            continue
        code, name = field[:2], field[3:]
        yield code, name
        if "R" in code or "C" in code:
            yield code, next(fields, "")


def _is_input(name: str) -> bool:
    path = PurePosixPath(name)
    if is_leftover(path):
        return False
    if path.parts[:1] == ("content",):
        return is_source(PurePosixPath(*path.parts[1:]))
    return True


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                              text=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip("\n") if args[0] == "status" else done.stdout.strip()
