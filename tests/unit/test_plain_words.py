"""A refusal in the words of the form: the field as labelled, what is wrong, what to do."""

from __future__ import annotations

import pytest

from app.routes.plain_words import for_analysts


@pytest.mark.parametrize(
    ("said", "plain"),
    [
        ("tags.2: String should have at most 60 characters",
         "Topic tags (tag 3) is too long: shorten it to at most 60 characters"),
        ("body: String should have at most 20000 characters",
         "Note is too long: shorten it to at most 20000 characters"),
        ("target.selector.exact: Field required", "Selected text is missing: fill it in"),
        ("verdict: Input should be 'corroborated', 'disputed' or 'false'",
         "Verdict: choose one of corroborated, disputed, false"),
        ("tags: List should have at most 20 items after validation, not 21",
         "Topic tags: too many, give at most 20"),
        ("version: Input should be a valid integer, unable to parse string as an integer",
         "Version is not a whole number: give one"),
        ("url: Input should be a valid URL, relative URL without a base",
         "URL is not a web address: give one like https://…"),
        ("tag: String should match pattern '\\S'", "Tag is blank: write some words"),
        # A service's own words keep their meaning, after the form's label.
        ("name: a collection needs a name", "Name: a collection needs a name"),
        ("start, end: a span is required", "Selection: a span is required"),
        ("value: 'X' is the entity's own name; rename it first",
         "Value: 'X' is the entity's own name; rename it first"),
        ("query.q: given more than once; give one value",
         "Search: given more than once; give one value"),
        # No field named: as it is.
        ("no article at /articles/x", "no article at /articles/x"),
    ],
)  # fmt: skip
def test_refusals_in_the_forms_words(said: str, plain: str) -> None:
    assert for_analysts(said) == plain
