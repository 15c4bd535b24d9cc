"""Same-claim matching: the blocking keys and the pairwise decision."""

from __future__ import annotations

from collections.abc import Sequence

from app.analysis.matching import ClaimMatch, ClaimRef, claim_keys, match_claims
from app.extract.figures import parse_figures


def claim(
    claim_id: int,
    article_id: int,
    text: str,
    entities: frozenset[str] = frozenset(),
    subjects: frozenset[str] = frozenset({"russia"}),
) -> ClaimRef:
    figures = tuple(parse_figures(text))
    return ClaimRef(claim_id, article_id, text, figures, entities, subjects=subjects)


DEATHS_000 = (
    "Western estimates suggest that between 115,000 to 160,000 Russian troops have died since "
    "the war began, nearly wiping out 90% of the initial force."
)
DEATHS_001 = (
    "Western assessments estimate that between 115,000 and 160,000 Russian troops have died, "
    "with another 500,000 wounded."
)
RECRUITS_000 = (
    "To make up for this, Russia is scrambling to recruit 20,000 new soldiers every month."
)
RECRUITS_002 = (
    "In response to these losses, Russia has been attempting to enlist 20,000 new recruits "
    "each month."
)
RECRUITS_003 = (
    "“The Russian casualty numbers are very high; they have managed to recruit between "
    "25,000 to 30,000 soldiers each month, covering the number of soldiers killed,” "
    "Dalhaug continues."
)
DAILY_LOSSES = (
    "According to British estimates, an average of 1,262 Russian soldiers were killed or "
    "wounded each day in May."
)


def pairs(matches: Sequence[ClaimMatch], relation: str) -> set[tuple[int, int]]:
    return {(m.a_id, m.b_id) for m in matches if m.relation == relation}


def test_keys_of_one_figure_written_two_ways_meet() -> None:
    a, b = claim_keys(claim(1, 1, DEATHS_000)), claim_keys(claim(2, 2, DEATHS_001))
    assert "v:115000-160000" in a & b


def test_conflicting_rates_share_a_quantity_key() -> None:
    a, b = claim_keys(claim(1, 1, RECRUITS_000)), claim_keys(claim(2, 3, RECRUITS_003))
    assert "q:soldier:month:recruit" in a & b
    assert not {k for k in a & b if k.startswith("v:")}


def test_keys_are_few_and_name_entities_and_dates() -> None:
    keys = claim_keys(
        claim(
            1,
            1,
            "On November 19, he warned of the potential use of nuclear weapons following an "
            "attack by Ukrainian forces employing U.S.-made ATACMS missiles in the Bryansk region.",
            frozenset({"ATACMS", "Bryansk"}),
        )
    )
    assert {"d:november-19", "e:atacms", "e:bryansk"} <= keys
    assert len(keys) <= 12


def test_rewordings_of_one_figure_are_the_same_claim() -> None:
    matches = match_claims(
        [claim(1, 1, DEATHS_000), claim(2, 1, RECRUITS_000)],
        [claim(3, 2, DEATHS_001), claim(4, 3, RECRUITS_002)],
    )
    assert pairs(matches, "same_claim") == {(1, 3), (2, 4)}
    reason = next(m.reason for m in matches if (m.a_id, m.b_id) == (1, 3))
    assert "115,000" in reason


def test_a_figure_and_a_conflicting_figure_are_told_apart() -> None:
    matches = match_claims(
        [claim(1, 1, RECRUITS_000)], [claim(2, 2, RECRUITS_002), claim(3, 3, RECRUITS_003)]
    )
    assert pairs(matches, "same_claim") == {(1, 2)}
    assert pairs(matches, "conflict") == {(1, 3)}


def test_alike_wording_with_different_figures_is_not_one_claim() -> None:
    matches = match_claims([claim(1, 1, DEATHS_001)], [claim(2, 2, DAILY_LOSSES)])
    assert matches == []


def test_a_figure_free_claim_matches_on_its_wording() -> None:
    a = claim(
        1,
        1,
        "Reports suggest that Putin might accept a deal where Russia gets a big chunk of "
        "Ukrainian land—an area about the size of Virginia in the U.S.—if Ukraine agrees to stay "
        "neutral and give up on joining NATO or the EU.",
    )
    b = claim(
        2,
        2,
        "Reports suggest that he may be willing to accept a deal where Russia retains "
        "significant portions of Ukrainian territory—roughly the size of the U.S. state of "
        "Virginia—in exchange for Ukraine’s neutrality and abandonment of its NATO and EU "
        "aspirations.",
    )
    unrelated = claim(
        3,
        3,
        "Reports suggest that Russian men are resorting to extreme measures to avoid conscription, "
        "such as faking drug dependencies.",
    )
    assert pairs(match_claims([a], [b, unrelated]), "same_claim") == {(1, 2)}


def test_a_shared_date_with_shared_wording_is_the_same_event() -> None:
    a = claim(1, 1, "Since November 1, draft notices in Russia are now delivered online.")
    b = claim(
        2,
        2,
        "This new law, effective as of November 1, mandates that draft notices are now "
        "delivered electronically.",
    )
    other = claim(3, 3, "On November 1, the central bank raised the base interest rate.")
    matches = match_claims([a], [b, other])
    assert pairs(matches, "same_claim") == {(1, 2)}
    assert "november 1" in matches[0].reason


def test_claims_of_one_article_are_never_matched() -> None:
    assert match_claims([claim(1, 1, RECRUITS_000)], [claim(2, 1, RECRUITS_002)]) == []


def test_a_common_number_alone_does_not_make_one_claim() -> None:
    a = claim(1, 1, "The ministry paid 20,000 rubles to each family of the volunteers.")
    b = claim(2, 2, RECRUITS_000)
    assert match_claims([a], [b]) == []
