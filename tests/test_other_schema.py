"""Nothing about Paris in the code: a second, differently shaped schéma builds with `--root`.

tests/autre/ is a fictional département's schéma: three axes (one with strategic
objectives), axis files named by theme in an order that is not their numbers', other
chapters and another order of the parts. Every word of its publications and of their
metadata must come from its own content/.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import ROOT, norm, pdftotext
from tests.test_bad_input import run_cli

OTHER = ROOT / "tests" / "autre"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("autre") / "projet"
    shutil.copytree(OTHER / "content", root / "content")
    (root / "layouts").symlink_to(ROOT / "layouts", target_is_directory=True)
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 0, result.stderr
    return root


def _pdfs(root: Path) -> list[Path]:
    manifest = json.loads((root / "build" / "manifest.json").read_text("utf-8"))
    return [root / a["path"] for a in manifest["artifacts"] if a["path"].endswith(".pdf")]


def test_no_word_of_paris_in_any_output(built: Path) -> None:
    pdfs = _pdfs(built)
    assert len(pdfs) >= 8  # full, 3 axes, signatures, 3 pilots
    for pdf in pdfs:
        text = "".join(pdftotext(pdf))
        metadata = " ".join(str(v) for v in (PdfReader(pdf).metadata or {}).values())
        assert "paris" not in (text + metadata).lower(), pdf
    assert "paris" not in (built / "build" / "schema.html").read_text("utf-8").lower()


def test_its_own_words_are_printed(built: Path) -> None:
    text = norm("".join(pdftotext(built / "build" / "schema.pdf")))
    for words in ("Schéma des services aux familles du Val-Fictif", "2024-2029",
                  "À Bourg-Fictif, le 12 mars 2024", "Soutenir les micro-crèches rurales",
                  "Ouvrir un point écoute jeunes", "Comité départemental (fictif)"):
        assert norm(words) in text, words
    info = PdfReader(built / "build" / "schema.pdf").metadata
    assert info is not None
    assert info.author == "Département du Val-Fictif, MSA Fictive"
    assert info["/Keywords"] == "familles, Val-Fictif, exemple"


def test_axes_follow_their_numbers_not_their_file_names(built: Path) -> None:
    outline = PdfReader(built / "build" / "schema.pdf").outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    axes = [t for t in titles if t.startswith("Axe")]
    assert [t.split()[1].rstrip("\u202f:") for t in axes] == ["1", "2", "3"]
    assert titles.index(axes[-1]) < titles.index("Le pilotage du schéma") < titles.index(
        "Signatures")


def test_no_word_of_paris_in_its_site_and_data(built: Path) -> None:
    texts = [p for folder in ("site", "donnees") for p in (built / "build" / folder).rglob("*")
             if p.suffix in {".html", ".csv", ".json", ".css", ".js"}
             and "pagefind" not in p.parts]
    assert any(p.name == "index.html" for p in texts) and any(p.suffix == ".csv" for p in texts)
    for path in texts:
        assert "paris" not in path.read_text("utf-8").lower(), path
    assert (built / "build" / "site" / "pagefind" / "pagefind.js").is_file()


def test_its_pilot_extracts_say_whom_to_contact(built: Path) -> None:
    """« Le Schéma en bref » prints the contact and address its edition.yml gives."""
    pilots = sorted((built / "build" / "extraits").glob("pilote-*.pdf"))
    assert pilots
    for pdf in pilots:
        about = " ".join(pdftotext(pdf)[1].split())
        assert "Le Schéma en bref" in about, pdf
        assert "contact@example.org" in about and "example.org/schema" in about, pdf
