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

# What the reading page highlights: each mode with what it shows, the first the default.
READING_MODES: dict[str, str] = {
    "names": "Claims and names",
    "entities": "Claims and all entities",
    "notes": "Notes only",
    "plain": "Plain text",
}
DEFAULT_READING_MODE = "names"

# Entity labels in plain words, grouped as the legend shows them; `names` are highlighted in
# the default reading mode, the rest only with all entities.
ENTITY_GROUPS: dict[str, tuple[str, ...]] = {
    "People": ("PERSON",),
    "Organisations": ("ORG",),
    "Places": ("GPE", "LOC"),
    "Groups and nationalities": ("NORP",),
    "Buildings and facilities": ("FAC",),
    "Events": ("EVENT",),
    "Dates": ("DATE",),
    "Numbers": ("CARDINAL", "MONEY", "PERCENT", "QUANTITY"),
}
NAME_LABELS = ("PERSON", "ORG", "GPE", "LOC")
# One entity of a label, in plain words (what hovering a highlighted name says).
LABEL_WORDS = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "GPE": "Place",
    "LOC": "Place",
    "NORP": "Group or nationality",
    "FAC": "Building or facility",
    "EVENT": "Event",
    "DATE": "Date",
    "CARDINAL": "Number",
    "MONEY": "Money",
    "PERCENT": "Percentage",
    "QUANTITY": "Quantity",
}
GROUP_OF_LABEL = {label: group for group, labels in ENTITY_GROUPS.items() for label in labels}

# The colours an analyst may give a topic tag (classes in static/app.css, light and dark).
TAG_COLOURS = ("green", "blue", "pink", "orange", "violet", "teal")
