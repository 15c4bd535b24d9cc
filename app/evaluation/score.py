"""Score one article's prediction against its gold; sum scores over articles.

The definitions (also in tests/golden/realnews/README.md):

- **Claims.** A gold claim is placed in the text by its quote. It matches a found claim
  when their spans overlap by at least half of each (so a fragment split from a sentence,
  or a unit that swallowed three sentences, does not match); matching is one-to-one,
  best overlap first. Precision = matched found claims / found claims, recall = matched
  gold claims / gold claims. Per kind: precision over found claims of that kind, recall
  over gold claims of that kind.
- **Attribution accuracy**, over every matched claim: right when the gold says the article
  speaks in its own voice (null) and nothing was found, or when the found source is the
  gold's source or one of its accepted alternatives (compared without case, a leading
  "the" or the kind of apostrophe). **Source accuracy** is the same over the matched claims
  whose gold has a source, and **link accuracy** over those asks whether the source links
  to the gold's entity (or to none when the gold names no single entity).
- **Figures**, value + unit, over the whole article: a gold figure (placed inside its
  claim's quote) and a figure of a found claim are one hit when their spans overlap, the
  numbers agree (value, low, high and the earlier value of a change) and the unit is the
  same. Precision over found figures, recall over gold figures.
- **Entities** by distinct surface text (without case, a leading "the" or a possessive):
  precision and recall of the texts; **label accuracy** over the gold (text, label) pairs
  whose text was found: right when some mention of that text has that label. TIME counts
  as DATE, as extraction merges them by design.
- **Publication date**: the found ISO date equals the gold's (both empty counts as right).
  A date the gold read from page metadata that the scored text no longer carries may also
  be left empty.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.evaluation.gold import GoldArticle, GoldClaim, GoldFigure
from app.evaluation.prediction import FoundClaim, FoundFigure, Prediction

KINDS = ("statistic", "quotation", "attributed", "event")
_SAME_LABEL = {"TIME": "DATE"}


@dataclass
class Counts:
    """Precision/recall counts; matched counts are kept on each side because per-kind
    scores count a found claim under its own kind and a gold claim under the gold's."""

    found: int = 0
    gold: int = 0
    found_matched: int = 0
    gold_matched: int = 0

    @property
    def precision(self) -> float | None:
        return self.found_matched / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.gold_matched / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.found += other.found
        self.gold += other.gold
        self.found_matched += other.found_matched
        self.gold_matched += other.gold_matched


@dataclass
class Ratio:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.right / self.total if self.total else None

    def count(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    def add(self, other: Ratio) -> None:
        self.right += other.right
        self.total += other.total


@dataclass
class ArticleScore:
    id: str
    meta: dict[str, str] = field(default_factory=dict)
    claims: Counts = field(default_factory=Counts)
    kinds: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})
    kind_accuracy: Ratio = field(default_factory=Ratio)
    attribution: Ratio = field(default_factory=Ratio)
    sources: Ratio = field(default_factory=Ratio)
    links: Ratio = field(default_factory=Ratio)
    figures: Counts = field(default_factory=Counts)
    entities: Counts = field(default_factory=Counts)
    labels: Ratio = field(default_factory=Ratio)
    published: Ratio = field(default_factory=Ratio)
    errors: list[str] = field(default_factory=list)  # one line per mistake, for reading


def total(scores: Iterable[ArticleScore], name: str = "all") -> ArticleScore:
    """The micro sum of many articles' scores."""
    out = ArticleScore(name)
    for s in scores:
        out.claims.add(s.claims)
        for k in KINDS:
            out.kinds[k].add(s.kinds[k])
        for mine, theirs in (
            (out.kind_accuracy, s.kind_accuracy),
            (out.attribution, s.attribution),
            (out.sources, s.sources),
            (out.links, s.links),
            (out.labels, s.labels),
            (out.published, s.published),
        ):
            mine.add(theirs)
        out.figures.add(s.figures)
        out.entities.add(s.entities)
    return out


def score_article(gold: GoldArticle, found: Prediction) -> ArticleScore:
    score = ArticleScore(gold.id, dict(gold.meta))
    text = found.text
    spans = _place_claims(text, gold.claims)
    pairs = _match_claims(spans, found.claims)
    _score_claims(score, text, gold, found, spans, pairs)
    _score_figures(score, text, gold.claims, spans, found.claims)
    _score_entities(score, gold, found)
    _score_published(score, gold, found)
    return score


def _score_published(score: ArticleScore, gold: GoldArticle, found: Prediction) -> None:
    ok = found.published == gold.published
    if gold.published_source == "page metadata" and found.published is None:
        ok = not _has_markup(gold)  # the text cannot tell what only the markup said
    score.published.count(ok)
    if not ok:
        score.errors.append(f"published: gold {gold.published} found {found.published}")


