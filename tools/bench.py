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


def best(args: list[str], runs: int = 3) -> float:
    return min(timed(args) for _ in range(runs))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        bare = best([str(ROOT / ".venv/bin/weasyprint"), "-u", str(ROOT / "layouts") + "/",
                     str(ROOT / "build/schema.html"), f"{tmp}/bare.pdf"])
        core = best([PY, "-m", "pipeline", "build", "--sans-pilotes", "--out", f"{tmp}/core"])
        every = best([PY, "-m", "pipeline", "build", "--out", f"{tmp}/all"])
    noop = best(["make", "--no-print-directory", "build"], runs=3)
    print(f"bare weasyprint render    {bare:6.2f} s")
    print(f"(a) full + axes + signatures {core:6.2f} s")
    print(f"(b) every artifact        {every:6.2f} s")
    print(f"no-op make                {noop:6.2f} s")
    print(f"ratio-core {core / bare:.2f}")
    print(f"ratio-all {every / bare:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
