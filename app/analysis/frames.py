"""What a figure counts when no name says whose it is: the words of its clause.

    figure_frame(before, after, skip) -> frozenset[str]
    same_frame(a, b) -> frozenset[str]   # the shared words, empty when the frames differ

"The coast guard said 29 vessels had been detained in the strait since March" names
nothing spaCy calls an entity, yet says what it counts: vessels detained in the strait.
The figure's frame is the content stems of its clause (the text the figure sits in, cut
at clause breaks), without who said it (the words before a reporting verb, "according to"
and what follows), without the figure's unit, period and dates (they are compared as
figures), and with the few verbs news swaps for one quantity of money folded together
("costs the port" / "the port is losing").

Two frames are one quantity when they are the same words, at least FRAME_MIN_SHARED of
them: "detained in the strait" and "had been detained in the strait" are; "detained in
the strait" and "built in the strait" are not, nor "costs the port" and "costs the
airline", nor "prices rose" and "consumer prices rose a larger-than-expected". Equal is
strict on purpose: a frame one word longer is often another quantity (one party's seats
among several parties'), and a missed conflict costs an analyst less than a false one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.analysis.text import content_stems, nearest, stem
from app.words import MONTHS, wordset

FRAME_MIN_SHARED = 2

# Who said it stands before these and after "according to": "Officials said 41 vessels",
# "€2m a day according to the chamber".
_REPORTED = re.compile(
    r"\b(?:said|says|say|told|tells|stated|states|announced|announces|reported|reports"
    r"|estimated|estimates|claimed|claims|according\s+to)\b",
    re.IGNORECASE,
)
# Words that say how a figure is given, not what it counts (nor what its anchors are).
HOW_GIVEN = frozenset(
    map(
        stem,
        wordset(
            """approximately roughly nearly estimated average total another additional
            staggering new each every month day week year daily monthly weekly annually"""
        ),
    )
)
# Nor its period or dates, compared as figures.
_NOT_FRAME = HOW_GIVEN | frozenset(
    map(stem, wordset(f"{MONTHS.replace('|', ' ').casefold()} hour hourly annual"))
)
# One quantity of money in the verbs news swaps for it.
_FOLD = {stem(w): "lose" for w in ("cost", "costs", "costing", "lose", "losing", "loss", "losses")}


def figure_frame(before: str, after: str, skip: Iterable[str] = ()) -> frozenset[str]:
    """The frame of a figure from its clause's text before and after it; `skip` holds the
    stems of what is compared as the figure (its unit's words)."""
    before, after = nearest(before, after, _REPORTED)
    skipped = _NOT_FRAME | frozenset(skip)
    return frozenset(
        _FOLD.get(w, w) for w in content_stems(f"{before} {after}") if w not in skipped
    )


def same_frame(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    """The words of two frames when they are one quantity, else nothing."""
    return a if a == b and len(a) >= FRAME_MIN_SHARED else frozenset()