def _has_markup(gold: GoldArticle) -> bool:
    return gold.filename.lower().endswith((".html", ".htm"))


# --- placing gold in the text ---------------------------------------------------------


def _place(text: str, quote: str, start: int = 0, end: int | None = None) -> tuple[int, int]:
    """Where `quote` stands in text[start:end]; spacing may differ (ingest trims lines)."""
    at = text.find(quote, start, len(text) if end is None else end)
    if at >= 0:
        return at, at + len(quote)
    pattern = r"\s+".join(re.escape(w) for w in quote.split())
    m = re.compile(pattern).search(text, start, len(text) if end is None else end)
    if m is None:
        raise ValueError(f"gold text not found in the article: {quote[:80]!r}")
    return m.start(), m.end()


def _place_claims(text: str, claims: Sequence[GoldClaim]) -> list[tuple[int, int]]:
    """Each claim's span; a quote that occurs twice takes its next unused occurrence."""
    spans: list[tuple[int, int]] = []
    for c in claims:
        start = 0
        while (span := _place(text, c.quote, start)) in spans:
            start = span[0] + 1
        spans.append(span)
    return spans


def _place_figures(text: str, claim: GoldClaim, span: tuple[int, int]) -> list[tuple[int, int]]:
    """Each figure inside its claim; a figure whose text is also part of another ("nine" of
    "nine seats … winning only nine") takes the next occurrence no other figure covers."""
    placed: dict[int, tuple[int, int]] = {}
    longest_first = sorted(range(len(claim.figures)), key=lambda i: -len(claim.figures[i].text))
    for i in longest_first:
        first = at = _place(text, claim.figures[i].text, span[0], span[1])
        while any(_overlap(at, p) > 0 for p in placed.values()):
            try:
                at = _place(text, claim.figures[i].text, at[0] + 1, span[1])
            except ValueError:
                at = first  # the gold nests one figure in another
                break
        placed[i] = at
    return [placed[i] for i in range(len(claim.figures))]


# --- claims and attribution -----------------------------------------------------------


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def _match_claims(spans: Sequence[tuple[int, int]], found: Sequence[FoundClaim]) -> dict[int, int]:
    """gold index → found index, one-to-one, each covering at least half of the other."""
    candidates = []
    for gi, g in enumerate(spans):
        for fi, f in enumerate(found):
            shared = _overlap(g, (f.start, f.end))
            if shared <= 0:
                continue
            cover = min(shared / (g[1] - g[0]), shared / max(1, f.end - f.start))
            if cover >= 0.5:
                candidates.append((-cover, gi, fi))
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for _, gi, fi in sorted(candidates):
        if gi not in pairs and fi not in taken:
            pairs[gi] = fi
            taken.add(fi)
    return pairs


def norm_name(name: str | None) -> str | None:
    if name is None:
        return None
    name = " ".join(name.replace("’", "'").split()).casefold()
    return name.removeprefix("the ")


def _accepted(g: GoldClaim) -> set[str | None]:
    return {norm_name(a) for a in (g.attribution, *g.alternatives)}


def _score_claims(
    score: ArticleScore,
    text: str,
    gold: GoldArticle,
    found: Prediction,
    spans: Sequence[tuple[int, int]],
    pairs: dict[int, int],
) -> None:
    matched_found = set(pairs.values())
    score.claims = Counts(len(found.claims), len(gold.claims), len(pairs), len(pairs))
    for gi, g in enumerate(gold.claims):
        counts = score.kinds.setdefault(g.kind, Counts())
        counts.gold += 1
        counts.gold_matched += gi in pairs
        if gi not in pairs:
            score.errors.append(f"missed {g.kind}: {_short(g.quote)}")
    for fi, f in enumerate(found.claims):
        counts = score.kinds.setdefault(f.kind, Counts())
        counts.found += 1
        counts.found_matched += fi in matched_found
        if fi not in matched_found:
            why = _why_not(text, gold, (f.start, f.end))
            score.errors.append(f"false {f.kind} ({why}): {_short(text[f.start : f.end])}")
    for gi, fi in sorted(pairs.items()):
        g, f = gold.claims[gi], found.claims[fi]
        score.kind_accuracy.count(g.kind == f.kind)
        ok = norm_name(f.attribution) in _accepted(g)
        score.attribution.count(ok)
        if not ok:
            score.errors.append(
                f"attribution: gold {g.attribution!r} found {f.attribution!r}: {_short(g.quote)}"
            )
        if g.attribution is None:
            continue
        score.sources.count(ok)
        if g.attribution_entity is None:
            score.links.count(f.attribution_entity is None)
        else:
            wanted = _accepted(g) | {norm_name(g.attribution_entity)}
            linked = norm_name(f.attribution_entity) in wanted
            score.links.count(linked)
            if ok and not linked:
                score.errors.append(
                    f"link: gold {g.attribution_entity!r} found {f.attribution_entity!r}"
                    f" for {f.attribution!r}"
                )


