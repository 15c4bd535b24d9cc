"""Figures compared: do two figures state the same quantity, and do their values agree?

    compare_figures(a, b) -> Comparison(verdict, reason)
        verdict: "equal" | "compatible" | "conflict" | "incomparable"
    find_conflicts(new, candidates) -> list[ClaimMatch]   # relation "conflict"

Two figures measure the same quantity when their units fall in one class (soldiers, troops
and recruits are one class), their periods match (per day vs per month differ) and their
scopes match ("in May" vs "in June" differ). Values are read as intervals: a range is its
two ends, a number has the slack of its last non-zero digit, at most 2.5 % (20,000 is
19,500-20,500), "approximately" widens by 10 %, "more than" / "up to" open one side.
Equal stated numbers are "equal" (approximation words aside), overlapping intervals
"compatible", disjoint ones a "conflict" - but only when both units are known and periods
and scopes agree; anything less certain is "incomparable", because a false conflict costs
an analyst more than a missed one.

A figure conflict between two *claims* also needs the same subject: a name both claims
give, with the figure's anchor words (the content word before it and the one after its
unit: "recruit 20,000 soldiers", "troops have died") meeting or much wording shared; or,
for claims that name nothing, a name both articles give and the same frame
(`app.analysis.frames`: "vessels detained in the strait").

ClaimRef and ClaimMatch live here (not in matching.py) so that matching builds on this
module without an import cycle.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from app.analysis.frames import HOW_GIVEN, figure_frame, same_frame
from app.analysis.text import (
    STOPWORDS,
    content_stems,
    nearest,
    normalise,
    stem,
    words,
    wordset,
)
from app.analysis.when import AsOf, apart, as_of
from app.extract.figures import Figure
from app.words import MONTHS

Verdict = Literal["equal", "compatible", "conflict", "incomparable"]
Relation = Literal["same_claim", "conflict", "later"]


@dataclass(frozen=True)
class Comparison:
    verdict: Verdict
    reason: str


@dataclass(frozen=True)
class ClaimRef:
    """A stored claim as the analysis sees it.

    `figures` carry offsets into the article; `start` is the claim's own offset there, so a
    figure can be placed inside `text`. `entities` are canonical entity names or keys;
    `subjects` what the claim is about (`app.analysis.subjects`), `context` the subjects
    its article names anywhere; `published` the article's publication date (ISO 8601) when
    known."""

    id: int
    article_id: int
    text: str
    figures: tuple[Figure, ...] = ()
    entities: frozenset[str] = frozenset()
    attribution: str | None = None
    start: int = 0
    subjects: frozenset[str] = frozenset()
    published: str | None = None
    context: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ClaimMatch:
    a_id: int  # the claim from `new`
    b_id: int  # the candidate
    score: float  # 0..1
    relation: Relation
    reason: str
    # For a conflict or a later figure: which figure of each claim (an index into figures).
    a_figure: int = -1
    b_figure: int = -1


# --- units, periods, scopes -------------------------------------------------------------


def _classes(table: dict[str, str]) -> dict[str, str]:
    """{"class": "word word"} -> {"word": "class"}; words are matched as stems."""
    return {stem(w): cls for cls, ws in table.items() for w in ws.split()}


# troop/personnel/fighter are folded into "soldier" by stem() already.
_UNIT_CLASSES = _classes(
    {
        "soldier": "soldier recruit mercenary volunteer conscript",
        "casualty": "casualty",
        # Counted by what happened to them: "250,000 deaths" are people who died.
        "dead": "death dead fatality killed died",
        "percent": "% percent percentage pct",
        "RUB": "ruble rouble rub",
        "USD": "dollar $ usd",
        "EUR": "euro € eur",
        "GBP": "pound £ gbp",
        "NOK": "nok krone kroner",
        "km": "km kilometer kilometre",
        "people": "people person citizen resident",
    }
)
_PERIODS = _classes(
    {
        "hour": "hour hourly",
        "day": "day daily",
        "week": "week weekly",
        "month": "month monthly",
        "year": "year yearly annual annually",
    }
)

_MONTH_OR_YEAR = re.compile(rf"\b(?:{MONTHS}|(?:19|20)\d\d)\b")
_CLAUSE_BREAK = re.compile(r"[,;:.!?()\"“”]|\s[-—–]\s|—")

# Words that make a stated number approximate; bounds ("more than", "up to", "nearly") are
# already encoded by app.extract.figures as a missing low or high. An approximate number
# allows APPROXIMATE of its value either way on top of its rounding: "about 10,000" and
# "an estimated 12,000" disagree, "about 10,000" and "11,000" do not.
_APPROX = ("approximately", "approx", "about", "around", "roughly", "some", "close to",
           "estimated", "circa")  # fmt: skip
APPROXIMATE = 0.05


@lru_cache(maxsize=4096)
def unit_class(unit: str | None) -> str | None:
    """The class of a unit ("new recruits" -> "soldier", "%" -> "percent"), else its stem."""
    if not unit:
        return None
    tokens = normalise(unit).replace("%", " % ").split()
    for token in reversed(tokens):
        word = stem(token.strip(".,"))
        if word in _UNIT_CLASSES:
            return _UNIT_CLASSES[word]
    last = [stem(t) for t in tokens if t not in STOPWORDS]
    return last[-1] if last else None


@lru_cache(maxsize=1024)
def period_class(period: str | None) -> str | None:
    """ "each month", "per month", "monthly", "month after month" -> "month"."""
    if not period:
        return None
    for token in words(period):
        word = stem(token)
        if word in _PERIODS:
            return _PERIODS[word]
    return normalise(period).strip() or None


def figure_scope(fig: Figure) -> str | None:
    scope = getattr(fig, "scope", None)
    return normalise(scope).strip() if isinstance(scope, str) and scope.strip() else None


# --- values as intervals ----------------------------------------------------------------


@dataclass(frozen=True)
class _Interval:
    low: float
    high: float
    stated: tuple[float, ...]  # the numbers as written, for "equal"
    bound: Literal["exact", "lower", "upper"]


def _rounding(value: float) -> float:
    """The slack of a number as written: half a unit of its last non-zero digit, at most
    2.5 % (20,000 -> 500, 1,262 -> 0.5, 115,000 -> 2,500)."""
    if value == 0 or not math.isfinite(value):
        return 0.0
    magnitude = abs(value)
    step = 10.0 ** math.floor(math.log10(magnitude))
    while step > 1e-9 and abs(magnitude / step - round(magnitude / step)) > 1e-6:
        step /= 10
    return min(step / 2, 0.025 * magnitude)


def _qualifier(fig: Figure) -> str:
    qualifier = getattr(fig, "qualifier", None)
    return normalise(qualifier) if isinstance(qualifier, str) else ""


@lru_cache(maxsize=65_536)  # each figure of a candidate is read for every pair it is in
def figure_interval(fig: Figure) -> _Interval | None:
    """The values a figure allows. app.extract.figures writes an exact number as
    value = low = high, "more than X" as high None, "up to X" as low None, a range or a
    vague quantity ("hundreds of thousands") as value None with both bounds."""
    low, high, value = fig.low, fig.high, fig.value
    if value is None and low is not None and high is not None:
        stated: tuple[float, ...] = (float(low), float(high))
    elif value is not None or low is not None or high is not None:
        stated = (float(next(v for v in (value, low, high) if v is not None)),)
    else:
        return None
    bound: Literal["exact", "lower", "upper"] = "exact"
    if len(stated) == 1 and high is None:
        bound = "lower"
    elif len(stated) == 1 and low is None:
        bound = "upper"
    approx = any(q in _qualifier(fig) for q in _APPROX)
    lo, hi = stated[0], stated[-1]
    lo -= _rounding(lo) + (APPROXIMATE * abs(lo) if approx else 0.0)
    hi += _rounding(hi) + (APPROXIMATE * abs(hi) if approx else 0.0)
    if bound == "lower":
        hi = math.inf
    elif bound == "upper":
        lo = min(0.0, lo)
    return _Interval(lo, hi, stated, bound)


def _fmt(fig: Figure) -> str:
    return " ".join(fig.text.split())


def compare_figures(a: Figure, b: Figure) -> Comparison:
    ua, ub = unit_class(a.unit), unit_class(b.unit)
    if ua and ub and ua != ub:
        return Comparison("incomparable", f"different units: {ua} vs {ub}")
    pa, pb = period_class(a.period), period_class(b.period)
    if pa and pb and pa != pb:
        return Comparison("incomparable", f"different periods: per {pa} vs per {pb}")
    sa, sb = figure_scope(a), figure_scope(b)
    if sa and sb and sa != sb:
        return Comparison("incomparable", f"different scope: {sa} vs {sb}")
    ia, ib = figure_interval(a), figure_interval(b)
    if ia is None or ib is None:
        return Comparison("incomparable", "a figure without a value")
    if ia.stated == ib.stated and ia.bound == ib.bound:
        return Comparison("equal", f"same value: {_fmt(a)} = {_fmt(b)}")
    if ia.low <= ib.high and ib.low <= ia.high:
        return Comparison("compatible", f"values overlap: {_fmt(a)} ~ {_fmt(b)}")
    if not (ua and ub):
        return Comparison("incomparable", "values differ but a unit is unknown")
    if (pa is None) != (pb is None):
        return Comparison("incomparable", "values differ but only one is a rate")
    if (sa is None) != (sb is None):
        return Comparison("incomparable", "values differ but only one has a scope")
    rate = f" per {pa}" if pa else ""
    return Comparison("conflict", f"{_fmt(a)} vs {_fmt(b)} ({ua}{rate})")


# --- claims: where a figure sits, what it is about ---------------------------------------


def _figure_span(claim: ClaimRef, fig: Figure) -> tuple[int, int] | None:
    start = fig.start - claim.start
    if start >= 0 and claim.text[start : start + len(fig.text)] == fig.text:
        return start, start + len(fig.text)
    found = claim.text.find(fig.text)
    return (found, found + len(fig.text)) if found >= 0 else None


# A figure's clause is read at most this far on each side (to a space): a clause is a
# phrase of a sentence, and reading a whole long sentence for each of its figures cost the
# square of its length.
CLAUSE_REACH = 300


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The text before and after a figure, cut at the clause boundaries around it."""
    lo = start - CLAUSE_REACH
    lo = 0 if lo <= 0 else text.find(" ", lo, start) + 1 or start
    hi = end + CLAUSE_REACH
    hi = len(text) if hi >= len(text) else max(text.rfind(" ", end, hi), end)
    return nearest(text[lo:start], text[end:hi], _CLAUSE_BREAK)


