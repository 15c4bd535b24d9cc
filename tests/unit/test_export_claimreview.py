"""ClaimReview export: Google's REQUIRED properties always there, the guideline rules the
schema cannot check, and the documented mapping from our verdicts to ratings."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from app.config import PROJECT_ROOT
from app.export.claimreview import (
    VERDICT_WORDS,
    check_publication_url,
    claim_summary,
    to_claimreviews,
)
from app.vocab import VERDICTS
from tests.factories import CONFORMANCE, sample_export

PUBLICATION = "https://factchecks.example.org"
SCHEMA = Draft202012Validator(
    json.loads((CONFORMANCE / "claimreview" / "google_claimreview.schema.json").read_text())
)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", text.lower()))


def _guideline_problems(review: dict[str, Any], domain: str) -> list[str]:
    """What Google's guidelines ask beyond the schema (conformance/claimreview.md)."""
    problems = []
    url = urlsplit(review.get("url", ""))
    if url.scheme != "https" or url.hostname != domain:
        problems.append("url not on the publication domain")
    summary = review.get("claimReviewed", "")
    if len(summary) > 75:
        problems.append("claimReviewed too long")
    if _words(summary) & VERDICT_WORDS:
        problems.append("verdict word in claimReviewed")
    return problems


def _reviews() -> list[dict[str, Any]]:
    return to_claimreviews(sample_export(), publication_url=PUBLICATION)


def test_each_review_has_the_required_properties() -> None:
    reviews = _reviews()
    assert reviews
    for review in reviews:
        assert [e.message for e in SCHEMA.iter_errors(review)] == []
        assert _guideline_problems(review, "factchecks.example.org") == []


def test_one_review_per_claim_with_an_agreed_verdict() -> None:
    reviews = _reviews()
    # Claim 10 is contested (Ana: disputed, Ben: unverified): nothing to publish.
    assert [r["url"] for r in reviews] == [f"{PUBLICATION}/claims/11", f"{PUBLICATION}/claims/12"]
    assert [r["reviewRating"]["alternateName"] for r in reviews] == ["False", "Disputed"]
    assert len({r["url"] for r in reviews}) == len(reviews)


def test_rating_numbers_follow_the_documented_mapping() -> None:
    doc = (PROJECT_ROOT / "docs" / "claimreview.md").read_text()
    rows = re.findall(r"^\| (\w+) \| (\w+) \| (\d) \| (.+?) \|$", doc, re.M)
    documented = {name: (alt, int(value), meaning) for name, alt, value, meaning in rows}
    assert documented == {
        v.name: (v.rating_name, v.rating, v.description) for v in VERDICTS.values()
    }
    for review in _reviews():
        rating = review["reviewRating"]
        verdict = VERDICTS[rating["alternateName"].lower()]
        assert rating["ratingValue"] == verdict.rating
        assert (rating["worstRating"], rating["bestRating"]) == (1, 5)
        assert "1 False" in rating["name"] and "5 Corroborated" in rating["name"]


def test_the_claim_reviewed() -> None:
    review = _reviews()[1]
    assert review["claimReviewed"] == (
        "Russia is recruiting 20,000 soldiers each month, Western estimates suggest."
    )
    item = review["itemReviewed"]
    assert item["author"] == {"@type": "Organization", "name": "Western estimates"}
    # It and the claim asserting the same thing appear in two articles; the first is the
    # origin of their provenance group.
    assert [a["name"] for a in item["appearance"]] == [
        "Rewrite of the drive story",
        "Recruitment drive stalls",
    ]
    assert item["firstAppearance"]["name"] == "Recruitment drive stalls"
    assert item["firstAppearance"]["publisher"] == {
        "@type": "Organization",
        "name": "Daily Example",
    }
    assert review["datePublished"] == "2024-05-01"


def test_summary_drops_the_attribution_lead_and_verdict_words() -> None:
    assert claim_summary("According to British estimates, an average of 1,262 soldiers died.") == (
        "An average of 1,262 soldiers died."
    )
    assert claim_summary("Reports that the figures were false are misleading, he said.") == (
        "Reports that the figures were … are …, he said."
    )


def test_a_cut_inside_a_longer_word_leaves_no_verdict_standing() -> None:
    summary = claim_summary("0" * 70 + "TRUEST " + "0" * 30)
    assert len(summary) <= 75 and not _words(summary) & VERDICT_WORDS


@settings(max_examples=300, deadline=None)
@given(
    st.text(min_size=1)
    | st.lists(st.sampled_from(["false", "FALSE_", "1true", "éfalse", " ", "Disputed.", "x"])).map(
        "".join
    )
)
def test_summary_is_short_and_never_states_a_verdict(text: str) -> None:
    summary = claim_summary(text)
    assert len(summary) <= 75
    assert not _words(summary) & VERDICT_WORDS


@pytest.mark.parametrize(
    "url",
    ["http://localhost:8000", "http://127.0.0.1:8000/", "https://[::1]/", "https://intranet/",
     "https://192.168.1.4", "ftp://factchecks.example.org", "factchecks.example.org"],
)  # fmt: skip
def test_a_local_publication_url_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="publication_url"):
        to_claimreviews(sample_export(), publication_url=url)


def test_publication_url_is_normalised() -> None:
    assert check_publication_url(" https://checks.example.org/ ") == "https://checks.example.org"


def test_the_checks_catch_a_bad_review() -> None:
    bad = json.loads((CONFORMANCE / "claimreview" / "bad_missing_alternateName.jsonld").read_text())
    assert [e.message for e in SCHEMA.iter_errors(bad)] == [
        "'alternateName' is a required property"
    ]
    assert set(_guideline_problems(bad, "factchecks.example.org")) == {
        "url not on the publication domain",
        "verdict word in claimReviewed",
    }


def test_the_samples_pass() -> None:
    for name in ("minimal.jsonld", "recommended.jsonld"):
        sample = json.loads(Path(CONFORMANCE / "claimreview" / name).read_text())
        assert list(SCHEMA.iter_errors(sample)) == []
