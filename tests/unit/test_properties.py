"""Property-based tests that complete tests/unit/test_anchoring.py and test_figures.py.

Anchoring: edits anywhere outside a quote (insertions and deletions before it, insertions
after it) never lose it; whatever the text, a re-anchored selector points inside the text at
what it says; the browser's UTF-16 offsets and the server's code points agree for every
selection. Figures: any Unicode text (long digit runs included) parses without raising, in
reading order, with finite values, and the `base` offset is a pure shift.
"""

from __future__ import annotations

import math
from dataclasses import replace

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from app.anchoring import (
    CONTEXT,
    codepoint_to_utf16,
    make_selector,
    reanchor,
    utf16_to_codepoint,
    validate_selector,
)
from app.extract.figures import parse_figures

# Text with the characters that break offset arithmetic: astral emoji and their modifiers,
# regional-indicator flags, combining marks, right-to-left letters, CRLF and NBSP.
_TRICKY = st.sampled_from(
    ["🙏", "🏽", "🇳", "🇴", "𝐀", "\u0301", "\u0307", "ש", "ل", "\u200f", "\r\n", "\xa0", "é", "—"]
)
_WORDS = st.sampled_from(
    ["the ", "army ", "recruits ", "20,000 ", "soldiers ", "a month. ", "said ", "Dalhaug ",
     "\n\n", "in May ", "“quoted” ", "- ", "which "]
)  # fmt: skip
TEXT = (
    st.lists(st.one_of(_WORDS, _TRICKY, st.text(max_size=4)), min_size=1, max_size=40)
    .map("".join)
    .filter(bool)
)


def occurrences(text: str, quote: str) -> int:
    """How many places hold the quote, overlapping ones included ("000" twice in "0000")."""
    return sum(1 for i in range(len(text)) if text.startswith(quote, i))


def _selection(data: st.DataObject, text: str) -> tuple[int, int]:
    start = data.draw(st.integers(0, len(text) - 1), label="start")
    end = data.draw(st.integers(start + 1, min(len(text), start + 60)), label="end")
    return start, end


# --- anchoring ------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.data(), TEXT)
def test_selector_holds_its_quote_and_at_most_32_code_points_of_context(
    data: st.DataObject, text: str
) -> None:
    start, end = _selection(data, text)
    sel = make_selector(text, start, end)
    assert sel.exact == text[start:end]
    assert text[: sel.start].endswith(sel.prefix) and text[sel.end :].startswith(sel.suffix)
    assert len(sel.prefix) == min(CONTEXT, start)
    assert len(sel.suffix) == min(CONTEXT, len(text) - end)


@settings(max_examples=150, deadline=None)
@given(st.data(), TEXT, st.text(min_size=1, max_size=80))
def test_reanchor_after_an_insertion_anywhere_before_the_quote_finds_the_same_text(
    data: st.DataObject, text: str, inserted: str
) -> None:
    start, end = _selection(data, text)
    at = data.draw(st.integers(0, start), label="insert at")
    sel = make_selector(text, start, end)
    edited = text[:at] + inserted + text[at:]
    anchor = reanchor(sel, edited)
    assert anchor.start is not None and anchor.end is not None, anchor
    found = edited[anchor.start : anchor.end]
    # A quote that starts with whitespace may take in inserted whitespace: the same words.
    assert found == sel.exact or found.split() == sel.exact.split()
    if at < start and occurrences(edited, sel.exact) == 1:
        assert (anchor.start, anchor.end) == (start + len(inserted), end + len(inserted))


@settings(max_examples=150, deadline=None)
@given(st.data(), TEXT)
def test_reanchor_after_a_deletion_before_the_quote_finds_the_same_text(
    data: st.DataObject, text: str
) -> None:
    start, end = _selection(data, text)
    assume(start > 0)
    cut_from = data.draw(st.integers(0, start - 1), label="cut from")
    cut_to = data.draw(st.integers(cut_from + 1, start), label="cut to")
    sel = make_selector(text, start, end)
    edited = text[:cut_from] + text[cut_to:]
    anchor = reanchor(sel, edited)
    assert anchor.start is not None and anchor.end is not None, anchor
    assert edited[anchor.start : anchor.end] == sel.exact
    if occurrences(edited, sel.exact) == 1:
        shift = cut_to - cut_from
        assert (anchor.start, anchor.end) == (start - shift, end - shift)


@settings(max_examples=150, deadline=None)
@given(st.data(), TEXT, st.text(min_size=1, max_size=80))
def test_an_insertion_after_the_quote_leaves_it_where_it_was(
    data: st.DataObject, text: str, inserted: str
) -> None:
    start, end = _selection(data, text)
    at = data.draw(st.integers(end, len(text)), label="insert at")
    edited = text[:at] + inserted + text[at:]
    anchor = reanchor(make_selector(text, start, end), edited)
    assert (anchor.status, anchor.start, anchor.end) == ("anchored", start, end)