def figure_anchors(claim: ClaimRef, fig: Figure) -> frozenset[str]:
    """What the figure counts: the content stem before it and the first one after its unit."""
    span = _figure_span(claim, fig)
    if span is None:
        return frozenset()
    before, after = _clause(claim.text, *span)
    anchors: set[str] = set()
    left = [w for w in content_stems(before) if w not in HOW_GIVEN]
    if left:
        anchors.add(left[-1])
    right = [w for w in content_stems(after) if w not in HOW_GIVEN]
    unit = unit_class(fig.unit)
    for i, word in enumerate(right[:4]):
        if unit and (_UNIT_CLASSES.get(word) == unit or word == unit):
            right = right[i + 1 :]
            break
    if right:
        anchors.add(right[0])
    return frozenset(anchors)


def figure_frame_in(claim: ClaimRef, fig: Figure) -> frozenset[str]:
    """What the figure counts in its clause's words, its unit's words left out
    (`app.analysis.frames`)."""
    span = _figure_span(claim, fig)
    if span is None:
        return frozenset()
    unit = unit_class(fig.unit)
    skip = {w for w, cls in _UNIT_CLASSES.items() if cls == unit}
    skip.update(content_stems(fig.unit or ""))
    return figure_frame(*_clause(claim.text, *span), skip={*skip, unit or ""})


