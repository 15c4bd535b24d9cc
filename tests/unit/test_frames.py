"""Figure conflicts between claims that name nothing: the same quantity of the same thing,
told by the words of the figures' clauses, in articles about one subject."""

from __future__ import annotations

import pytest

from app.analysis.conflicts import ClaimRef, find_conflicts
from app.analysis.matching import claim_keys, match_claims
from app.extract.figures import parse_figures

STRAIT = frozenset({"strait of hormuz"})


def claim(
    claim_id: int,
    article_id: int,
    text: str,
    context: frozenset[str] = STRAIT,
    subjects: frozenset[str] = frozenset(),
) -> ClaimRef:
    figures = tuple(parse_figures(text))
    assert figures, text
    return ClaimRef(claim_id, article_id, text, figures, subjects=subjects, context=context)


DETAINED_A = "The coast guard said 29 vessels had been detained in the strait since March."
DETAINED_B = "Officials said 41 vessels had been detained in the strait since March."
PORT_A = "The blockade costs the port €2m a day, according to the chamber of commerce."
PORT_B = "The port is losing €4.5m a day because of the blockade, the mayor said."


@pytest.mark.parametrize(
    ("a", "b", "figures"),
    [
        (DETAINED_A, DETAINED_B, ("29 vessels", "41 vessels")),
        (PORT_A, PORT_B, ("€2m", "€4.5m")),
        (
            "Police said 120 protesters were arrested in the capital on Saturday.",
            "Some 300 protesters were arrested in the capital on Saturday, organisers said.",
            ("120 protesters", "Some 300 protesters"),
        ),
        (
            "The strike costs the airline $3m a week, analysts estimate.",
            "The airline is losing $7m a week because of the strike, its chief executive said.",
            ("$3m", "$7m"),
        ),
    ],
)
def test_one_quantity_of_one_thing_told_apart_by_two_sources_conflicts(
    a: str, b: str, figures: tuple[str, str]
) -> None:
    found = find_conflicts([claim(1, 10, a)], [claim(2, 20, b)])
    assert [m.relation for m in found] == ["conflict"]
    assert found[0].reason.startswith(f"{figures[0]} vs {figures[1]}")
    # The pair is found through a stored key of its frame, not by comparing every pair.
    shared = claim_keys(claim(1, 10, a)) & claim_keys(claim(2, 20, b))
    assert any(key.startswith("f:") for key in shared), shared
    assert [m.relation for m in match_claims([claim(2, 20, b)], [claim(1, 10, a)])] == ["conflict"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Another outcome of the same count.
        (DETAINED_A, "Officials said 41 vessels had been built in the strait since March."),
        # The same loss to another subject.
        (PORT_A, "The blockade costs the airline €4.5m a day, according to its owners."),
        (PORT_A, "The airline is losing €4.5m a day because of the blockade, the mayor said."),
        # Another period, another currency, another counted noun.
        (PORT_A, "The port is losing €4.5m a week because of the blockade, the mayor said."),
        (PORT_A, "The port is losing $4.5m a day because of the blockade, the mayor said."),
        (DETAINED_A, "Officials said 41 sailors had been detained in the strait since March."),
        # Another month.
        (DETAINED_A, "Officials said 41 vessels had been detained in the strait since April."),
        # Values that can both be true: an overlapping range, an approximation.
        (
            DETAINED_A,
            "Officials said between 25 and 35 vessels had been detained in the strait since March.",
        ),
        (DETAINED_A, "About 30 vessels had been detained in the strait since March."),
        # A frame with more words may be a part of the quantity, or another one.
        (
            "Excluding food and energy, prices rose 5.3 percent year over year in October.",
            "Year-over-year consumer prices rose a larger-than-expected 4.2 percent in October.",
        ),
    ],
)
def test_claims_about_different_things_do_not_conflict(a: str, b: str) -> None:
    assert find_conflicts([claim(1, 10, a)], [claim(2, 20, b)]) == []


def test_claims_that_name_nothing_in_articles_about_different_things_do_not_conflict() -> None:
    """ "The port" of a story on Rotterdam is not the port of a story on Hormuz."""
    a = claim(1, 10, PORT_A, context=frozenset({"rotterdam"}))
    assert find_conflicts([a], [claim(2, 20, PORT_B)]) == []
    assert find_conflicts([claim(1, 10, PORT_A, context=frozenset())], [claim(2, 20, PORT_B)]) == []


def test_claims_that_name_different_things_do_not_conflict_however_alike() -> None:
    a = claim(1, 10, PORT_A, subjects=frozenset({"bandar abbas"}))
    b = claim(2, 20, PORT_B, subjects=frozenset({"jebel ali"}))
    assert find_conflicts([a], [b]) == []


def test_a_name_the_extractor_missed_in_one_claim_is_still_met_in_the_frame() -> None:
    a = claim(
        1, 10, "The blockade costs Bandar Abbas €2m a day.", subjects=frozenset({"bandar abbas"})
    )
    named = claim(2, 20, "Bandar Abbas is losing €4.5m a day because of the blockade.")
    assert [m.relation for m in find_conflicts([a], [named])] == ["conflict"]


def test_figures_as_of_different_months_are_a_later_figure() -> None:
    april = claim(2, 20, "Officials said 41 vessels had been detained in the strait in April.")
    march = claim(
        1, 10, "The coast guard said 29 vessels had been detained in the strait in March."
    )
    (match,) = match_claims([april], [march])
    assert match.relation == "later"
