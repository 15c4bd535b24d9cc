"""What a claim is about: the named things it mentions, as keys that meet across articles.

    claim_subjects([(name, label), ...]) -> frozenset[str]

Two figures are about one quantity only when their claims share a subject: "Rutte's VVD
won 33 seats" and "the NDA won over 350 seats" count seats of different parties, and
"Carlsberg's sales rose 14%" and "Ericsson's sales rose 9%" different companies. Subjects
are the claim's named entities (people, organisations, places, groups; not dates or
numbers), casefolded, with the few spellings news uses for one state folded together:
a nationality is its country ("Russian" -> russia), a seat of power its state ("the
Kremlin" -> russia), a short form its long one ("U.S." -> united states).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from app.analysis.text import normalise

SUBJECT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})

# One state, the names news gives it.
_STATES = {
    "russia": "russian|russians|kremlin|moscow|russian federation",
    "ukraine": "ukrainian|ukrainians|kyiv|kiev",
    "north korea": "north korean|north koreans|dprk|pyongyang",
    "south korea": "south korean|south koreans|seoul|republic of korea",
    "united states": "us|u.s.|u.s.a.|usa|america|american|americans|washington|white house"
    "|pentagon|united states of america",
    "united kingdom": "uk|u.k.|britain|great britain|british|briton|britons|downing street",
    "china": "chinese|beijing",
    "france": "french",
    "germany": "german|germans",
    "netherlands": "dutch",
    "japan": "japanese",
    "india": "indian|indians",
    "iran": "iranian|iranians|tehran",
    "israel": "israeli|israelis",
    "turkey": "turkish|turkiye",
    "european union": "eu|e.u.",
}
_FOLD = {name: state for state, names in _STATES.items() for name in names.split("|")}


@lru_cache(maxsize=65_536)
def subject_key(name: str, label: str) -> str | None:
    """The key a named entity meets others by; None for what names no subject."""
    if label not in SUBJECT_LABELS:
        return None
    written = " ".join(normalise(name).split()).removeprefix("the ")
    key = written.strip(" .,'")
    if not key:
        return None
    return _FOLD.get(written) or _FOLD.get(key, key)


def claim_subjects(named: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The subjects of a claim from the (name, label) of the entities it mentions."""
    return frozenset(k for name, label in named if (k := subject_key(name, label)))
