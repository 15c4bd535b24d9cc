"""Same-claim matching across articles, in two layers so it stays incremental.

(a) Blocking: `claim_keys(claim)` gives a few keys the service stores in an indexed table
    (claim_id, key). For a new article it fetches the stored claims sharing any key with
    the new claims - never the whole corpus. Key families:
        v:<value>                    a figure's stated value or range: "v:115000-160000"
        q:<unit>:<period>:<anchor>   a quantity and what it counts: "q:soldier:month:recruit"
                                     (how conflicting figures find each other)
        s:<unit>:<period>:<subject>  a quantity and whom it is about: "s:dead:-:russia"
                                     (figures worded apart that conflicts compare)
        f:<unit>:<period>:<word>     a quantity and a word of its frame: "f:EUR:day:port"
                                     (figures of claims that name nothing, conflicts.py)
        e:<entity>                   an entity named in the claim
        d:<month>-<day>              a calendar date named in the claim: "d:november-19"
        b<band>:<hash>               a MinHash LSH band of the claim's stems and names
    "e:", "s:" and "f:" keys can be common ("e:putin"); the service should skip keys whose
    posting list is long (a few hundred claims) when it looks candidates up.
(b) Scoring: `match_claims(new, candidates)` scores each new claim against the fetched
    candidates of other articles and returns ClaimMatch(a_id, b_id, score, relation,
    reason), relation "same_claim" or "conflict" (a pair can carry both when rewrites
    agree on one figure and disagree on another).

A pair is the same claim when
  - they state an equal, informative figure (same unit class, period and scope) and the
    figure's anchors meet or the wording overlaps a little, or
  - they name the same calendar date ("November 1") and share some wording, or
  - without such a figure, their content stems overlap strongly and no figure conflicts.
Matches are direct: a claim's cluster is the claim plus the claims matched to it. Closing
the relation transitively would chain distinct facts through long sentences that state
several figures (deaths - "90 % of the force" - wounded).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.analysis import lsh
from app.analysis.conflicts import (
    ClaimFacts,
    ClaimMatch,
    ClaimRef,
    claim_facts,
    compare_figures,
    conflict_between,
    figure_interval,
    period_class,
    unit_class,
    wording_overlap,
)
from app.analysis.text import content_stems, normalise
from app.extract.figures import Figure
from app.words import MONTHS as _MONTHS
from app.words import cache_short

__all__ = ["ClaimMatch", "ClaimRef", "claim_keys", "match_claims"]

# Claims worded alike meet in a MinHash LSH band of their content stems and names (stored
# as "b<band>:<hash>" keys). 16 bands of 2 rows: a pair of Jaccard J shares one with
# probability 1 - (1 - J^2)^16 (0.50 at 0.2, 0.86 at 0.35, 0.99 at 0.55). Measured on the
# 1,000-article bench corpus against the six longest stems ("w:" keys) these replace: 96%
# of the suggestions found again with 57% of the candidates (docs/decisions).
WORDING_BANDS = 16
WORDING_ROWS = 2
# Two claims without a shared figure read as one claim when their content stems overlap
# by LEXICAL_SAME (Jaccard) with at least LEXICAL_MIN_SHARED stems in common, or share
# LEXICAL_MANY_SHARED stems at a lower overlap (long reworded sentences). On the seeds,
# reworded rewrites of one sentence score 0.15-0.5 with 4-11 shared stems; different
# sentences on the same topic reach 0.28 with at most 5 shared stems.
LEXICAL_SAME = 0.34
LEXICAL_MIN_SHARED = 4
LEXICAL_MANY_SHARED = 6
LEXICAL_MANY_OVERLAP = 0.14
# With an equal figure or date, this much shared wording is enough even if the anchors
# differ.
FIGURE_CONTEXT = 0.1
DATE_MIN_SHARED = 2

_DATE = re.compile(
    rf"\b(?P<m1>{_MONTHS})\s+(?P<d1>[1-9]|[12]\d|3[01])(?![\d,.]\d)\b"
    rf"|\b(?P<d2>[1-9]|[12]\d|3[01])\s+(?P<m2>{_MONTHS})\b"
)
_MONTH_STEMS = frozenset(content_stems(_MONTHS.replace("|", " ")))


@cache_short(maxsize=65536, longest=1000)
def claim_dates(text: str) -> frozenset[str]:
    """Calendar days named in a text: "November 1", "1 November" -> "november-1". App
    figures leave dates out, yet an event's date identifies a claim as well as a figure."""
    return frozenset(
        f"{(m['m1'] or m['m2']).casefold()}-{m['d1'] or m['d2']}" for m in _DATE.finditer(text)
    )


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def value_key(fig: Figure) -> str | None:
    """ "115000-160000", "20000", "90": the figure's stated numbers."""
    interval = figure_interval(fig)
    if interval is None:
        return None
    return "-".join(_number(x) for x in interval.stated)


