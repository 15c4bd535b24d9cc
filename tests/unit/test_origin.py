"""The origin of a provenance group: the earliest published version, else the most complete
one (the original wording, the author's bio, the most text), with the reason shown."""

from __future__ import annotations

from app.analysis.origin import ArticleInfo, choose_origin


def test_the_earliest_published_version_is_the_origin_when_every_member_is_dated() -> None:
    found = choose_origin(
        {
            1: ArticleInfo(published="2024-12-02", kept=12, content_chars=9000),
            2: ArticleInfo(published="2024-11-28"),
            3: ArticleInfo(published="2024-11-30", has_bio=True),
        }
    )
    assert found.article == 2
    assert found.reason == "was published first (2024-11-28; the next copy 2024-11-30)"


def test_an_undated_member_sends_the_choice_to_completeness() -> None:
    found = choose_origin(
        {1: ArticleInfo(published="2024-11-01"), 2: ArticleInfo(kept=0, content_chars=3000)}
    )
    assert found.article == 2
    assert "most complete" in found.reason and "3,000 characters" in found.reason


def test_versions_that_keep_the_original_wording_win_over_a_paraphrase_with_the_bio() -> None:
    # Two copies share 14 sentences word for word; the paraphrase kept the author's bio.
    found = choose_origin(
        {
            1: ArticleInfo(kept=14, content_chars=5200),
            2: ArticleInfo(kept=14, content_chars=5400),
            3: ArticleInfo(has_bio=True, kept=0, content_chars=6100),
        }
    )
    assert found.article == 2
    assert found.reason == (
        "keeps the original wording (14 sentences word for word in another copy) and is the "
        "most complete (5,400 characters of text, the next 5,200)"
    )


def test_among_paraphrases_the_one_with_its_authors_bio_is_the_origin() -> None:
    found = choose_origin(
        {1: ArticleInfo(content_chars=7000), 2: ArticleInfo(has_bio=True, content_chars=5000)}
    )
    assert found.article == 2
    assert "author's bio" in found.reason


def test_identical_undated_copies_have_no_origin_and_say_why() -> None:
    found = choose_origin({1: ArticleInfo(kept=5), 2: ArticleInfo(kept=5)})
    assert found.article is None
    assert "alike" in found.reason


def test_equal_dates_are_no_earliest() -> None:
    found = choose_origin(
        {1: ArticleInfo(published="2025-01-12"), 2: ArticleInfo(published="2025-01-12", kept=3)}
    )
    assert found.article == 2
    assert "original wording" in found.reason
