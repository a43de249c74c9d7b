"""`make preview`: the live preview answers, reloads after an edit, shows an error and recovers.

The server runs in this process on a free port of 127.0.0.1, over a copy of the sample;
edits are real file writes seen by `watchfiles`, pages are read with a real HTTP client.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.build import fetcher_for
from pipeline.pdf import render_document
from pipeline.preview import Preview, serve
from pipeline.printing import screen
from pipeline.project import Project
from tests.test_bad_input import make_project


@pytest.fixture()
def started(tmp_path: Path) -> Iterator[tuple[Path, str, Preview]]:
    """The preview of a copy of the sample, PDF laid out in the background."""
    root = make_project(tmp_path)
    preview = Preview(Project(root, root / "build"), report=lambda _line: None)
    preview.refresh()
    server = serve(preview)
    threads = [threading.Thread(target=preview.watch, daemon=True),
               threading.Thread(target=preview.lay_out_pdfs, daemon=True),
               threading.Thread(target=server.serve_forever, daemon=True)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # the watcher is listening
    yield root, f"http://127.0.0.1:{server.server_port}", preview
    preview.stop.set()
    server.shutdown()
    server.server_close()


@pytest.fixture()
def running(started: tuple[Path, str, Preview]) -> tuple[Path, str]:
    return started[0], started[1]


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def state(base: str) -> dict:
    return dict(json.loads(get(f"{base}/version")))


def wait_for(base: str, version: int, key: str = "version", seconds: float = 10) -> dict:
    """The state once its `key` has passed `version` (a change was seen)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        now = state(base)
        if now[key] > version:
            return now
        time.sleep(0.05)
    raise AssertionError(f"l'aperçu n'a pas vu la modification ({key})")


def get_bytes(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return bytes(response.read())


def clean_pdf(preview: Preview) -> bytes:
    """The screen PDF of the preview's current HTML laid out at once, from nothing."""
    project = preview.project
    document = render_document(preview.state.html, project.layouts, fetcher_for(project),
                               "layouts/full.html.j2")
    return bytes(screen(document).write_pdf())


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")


def test_the_preview_serves_the_page_and_its_stylesheet(running: tuple[Path, str]) -> None:
    _root, base = running
    html = get(base + "/")
    assert "Renforcer le travail partenarial" in html and 'fetch("/version")' in html
    assert "@page" in get(base + "/style.css")
    with pytest.raises(urllib.error.HTTPError):
        get(base + "/../content/edition.yml")


def test_an_edit_reloads_and_brings_the_action_into_view(running: tuple[Path, str]) -> None:
    root, base = running
    before = state(base)["version"]
    edit(root / "content/axes/axe-1.yml", "intitule: Recenser l'offre existante",
         "intitule: Recenser toute l'offre existante")
    after = wait_for(base, before)
    assert after["focus"] == "action-1-1-2" and after["problems"] == []
    assert "Recenser toute l’offre existante" in get(base + "/")


def test_an_error_is_shown_above_the_last_good_preview_then_cleared(
        running: tuple[Path, str]) -> None:
    root, base = running
    axis = root / "content/axes/axe-1.yml"
    before = state(base)["version"]
    edit(axis, "intitule: Recenser l'offre existante", "intitule: [Recenser l'offre")
    broken = wait_for(base, before)
    assert [p for p in broken["problems"] if p.startswith("content/axes/axe-1.yml:")], broken
    html = get(base + "/")
    assert 'role="alert"' in html and "content/axes/axe-1.yml:" in html
    assert "Renforcer le travail partenarial" in html  # the last good preview, below
    edit(axis, "intitule: [Recenser l'offre", "intitule: Recenser l'offre corrigée")
    fixed = wait_for(base, broken["version"])
    assert fixed["problems"] == []
    assert 'role="alert"' not in get(base + "/")


def test_two_quick_saves_give_the_final_state(running: tuple[Path, str]) -> None:
    root, base = running
    axis = root / "content/axes/axe-1.yml"
    before = state(base)["version"]
    edit(axis, "intitule: Recenser l'offre existante", "intitule: Recenser l'offre A")
    edit(axis, "intitule: Recenser l'offre A", "intitule: Recenser l'offre B")
    deadline = time.monotonic() + 10
    while "Recenser l’offre B" not in get(base + "/") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert state(base)["version"] > before
    html = get(base + "/")
    assert "Recenser l’offre B" in html and "Recenser l’offre A" not in html


def test_the_pdf_is_laid_out_again_by_parts_and_equals_a_clean_one(
        started: tuple[Path, str, Preview]) -> None:
    root, base, preview = started
    first = wait_for(base, 0, "pdf", 60)
    edit(root / "content/axes/axe-1.yml", "Organiser trois rencontres annuelles",
         "Organiser quatre rencontres annuelles")
    edited = wait_for(base, first["version"])
    wait_for(base, edited["version"] - 1, "pdf", 60)
    assert preview.parts.laid == ["axe-1"]  # the edited axis only
    assert get_bytes(base + "/schema.pdf") == clean_pdf(preview)


def test_two_quick_saves_give_the_final_pdf(started: tuple[Path, str, Preview]) -> None:
    root, base, preview = started
    first = wait_for(base, 0, "pdf", 60)
    axis = root / "content/axes/axe-1.yml"
    edit(axis, "intitule: Recenser l'offre existante", "intitule: Recenser l'offre A")
    time.sleep(0.1)  # seen, and its PDF begun, before the second save
    edit(axis, "intitule: Recenser l'offre A", "intitule: Recenser l'offre B")
    deadline = time.monotonic() + 60
    while "Recenser l’offre B" not in get(base + "/") and time.monotonic() < deadline:
        time.sleep(0.05)
    last = state(base)["version"]
    assert last > first["version"]
    wait_for(base, last - 1, "pdf", 60)
    time.sleep(0.5)  # no later PDF is on its way
    assert state(base)["pdf"] == state(base)["version"]
    assert get_bytes(base + "/schema.pdf") == clean_pdf(preview)
    assert "Recenser l’offre B" in preview.state.html
