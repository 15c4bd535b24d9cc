"""Provenance: LSH candidates, article similarity, groups and their origin, independent
sources, and the sentence alignment shown side by side."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.analysis.alignment import align
from app.analysis.provenance import (
    PROVENANCE_THRESHOLD,
    ArticleInfo,
    article_shingles,
    article_similarity,
    article_text,
    group_articles,
    lsh_bands,
    minhash_signature,
)
from app.analysis.sources import independent_sources

ROOT = Path(__file__).resolve().parents[2]


def seed(prefix: str) -> str:
    (path,) = (ROOT / "seeds").glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def whole(text: str) -> list[tuple[int, int]]:
    return [(0, len(text))]


def bands(text: str) -> set[str]:
    return set(lsh_bands(minhash_signature(article_shingles(text, whole(text)))))


UNRELATED = [
    "The city council approved a budget of 4.2 million euros for the new library on Tuesday. "
    "Mayor Anna Berg said construction would begin in March and employ 120 workers. "
    "Critics in the Green Party argued that 38 percent of the money should go to schools.",
    "Heavy rain flooded 17 villages in the Po valley, and Italian firefighters rescued 260 "
    "people overnight. The regional governor asked Rome for 75 million in emergency aid. "
    "Farmers expect losses of about 9,000 hectares of maize.",
    "Shares of Nordic Telecom fell 12 percent after the company cut its forecast to 3.1 "
    "billion kronor. Chief executive Lars Holm blamed weaker demand in Finland and Denmark. "
    "Analysts at Danske Bank lowered their target price to 86 kronor.",
]


def test_rewrites_share_bands_and_outrank_every_other_pair() -> None:
    articles = {p: bands(seed(p)) for p in ("000", "001", "002", "003", "004")}
    rewrites = [("000", "001"), ("000", "002"), ("001", "002")]
    others = [(a, b) for a, b in itertools.combinations(articles, 2) if (a, b) not in rewrites]
    weakest_rewrite = min(len(articles[a] & articles[b]) for a, b in rewrites)
    assert weakest_rewrite >= 3
    assert all(len(articles[a] & articles[b]) < weakest_rewrite for a, b in others)


def test_articles_on_other_topics_share_no_band() -> None:
    unrelated = [bands(t) for t in UNRELATED]
    for p in ("000", "001", "002", "003", "004"):
        assert all(not (bands(seed(p)) & u) for u in unrelated)
    assert all(not (x & y) for x, y in itertools.combinations(unrelated, 2))


def test_a_lightly_edited_copy_shares_most_bands() -> None:
    text = seed("004")
    copy = text.replace("hundreds of Yemeni mercenaries", "many Yemeni mercenaries")
    assert len(bands(text) & bands(copy)) >= len(bands(text)) * 0.75


def test_an_article_without_content_has_no_bands() -> None:
    assert minhash_signature(article_shingles("", [])) == ()
    assert lsh_bands(()) == []


def test_band_keys_do_not_depend_on_the_process() -> None:
    """The keys are stored in the database: Python's salted hash() must not leak in."""
    name = next((ROOT / "seeds").glob("001_*.txt")).name
    script = (
        "from app.analysis.provenance import *\n"
        f"t = open('seeds/{name}', encoding='utf-8').read()\n"
        "print(sorted(lsh_bands(minhash_signature(article_shingles(t, [(0, len(t))])))))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed_value},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed_value in ("1", "2")
    }
    assert len(outputs) == 1


def test_rewrites_score_above_the_threshold_and_other_articles_below() -> None:
    texts = {p: seed(p) for p in ("000", "001", "002", "003", "004")}
    prepared = {p: article_text(t, whole(t)) for p, t in texts.items()}
    for a, b in (("000", "001"), ("000", "002"), ("001", "002")):
        assert article_similarity(prepared[a], prepared[b]) >= PROVENANCE_THRESHOLD + 0.1
    for a in ("000", "001", "002", "004"):
        assert article_similarity(prepared[a], prepared["003"]) < PROVENANCE_THRESHOLD - 0.1
    assert article_similarity(prepared["002"], prepared["002"]) == pytest.approx(1.0)


def test_groups_are_connected_components_of_strong_edges() -> None:
    edges = [(1, 2, 0.5), (2, 3, 0.4), (4, 5, 0.1), (6, 7, 0.3)]
    groups = group_articles(edges, {}, threshold=0.25)
    assert [g.articles for g in groups] == [(1, 2, 3), (6, 7)]
    assert groups[0].similarity == pytest.approx(0.45)


def test_the_member_with_the_authors_bio_is_the_origin() -> None:
    edges = [(1, 2, 0.5), (2, 3, 0.5)]
    (group,) = group_articles(edges, {3: ArticleInfo(has_bio=True)})
    assert group.origin == 3


def test_without_a_single_bio_the_earliest_dated_member_is_the_origin_else_none() -> None:
    edges = [(1, 2, 0.5)]
    two_bios = {1: ArticleInfo(has_bio=True), 2: ArticleInfo(has_bio=True)}
    assert group_articles(edges, two_bios)[0].origin is None
    dated = {1: ArticleInfo(published="2024-12-02"), 2: ArticleInfo(published="2024-11-28")}
    assert group_articles(edges, dated)[0].origin == 2
    half_dated = {1: ArticleInfo(published="2024-12-02")}
    assert group_articles(edges, half_dated)[0].origin is None


def test_one_provenance_group_counts_as_one_source() -> None:
    group_of: dict[int, int | None] = {1: 10, 2: 10, 3: 10, 4: None, 5: 11}
    assert independent_sources([1, 2, 3], group_of) == 1
    assert independent_sources([1, 2, 3, 4], group_of) == 2
    assert independent_sources([1, 4, 5, 6, 6], group_of) == 4


A = (
    "The army recruited 20,000 soldiers every month last year. "
    "Officials blamed the heavy losses in the east on poor training. "
    "The weather was cold and wet throughout the long winter campaign. "
    "Prices of bread doubled in the capital after the new sanctions."
)
B = (
    "The army recruited 25,000 soldiers every month last year. "
    "Officials in Kyiv blamed the heavy eastern losses on the poor training of conscripts. "
    "Prices of bread doubled in the capital after the new sanctions. "
    "A new commander was appointed to lead the northern front."
)


def test_alignment_marks_kept_reworded_dropped_added_and_a_changed_figure() -> None:
    rows = align(A, whole(A), B, whole(B))
    assert [r.kind for r in rows] == ["kept", "reworded", "dropped", "kept", "added"]
    first = rows[0]
    assert first.a is not None and first.b is not None
    assert B[first.b.start : first.b.end] == first.b.text
    (change,) = first.figure_changes
    assert "20,000" in change and "25,000" in change
    assert rows[3].figure_changes == ()
    assert rows[2].b is None and rows[4].a is None


def test_alignment_keeps_reading_order_when_a_paragraph_moved() -> None:
    moved = " ".join([*A.split(". ")[1:], A.split(". ")[0] + "."]).replace("..", ".")
    rows = align(A, whole(A), moved, whole(moved))
    starts = [r.b.start for r in rows if r.b is not None]
    assert starts == sorted(starts)
    assert {r.kind for r in rows} <= {"kept", "dropped", "added"}