@settings(max_examples=200, deadline=None)
@given(st.data(), TEXT, TEXT)
def test_a_reanchored_selector_points_at_real_text_or_is_an_orphan(
    data: st.DataObject, old: str, new: str
) -> None:
    start, end = _selection(data, old)
    sel = make_selector(old, start, end)
    anchor = reanchor(sel, new)
    if anchor.status == "orphan":
        assert anchor.start is None and anchor.end is None
        return
    assert anchor.start is not None and anchor.end is not None
    assert 0 <= anchor.start < anchor.end <= len(new)
    assert 0.0 <= anchor.score <= 1.0
    if anchor.status in ("anchored", "moved"):
        assert new[anchor.start : anchor.end] == sel.exact


@settings(max_examples=200, deadline=None)
@given(st.data(), TEXT)
def test_browser_offsets_and_code_points_agree_on_every_selection(
    data: st.DataObject, text: str
) -> None:
    """What the page sends (UTF-16 units of the same text) lands on the same characters."""
    start, end = _selection(data, text)
    s16, e16 = codepoint_to_utf16(text, start), codepoint_to_utf16(text, end)
    assert text.encode("utf-16-le")[2 * s16 : 2 * e16].decode("utf-16-le") == text[start:end]
    assert (utf16_to_codepoint(text, s16), utf16_to_codepoint(text, e16)) == (start, end)
    astral = sum(1 for c in text[start:end] if ord(c) > 0xFFFF)
    assert e16 - s16 == (end - start) + astral


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60), st.integers(-(2**40), 2**40))
def test_utf16_conversion_refuses_with_value_error_only(text: str, offset: int) -> None:
    try:
        index = utf16_to_codepoint(text, offset)
    except ValueError as exc:
        assert str(exc)  # a message for the 422
        return
    assert 0 <= index <= len(text)
    assert codepoint_to_utf16(text, index) == offset


@settings(max_examples=150, deadline=None)
@given(st.data(), TEXT)
def test_a_selector_sent_in_utf16_units_is_fixed_from_its_quote(
    data: st.DataObject, text: str
) -> None:
    """A client that counts UTF-16 units but says nothing still gets its quote."""
    start, end = _selection(data, text)
    sel = make_selector(text, start, end)
    s16, e16 = codepoint_to_utf16(text, start), codepoint_to_utf16(text, end)
    fixed = validate_selector(text, type(sel)(sel.exact, sel.prefix, sel.suffix, s16, e16))
    assert text[fixed.start : fixed.end] == sel.exact
    if occurrences(text, sel.exact) == 1:
        assert (fixed.start, fixed.end) == (start, end)


# --- figures --------------------------------------------------------------------------------

_NUMERIC = st.sampled_from(
    ["1", "20", "1,262", "25,000", "0.5", "3.", ".7", "1,2,3", "10,00", "2022", "99%", "$5",
     "€1.5bn", "5k", " to ", "–", "-", " and ", "between ", "more than ", "about ", "a few ",
     "hundreds of ", "thousand", " million", " per cent", " each month", " a day", "17th",
     "May 5", "half of ", "two-thirds of ", "from ", "raised ", "another ", "9:30", "F-16"]
)  # fmt: skip
PROSE = st.lists(st.one_of(_NUMERIC, _WORDS, _TRICKY, st.text(max_size=5)), max_size=30).map(
    "".join
)
PERIODS = {None, "day", "week", "month", "year", "quarter"}


@settings(max_examples=300, deadline=None)
@given(st.one_of(PROSE, st.text(max_size=200)))
@example("1" * 5000)
@example("1,000," * 500)
@example("between " * 200 + "5")
@example("\u0661\u0662\u0663 (Arabic-Indic digits) and ١٬٢٦٢ and 𝟏𝟐 bold digits")
def test_figures_never_raise_and_come_in_reading_order(text: str) -> None:
    figures = parse_figures(text)
    assert [f.start for f in figures] == sorted(f.start for f in figures)
    for f in figures:
        assert 0 <= f.start < f.end <= len(text)
        assert f.text == text[f.start : f.end] and f.text.strip() == f.text
        assert f.period in PERIODS
        assert any(v is not None for v in (f.value, f.low, f.high)), f
        for v in (f.value, f.low, f.high, f.previous):
            assert v is None or math.isfinite(v)  # JSON has no inf or NaN


@settings(max_examples=150, deadline=None)
@given(PROSE, st.integers(0, 10**9))
def test_base_is_a_pure_shift(text: str, base: int) -> None:
    plain = parse_figures(text)
    shifted = parse_figures(text, base)
    assert [(f.start + base, f.end + base) for f in plain] == [(f.start, f.end) for f in shifted]
    assert [replace(f, start=f.start + base, end=f.end + base) for f in plain] == shifted
