"""The command line as an editor meets it: warnings of a draft build are shown, not lost;
its progress goes to stdout, so stderr holds only the warnings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.test_bad_input import make_project

ROOT = Path(__file__).resolve().parent.parent


def test_a_draft_build_prints_its_warnings_and_publishes(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    axis = root / "content" / "axes" / "axe-1.yml"
    axis.write_text(axis.read_text("utf-8").replace(
        "        calendrier: {annee: 2022}\n",
        "        calendrier: {annee: 2022}\n        a_completer: qui copilote ?\n", 1), "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--root", str(root), "--sans-pilotes"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},  # as in a log
             "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "content/axes/axe-1.yml:14: warning: action 1.1.1 : à compléter : qui copilote ?"]
    listed = json.loads((root / "build" / "manifest.json").read_text("utf-8"))["artifacts"]
    # html, full, print, one axis extract of two (no pilots), …: every publication but the
    # site's and the data's files
    assert len([a for a in listed if a["kind"] not in ("site", "data")]) == 6
    assert f"publié dans build/ : {len(listed) + 1} fichiers (" in result.stdout  # to stdout,
    assert "Schéma complet écrit (" in result.stdout  # the forked child's lines too
    assert (root / "build" / "schema.pdf").is_file()


def test_a_command_leaves_with_its_code_and_its_output_written() -> None:
    """`python -m pipeline` ends without Python's tidying (pipeline.system.leave): what it
    printed, unflushed, still reaches the terminal, and its exit code is its own."""
    script = ("import sys; from pipeline.system import leave; print('sortie', end=''); "
              "print('erreur', end='', file=sys.stderr); leave(3)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert (done.returncode, done.stdout, done.stderr) == (3, "sortie", "erreur")


def test_few_collections_runs_the_cycle_collector_seldom_then_as_before() -> None:
    import gc

    from pipeline.system import few_collections

    before = gc.get_threshold()
    with few_collections():
        assert gc.get_threshold()[0] >= 100 * before[0]
    assert gc.get_threshold() == before
