"""Figure comparison and figure conflicts between claims, on figures parsed from prose."""

from __future__ import annotations

import pytest

from app.analysis.conflicts import ClaimRef, compare_figures, find_conflicts
from app.analysis.matching import match_claims
from app.extract.figures import Figure, parse_figures


def figure(phrase: str) -> Figure:
    found = parse_figures(phrase)
    assert len(found) == 1, found
    return found[0]


def verdict(a: str, b: str) -> str:
    return compare_figures(figure(a), figure(b)).verdict


def claim(
    claim_id: int,
    article_id: int,
    text: str,
    subjects: frozenset[str] = frozenset({"russia"}),
    published: str | None = None,
) -> ClaimRef:
    figures = tuple(parse_figures(text))
    return ClaimRef(claim_id, article_id, text, figures, subjects=subjects, published=published)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("between 115,000 to 160,000 Russian troops", "between 115,000 and 160,000 Russian troops"),
        ("115,000-160,000 troops", "between 115,000 and 160,000 soldiers"),
        ("approximately ten thousand troops", "10,000 troops"),
        ("20,000 new soldiers every month", "20,000 new recruits each month"),
        ("90%", "approximately 90 percent"),
        ("nearly 90%", "90%"),  # "nearly" is an approximate value, not a bound
    ],
)
def test_one_value_written_two_ways_is_equal(a: str, b: str) -> None:
    assert verdict(a, b) == "equal"
    assert verdict(b, a) == "equal"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("more than 45,000 casualties", "50,000 casualties"),
        ("hundreds of thousands of soldiers", "about 700,000 soldiers"),
        ("20,000 soldiers a month", "20,400 soldiers a month"),  # within the rounding of 20,000
        ("up to 90%", "90%"),
    ],
)
def test_values_that_can_both_be_true_are_compatible(a: str, b: str) -> None:
    assert verdict(a, b) == "compatible"


def test_different_figures_for_one_rate_conflict() -> None:
    result = compare_figures(
        figure("recruit 20,000 new soldiers every month"),
        figure("recruit between 25,000 to 30,000 soldiers each month"),
    )
    assert result.verdict == "conflict"
    assert "per month" in result.reason


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [
        (
            "an average of 1,262 Russian soldiers were killed or wounded each day in May",
            "In June, the number fell to 1,163",
            "scope",
        ),
        ("1,262 soldiers a day in May", "1,163 soldiers a day in June", "scope"),
        ("20,000 soldiers every month", "25,000 soldiers each year", "period"),
        ("400,000 rubles", "400,000 soldiers", "unit"),
        ("50,000 NOK", "60,000 rubles", "unit"),
        ("500,000", "600,000 troops", "unit"),  # no unit on one side: never a conflict
        ("30,000 soldiers", "25,000 soldiers each month", "rate"),
    ],
)
def test_figures_of_different_quantities_are_incomparable(a: str, b: str, why: str) -> None:
    result = compare_figures(figure(a), figure(b))
    assert result.verdict == "incomparable"
    assert why in result.reason


RECRUITS_A = "To make up for this, Russia is scrambling to recruit 20,000 new soldiers every month."
RECRUITS_B = (
    "“The Russian casualty numbers are very high; they have managed to recruit between "
    "25,000 to 30,000 soldiers each month, covering the number of soldiers killed,” "
    "Dalhaug continues."
)


def test_recruitment_figures_from_two_articles_conflict() -> None:
    found = find_conflicts([claim(1, 10, RECRUITS_A)], [claim(2, 20, RECRUITS_B)])
    assert [(m.a_id, m.b_id, m.relation) for m in found] == [(1, 2, "conflict")]
    assert "20,000" in found[0].reason and "25,000" in found[0].reason


def test_no_conflict_within_one_article_or_with_itself() -> None:
    a, b = claim(1, 10, RECRUITS_A), claim(2, 10, RECRUITS_B)
    assert find_conflicts([a], [a, b]) == []


def test_a_monthly_figure_for_another_subject_is_no_conflict() -> None:
    losses = claim(
        3,
        20,
        "“The big question is whether the Russians can sustain the loss of 1,000-1,300 "
        "soldiers month after month.",
    )
    assert find_conflicts([claim(1, 10, RECRUITS_A)], [losses]) == []


def test_may_and_june_daily_losses_do_not_conflict() -> None:
    may = claim(
        1,
        10,
        "According to British estimates, an average of 1,262 Russian soldiers were killed "
        "or wounded each day in May.",
    )
    june = claim(2, 20, "In June, 1,163 Russian soldiers were killed or wounded each day.")
    assert find_conflicts([may], [june]) == []


