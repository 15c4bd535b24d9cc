"""The ingest stages stay linear: each rewritten step gives what the step it replaced gave
(checked against that step, kept here as the oracle), and where a quadratic step could come
back, the work is counted (comparisons, scans) instead of timed."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.analysis import provenance
from app.analysis.alignment import content_sentences
from app.analysis.provenance import ArticleText, article_similarity
from app.extract import claims, entities, figures, sentences, sources
from app.extract import entity_rules as rules
from app.extract.entities import EntityMention
from app.extract.pipeline import MentionIndex
from app.ingest.limits import TOKEN

WORDS = ["Anna", "Petrov", "Anna Petrov", "the", "Bank", "Central Bank", "-", "(", ".", "x"]


def _old_propagate_spans(text: str, forms: list[str]) -> list[tuple[int, int]]:
    pattern = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        + r")(?![\w-])"
    )
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


@given(
    st.lists(st.sampled_from(WORDS), max_size=40),
    st.lists(st.sampled_from(["Anna Petrov", "Petrov", "Central Bank", "Bank", "(x"]), min_size=1),
    st.sampled_from([" ", "", "-"]),
)
def test_names_are_found_where_the_alternation_found_them(
    words: list[str], forms: list[str], glue: str
) -> None:
    text = glue.join(words)
    finder = entities._FormFinder(dict.fromkeys(forms))
    assert list(finder.finditer(text, 0, len(text))) == _old_propagate_spans(text, forms)


_OLD_CANDIDATE = re.compile(r"(?:[.!?]+|…|\.{3})[\"”’')\]]*(?=\s|$)")


@given(st.text(alphabet='.!?… a")”', max_size=60))
def test_sentence_marks_are_found_where_they_were(text: str) -> None:
    new = [m.span() for m in sentences._CANDIDATE.finditer(text)]
    assert new == [m.span() for m in _OLD_CANDIDATE.finditer(text)]


def _old_figure_mentions(text: str) -> list[rules.RuleMention]:
    out: list[rules.RuleMention] = []
    for label, pattern in rules._NUMERIC_RULES:
        for m in pattern.finditer(text):
            if not any(o.start < m.end() and m.start() < o.end for o in out):
                out.append(rules.RuleMention(m.start(), m.end(), label, None))
    return out


@given(st.lists(st.sampled_from(["5", "1,200", "$", "30%", "May 3", "2019", "to", " ", "and"])))
def test_figure_mentions_are_the_pairwise_ones(parts: list[str]) -> None:
    text = " ".join(parts)
    assert rules.figure_mentions(text) == _old_figure_mentions(text)


@given(st.text(alphabet="ab !?._-\n", max_size=300))
def test_the_model_reads_the_same_offsets_and_no_long_run_of_marks(text: str) -> None:
    seen = entities._for_model(text)
    assert len(seen) == len(text)
    assert all(a == b or (b == " " and not a.isalnum()) for a, b in zip(text, seen, strict=True))
    assert not re.search(r"(?:[^\w\s]|_){33}", seen)


def test_the_model_gets_bounded_batches() -> None:
    sizes = [(50, 10), (19_000, 3_500), (5_000, 4_900)] * 40
    pieces = [(0, i * 1000, i * 1000 + size, tokens) for i, (size, tokens) in enumerate(sizes)]
    batches = list(entities._batches(pieces))
    assert [p for b in batches for p in b] == pieces
    assert all(sum(e - s for _, s, e, _ in b) < 2 * entities._MAX_PIECE for b in batches)
    assert all(sum(t for *_, t in b) < 2 * entities._MAX_TOKENS for b in batches)


@pytest.mark.parametrize(
    "text",
    [
        "Prose of words, one after another. " * 3_000,  # 105,000 characters
        "&" * 60_000,  # a page of "&amp;": a token a character
        "& & & & " * 10_000,
        "x" * 50_000,  # no token boundary at all
    ],
)
def test_pieces_cover_the_text_in_order_bounded_by_characters_and_tokens(text: str) -> None:
    pieces = list(entities._pieces(text, [(0, len(text))]))
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:], strict=False))
    for start, end, tokens in pieces:
        assert 0 < end - start <= entities._MAX_PIECE
        counted = len(TOKEN.findall(text, start, end))
        assert counted <= tokens <= entities._MAX_TOKENS
    # Prose is cut by characters, at a space, as before: a token limit never reached.
    if text.startswith("Prose"):
        assert all(text[end - 1] != " " and text[end] == " " for _, end, _ in pieces[:-1])


mention = st.builds(
    lambda start, length, label, name: EntityMention(start, start + length, "x", label, name),
    st.integers(0, 200),
    st.integers(1, 15),
    st.sampled_from(["PERSON", "ORG", "GPE"]),
    st.sampled_from(["Anna Petrov", "Petrov", "Central Bank", "Kyiv"]),
)


@given(st.lists(mention, max_size=30), st.integers(0, 220), st.integers(0, 40))
def test_mentions_looked_up_by_span_and_name(
    found: list[EntityMention], start: int, length: int
) -> None:
    mentions = sorted(found, key=lambda m: m.start)
    index = MentionIndex(mentions)
    end = start + length
    assert index.within(start, end) == [m for m in mentions if m.start >= start and m.end <= end]
    overlapping = [m for m in mentions if m.start < end and start < m.end]
    if length:
        assert index.overlapping(start, end) == (overlapping[0] if overlapping else None)
    for wanted in ("petrov", "bank", "anna petrov", "kyiv"):
        named = [m for m in mentions if m.label in ("PERSON", "ORG") and wanted in m.name.lower()]
        assert index.naming(wanted) == (named[0] if named else None)


def _article(text: str) -> ArticleText:
    spans = [(0, len(text))]
    return provenance.article_text(text, spans)


def test_a_long_and_a_short_article_are_not_paired_sentence_by_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = 0
    real = provenance.sentence_similarity

    def counted(x, y):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return real(x, y)

    monkeypatch.setattr(provenance, "sentence_similarity", counted)
    long = _article(" ".join(f"Officials in region {i} said {i} people died." for i in range(400)))
    short = _article(
        "Officials in region 7 said 7 people died. Farmers harvested wheat, barley and corn "
        "by the river bank yesterday, as trucks waited on muddy roads."
    )
    assert article_similarity(long, short, at_least=provenance.PROVENANCE_THRESHOLD) == 0.0
    assert calls == 0
    assert article_similarity(long, short) > 0 and calls > 0  # without a floor: scored


def test_two_long_articles_are_paired_through_shared_words_only() -> None:
    text = " ".join(f"The officials said {i} people died in town {i}." for i in range(600))
    a = content_sentences(text, [(0, len(text))])
    pairs = list(provenance._candidate_pairs(a, a))
    assert len(pairs) <= len(a) * provenance.MAX_POSTING
    assert {(i, i) for i in range(len(a))} <= set(pairs)  # each sentence still finds itself


def test_scope_phrases_are_read_once_per_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real = figures._scope_phrases

    def counted(text: str, start: int, end: int):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return real(text, start, end)

    monkeypatch.setattr(figures, "_scope_phrases", counted)
    text = "In May, " + ", ".join(f"{n},000 troops" for n in range(11, 400)) + " were moved."
    found = figures.parse_figures(text)
    assert len(found) == 389 and all(f.scope == "May" for f in found[:3])
    assert calls == 1


def test_clauses_of_a_unit_are_indexed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    built = 0
    real = sources._Clauses

    class Counted(real):  # type: ignore[misc, valid-type]
        def __init__(self, masked: str) -> None:
            nonlocal built
            built += 1
            super().__init__(masked)

    monkeypatch.setattr(sources, "_Clauses", Counted)
    text = "Nobody " + " and ".join("they said it" for _ in range(100)) + " but Petrov said 5."
    found = claims.extract_claims(text, [(0, len(text))])
    assert len(found) == 1 and found[0].attribution is not None
    assert built == 1


@settings(max_examples=30)
@given(st.integers(2_001, 6_000))
def test_a_unit_longer_than_a_claim_makes_none(length: int) -> None:
    text = ("Officials said " + "5 and " * length)[:length] + " people died."
    assert claims.extract_claims(text, [(0, len(text))]) == []
