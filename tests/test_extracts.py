"""Axis, pilot and signature extracts, read back from their PDFs."""

from __future__ import annotations

import re
import subprocess
from itertools import pairwise

import pytest
from pypdf import PdfReader

from pipeline.model import Schema
from pipeline.products import pilot_groups
from pipeline.typography import french
from pipeline.views import acronyms_in, named, sigles
from tests.conftest import ROOT, Word, norm


def _entries(manifest: dict, kind: str) -> list[dict]:
    return [a for a in manifest["artifacts"] if a["kind"] == kind]


@pytest.fixture(scope="module")
def texts(pdf_pages: dict[str, list[str]]) -> dict[str, str]:
    return {path: norm("".join(pages)) for path, pages in pdf_pages.items()}


def test_one_extract_per_axis(manifest: dict, schema: Schema) -> None:
    axes = sorted(int(e["axis"]) for e in _entries(manifest, "axis"))
    assert axes == [a.number for a in schema.axes]


def test_axis_extract_holds_its_actions_and_no_other(manifest: dict, schema: Schema,
                                                     texts: dict[str, str]) -> None:
    for entry in _entries(manifest, "axis"):
        text = texts[entry["path"]]
        number = int(entry["axis"])
        for axis in schema.axes:
            titles = [norm(a.title) for a in axis.actions]
            if axis.number == number:
                assert [t for t in titles if t not in text] == [], number
            else:
                # titles shared word for word with this axis's own actions excepted
                own = {norm(a.title) for a in schema.axes[number - 1].actions}
                shared = [t for t in titles if t in text and t not in own]
                assert shared == [], (number, axis.number)


def test_pilot_extract_holds_exactly_its_actions(manifest: dict, schema: Schema,
                                                 texts: dict[str, str]) -> None:
    entries = _entries(manifest, "pilot")
    piloting = {ref.organisation for a in schema.actions for ref in a.pilots}
    assert {e["organisation"] for e in entries} == piloting
    for entry in entries:
        text = texts[entry["path"]]
        org = entry["organisation"]
        for action in schema.actions:
            mine = any(ref.organisation == org for ref in action.pilots)
            assert (norm(f"{action.id}{action.title}") in text) == mine, (org, action.id)


def test_signature_pdf_names_every_signatory(manifest: dict, schema: Schema,
                                             texts: dict[str, str]) -> None:
    (entry,) = _entries(manifest, "signatures")
    text = texts[entry["path"]]
    assert [s.name for s in schema.signatories if norm(s.name + s.title) not in text] == []


def test_every_extract_has_title_and_bookmarks(manifest: dict) -> None:
    for entry in manifest["artifacts"]:
        if entry["kind"] in {"axis", "pilot", "signatures"}:
            reader = PdfReader(ROOT / entry["path"])
            assert reader.metadata.title == entry["title"]
            assert reader.outline, entry["path"]


def test_poppler_opens_every_pdf(manifest: dict) -> None:
    """pdfinfo reads every PDF without complaint (pdftotext reads them all for the texts)."""
    for entry in manifest["artifacts"]:
        if entry["path"].endswith(".pdf"):
            args = ["pdfinfo", str(ROOT / entry["path"])]
            result = subprocess.run(args, capture_output=True, text=True, check=False)
            assert result.returncode == 0 and "Error" not in result.stderr, (
                entry["path"], result.stderr
            )


# --- Extracts a partner can use alone (issue 10, items 7 and 8) -------------------------

MM = 72 / 25.4  # one millimetre in PDF points
BODY_TOP, BODY_BOTTOM = 60.0, 785.0  # the text block, points from the page's top