def _why_not(text: str, gold: GoldArticle, span: tuple[int, int]) -> str:
    """The reason the gold gives for the not-claim a false claim overlaps, if any."""
    for n in gold.not_claims:
        try:
            at = _place(text, n.quote)
        except ValueError:
            continue
        if _overlap(at, span) > 0:
            return n.why
    return "unmarked"


def _short(quote: str, limit: int = 110) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= limit else quote[: limit - 1] + "…"


# --- figures --------------------------------------------------------------------------


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    # Gold writes shares as fractions to four decimals ("two-thirds" 0.6667).
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=5e-5)


def figure_agrees(g: GoldFigure, f: FoundFigure) -> bool:
    numbers = (
        _same(g.value, f.value)
        and _same(g.low, f.low)
        and _same(g.high, f.high)
        and _same(g.previous, f.previous)
    )
    return numbers and (g.unit or "").casefold() == (f.unit or "").casefold()


def _score_figures(
    score: ArticleScore,
    text: str,
    claims: Sequence[GoldClaim],
    spans: Sequence[tuple[int, int]],
    found: Sequence[FoundClaim],
) -> None:
    gold = [
        (g, at)
        for c, span in zip(claims, spans, strict=True)
        for g, at in zip(c.figures, _place_figures(text, c, span), strict=True)
    ]
    figures = [f for c in found for f in c.figures]
    hits: dict[int, int] = {}
    for gi, (g, at) in enumerate(gold):
        for fi, f in enumerate(figures):
            used = fi in hits.values()
            if not used and _overlap(at, (f.start, f.end)) > 0 and figure_agrees(g, f):
                hits[gi] = fi
                break
    score.figures = Counts(len(figures), len(gold), len(hits), len(hits))
    for gi, (g, at) in enumerate(gold):
        if gi in hits:
            continue
        near = [f for f in figures if _overlap(at, (f.start, f.end)) > 0]
        shown = "; ".join(_show_found(text, f) for f in near) or "nothing"
        score.errors.append(f"figure {_show_gold(g)}: found {shown}")
    for fi, f in enumerate(figures):
        if fi not in hits.values() and not any(
            _overlap(at, (f.start, f.end)) > 0 for _, at in gold
        ):
            score.errors.append(f"false figure {_show_found(text, f)}")


def _show_gold(g: GoldFigure) -> str:
    change = f" from {g.previous:g}" if g.previous is not None else ""
    return f"{g.text!r} = {_num(g.value)} [{_num(g.low)}, {_num(g.high)}]{change} {g.unit}"


def _show_found(text: str, f: FoundFigure) -> str:
    change = f" from {f.previous:g}" if f.previous is not None else ""
    return (
        f"{text[f.start : f.end]!r} = {_num(f.value)} [{_num(f.low)}, {_num(f.high)}]"
        f"{change} {f.unit}"
    )


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"


# --- entities -------------------------------------------------------------------------


def norm_entity(text: str) -> str:
    text = " ".join(text.replace("’", "'").split()).casefold()
    text = re.sub(r"^the ", "", text)
    return re.sub(r"'s$", "", text)


def _score_entities(score: ArticleScore, gold: GoldArticle, found: Prediction) -> None:
    found_labels: dict[str, set[str]] = defaultdict(set)
    for m in found.entities:
        found_labels[norm_entity(m.text)].add(_SAME_LABEL.get(m.label, m.label))
    gold_labels: dict[str, set[str]] = defaultdict(set)
    for e in gold.entities:
        gold_labels[norm_entity(e.text)].add(_SAME_LABEL.get(e.label, e.label))
    shared = found_labels.keys() & gold_labels.keys()
    score.entities = Counts(len(found_labels), len(gold_labels), len(shared), len(shared))
    for text in sorted(gold_labels):
        if text not in found_labels:
            score.errors.append(f"entity missed: {text!r} {'/'.join(sorted(gold_labels[text]))}")
            continue
        for label in sorted(gold_labels[text]):
            ok = label in found_labels[text]
            score.labels.count(ok)
            if not ok:
                got = "/".join(sorted(found_labels[text]))
                score.errors.append(f"entity label: {text!r} gold {label} found {got}")
    for text in sorted(found_labels.keys() - gold_labels.keys()):
        score.errors.append(f"entity false: {text!r} {'/'.join(sorted(found_labels[text]))}")