def informative(fig: Figure) -> bool:
    """A figure whose equality means something: not a lone small count or a bare year."""
    interval = figure_interval(fig)
    if interval is None:
        return False
    if len(interval.stated) == 2:
        return True
    value = abs(interval.stated[0])
    if unit_class(fig.unit) == "percent":
        return value >= 1
    if value < 10:
        return False
    return not (unit_class(fig.unit) is None and value.is_integer() and 1900 <= value <= 2099)


def claim_keys(claim: ClaimRef) -> frozenset[str]:
    keys: set[str] = set()
    facts = claim_facts(claim)
    for fig, anchors, frame in zip(claim.figures, facts.anchors, facts.frames, strict=True):
        value = value_key(fig)
        if value is not None and informative(fig):
            keys.add(f"v:{value}")
        unit = unit_class(fig.unit)
        if unit:
            period = period_class(fig.period) or "-"
            keys.update(f"q:{unit}:{period}:{anchor}" for anchor in anchors)
            keys.update(f"s:{unit}:{period}:{subject}" for subject in claim.subjects)
            keys.update(f"f:{unit}:{period}:{word}" for word in frame)
    keys.update(f"d:{date}" for date in claim_dates(claim.text))
    names = {f"e:{normalise(name).strip()}" for name in claim.entities if name.strip()}
    keys.update(names)
    wording = lsh.signature({*content_stems(claim.text), *names}, WORDING_BANDS * WORDING_ROWS)
    keys.update(lsh.band_keys(wording, WORDING_BANDS, prefix="b"))
    return frozenset(keys)


def _equal_figure(a: ClaimFacts, b: ClaimFacts, overlap: float) -> ClaimMatch | None:
    best: ClaimMatch | None = None
    for i, fa in enumerate(a.claim.figures):
        if not informative(fa):
            continue
        for j, fb in enumerate(b.claim.figures):
            if a.scopes[i] != b.scopes[j]:
                continue
            comparison = compare_figures(fa, fb)
            if comparison.verdict != "equal":
                continue
            shared = a.anchors[i] & b.anchors[j]
            if not shared and overlap < FIGURE_CONTEXT:
                continue
            score = round(min(1.0, 0.55 + (0.15 if shared else 0.0) + 0.75 * overlap), 3)
            if best is None or score > best.score:
                best = ClaimMatch(a.claim.id, b.claim.id, score, "same_claim", comparison.reason)
    return best


def _same_wording(a: ClaimFacts, b: ClaimFacts, overlap: float) -> ClaimMatch | None:
    if _figures_disagree(a, b):
        return None
    dates = claim_dates(a.claim.text) & claim_dates(b.claim.text)
    shared_words = a.stems & b.stems - _MONTH_STEMS
    if dates and len(shared_words) >= DATE_MIN_SHARED and overlap >= FIGURE_CONTEXT:
        date = sorted(dates)[0].replace("-", " ")
        return ClaimMatch(
            a.claim.id,
            b.claim.id,
            round(min(1.0, 0.5 + overlap), 3),
            "same_claim",
            f"same date: {date}; shared wording: {', '.join(sorted(shared_words)[:4])}",
        )
    shared_stems = len(a.stems & b.stems)
    if (overlap >= LEXICAL_SAME and shared_stems >= LEXICAL_MIN_SHARED) or (
        overlap >= LEXICAL_MANY_OVERLAP and shared_stems >= LEXICAL_MANY_SHARED
    ):
        return ClaimMatch(
            a.claim.id,
            b.claim.id,
            round(min(1.0, 0.3 + overlap), 3),
            "same_claim",
            f"shared wording: {shared_stems} content words",
        )
    return None


def _figures_disagree(a: ClaimFacts, b: ClaimFacts) -> bool:
    """Both claims state figures and none of them meets: different facts, however alike
    the wording ("115,000 troops have died" vs "1,262 soldiers were killed each day")."""
    fa = [f for f in a.claim.figures if informative(f)]
    fb = [f for f in b.claim.figures if informative(f)]
    if not fa or not fb:
        return False
    return not any(compare_figures(x, y).verdict in ("equal", "compatible") for x in fa for y in fb)


def match_claims(new: Sequence[ClaimRef], candidates: Sequence[ClaimRef]) -> list[ClaimMatch]:
    """Same-claim and conflict matches of each new claim against candidates from other
    articles; best first within each new claim."""
    news = [claim_facts(c) for c in new]
    others = [claim_facts(c) for c in candidates]
    out: list[ClaimMatch] = []
    for a in news:
        found: list[ClaimMatch] = []
        for b in others:
            if b.claim.article_id == a.claim.article_id or b.claim.id == a.claim.id:
                continue
            overlap = wording_overlap(a, b)
            conflict = conflict_between(a, b) if a.claim.figures and b.claim.figures else None
            same = _equal_figure(a, b, overlap)
            if same is None and conflict is None:
                same = _same_wording(a, b, overlap)
            found += [m for m in (conflict, same) if m is not None]
        out.extend(sorted(found, key=lambda m: (-m.score, m.b_id, m.relation)))
    return out
