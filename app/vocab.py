"""The fixed vocabularies: credibility verdicts and link relations."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    name: str
    description: str
    key: str  # keyboard shortcut on the reading page
    rating: int  # ClaimReview ratingValue, 1 (worst) .. 5 (best); see docs/claimreview.md
    rating_name: str  # ClaimReview alternateName


VERDICTS: dict[str, Verdict] = {
    v.name: v
    for v in (
        Verdict("corroborated", "Independent sources confirm it.", "c", 5, "Corroborated"),
        Verdict("disputed", "Credible sources contradict it or disagree.", "d", 2, "Disputed"),
        Verdict(
            "unverified", "Not yet checked, or no source can confirm it.", "u", 3, "Unverified"
        ),
        Verdict("false", "Shown to be untrue.", "f", 1, "False"),
        Verdict(
            "misleading",
            "Accurate in part, but framed to give a wrong impression.",
            "m",
            2,
            "Misleading",
        ),
    )
}

CONTESTED = "contested"

RELATIONS: dict[str, str] = {
    "same_claim": "asserts the same thing",
    "corroborates": "supports it",
    "contradicts": "contradicts it",
    "derived_from": "is derived from it",
    "related": "is related to it",
}

RELATION_LABELS: dict[str, str] = {
    "same_claim": "same claim",
    "corroborates": "corroborates",
    "contradicts": "contradicts",
    "derived_from": "derived from",
    "related": "related",
}

# Entity labels in the order the legend and the entity filter list them.
ENTITY_LABELS = (
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "NORP",
    "FAC",
    "EVENT",
    "DATE",
    "CARDINAL",
    "MONEY",
    "PERCENT",
    "QUANTITY",
)
