"""Stage 4b (web edition) — search: the Pagefind index of the written site, offline.

Pagefind (its binary comes with the PyPI package) reads the pages in the folder, in
French (stemming), with the filters the templates mark (`axe`, `pilote`), and writes its
index and script under `pagefind/`; each file it writes is an artifact of kind "site".
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.errors import PipelineError, SourceLocation
from pipeline.output import Artifact, artifact

OUTPUT = "pagefind"
UNUSED = ("-ui.", "highlight")  # Pagefind's own interfaces: the site has its own (site.js)


def index(folder: Path, root: Path) -> list[Artifact]:
    """Index the site in `folder`; the files of the index, described for the manifest."""
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--output-subdir",
               OUTPUT, "--force-language", "fr", "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PipelineError.at(SourceLocation.of("layouts/site"),
                               f"l'index de recherche (Pagefind) n'a pu être écrit : "
                               f"{(done.stderr or done.stdout).strip()[-500:]}")
    written = []
    for path in sorted((folder / OUTPUT).rglob("*")):
        if path.is_file() and any(part in path.name for part in UNUSED):
            path.unlink()
        elif path.is_file():
            data = path.read_bytes()
            path.unlink()
            written.append(artifact(root, path, data, "site", path.name))
    return written
