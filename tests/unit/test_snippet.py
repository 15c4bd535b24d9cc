"""Search snippets (app/render/snippet.py): plain text around the first match, every match
marked."""

from __future__ import annotations

import threading

from app.render.snippet import plain, snippet
from app.words import english_stem, stem_now


def marked(text: str, terms: list[str]) -> list[str]:
    return [p.text for p in snippet(text, terms) if p.marked]


def test_words_match_by_prefix_and_stem_numbers_as_typed() -> None:
    text = "Russia recruits 25,000 to 30,000 soldiers; recruiting is hard."
    assert marked(text, ["recruit"]) == ["recruits", "recruiting"]
    assert marked(text, ["recruitment"]) == ["recruits", "recruiting"]  # the same stem
    assert marked(text, ["25,000"]) == ["25,000"]  # not every "000"
    assert marked(text, ["RUSSIA"]) == ["Russia"]


def test_a_long_text_is_cut_around_the_first_match_at_spaces() -> None:
    text = " ".join(["filler"] * 200 + ["Dalhaug", "says"] + ["more"] * 200)
    parts = snippet(text, ["dalhaug"])
    shown = plain(parts)
    assert shown.startswith("…") and shown.endswith("…") and "Dalhaug" in shown
    assert len(shown) < 320
    assert set(shown.strip("…").split()) == {"filler", "Dalhaug", "says", "more"}  # whole words


def test_line_breaks_and_runs_of_spaces_are_one_space() -> None:
    assert plain(snippet("a\n\n  b", ["a"])) == "a b"
    assert plain(snippet("no match here", ["zzz"])) == "no match here"


def test_words_are_stemmed_alike_by_threads_at_once() -> None:
    """The server's threads mark search snippets at the same time: each gets the stems one
    thread alone gets (a shared stemmer garbled them, or failed). The stemmers themselves
    are raced, past the stems kept for words seen before."""
    stem_word = stem_now
    words = [f"{stem}{ending}" for stem in ("recruit", "mobiliz", "estimat", "casualt")
             for ending in ("ing", "ed", "ies", "ation", "ations", "s", "")] * 40  # fmt: skip
    expected = [stem_word(w) for w in words]
    assert expected == [english_stem(w) for w in words]
    results: list[list[str]] = []
    failures: list[BaseException] = []

    def stem_all() -> None:
        try:
            results.append([stem_word(w) for w in words])
        except Exception as exc:  # noqa: BLE001 - what a thread raised is the finding
            failures.append(exc)

    threads = [threading.Thread(target=stem_all) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert results == [expected] * 8
