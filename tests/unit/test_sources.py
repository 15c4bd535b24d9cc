"""Sources, not copies: articles counted once per provenance group or relayed report; one
conflict per disagreement between two sources; what a claim is about."""

from __future__ import annotations

import pytest

from app.analysis.sources import (
    Carrier,
    conflict_key,
    count_sources,
    relayed_from,
    source_of,
)
from app.analysis.subjects import claim_subjects, subject_key
from app.extract.figures import parse_figures


def figure(phrase: str):  # type: ignore[no-untyped-def]
    (found,) = parse_figures(phrase)
    return found


def test_a_provenance_group_counts_once() -> None:
    counted = count_sources([Carrier(1, 7), Carrier(2, 7), Carrier(3, 7), Carrier(4)])
    assert (counted.articles, counted.independent, counted.relayed) == (4, 2, ())


def test_independent_articles_relaying_one_named_report_count_it_once() -> None:
    ft = "the Financial Times"
    counted = count_sources([Carrier(1, None, ft), Carrier(2, None, "Financial Times"), Carrier(3)])
    assert (counted.articles, counted.independent) == (3, 2)
    assert counted.relayed == (ft,)
    # Named by its fullest spelling whichever article comes first.
    reverse = count_sources([Carrier(2, None, "Financial Times"), Carrier(1, None, ft)])
    assert reverse.relayed == (ft,)


def test_a_report_relayed_only_inside_one_group_is_not_named_as_relayed() -> None:
    counted = count_sources([Carrier(1, 5, "Reuters"), Carrier(2, 5, "Reuters")])
    assert (counted.independent, counted.relayed) == (1, ())


def test_a_relayed_report_joins_groups_and_lone_articles_into_one_source() -> None:
    counted = count_sources([Carrier(1, 5), Carrier(2, 5, "AFP"), Carrier(3, None, "AFP")])
    assert counted.independent == 1


@pytest.mark.parametrize(
    ("attribution", "label", "relayed"),
    [
        ("the Financial Times", "ORG", "the Financial Times"),
        ("Dalhaug", "PERSON", "Dalhaug"),
        ("Russian media", "NORP", None),  # a nationality names no single report
        ("Western estimates", None, None),
        (None, "ORG", None),
    ],
)
def test_only_a_named_organisation_or_person_is_relayed(
    attribution: str | None, label: str | None, relayed: str | None
) -> None:
    assert relayed_from(attribution, label) == relayed


def test_a_source_is_named_by_its_groups_first_article() -> None:
    assert source_of(12, None) == 12
    assert source_of(12, 3) == 3


def test_copies_of_one_side_make_one_conflict_and_the_key_ignores_order() -> None:
    twenty = figure("20,000 new soldiers every month")
    dalhaug = figure("between 25,000 to 30,000 soldiers each month")
    keys = {
        conflict_key("conflict", (1, twenty), (4, dalhaug)),
        conflict_key("conflict", (4, dalhaug), (1, figure("20,000 new recruits each month"))),
    }
    assert keys == {"conflict|soldier:month|1=20000|4=25000-30000"}
    assert conflict_key("later", (1, twenty), (4, dalhaug)) != keys.pop()


def test_copies_of_one_source_that_disagree_are_no_conflict_between_sources() -> None:
    assert (
        conflict_key("conflict", (1, figure("20,000 soldiers")), (1, figure("25,000 soldiers")))
        is None
    )


@pytest.mark.parametrize(
    ("name", "label", "key"),
    [
        ("Russian", "NORP", "russia"),
        ("Russia", "GPE", "russia"),
        ("the Kremlin", "ORG", "russia"),
        ("North Korean", "NORP", "north korea"),
        ("U.S.", "GPE", "united states"),
        ("Carlsberg", "ORG", "carlsberg"),
        ("May", "DATE", None),
        ("20,000", "CARDINAL", None),
    ],
)
def test_subjects_fold_the_names_of_one_state(name: str, label: str, key: str | None) -> None:
    assert subject_key(name, label) == key


def test_a_claims_subjects_leave_dates_and_numbers_out() -> None:
    named = [("Russia", "GPE"), ("Kremlin", "ORG"), ("each month", "DATE"), ("VVD", "ORG")]
    assert claim_subjects(named) == {"russia", "vvd"}
