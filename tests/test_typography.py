"""French typography rules, each aimed at by a test (pipeline.typography)."""

from __future__ import annotations

from pipeline.typography import NBSP, NNBSP, Keeper, french


def test_three_dots_become_an_ellipsis() -> None:
    assert french("et ainsi de suite...") == "et ainsi de suite…"


def test_spaced_hyphen_becomes_an_en_dash() -> None:
    assert french("2019 - particulièrement") == "2019 – particulièrement"
    assert french("Île-de-France") == "Île-de-France"


def test_a_hyphen_before_a_number_in_parentheses_is_a_minus_sign() -> None:
    assert french("(- 4% du nombre)") == f"(\u22124{NNBSP}% du nombre)"
    assert french("(-4 %)") == f"(\u22124{NNBSP}%)"
    assert french("3-4 ans") == f"3-4{NBSP}ans"  # a range keeps its hyphen


def test_straight_quotes_become_french_quotes() -> None:
    assert french('dit "de l\'urgence"') == f"dit «{NNBSP}de l’urgence{NNBSP}»"


def test_number_and_the_word_it_counts_do_not_part() -> None:
    assert french("les 6 années") == f"les 6{NBSP}années"
    assert french("1 réunion par an") == f"1{NBSP}réunion par an"
    assert french("0-3 ans") == f"0-3{NBSP}ans"
    assert french("en 2021 les familles") == "en 2021 les familles"  # a year counts nothing


def test_names_are_kept_whole() -> None:
    keeper = Keeper(["Paris", "Île-de-France", "CAF", "Caf de Paris", "Éducation nationale"])
    html = str(keeper.to_html("La Caf de Paris, la CAF et l'Île-de-France, 0-3 ans, Parisiens, "
                              "l'Éducation nationale"))
    assert '<span class="nom">Éducation nationale</span>' in html
    assert "La Caf de Paris, la CAF et" in html  # too short to hyphenate: left plain
    assert '<span class="nom insecable">Île-de-France</span>' in html
    assert '<span class="nom insecable">0-3</span>' in html
    assert "Parisiens" in html and ">Paris<" not in html.split("Île")[1]