# What happened to the counted people: "killed" and "killed or wounded" are different
# quantities even with one unit ("115,000 troops died" vs "hundreds of thousands killed or
# seriously wounded").
_MEASURES = frozenset(
    map(
        stem,
        wordset(
            """die wounded captured missing displaced fled arrested detained deported
            evacuated recruited casualty"""
        ),
    )
)


def figure_measures(claim: ClaimRef, fig: Figure) -> frozenset[str]:
    """The outcome words right after a figure ("killed or wounded" -> {die, wound})."""
    span = _figure_span(claim, fig)
    if span is None:
        return frozenset()
    _, after = _clause(claim.text, *span)
    return frozenset(w for w in content_stems(after)[:5] if w in _MEASURES)


def figure_scope_in(claim: ClaimRef, fig: Figure) -> str | None:
    """The figure's scope, else a month or year named in its clause ("each day in May")."""
    scope = figure_scope(fig)
    if scope:
        return scope
    span = _figure_span(claim, fig)
    if span is None:
        return None
    before, after = _clause(claim.text, *span)
    found = sorted({m.group() for m in _MONTH_OR_YEAR.finditer(f"{before} {after}")})
    return " ".join(found).casefold() or None


@dataclass(frozen=True)
class ClaimFacts:
    """A claim with what every comparison needs computed once."""

    claim: ClaimRef
    stems: frozenset[str]
    anchors: tuple[frozenset[str], ...]  # per figure
    scopes: tuple[str | None, ...]  # per figure
    measures: tuple[frozenset[str], ...]  # per figure
    when: tuple[AsOf | None, ...] = ()  # per figure: the date it holds as of
    outcomes: tuple[frozenset[str], ...] = ()  # per figure: what happened to what it counts
    frames: tuple[frozenset[str], ...] = ()  # per figure: what it counts, in its clause's words


