"""`make bench`: what laying out once saves, measured in one run.

Times a bare `weasyprint` render of build/schema.html, then builds from clean (a) the
full Schéma with the axis extracts and the signature page, (b) every artifact, and
prints their ratios to the bare render. Also times a no-op `make`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def best(what: str, args: list[str], runs: int = 3) -> float:
    """The best of `runs` timings of `args`, saying what runs (on stderr, as it goes)."""
    print(f"bench : {what} ({runs} fois)…", file=sys.stderr, flush=True)
    result = min(timed(args) for _ in range(runs))
    print(f"bench : {what} : {result:.2f} s", file=sys.stderr, flush=True)
    return result


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        bare = best("rendu WeasyPrint nu de build/schema.html",
                    [str(ROOT / ".venv/bin/weasyprint"), "-u", str(ROOT / "layouts") + "/",
                     str(ROOT / "build/schema.html"), f"{tmp}/bare.pdf"])
        # --force: the same inputs would otherwise be found up to date after the first run
        core = best("(a) Schéma complet, extraits par axe, signatures",
                    [PY, "-m", "pipeline", "build", "--force", "--sans-pilotes",
                     "--out", f"{tmp}/core"])
        every = best("(b) toutes les publications",
                     [PY, "-m", "pipeline", "build", "--force", "--out", f"{tmp}/all"])
    noop = best("make sans rien à refaire", ["make", "--no-print-directory", "build"])
    print(f"bare weasyprint render    {bare:6.2f} s")
    print(f"(a) full + axes + signatures {core:6.2f} s")
    print(f"(b) every artifact        {every:6.2f} s")
    print(f"no-op make                {noop:6.2f} s")
    print(f"ratio-core {core / bare:.2f}")
    print(f"ratio-all {every / bare:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
