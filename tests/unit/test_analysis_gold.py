"""The whole pure pipeline on the five seed articles, scored against the analysts' gold in
tests/golden/analysis/seeds.json: ingest -> claims, figures, entities -> claim keys and
matching run the way the service runs them (one article at a time, candidates fetched by
key) -> same-claim pairs, figure conflicts, provenance groups."""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.analysis import (
    PROVENANCE_THRESHOLD,
    ArticleInfo,
    ArticleText,
    ClaimMatch,
    ClaimRef,
    article_shingles,
    article_similarity,
    article_text,
    claim_keys,
    claim_subjects,
    group_articles,
    independent_sources,
    lsh_bands,
    match_claims,
    minhash_signature,
)
from app.analysis.sources import conflict_key, source_of
from app.extract.pipeline import claim_entities, extract
from app.ingest import ArticleDraft, read_document

ROOT = Path(__file__).resolve().parents[2]
GOLD = json.loads((ROOT / "tests/golden/analysis/seeds.json").read_text(encoding="utf-8"))

# Floors the pipeline holds on the seeds (measured: see docs/decisions/0007).
SAME_CLAIM_PRECISION = 0.9
# Every checkable sentence is a claim now, figure or not, so many more restated sentences
# reach the matcher (71 gold pairs, from 27), and pairs without a shared figure or entity
# are the hard ones: recall over the extracted pairs fell (0.78 → 0.45) while recall end to
# end rose (21 → 32 of 87 pairs; precision 0.94).
SAME_CLAIM_RECALL_OF_EXTRACTED = 0.42
SAME_CLAIM_RECALL_END_TO_END = 0.34
CONFLICT_PRECISION = 1.0
CONFLICT_RECALL = 1.0

Unit = tuple[str, int]  # (article key, gold sentence start) or ("claim", claim id)
Pair = frozenset[Unit]


@dataclass(frozen=True)
class Seed:
    key: str
    article_id: int
    draft: ArticleDraft
    claims: tuple[ClaimRef, ...]

    @property
    def content_spans(self) -> list[tuple[int, int]]:
        return [(b.start, b.end) for b in self.draft.blocks if b.kind == "paragraph"]


@pytest.fixture(scope="module")
def seeds() -> dict[str, Seed]:
    out: dict[str, Seed] = {}
    next_id = 1
    for key, filename in sorted(GOLD["articles"].items()):
        draft = read_document(filename, (ROOT / "seeds" / filename).read_bytes())
        extraction = extract(draft)
        refs = []
        for claim in extraction.claims:
            mentioned = claim_entities(claim, extraction.entities)
            names = frozenset(m.name for m in mentioned)
            attribution = claim.attribution.text if claim.attribution else None
            subjects = claim_subjects((m.name, m.label) for m in mentioned)
            refs.append(
                ClaimRef(
                    next_id,
                    int(key),
                    claim.text,
                    claim.figures,
                    names,
                    attribution,
                    claim.start,
                    subjects,
                )  # fmt: skip
            )
            next_id += 1
        out[key] = Seed(key, int(key), draft, tuple(refs))
    return out


@pytest.fixture(scope="module")
def matches(seeds: dict[str, Seed]) -> list[ClaimMatch]:
    return incremental_matches(seeds)


def incremental_matches(seeds: dict[str, Seed]) -> list[ClaimMatch]:
    """What the service does: each new article's claims against the stored claims that
    share a blocking key with them, never the whole corpus."""
    postings: dict[str, set[int]] = defaultdict(set)
    stored: dict[int, ClaimRef] = {}
    found: list[ClaimMatch] = []
    for seed in seeds.values():
        keys = {c.id: claim_keys(c) for c in seed.claims}
        wanted = set().union(*keys.values()) if keys else set()
        candidates = sorted({i for k in wanted for i in postings.get(k, ())})
        found += match_claims(seed.claims, [stored[i] for i in candidates])
        for claim in seed.claims:
            stored[claim.id] = claim
            for k in keys[claim.id]:
                postings[k].add(claim.id)
    return found


# --- mapping claims onto the gold's sentences ------------------------------------------------


def gold_unit(seeds: dict[str, Seed], ref: list[str]) -> Unit:
    key, sentence = ref
    start = seeds[key].draft.text.find(sentence)
    assert start >= 0, f"gold sentence not in article {key}: {sentence[:60]!r}"
    return key, start


