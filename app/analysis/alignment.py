"""Sentence alignment of two articles, for a side-by-side view of a rewrite.

    align(a_text, a_spans, b_text, b_spans) -> list[AlignedPair]

Each AlignedPair is "kept" (near-identical sentence), "reworded" (same content words,
different wording), "dropped" (only in a) or "added" (only in b), in reading order. The
alignment is monotone - the best-scoring order-preserving pairing - so a paragraph that a
rewrite moved shows up as dropped in one place and added in another. `figure_changes`
lists figures of a kept/reworded pair that differ ("20,000 -> 25,000").

`sentence_similarity` and `content_sentences` are shared with provenance.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from app.analysis.conflicts import compare_figures
from app.analysis.text import content_stems, distinctive_numbers, normalise
from app.extract.figures import Figure, parse_figures
from app.extract.sentences import Sentence, split_sentences

Kind = Literal["kept", "reworded", "added", "dropped"]

KEPT = 0.9  # character similarity of a kept sentence (punctuation and typos aside)
REWORDED = 0.2  # Jaccard of content stems (numbers included) of a reworded sentence
REWORDED_MIN_SHARED = 3
MIN_WORDS = 4  # shorter "sentences" (captions, sign-offs) are not matched...
MIN_CHARS_IDENTICAL = 20  # ...unless they are identical and not trivially short


@dataclass(frozen=True)
class AlignedPair:
    kind: Kind
    a: Sentence | None
    b: Sentence | None
    score: float
    figure_changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SentenceFacts:
    sentence: Sentence
    plain: str  # normalised text, for character similarity
    stems: frozenset[str]  # content stems and distinctive numbers


def content_sentences(text: str, spans: Sequence[tuple[int, int]]) -> list[SentenceFacts]:
    out: list[SentenceFacts] = []
    for start, end in spans:
        for sentence in split_sentences(text, start, end):
            stems = frozenset(content_stems(sentence.text)) | distinctive_numbers(sentence.text)
            out.append(SentenceFacts(sentence, " ".join(normalise(sentence.text).split()), stems))
    return out


def sentence_similarity(x: SentenceFacts, y: SentenceFacts) -> tuple[float, Kind | None]:
    """(score, kind) of a sentence pair; kind None when they are not one sentence."""
    if x.plain == y.plain and len(x.plain) >= MIN_CHARS_IDENTICAL:
        return 1.0, "kept"
    shared = len(x.stems & y.stems)
    if min(len(x.stems), len(y.stems)) < MIN_WORDS or shared < REWORDED_MIN_SHARED:
        return 0.0, None
    jaccard = shared / len(x.stems | y.stems)
    ratio = fuzz.ratio(x.plain, y.plain) / 100 if jaccard >= 0.5 else 0.0
    if ratio >= KEPT:
        return ratio, "kept"
    if jaccard >= REWORDED:
        return jaccard, "reworded"
    return jaccard, None


def figure_changes(a: Sentence, b: Sentence) -> tuple[str, ...]:
    """Figures of a that b does not state with an equal value, paired in order with b's
    figures that a does not state ("20,000 new soldiers -> 25,000 soldiers"); wording
    alone ("115,000 to 160,000" / "115,000 and 160,000") is no change."""
    fa, fb = parse_figures(a.text), parse_figures(b.text)
    only_a = [x for x in fa if not any(_same(x, y) for y in fb)]
    only_b = [y for y in fb if not any(_same(x, y) for x in fa)]
    changes = [f"{x.text} -> {y.text}" for x, y in zip(only_a, only_b, strict=False)]
    changes += [f"{x.text} -> (none)" for x in only_a[len(only_b) :]]
    changes += [f"(none) -> {y.text}" for y in only_b[len(only_a) :]]
    return tuple(changes)


def _same(x: Figure, y: Figure) -> bool:
    return compare_figures(x, y).verdict == "equal"


def align(
    a_text: str,
    a_spans: Sequence[tuple[int, int]],
    b_text: str,
    b_spans: Sequence[tuple[int, int]],
) -> list[AlignedPair]:
    a = content_sentences(a_text, a_spans)
    b = content_sentences(b_text, b_spans)
    scores = [[sentence_similarity(x, y) for y in b] for x in a]
    n, m = len(a), len(b)
    # best[i][j]: the best total score aligning a[i:] with b[j:]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            score, kind = scores[i][j]
            take = best[i + 1][j + 1] + score if kind else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    out: list[AlignedPair] = []
    i = j = 0
    while i < n or j < m:
        if i < n and j < m:
            score, kind = scores[i][j]
            if kind and best[i][j] == best[i + 1][j + 1] + score:
                changes = figure_changes(a[i].sentence, b[j].sentence)
                out.append(AlignedPair(kind, a[i].sentence, b[j].sentence, score, changes))
                i, j = i + 1, j + 1
                continue
        if i < n and (j == m or best[i][j] == best[i + 1][j]):
            out.append(AlignedPair("dropped", a[i].sentence, None, 0.0))
            i += 1
        else:
            out.append(AlignedPair("added", None, b[j].sentence, 0.0))
            j += 1
    return out


def change_label(kind: Kind, origin: Literal["left", "right"] | None) -> str:
    """How the compare view names a row: "dropped" and "added" say what the copy did, so
    they are only said when it is known which side is the origin; otherwise the row says
    on which side the sentence is."""
    if kind in ("kept", "reworded"):
        return kind
    on_left = kind == "dropped"
    if origin is None:
        return "only on the left" if on_left else "only on the right"
    in_origin = on_left == (origin == "left")
    return "dropped by the copy" if in_origin else "added by the copy"
