"""Completeness of the real content/: what the published Schéma must contain.

Only what validation cannot know (the counts of the source); its rules are tested on
the bad-input corpus.
"""

from __future__ import annotations

from pipeline.model import Schema


def test_seven_axes_numbered_in_order(schema: Schema) -> None:
    assert [a.number for a in schema.axes] == [1, 2, 3, 4, 5, 6, 7]


def test_one_hundred_actions(schema: Schema) -> None:
    assert len(schema.actions) == 100


def test_action_counts_per_axis(schema: Schema) -> None:
    # Counted on the source tables (one line per action row).
    assert [len(a.actions) for a in schema.axes] == [17, 14, 8, 16, 7, 13, 25]


def test_calendar_labels_of_the_source(schema: Schema) -> None:
    labels = {a.calendar.label for a in schema.actions}
    assert {"2021", "2022", "2023 et suivantes", "Rentrée 2021", "Rentrée 2022"} <= labels


def test_twelve_signatories(schema: Schema) -> None:
    assert len(schema.signatories) == 12


def test_nine_editos(schema: Schema) -> None:
    editos = schema.chapter("editos")
    assert editos is not None
    assert editos.body.count("\n## ") == 9


def test_untitled_objective_is_explained(schema: Schema) -> None:
    untitled = [o for a in schema.axes for o in a.objectives if not o.title]
    assert [o.key for o in untitled] == ["7.4"]
    assert untitled[0].notes


def test_glossary_has_the_issue_acronyms(schema: Schema) -> None:
    known = {t.acronym.upper() for t in schema.glossary}
    wanted = ["DFPE", "DASES", "DDCT", "DASCO", "LAEP", "EAJE", "ALSH", "QPV", "CLAS", "AVIP",
              "RSPP", "PMI", "CAF", "CPAM", "MDPH"]
    assert [w for w in wanted if w not in known] == []


def test_each_edito_is_signed_by_its_institutions_signatories(schema: Schema) -> None:
    """Each édito ends with the names and titles of its institution's signatories (the
    éditos' note records the decision), and every signatory signs one édito."""
    import re

    from tests.conftest import ROOT

    html = (ROOT / "build" / "schema.html").read_text("utf-8")
    chapter = html[html.index('id="chapitre-editos"'):html.index('id="signatures"')]
    blocks = re.findall(r'<div class="edito-signature">(.*?)</div>', chapter, re.S)
    assert len(blocks) == chapter.count("<h2")
    signed = [name for block in blocks
              for name in re.findall(r'<span class="edito-name">(.*?)</span>', block)]
    assert sorted(signed) == sorted(s.name for s in schema.signatories)
