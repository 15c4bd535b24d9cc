"""What is a claim: statements of fact with or without figures; not forecasts, opinions,
questions, captions, credits or a sentence cut by the end of the text."""

from __future__ import annotations

import pytest

from app.extract.stance import stance
from tests.unit.test_claims import claims_of


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Roberts and Justice Anthony Kennedy joined the court's liberals.", "fact"),
        ("The governor made the announcement at a news conference.", "fact"),
        ("Neither Russia nor North Korea has reacted to the accounts.", "fact"),
        ("The company now expects profit to grow by 10% this year.", "forecast"),
        ("The ANC is also expected to fall below 50% in the province.", "forecast"),
        ("NASA will announce the discovery on Wednesday.", "forecast"),
        ("If the court had ruled otherwise, millions could have lost coverage.", "forecast"),
        ("With 95% of votes counted, the VVD is projected to win 33 seats.", "fact"),
        ("It is projected that 41.6Gt will be released, an increase from 40.6Gt in 2023.", "fact"),
        ("The West should never underestimate Putin.", "opinion"),
        ("“I recognize that we are all getting tired,” she said.", "opinion"),
        ("How will the West respond?", "question"),
    ],
)
def test_stance(sentence: str, expected: str) -> None:
    assert stance(sentence) == expected


def test_past_facts_without_figures_are_claims() -> None:
    text = (
        "The Supreme Court on Thursday upheld a key provision of the law. Roberts and Justice "
        "Anthony Kennedy joined the court's liberals.\n\n"
        "The biggest parties will now negotiate to form a government."
    )
    upheld, joined = claims_of(text)
    assert (upheld.kind, upheld.when) == ("event", "Thursday")
    assert joined.kind == "event" and joined.attribution is None


def test_captions_credits_and_a_sentence_cut_by_the_end_are_no_claims() -> None:
    text = (
        "A boy cools off at an open fire hydrant on a hot day in New York, July 6, 2016.\n\n"
        "Mike Segar | Reuters\n\n"
        "A car drives under tilted poles in Humacao. (RICARDO ARDUENGO/AFP/Getty Images)\n\n"
        "Temperatures reached 118 degrees in Phoenix on Monday.\n\n"
        "Temperatures reached 118 degrees in Phoenix, slightly below predicted temp"
    )
    (claim,) = claims_of(text)
    assert claim.text == "Temperatures reached 118 degrees in Phoenix on Monday."


def test_labelled_values_in_a_list_are_claims() -> None:
    text = "The four biggest parties are:\n\n• VVD: 33 seats\n\n• PVV: 20"
    listed = [c.text for c in claims_of(text)]
    assert listed[-2:] == ["VVD: 33 seats", "PVV: 20"]
