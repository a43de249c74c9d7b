"""Completeness of the real content/: what the published Schéma must contain."""

from __future__ import annotations

from collections import Counter

from pipeline.model import Schema


def test_seven_axes_numbered_in_order(schema: Schema) -> None:
    assert [a.number for a in schema.axes] == [1, 2, 3, 4, 5, 6, 7]


def test_one_hundred_actions(schema: Schema) -> None:
    assert len(schema.actions) == 100


def test_action_counts_per_axis(schema: Schema) -> None:
    # Counted on the source tables (one line per action row).
    assert [len(a.actions) for a in schema.axes] == [17, 14, 8, 16, 7, 13, 25]


def test_every_action_has_its_four_fields(schema: Schema) -> None:
    for action in schema.actions:
        assert action.title.strip(), action.id
        assert action.descriptif.text or action.descriptif.points, action.id
        assert action.pilots, action.id
        assert action.calendar.year, action.id


def test_action_ids_unique(schema: Schema) -> None:
    counts = Counter(a.id for a in schema.actions)
    assert [i for i, n in counts.items() if n > 1] == []


def test_pilots_are_in_the_registry(schema: Schema) -> None:
    for action in schema.actions:
        for ref in action.pilots:
            org = schema.organisation(ref.organisation)
            assert org is not None, (action.id, ref.key)
            assert ref.service is None or org.service(ref.service), (action.id, ref.key)


def test_calendars_inside_the_period(schema: Schema) -> None:
    years = {a.calendar.year for a in schema.actions}
    assert years <= set(range(2021, 2027))
    labels = {a.calendar.label for a in schema.actions}
    assert {"2021", "2022", "2023 et suivantes", "Rentrée 2021", "Rentrée 2022"} <= labels


def test_objectives_numbered_without_gaps(schema: Schema) -> None:
    for axis in schema.axes:
        assert [o.number for o in axis.objectives] == list(range(1, len(axis.objectives) + 1))


def test_twelve_signatories_from_known_institutions(schema: Schema) -> None:
    assert len(schema.signatories) == 12
    assert all(schema.organisation(s.organisation) for s in schema.signatories)


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
