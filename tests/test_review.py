"""The editorial reviews: spelling and consistency warnings, and the committee's pack.

Seeded cases on the sample project, in-process through `pipeline.cli.main`; the pack's
count of decisions on the real content against an independent count of the notes
written in content/ (their keys and blocks, read as text).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.project import Project, check
from pipeline.review import lookup, review
from pipeline.review.pack import sections
from pipeline.review.spelling import Speller, words
from tests.test_bad_input import make_project, run_cli

ROOT = Path(__file__).resolve().parent.parent


def _edit(path: Path, old: str, new: str) -> int:
    """Replace `old` (once) in `path`; the 1-based line where `new` now stands."""
    text = path.read_text("utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")
    return text[: text.index(new)].count("\n") + 1


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return make_project(tmp_path)


def _warnings(root: Path, *options: str) -> list[str]:
    result = run_cli("check", "--root", str(root), *options)
    assert result.returncode == 0, result.stderr
    return result.stderr.splitlines()


def test_the_sample_has_no_review_warning(sample: Path) -> None:
    assert _warnings(sample) == []


def test_misspellings_are_reported_at_their_line_with_suggestions(sample: Path) -> None:
    content = sample / "content"
    title = _edit(content / "axes" / "axe-1.yml", "Renforcer le travail partenarial",
                  "Renforcer le travial partenarial")
    chapter = _edit(content / "chapitres" / "preambule.md", "renforce le partenariat",
                    "renforce le partenairiat")
    name = _edit(content / "organisations.yml", "Association Relais Familles",
                 "Association Relais Familes")
    lines = _warnings(sample)
    for path, line, word in (("axes/axe-1.yml", title, "travial"),
                             ("chapitres/preambule.md", chapter, "partenairiat"),
                             ("organisations.yml", name, "Familes")):
        assert any(x.startswith(f"content/{path}:{line}: warning: orthographe") and
                   f"« {word} »" in x for x in lines), (word, lines)
    result = run_cli("relecture", "--root", str(sample))
    assert result.returncode == 0, result.stderr
    pack = (sample / "build" / "relecture" / "relecture.html").read_text("utf-8")
    for path, line, word, suggestion in (
            ("axes/axe-1.yml", title, "travial", "travail"),
            ("chapitres/preambule.md", chapter, "partenairiat", "partenariat"),
            ("organisations.yml", name, "Familes", "Familles")):
        card = next(c for c in pack.split("<article")[1:] if f"\u202f{word}\u202f»" in c)
        assert f'<span class="rv-where">content/{path}:{line}</span>' in card, word
        assert re.search(rf"Suggestions du dictionnaire :[^\n]*<strong>{suggestion}</strong>",
                         card), suggestion
    assert (sample / "build" / "relecture" / "relecture.pdf").read_bytes().startswith(b"%PDF")


def test_a_word_of_the_lexicon_is_no_longer_reported(sample: Path) -> None:
    _edit(sample / "content" / "axes" / "axe-1.yml", "Renforcer le travail partenarial",
          "Renforcer le travail partenarial Famlab")
    assert any("« Famlab »" in x for x in _warnings(sample))
    with (sample / "content" / "lexique.txt").open("a", encoding="utf-8") as handle:
        handle.write("Famlab\n")
    assert _warnings(sample) == []


def test_inclusive_forms_are_read_as_their_word() -> None:
    text = "les enfant.s, les parent·s, les acteur·rice·s et tou·te·s les ami•e•s"
    found = [w for w, _start, _end in words(text)]
    assert found == ["les", "enfant", "les", "parent", "les", "acteur", "et", "toutes",
                     "les", "amies"]
    speller = Speller(lookup.Lookup.open(), set(), set())
    assert all(speller.correct(w) for w in found)


def test_each_distinct_word_is_asked_once() -> None:
    asked: list[str] = []

    class Counting:
        def check(self, word: str) -> bool:
            asked.append(word)
            return True

        def suggest(self, word: str) -> list[str]:
            return []

    speller = Speller(lookup.Lookup(Path("/nonexistent"), None, dictionary=Counting()),
                      set(), set())
    for _ in range(3):
        assert speller.correct("famille") and speller.correct("enfants")
    assert asked == ["famille", "enfants"]


def test_two_actions_with_one_descriptif_are_reported_together(sample: Path) -> None:
    axis = sample / "content" / "axes" / "axe-1.yml"
    first = _edit(axis, "descriptif: Organiser trois rencontres annuelles",
                  "descriptif: [Réaliser un répertoire des actions, Le diffuser aux acteurs]")
    second = axis.read_text("utf-8").split("\n").index(
        "          - Réaliser un répertoire des actions") + 1
    lines = [x for x in _warnings(sample) if "doublon" in x]
    assert lines == [f"content/axes/axe-1.yml:{first}: warning: doublon : les actions 1.1.1, "
                     "1.1.2 ont le même descriptif, mot pour mot (aussi : "
                     f"content/axes/axe-1.yml:{second})"]


def test_a_number_without_its_thousands_space(sample: Path) -> None:
    line = _edit(sample / "content" / "chapitres" / "preambule.md", "renforce le partenariat",
                 "renforce, pour 12500 familles, le partenariat")
    assert _warnings(sample) == [f"content/chapitres/preambule.md:{line}: warning: milliers : "
                                 "nombre « 12500 » sans espace des milliers : écrivez « 12 500 »"
                                 " (sauf s'il s'agit d'un code ou d'un numéro)"]


def test_sans_orthographe_turns_the_review_off(sample: Path) -> None:
    _edit(sample / "content" / "axes" / "axe-1.yml", "travail partenarial",
          "travial partenarial pour 12500 familles")
    assert len(_warnings(sample)) == 2
    assert _warnings(sample, "--sans-orthographe") == []


def test_without_a_dictionary_one_line_says_what_to_install(
        sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> lookup.Dictionary:
        raise lookup.DictionaryMissing("absent")

    monkeypatch.setattr(lookup, "signature", lambda: None)
    monkeypatch.setattr(lookup, "load_dictionary", missing)
    _edit(sample / "content" / "axes" / "axe-1.yml", "travail", "travial")
    lines = _warnings(sample)
    assert len(lines) == 1 and "apt-get install hunspell-fr libenchant-2-2" in lines[0]
    result = run_cli("relecture", "--root", str(sample))
    assert result.returncode == 0 and "hunspell-fr" in result.stderr
    pack = (sample / "build" / "relecture" / "relecture.html").read_text("utf-8")
    assert "Non vérifiée" in pack


def test_the_pack_lists_every_note_query_and_open_question(sample: Path) -> None:
    content = sample / "content"
    _edit(content / "axes" / "axe-1.yml", "        calendrier: {annee: 2022}\n",
          "        calendrier: {annee: 2022}\n        note_editoriale: décision une\n"
          "        requete: la source dit-elle bien trois ?\n")
    _edit(content / "organisations.yml", "    type: association\n",
          "    type: association\n    a_completer: quel nom complet\n")
    _edit(content / "chapitres" / "preambule.md", "## Les axes\n",
          "## Les axes\n\n::: note-editoriale\ndécision deux\n:::\n\n"
          "::: requete\nune coquille ?\n:::\n")
    result = run_cli("relecture", "--root", str(sample))
    assert result.returncode == 0, result.stderr
    assert "décisions éditoriales : 2, questions ouvertes : 1, requêtes aux auteurs : 2" in \
        result.stdout
    pack = (sample / "build" / "relecture" / "relecture.html").read_text("utf-8")
    for number, text in (("D1", "décision deux"), ("D2", "décision une"),  # printing order
                         ("Q1", "quel nom complet"), ("R1", "une coquille"),
                         ("R2", "la source dit-elle bien")):
        card = pack[pack.index(f'id="{number}"'):]
        assert text in card[: card.index("</article>")], number


def _notes_written(content: Path) -> dict[str, int]:
    """The notes of content/, counted from the text: YAML keys and Markdown blocks."""
    counts = dict.fromkeys(("note_editoriale", "a_completer", "requete"), 0)
    for path in sorted(content.rglob("*")):
        if path.suffix not in (".yml", ".md") or path.name == "README.md":
            continue
        text = path.read_text("utf-8")
        for key in counts:
            counts[key] += len(re.findall(rf"^[ -]*{key}:", text, re.MULTILINE))
            block = key.replace("_", "-")
            counts[key] += len(re.findall(rf"^\s*::: *{block}\s*$", text, re.MULTILINE))
    return counts


def test_the_real_pack_holds_every_note_of_content() -> None:
    project = Project(ROOT, ROOT / "build")
    schema, _warnings = check(project, review=False)
    made = {s.key: s for s in sections(review(schema, project.content, spelling=False), ROOT)}
    written = _notes_written(ROOT / "content")
    assert written["note_editoriale"] > 40
    assert len(made["decisions"].items) == written["note_editoriale"]
    assert len(made["questions"].items) == written["a_completer"]
    assert len(made["requetes"].items) == written["requete"]


def test_check_imports_no_weasyprint(sample: Path) -> None:
    code = ("import sys; from pipeline.cli import main; "
            f"main(['check', '--root', {str(sample)!r}]); "
            "assert 'weasyprint' not in sys.modules, 'weasyprint importé'")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