def test_deaths_and_killed_or_wounded_are_different_quantities() -> None:
    deaths = claim(
        1, 10, "Western estimates suggest that between 115,000 to 160,000 Russian troops have died."
    )
    casualties = claim(
        2,
        20,
        "Most estimates point to hundreds of thousands of Russian soldiers killed or seriously "
        "wounded during the invasion.",
    )
    assert find_conflicts([deaths], [casualties]) == []


def test_troops_sent_and_troops_killed_are_different_subjects() -> None:
    deaths = claim(1, 10, "Western estimates suggest that 115,000 Russian troops have died.")
    sent = claim(2, 20, "North Korea had sent approximately ten thousand troops to join the war.")
    assert find_conflicts([deaths], [sent]) == []


# --- the same quantity in other words, later figures, the tolerance rule, subjects ---------

TOLL_2024 = (
    "Western estimates suggest that between 115,000 to 160,000 Russian troops have died since "
    "the war began."
)
TOLL_2025 = "The war has now cost Russia some 250,000 deaths, according to the BBC's count."


def test_deaths_and_troops_who_died_are_one_quantity() -> None:
    found = find_conflicts([claim(1, 10, TOLL_2025)], [claim(2, 20, TOLL_2024)])
    assert [(m.relation, m.a_figure, m.b_figure) for m in found] == [("conflict", 0, 0)]


def test_a_toll_a_year_later_is_a_later_figure_not_a_conflict() -> None:
    later = claim(1, 10, TOLL_2025, published="2025-06-01")
    earlier = claim(2, 20, TOLL_2024, published="2024-11-20")
    assert find_conflicts([later], [earlier]) == []
    (match,) = match_claims([later], [earlier])
    assert match.relation == "later"
    assert match.reason.startswith("a later figure: some 250,000 deaths as of 2025-06-01")


def test_may_and_june_daily_losses_are_a_later_figure() -> None:
    may = claim(
        1, 10, "An average of 1,262 Russian soldiers were killed or wounded each day in May."
    )
    june = claim(2, 20, "In June, 1,163 Russian soldiers were killed or wounded each day.")
    (match,) = match_claims([may], [june])
    assert match.relation == "later"
    assert "as of June" in match.reason


def test_casualties_are_the_killed_and_the_wounded() -> None:
    a = claim(1, 10, "Russia suffered 45,000 casualties in November, the ministry said.")
    b = claim(2, 20, "In November 30,000 Russian soldiers were killed or wounded.")
    assert [m.relation for m in find_conflicts([a], [b])] == ["conflict"]


# The tolerance rule: an approximate figure allows 5 % either way beyond its rounding.
NK_APPROX = (
    "North Korea had sent approximately ten thousand troops to join the invasion of Ukraine."
)
NK_ESTIMATE = "North Korea has sent an estimated 12,000 troops to fight for Russia."


def test_about_ten_thousand_and_an_estimated_twelve_thousand_troops_conflict() -> None:
    nk = frozenset({"north korea"})
    found = find_conflicts([claim(1, 10, NK_APPROX, nk)], [claim(2, 20, NK_ESTIMATE, nk)])
    assert [m.relation for m in found] == ["conflict"]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("about 10,000 troops", "an estimated 12,000 troops", "conflict"),
        ("about 10,000 troops", "11,000 troops", "compatible"),
        ("about 10,000 troops", "about 11,000 troops", "compatible"),
        ("10,000 troops", "10,200 troops", "compatible"),  # within 10,000's rounding (2.5 %)
        ("10,000 troops", "11,000 troops", "conflict"),
        ("between 10,000 and 12,000 troops", "12,500 troops", "conflict"),
        ("between 10,000 and 12,000 troops", "about 12,500 troops", "compatible"),
        ("more than 10,000 troops", "12,000 troops", "compatible"),
    ],
)
def test_the_tolerance_rule_for_approximate_figures(a: str, b: str, expected: str) -> None:
    assert verdict(a, b) == expected


def test_seats_of_different_parties_are_no_conflict() -> None:
    vvd = claim(1, 10, "Rutte's VVD is projected to win 33 seats.", frozenset({"vvd", "rutte"}))
    nda = claim(
        2, 20, "The exit polls had predicted the NDA would win over 350 seats.", frozenset({"nda"})
    )
    assert match_claims([vvd], [nda]) == []


def test_a_claim_without_a_named_subject_conflicts_with_nothing() -> None:
    bare = claim(1, 10, "The party had won 52 seats.", frozenset())
    ldp = claim(2, 20, "The LDP won a total of 284 seats.", frozenset({"ldp"}))
    assert match_claims([bare], [ldp]) == []