def _spaced(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def _listed_terms(pages: list[str], schema: Schema) -> set[str] | None:
    """The acronyms of an extract's « Sigles et abréviations » list (None: it has none)."""
    text = "\n".join(pages)
    if "Sigles et abréviations" not in text:
        return None
    after = text.split("Sigles et abréviations", 1)[1]
    known = {t.acronym for t in schema.glossary}
    return {line.split()[0] for line in after.splitlines() if line.split()
            and line.split()[0] in known}


def _used_terms(pages: list[str], schema: Schema) -> set[str]:
    text = "\n".join(pages)
    return {t.acronym for t in acronyms_in(schema, text)}


def test_every_acronym_an_extract_prints_is_in_its_list(
        manifest: dict, schema: Schema, pdf_pages: dict[str, list[str]]) -> None:
    """Axis and pilot extracts and the full Schéma: each acronym printed (cover, running
    heads, tables, the list's own definitions) is defined in its « Sigles et abréviations »."""
    checked = 0
    for entry in manifest["artifacts"]:
        if entry["kind"] not in {"axis", "pilot", "full", "signatures"}:
            continue
        pages = pdf_pages[entry["path"]]
        used, listed = _used_terms(pages, schema), _listed_terms(pages, schema)
        if entry["kind"] == "signatures":
            assert listed is None and used == set(), (entry["path"], used)
            continue
        assert listed is not None, entry["path"]
        assert sorted(used - listed) == [], entry["path"]
        checked += 1
    assert checked == len([a for a in manifest["artifacts"]
                           if a["kind"] in {"axis", "pilot", "full"}])


def test_the_full_schema_lists_the_acronyms_it_uses_once(schema: Schema,
                                                         page_texts: list[str]) -> None:
    """Its glossary page is its own (the source's annex is no glossary), listed in order."""
    first = next(n for n, t in enumerate(page_texts)
                 if t.lstrip().startswith("Sigles et abréviations"))
    known = {t.acronym for t in schema.glossary}
    listed = [line.split()[0] for text in page_texts[first:-1] for line in text.splitlines()
              if line.split() and line.split()[0] in known]
    assert listed == [t.acronym for t in sigles(schema)]


def test_pilot_extracts_have_folios_of_their_own(manifest: dict, schema: Schema,
                                                 pdf_pages: dict[str, list[str]]) -> None:
    """« Extrait Ville de Paris · 7/13 » on every page after the cover."""
    for entry in _entries(manifest, "pilot"):
        org = schema.organisation(entry["organisation"])
        assert org is not None
        pages = pdf_pages[entry["path"]]
        total = len(pages)
        assert total == entry["pages"]
        missing = [n for n, text in enumerate(pages[1:], start=2)
                   if norm(f"Extrait {org.name} · {n}/{total}") not in norm(text)]
        assert missing == [], entry["path"]


def test_no_count_reads_les_1_action(pdf_pages: dict[str, list[str]]) -> None:
    bad = re.compile(r"\b(?:les|des|ses|aux) 1 action|\b1 actions\b")
    found = [(path, n) for path, pages in pdf_pages.items()
             for n, text in enumerate(pages, start=1) if bad.search(_spaced(text))]
    assert found == []


def test_single_action_extract_says_so(manifest: dict, schema: Schema,
                                       pdf_pages: dict[str, list[str]]) -> None:
    groups = {g.organisation.id: g for g in pilot_groups(schema)}
    singles = [e for e in _entries(manifest, "pilot") if groups[e["organisation"]].count == 1]
    assert singles  # Apur, UDAF… pilot one action each
    for entry in singles:
        about = _spaced(pdf_pages[entry["path"]][1])
        assert "la seule action du" in about and "action pilotée" in about, entry["path"]


def test_summary_table_only_from_three_actions(manifest: dict, schema: Schema,
                                               pdf_pages: dict[str, list[str]]) -> None:
    """The « Calendrier prévisionnel » summary (Échéance / Actions) of the "about" page."""
    groups = {g.organisation.id: g for g in pilot_groups(schema)}
    counts = set()
    for entry in _entries(manifest, "pilot"):
        count = groups[entry["organisation"]].count
        counts.add(count >= 3)
        about = _spaced(pdf_pages[entry["path"]][1])
        assert ("Échéance Actions" in about) == (count >= 3), (entry["path"], count)
    assert counts == {True, False}


def test_no_axis_in_the_running_head_of_an_about_page(
        manifest: dict, pdf_words: dict[str, list[list[Word]]]) -> None:
    """The page after the cover (the extract's own page) has no running head."""
    for entry in _entries(manifest, "pilot") + _entries(manifest, "axis"):
        words = pdf_words[entry["path"]][1]
        head = [w[4] for w in words if w[1] < BODY_TOP - 8]
        assert head == [], (entry["path"], head)


def _count(schema: Schema, org_id: str) -> int:
    return next(g.count for g in pilot_groups(schema) if g.organisation.id == org_id)


def test_pilot_extracts_name_their_organisation_with_its_article(
        manifest: dict, schema: Schema, pdf_pages: dict[str, list[str]]) -> None:
    for entry in _entries(manifest, "pilot"):
        org = schema.organisation(entry["organisation"])
        assert org is not None
        name = french(named(org))
        what = "ction pilotée" if _count(schema, org.id) == 1 else "ctions pilotées"
        assert entry["title"].endswith(f"a{what} par {name}"), entry["title"]
        cover = _spaced(pdf_pages[entry["path"]][0])
        assert f"A{what} par {name}" in cover, (entry["path"], cover)
    ville = schema.organisation("ville")
    assert ville is not None and named(ville) == "la Ville de Paris"


def test_pilot_extracts_show_strategic_objectives(manifest: dict, schema: Schema,
                                                  texts: dict[str, str]) -> None:
    groups = {g.organisation.id: g for g in pilot_groups(schema)}
    seen = 0
    for entry in _entries(manifest, "pilot"):
        text = texts[entry["path"]]
        for _axis, parts in groups[entry["organisation"]].sections:
            for strategic, _objectives in parts:
                if strategic.letter:
                    heading = f"{strategic.letter}. Objectif stratégique {strategic.title}"
                    assert norm(heading) in text, (entry["path"], heading)
                    seen += 1
    assert seen


def test_pilot_extracts_have_the_schema_in_brief(manifest: dict, schema: Schema,
                                                 pdf_pages: dict[str, list[str]]) -> None:
    """Built from content/ only: no contact line while edition.yml gives none."""
    for entry in _entries(manifest, "pilot"):
        about = _spaced(pdf_pages[entry["path"]][1])
        assert "Le Schéma en bref" in about, entry["path"]
        assert all(norm(i.name) in norm(about) for i in schema.instances)
        assert ("Contact :" in about) == bool(schema.edition.colophon.contact)


def _name_positions(words: list[Word], names: list[str]) -> dict[str, Word]:
    found = {}
    for name in names:
        tokens = name.split()
        for i, word in enumerate(words):
            if [w[4] for w in words[i:i + len(tokens)]] == tokens:
                found[name] = word
                break
    return found


def _signature_page(pages: list[list[Word]], names: list[str]) -> list[Word]:
    return next(words for words in pages if len(_name_positions(words, names)) == len(names))


def test_signature_blocks_are_35_mm_tall(manifest: dict, schema: Schema,
                                         pdf_words: dict[str, list[list[Word]]]) -> None:
    """In signatures.pdf and in the full Schéma: each signatory's block (name, title, room
    for a signature and a stamp) is 35 mm at least, the next name below it."""
    names = [str(s.name) for s in schema.signatories]
    for kind in ("signatures", "full"):
        (entry,) = _entries(manifest, kind)
        words = _signature_page(pdf_words[entry["path"]], names)
        positions = _name_positions(words, names)
        columns: dict[int, list[float]] = {}
        for word in positions.values():
            columns.setdefault(round(word[0] / 20), []).append(word[1])
        gaps = [b - a for tops in map(sorted, columns.values())
                for a, b in pairwise(tops)]
        assert gaps and min(gaps) >= 35 * MM - 0.5, (kind, min(gaps) / MM)
        last = max(w[1] for w in positions.values())
        assert last + 33 * MM <= BODY_BOTTOM + 12, kind  # the last block fits its page


def test_the_signature_sheet_has_no_folio_and_names_what_is_signed(
        manifest: dict, schema: Schema, pdf_words: dict[str, list[list[Word]]]) -> None:
    (entry,) = _entries(manifest, "signatures")
    pages = pdf_words[entry["path"]]
    assert len(pages) == 1
    margins = [w[4] for w in pages[0] if w[1] < BODY_TOP - 8 or w[1] > BODY_BOTTOM]
    assert margins == []
    text = " ".join(w[4] for w in pages[0])
    edition = schema.edition
    assert norm(f"{edition.title} {edition.start}-{edition.end}") in norm(text)


def test_extract_covers_are_never_hyphenated(manifest: dict,
                                             pdf_pages: dict[str, list[str]]) -> None:
    """A cover's title is set ragged-right, whole words only."""
    for entry in _entries(manifest, "axis") + _entries(manifest, "pilot"):
        cover = pdf_pages[entry["path"]][0]
        assert not re.search(r"\w[-‐]\n", cover), entry["path"]
