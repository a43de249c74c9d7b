"""`make bench`: what laying out once saves, measured in one run.

Times a bare `weasyprint` render of build/schema.html, then builds from clean (a) the
full Schéma with the axis extracts and the signature page, (b) every artifact, and
prints their ratios to the bare render. Also times a no-op `make`, and what tagging
costs: every publication laid out and written untagged, then tagged (PDF/UA-1 and the
structure tree's repair), the difference against the clean build (b). And the
editor's loop, in a live preview of a copy of content/ (its own process): from saving a
one-word change in an action's description to the HTML preview served
(`preview-html-ms`), and to the updated full PDF written (`ratio-edit`, against the bare
render); best of three edits, each once the previous one's PDF is written.
"""

from __future__ import annotations

import os
import shutil
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


def cpu() -> float:
    """CPU seconds of this process and of its waited-for children (forks included)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def writing_times(out: str) -> list[float]:
    """Wall and CPU seconds to write every publication from one layout: untagged, then
    tagged."""
    sys.path.insert(0, str(ROOT))
    from weasyprint import Document

    from pipeline.build import compose, publish
    from pipeline.project import Project, check

    def untagged(document: Document, _full: bool) -> bytes:
        data = document.write_pdf(pdf_identifier=False)
        assert isinstance(data, bytes)
        return data

    project = Project(ROOT, Path(out))
    composed = compose(project, check(project)[0])
    times = []
    for writer in (untagged, None):  # each with the same layouts: the difference is tagging
        started, used = time.perf_counter(), cpu()
        publish(composed, writer, html=False)
        times += [time.perf_counter() - started, cpu() - used]
    return times


def tagging_cost(tmp: str) -> tuple[float, float]:
    """Wall and CPU seconds tagging adds to a build (least of three runs each)."""
    walls, cpus = [], []
    for run in range(3):
        done = subprocess.run([PY, __file__, "--writing", f"{tmp}/w{run}"], cwd=ROOT,
                              check=True, capture_output=True, text=True)
        last = done.stdout.splitlines()[-1]  # after the build's own progress lines
        wall, used, tagged_wall, tagged_used = (float(x) for x in last.split())
        walls.append(tagged_wall - wall)
        cpus.append(tagged_used - used)
    return min(walls), min(cpus)


EDITED = ("content/axes/axe-3.yml", "Élaborer un outil de recensement",
          "Élaborer un instrument de recensement")  # one word of action 3.1.1's description


def edit_times(tmp: str, edits: int = 3) -> tuple[float, float]:
    """Seconds from a save to the HTML preview served and to the full PDF written, in the
    preview's process (the watcher, PDF and server threads of `make preview`)."""
    import threading
    import urllib.request

    sys.path.insert(0, str(ROOT))
    from pipeline.preview import Preview, serve
    from pipeline.project import Project

    root = Path(tmp) / "projet"
    shutil.copytree(ROOT / "content", root / "content")
    (root / "layouts").symlink_to(ROOT / "layouts", target_is_directory=True)
    preview = Preview(Project(root, root / "build"), report=lambda _line: None)
    preview.refresh()
    server = serve(preview)
    for target in (preview.watch, preview.lay_out_pdfs, server.serve_forever):
        threading.Thread(target=target, daemon=True).start()
    state = preview.state

    def until(done: object) -> None:
        while not done():  # type: ignore[operator]
            time.sleep(0.01)

    until(lambda: state.pdf_version == state.version)  # the first PDF: every part laid out
    time.sleep(0.5)  # the watcher is listening
    path, old, new = EDITED
    served, written = [], []
    for run in range(edits):
        before = state.version
        text = (root / path).read_text("utf-8")
        before_text, after_text = (old, new) if run % 2 == 0 else (new, old)
        started = time.perf_counter()
        (root / path).write_text(text.replace(before_text, after_text, 1), "utf-8")
        until(lambda: state.version > before)  # noqa: B023 (waited for here, in the loop)
        url = f"http://127.0.0.1:{server.server_port}/"
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
        served.append(time.perf_counter() - started)
        until(lambda: state.pdf_version > before)  # noqa: B023
        written.append(time.perf_counter() - started)
        time.sleep(0.3)
    preview.stop.set()
    server.shutdown()
    return min(served), min(written)


def build_cpu(out: str) -> float:
    used = cpu()
    subprocess.run([PY, "-m", "pipeline", "build", "--force", "--out", out], cwd=ROOT, check=True,
                   capture_output=True)
    return cpu() - used


def main() -> int:
    if sys.argv[1:2] == ["--writing"]:
        print(*writing_times(sys.argv[2]))
        return 0
    if sys.argv[1:2] == ["--edit"]:
        print(*edit_times(sys.argv[2]))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        bare = best("rendu WeasyPrint nu de build/schema.html",
                    [str(ROOT / ".venv/bin/weasyprint"), "-u", str(ROOT / "layouts") + "/",
                     str(ROOT / "build/schema.html"), f"{tmp}/bare.pdf"])
        print("bench : aperçu en direct, une modification d'un mot (3 fois)…", file=sys.stderr,
              flush=True)
        done = subprocess.run([PY, __file__, "--edit", f"{tmp}/apercu"], cwd=ROOT, check=True,
                              capture_output=True, text=True)
        html_seconds, pdf_seconds = (float(x) for x in done.stdout.split()[-2:])
        # --force: the same inputs would otherwise be found up to date after the first run
        core = best("(a) Schéma complet, extraits par axe, signatures",
                    [PY, "-m", "pipeline", "build", "--force", "--sans-pilotes",
                     "--out", f"{tmp}/core"])
        every = best("(b) toutes les publications",
                     [PY, "-m", "pipeline", "build", "--force", "--out", f"{tmp}/all"])
        print("bench : temps processeur d'une construction, coût du balisage…",
              file=sys.stderr, flush=True)
        every_cpu = build_cpu(f"{tmp}/cpu")
        tagging, tagging_cpu = tagging_cost(tmp)
    noop = best("make sans rien à refaire", ["make", "--no-print-directory", "build"])
    print(f"bare weasyprint render    {bare:6.2f} s")
    print(f"(a) full + axes + signatures {core:6.2f} s")
    print(f"(b) every artifact        {every:6.2f} s")
    print(f"no-op make                {noop:6.2f} s")
    print(f"ratio-core {core / bare:.2f}")
    print(f"ratio-all {every / bare:.2f}")
    print(f"ratio-edit {pdf_seconds / bare:.2f}")
    print(f"preview-html-ms {1000 * html_seconds:.0f}")
    print(f"tagging adds {tagging:.2f} s to (b): {100 * tagging / (every - tagging):.0f} %; "
          f"CPU {tagging_cpu:.2f} s of {every_cpu:.2f} s: "
          f"{100 * tagging_cpu / (every_cpu - tagging_cpu):.0f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
