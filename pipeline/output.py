"""Stage 5 — output: atomic writes and the manifest of build/.

Nothing is written in place: each file goes to a temporary name beside its target and
is renamed, so no reader ever sees a half-written file. A build writes all its files in
a staging folder that replaces build/ at the end (`staging`); an edition, in its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Artifact:
    kind: str
    path: str  # relative to the project root
    title: str
    pages: int | None
    sha256: str
    extra: tuple[tuple[str, str], ...] = ()

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        if self.pages is None:
            data.pop("pages")
        return {**data, **dict(self.extra)}


def write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def artifact(root: Path, target: Path, data: bytes, kind: str, title: str,
             pages: int | None = None, **extra: str) -> Artifact:
    """Write `data` to `target` atomically and describe it for the manifest."""
    write_atomic(target, data)
    return Artifact(kind, Path(os.path.relpath(target, root)).as_posix(), title, pages,
                    hashlib.sha256(data).hexdigest(), tuple(extra.items()))


def write_manifest(target: Path, artifacts: list[Artifact]) -> None:
    body = {"artifacts": [a.as_json() for a in artifacts]}
    write_atomic(target, (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode())