# A stored claim is a candidate for many new claims (every claim of a rewrite family, every
# article of an import batch): its facts were the larger part of scoring a pair.
@lru_cache(maxsize=32_768)
def claim_facts(claim: ClaimRef) -> ClaimFacts:
    scopes = tuple(figure_scope_in(claim, f) for f in claim.figures)
    measures = tuple(figure_measures(claim, f) for f in claim.figures)
    return ClaimFacts(
        claim,
        frozenset(content_stems(claim.text)),
        tuple(figure_anchors(claim, f) for f in claim.figures),
        scopes,
        measures,
        tuple(as_of(scope, claim.published) for scope in scopes),
        tuple(_outcome(f, m) for f, m in zip(claim.figures, measures, strict=True)),
        tuple(figure_frame_in(claim, f) for f in claim.figures),
    )


def wording_overlap(a: ClaimFacts, b: ClaimFacts) -> float:
    """Jaccard overlap of the two claims' content stems."""
    union = len(a.stems | b.stems)
    return len(a.stems & b.stems) / union if union else 0.0


# Claims sharing this much wording are about the same thing even if anchors differ.
SAME_WORDING = 0.35


# Unit classes that say what happened rather than who: their outcome, and the classes of
# people they can count.
_OUTCOME_UNITS = {"dead": frozenset({stem("die")}),
                  "casualty": frozenset({stem("die"), stem("wounded")})}  # fmt: skip
_PEOPLE = frozenset({"soldier", "people"})
_CASUALTY = stem("casualty")


def _outcome(fig: Figure, measures: frozenset[str]) -> frozenset[str]:
    """What happened to what a figure counts: its measures ("troops have died"), or its
    unit when the unit is an outcome ("250,000 deaths"); casualties are the dead and the
    wounded ("killed or wounded")."""
    found = set(measures)
    if _CASUALTY in found:
        found = (found - {_CASUALTY}) | _OUTCOME_UNITS["casualty"]
    found |= _OUTCOME_UNITS.get(unit_class(fig.unit) or "", frozenset())
    return frozenset(found)