def claim_units(seeds: dict[str, Seed]) -> dict[int, list[Unit]]:
    """Each claim -> the gold sentences it overlaps (itself when it overlaps none)."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    refs = [ref for c in GOLD["same_claim_clusters"] for ref in c["sentences"] + c["related"]]
    refs += [c[side] for c in GOLD["conflicts"] + GOLD["not_conflicts"] for side in "ab"]
    for ref in refs:
        key, start = gold_unit(seeds, ref)
        spans[key].append((start, start + len(ref[1])))
    units: dict[int, list[Unit]] = {}
    for seed in seeds.values():
        for claim in seed.claims:
            claim_end = claim.start + len(claim.text)
            hits = sorted(
                {(seed.key, s) for s, e in spans[seed.key] if s < claim_end and claim.start < e}
            )
            units[claim.id] = hits or [("claim", claim.id)]
    return units


def predicted_pairs(matches: Iterable[ClaimMatch], units: dict[int, list[Unit]]) -> set[Pair]:
    return {frozenset((x, y)) for m in matches for x in units[m.a_id] for y in units[m.b_id]}


def cross_pairs(members: Iterable[Unit]) -> set[Pair]:
    return {frozenset((x, y)) for x, y in itertools.combinations(set(members), 2) if x[0] != y[0]}


def same_claim_gold(seeds: dict[str, Seed]) -> tuple[set[Pair], set[Pair]]:
    """(pairs that must be matched, pairs that may be matched)."""
    required: set[Pair] = set()
    allowed: set[Pair] = set()
    for cluster in GOLD["same_claim_clusters"]:
        core = [gold_unit(seeds, r) for r in cluster["sentences"]]
        related = [gold_unit(seeds, r) for r in cluster["related"]]
        required |= cross_pairs(core)
        allowed |= cross_pairs(core + related)
    return required, allowed


# --- the tests --------------------------------------------------------------------------------


def test_blocking_finds_every_match_that_comparing_all_claims_finds(
    seeds: dict[str, Seed], matches: list[ClaimMatch]
) -> None:
    everything = [c for s in seeds.values() for c in s.claims]
    full = {(frozenset((m.a_id, m.b_id)), m.relation) for m in match_claims(everything, everything)}
    blocked = {(frozenset((m.a_id, m.b_id)), m.relation) for m in matches}
    assert blocked == full


def test_same_claim_pairs_meet_the_gold(seeds: dict[str, Seed], matches: list[ClaimMatch]) -> None:
    units = claim_units(seeds)
    required, allowed = same_claim_gold(seeds)
    same = [m for m in matches if m.relation == "same_claim"]
    predicted = predicted_pairs(same, units)
    wrong = predicted - allowed
    hits = predicted & required
    extracted = {u for us in units.values() for u in us}
    reachable = {p for p in required if p <= extracted}
    precision = len(predicted - wrong) / len(predicted)
    recall = len(hits) / len(reachable)
    assert precision >= SAME_CLAIM_PRECISION, sorted(map(sorted, wrong))
    assert recall >= SAME_CLAIM_RECALL_OF_EXTRACTED, (len(hits), len(reachable))
    assert len(hits) / len(required) >= SAME_CLAIM_RECALL_END_TO_END, (len(hits), len(required))


def test_the_death_toll_is_one_claim_in_three_articles_from_one_source(
    seeds: dict[str, Seed], matches: list[ClaimMatch]
) -> None:
    units = claim_units(seeds)
    toll = {gold_unit(seeds, r) for r in GOLD["same_claim_clusters"][0]["sentences"]}
    claims = {cid for cid, us in units.items() if toll & set(us)}
    assert {cid_article(seeds, c) for c in claims} == {0, 1, 2}
    same = [m for m in matches if m.relation == "same_claim"]
    linked = {frozenset((m.a_id, m.b_id)) for m in same}
    assert all(frozenset(p) in linked for p in itertools.combinations(claims, 2))
    group_of: dict[int, int | None] = {0: 2, 1: 2, 2: 2, 3: None, 4: None}
    assert independent_sources({cid_article(seeds, c) for c in claims}, group_of) == 1


def cid_article(seeds: dict[str, Seed], claim_id: int) -> int:
    return next(c.article_id for s in seeds.values() for c in s.claims if c.id == claim_id)


def test_figure_conflicts_meet_the_gold(seeds: dict[str, Seed], matches: list[ClaimMatch]) -> None:
    units = claim_units(seeds)
    conflicts = [m for m in matches if m.relation == "conflict"]
    predicted = predicted_pairs(conflicts, units)
    gold = {
        frozenset((gold_unit(seeds, c["a"]), gold_unit(seeds, c["b"]))) for c in GOLD["conflicts"]
    }
    never = {
        frozenset((gold_unit(seeds, c["a"]), gold_unit(seeds, c["b"])))
        for c in GOLD["not_conflicts"]
    }
    assert not predicted & never
    assert predicted, "no conflict found"
    assert len(predicted & gold) / len(predicted) >= CONFLICT_PRECISION, predicted - gold
    assert len(predicted & gold) / len(gold) >= CONFLICT_RECALL, gold - predicted


def incremental_edges(seeds: dict[str, Seed]) -> list[tuple[int, int, float]]:
    """What the service does: each new article against the stored articles sharing an LSH
    band with it, then edges for the pairs scoring at least the threshold."""
    stored: dict[int, tuple[set[str], ArticleText]] = {}
    edges = []
    for seed in seeds.values():
        shingles = article_shingles(seed.draft.text, seed.content_spans)
        bands = set(lsh_bands(minhash_signature(shingles)))
        mine = article_text(seed.draft.text, seed.content_spans)
        for other, (other_bands, other_text) in stored.items():
            if bands & other_bands:
                score = article_similarity(mine, other_text)
                if score >= PROVENANCE_THRESHOLD:
                    edges.append((other, seed.article_id, score))
        stored[seed.article_id] = (bands, mine)
    return edges


def test_provenance_groups_are_exactly_the_gold(seeds: dict[str, Seed]) -> None:
    infos = {
        s.article_id: ArticleInfo(has_bio=any(b.kind == "bio" for b in s.draft.blocks))
        for s in seeds.values()
    }
    groups = group_articles(incremental_edges(seeds), infos)
    expected = [
        (tuple(int(a) for a in g["articles"]), int(g["origin"]))
        for g in GOLD["provenance"]["groups"]
    ]
    assert [(g.articles, g.origin) for g in groups] == expected
    alone = {int(a) for a in GOLD["provenance"]["alone"]}
    assert not alone & {a for g in groups for a in g.articles}


def test_rewrites_are_each_others_best_ranked_lsh_candidates(seeds: dict[str, Seed]) -> None:
    bands = {
        s.article_id: set(
            lsh_bands(minhash_signature(article_shingles(s.draft.text, s.content_spans)))
        )
        for s in seeds.values()
    }
    for group in GOLD["provenance"]["groups"]:
        members = {int(a) for a in group["articles"]}
        for article in members:
            ranked = sorted(
                (a for a in bands if a != article),
                key=lambda other: -len(bands[article] & bands[other]),
            )
            assert set(ranked[: len(members) - 1]) == members - {article}
            assert len(bands[article] & bands[ranked[len(members) - 1]]) < min(
                len(bands[article] & bands[m]) for m in members - {article}
            )


def test_the_recruitment_disagreement_is_one_conflict_between_two_sources(
    seeds: dict[str, Seed], matches: list[ClaimMatch]
) -> None:
    """Counted over sources: the three rewrites are one source (the gold's provenance group,
    named by its first article), so their three conflicting pairs with the interview are one
    conflict, 20,000 a month against 25,000-30,000."""
    first: dict[int, int] = {}
    for group in GOLD["provenance"]["groups"]:
        members = sorted(int(a) for a in group["articles"])
        first.update(dict.fromkeys(members, members[0]))
    claims = {c.id: c for s in seeds.values() for c in s.claims}
    conflicts = [m for m in matches if m.relation == "conflict"]
    assert len(conflicts) == 3
    keys = set()
    for m in conflicts:
        a, b = claims[m.a_id], claims[m.b_id]
        keys.add(
            conflict_key(
                "conflict",
                (source_of(a.article_id, first.get(a.article_id)), a.figures[m.a_figure]),
                (source_of(b.article_id, first.get(b.article_id)), b.figures[m.b_figure]),
            )
        )
    assert keys == {"conflict|soldier:month|0=20000|3=25000-30000"}
