"""Article provenance: which articles are rewrites or copies of one origin.

Two layers, like claim matching:
(a) Candidates: `article_shingles` -> `minhash_signature` -> `lsh_bands` gives band keys
    the service stores in an indexed table (article_id, band); articles sharing a band
    with a new article are its candidates, best ranked by the number of shared bands.
(b) Scoring: `article_similarity(article_text(...), article_text(...))` for each
    candidate; pairs at or above PROVENANCE_THRESHOLD are edges for `group_articles`.

Rewrites here are reworded, not copied: word n-gram shingles of two rewrites of one piece
overlap about as little as two articles on the same topic (Jaccard of word trigrams ~0.02).
What a rewrite keeps is its figures, its names and, sentence by sentence, most of its
content words. So the shingles are the article's distinctive numbers (weighted five-fold)
and its capitalised names, and the similarity combines
    sentences  one-to-one sentence matches (alignment.sentence_similarity), in any order,
               over the geometric mean of the two sentence counts
    figures    shared distinctive numbers over the geometric mean of the two number sets
    vocabulary Jaccard of content stems (weak: topic alone gives 0.1-0.17)
Articles without figures are scored on sentences and vocabulary alone.

`group_articles` takes the edges, forms connected components and names each group's
origin with its reason (`app.analysis.origin`).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.analysis.alignment import SentenceFacts, content_sentences, sentence_similarity
from app.analysis.origin import ArticleInfo, choose_origin
from app.analysis.text import content_stems, distinctive_numbers, normalise

# Band keys are stored: changing NUM_PERM, BANDS, NUMBER_WEIGHT or the shingles means
# re-indexing every article's bands.
NUM_PERM = 96
BANDS = 48
# A shared figure says more about common origin than a shared name (every article on the
# war names Putin), so each number counts as five shingles.
NUMBER_WEIGHT = 5
PROVENANCE_THRESHOLD = 0.25
MAX_SHINGLES = 4_000

_PRIME = (1 << 61) - 1


def _hash(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "big")


# Derived from hashes, not from a PRNG, so no library or Python version can change them.
_PERMUTATIONS = tuple(
    (_hash(f"a{i}") % (_PRIME - 1) + 1, _hash(f"b{i}") % _PRIME) for i in range(1024)
)
_WORD = re.compile(r"(?<![\w'’])[^\W\d_][\w'’.-]*")


@dataclass(frozen=True)
class ArticleText:
    """An article prepared for comparison (its content spans only)."""

    sentences: tuple[SentenceFacts, ...]
    numbers: frozenset[str]
    vocabulary: frozenset[str]


@dataclass(frozen=True)
class ProvenanceGroup:
    articles: tuple[int, ...]  # sorted ids
    origin: int | None
    similarity: float  # mean similarity of the edges that joined the group
    origin_reason: str = ""


def _content(text: str, spans: Sequence[tuple[int, int]]) -> str:
    return "\n".join(text[start:end] for start, end in spans)


def article_text(text: str, content_spans: Sequence[tuple[int, int]]) -> ArticleText:
    content = _content(text, content_spans)
    return ArticleText(
        tuple(content_sentences(text, content_spans)),
        frozenset(distinctive_numbers(content)),
        frozenset(content_stems(content)),
    )


def article_shingles(text: str, content_spans: Sequence[tuple[int, int]]) -> frozenset[int]:
    """Hashed features that survive rewording: distinctive numbers and capitalised names
    that do not open a sentence."""
    tokens: set[str] = set()
    for facts in content_sentences(text, content_spans):
        sentence = facts.sentence.text
        for m in _WORD.finditer(sentence):
            if m.group()[0].isupper() and sentence[: m.start()].strip():
                name = normalise(m.group()).rstrip(".-'")
                tokens.add("@" + name.removesuffix("'s"))
    for number in distinctive_numbers(_content(text, content_spans)):
        tokens.update(f"#{number}/{i}" for i in range(NUMBER_WEIGHT))
    hashes = sorted(_hash(t) for t in tokens)
    # A uniform sample (the smallest hashes) of a very long article's shingles: an article
    # has a few hundred, and each costs NUM_PERM multiplications in the signature.
    return frozenset(hashes[:MAX_SHINGLES])


def minhash_signature(shingles: Iterable[int], num_perm: int = NUM_PERM) -> tuple[int, ...]:
    """MinHash over `num_perm` fixed permutations; () for an empty set."""
    values = [s % _PRIME for s in shingles]
    if not values:
        return ()
    return tuple(min((a * v + b) % _PRIME for v in values) for a, b in _PERMUTATIONS[:num_perm])


def lsh_bands(signature: Sequence[int], bands: int = BANDS) -> list[str]:
    """One key per band ("07:3fa2c1d09e4b"); two signatures sharing a key are candidates.
    With 96 permutations in 48 bands of 2, a pair of Jaccard J shares a band with
    probability 1 - (1 - J^2)^48: 0.95 at J = 0.25 (a rewrite; the seeds' rewrites are at
    0.45-0.84), 0.38 at J = 0.1 (same topic), 0.04 at J = 0.03 (unrelated). Rewrites are
    favoured for recall; the expected number of shared bands, 48 J^2, ranks candidates,
    so the service should score the best-ranked few."""
    if not signature:
        return []
    rows = len(signature) // bands
    if rows < 1:
        raise ValueError(f"{len(signature)} permutations cannot fill {bands} bands")
    keys = []
    for band in range(bands):
        chunk = ",".join(str(v) for v in signature[band * rows : (band + 1) * rows])
        digest = hashlib.blake2b(chunk.encode(), digest_size=6).hexdigest()
        keys.append(f"{band:02d}:{digest}")
    return keys


def _matched_sentences(a: Sequence[SentenceFacts], b: Sequence[SentenceFacts]) -> tuple[int, int]:
    """Sentences paired one to one, best pairs first, order ignored: (pairs, pairs kept
    word for word)."""
    pairs = []
    for i, j in _candidate_pairs(a, b):
        score, kind = sentence_similarity(a[i], b[j])
        if kind is not None:
            pairs.append((score, kind == "kept", i, j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    kept = 0
    for _score, same_words, i, j in sorted(pairs, reverse=True):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            kept += same_words
    return len(used_a), kept


# Every pair of sentences is scored while one article has at most this many; past that,
# only pairs that share a stem (or the whole text) used by at most MAX_POSTING sentences
# of the other article, so two long reports cost their length, not its square.
ALL_PAIRS = 200
MAX_POSTING = 32


def _candidate_pairs(
    a: Sequence[SentenceFacts], b: Sequence[SentenceFacts]
) -> Iterable[tuple[int, int]]:
    if min(len(a), len(b)) <= ALL_PAIRS:
        return ((i, j) for i in range(len(a)) for j in range(len(b)))
    postings: dict[str, list[int]] = defaultdict(list)
    for j, y in enumerate(b):
        for key in (*y.stems, "\0" + y.plain):
            postings[key].append(j)
    pairs: set[tuple[int, int]] = set()
    for i, x in enumerate(a):
        for key in (*x.stems, "\0" + x.plain):
            found = postings.get(key, ())
            if len(found) <= MAX_POSTING:
                pairs.update((i, j) for j in found)
    return sorted(pairs)


def similarity_parts(a: ArticleText, b: ArticleText) -> dict[str, float]:
    """The three channels of article_similarity, for explanations and tuning; "kept" (not
    a channel) counts the sentences the two share word for word."""
    parts: dict[str, float] = {}
    if a.sentences and b.sentences:
        matched, parts["kept"] = _matched_sentences(a.sentences, b.sentences)
        parts["sentences"] = min(1.0, matched / math.sqrt(len(a.sentences) * len(b.sentences)))
    return {**parts, **_set_parts(a, b)}


def _set_parts(a: ArticleText, b: ArticleText) -> dict[str, float]:
    parts: dict[str, float] = {}
    if len(a.numbers) >= 2 and len(b.numbers) >= 2:
        shared = len(a.numbers & b.numbers)
        parts["figures"] = shared / math.sqrt(len(a.numbers) * len(b.numbers))
    union = len(a.vocabulary | b.vocabulary)
    if union:
        parts["vocabulary"] = len(a.vocabulary & b.vocabulary) / union
    return parts


_WEIGHTS = {"sentences": 0.5, "figures": 0.3, "vocabulary": 0.2}


def article_similarity(a: ArticleText, b: ArticleText, *, at_least: float = 0.0) -> float:
    return compare_articles(a, b, at_least=at_least)[0]


def compare_articles(a: ArticleText, b: ArticleText, *, at_least: float = 0.0) -> tuple[float, int]:
    """(article_similarity, sentences the two share word for word), in one pass: the
    channels' weighted mean, 0..1. With `at_least`, a pair that cannot reach it is (0.0, 0)
    without pairing its sentences: at most min(n, m) of n and m sentences pair up, so the
    sentence channel is at most min(n, m) / √(n·m) (a long report and a short article are
    no rewrites of each other, and pairing them cost the product of their lengths)."""
    if at_least > 0 and a.sentences and b.sentences:
        n, m = len(a.sentences), len(b.sentences)
        bound = {"sentences": min(n, m) / math.sqrt(n * m), **_set_parts(a, b)}
        if _weighted(bound) < at_least:
            return 0.0, 0
    parts = similarity_parts(a, b)
    kept = int(parts.pop("kept", 0))
    return _weighted(parts), kept


def _weighted(parts: dict[str, float]) -> float:
    total = sum(_WEIGHTS[k] for k in parts)
    return round(sum(_WEIGHTS[k] * v for k, v in parts.items()) / total, 4) if total else 0.0


def group_articles(
    pairs: Sequence[tuple[int, int, float]],
    articles: Mapping[int, ArticleInfo],
    threshold: float = PROVENANCE_THRESHOLD,
) -> list[ProvenanceGroup]:
    """Connected components over the pairs scoring at least `threshold`; largest first."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    edges = [(a, b, s) for a, b, s in pairs if s >= threshold and a != b]
    for a, b, _ in edges:
        parent[find(a)] = find(b)
    members: dict[int, list[int]] = {}
    for node in parent:
        members.setdefault(find(node), []).append(node)
    scores: dict[int, list[float]] = {}
    for a, _, s in edges:
        scores.setdefault(find(a), []).append(s)
    groups = []
    for root, ids in members.items():
        origin = choose_origin({m: articles.get(m, ArticleInfo()) for m in ids})
        groups.append(
            ProvenanceGroup(
                tuple(sorted(ids)),
                origin.article,
                round(sum(scores[root]) / len(scores[root]), 4),
                origin.reason,
            )
        )
    return sorted(groups, key=lambda g: (-len(g.articles), g.articles))