def _as_one_quantity(a: ClaimFacts, i: int, b: ClaimFacts, j: int) -> tuple[Figure, Figure] | None:
    """The two figures ready for compare_figures when they count one quantity in other
    words ("250,000 deaths" / "115,000 troops have died"): the outcome unit takes the other
    figure's unit. None when the outcomes differ ("killed" vs "killed or wounded")."""
    fa, fb = a.claim.figures[i], b.claim.figures[j]
    oa, ob = a.outcomes[i], b.outcomes[j]
    if oa and ob and oa != ob:
        return None
    ua, ub = unit_class(fa.unit), unit_class(fb.unit)
    if ua in _OUTCOME_UNITS or ub in _OUTCOME_UNITS:
        if oa != ob:
            return None
        if ua in _OUTCOME_UNITS and (ub in _PEOPLE or ub in _OUTCOME_UNITS):
            fa = replace(fa, unit=fb.unit)
        elif ub in _OUTCOME_UNITS and ua in _PEOPLE:
            fb = replace(fb, unit=fa.unit)
    return fa, fb


def conflict_between(a: ClaimFacts, b: ClaimFacts) -> ClaimMatch | None:
    """The first figure pair of the two claims that measures one quantity of one subject
    and disagrees: a "conflict" when both hold at one time, a "later" figure when they are
    as of different dates (`app.analysis.when`).

    One subject is a name both claims give. Claims naming different things are about
    different things ("Rutte's VVD" / "the NDA"). A claim that names nothing speaks of what
    its article names ("the port", "prices"): it meets another in the same frame - the
    figures count the same thing in their clauses' words, "vessels detained in the
    strait" - when their articles name a subject in common."""
    named = bool(a.claim.subjects & b.claim.subjects)
    if not named and (
        (a.claim.subjects and b.claim.subjects) or not a.claim.context & b.claim.context
    ):
        return None
    overlap = wording_overlap(a, b)
    for i in range(len(a.claim.figures)):
        for j in range(len(b.claim.figures)):
            when_a, when_b = a.when[i], b.when[j]
            later = apart(when_a, when_b)
            if not later and a.scopes[i] != b.scopes[j]:
                continue
            pair = _as_one_quantity(a, i, b, j)
            if pair is None:
                continue
            fa, fb = pair
            if later:
                fa, fb = replace(fa, scope=None), replace(fb, scope=None)
            comparison = compare_figures(fa, fb)
            if comparison.verdict != "conflict":
                continue
            if named:
                shared = a.anchors[i] & b.anchors[j]
                outcome = a.outcomes[i] & b.outcomes[j]
                if not shared and not outcome and overlap < SAME_WORDING:
                    continue
                about = f"; both about '{sorted(shared)[0]}'" if shared else ""
            else:
                shared = same_frame(a.frames[i], b.frames[j])
                if not shared:
                    continue
                about = f"; both about: {', '.join(sorted(shared))}"
            score = min(1.0, 0.6 + 0.2 * len(shared) + overlap)
            reason = comparison.reason + about
            relation: Relation = "conflict"
            if later and when_a and when_b:
                relation = "later"
                first, then = sorted(
                    [(when_a, a.claim.figures[i]), (when_b, b.claim.figures[j])],
                    key=lambda x: x[0].start,
                )
                reason = (
                    f"a later figure: {_fmt(then[1])} as of {then[0].label}, after "
                    f"{_fmt(first[1])} as of {first[0].label}"
                )
            return ClaimMatch(
                a.claim.id, b.claim.id, round(score, 3), relation, reason, a_figure=i, b_figure=j
            )
    return None


def find_conflicts(new: Sequence[ClaimRef], candidates: Sequence[ClaimRef]) -> list[ClaimMatch]:
    """Pairs (new, candidate) from different articles whose figures for one quantity
    disagree at one time; at most one match per pair, the first conflicting figure pair
    found (later figures are left to match_claims)."""
    news = [claim_facts(c) for c in new if c.figures]
    others = [claim_facts(c) for c in candidates if c.figures]
    out: list[ClaimMatch] = []
    for a in news:
        for b in others:
            if b.claim.article_id == a.claim.article_id or b.claim.id == a.claim.id:
                continue
            match = conflict_between(a, b)
            if match is not None and match.relation == "conflict":
                out.append(match)
    return out
