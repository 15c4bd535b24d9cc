"""Text anchoring for annotations: W3C selectors and re-anchoring after the text changes.

An annotation on a text selection stores a TextQuoteSelector (the exact quote with up to
``CONTEXT`` code points of prefix and suffix) and a TextPositionSelector (code-point offsets,
end exclusive). When the article's text changes, ``reanchor`` places the annotation again:
by position, then by exact quote, then by an approximate match of the quote scored with its
context. One that cannot be placed is an orphan: shown to the analyst, never dropped.

Browsers count offsets in UTF-16 code units; ``utf16_to_codepoint`` and
``codepoint_to_utf16`` translate at the boundary so that everything stored is code points.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

from rapidfuzz import fuzz

CONTEXT = 32

AnchorStatus = Literal["anchored", "moved", "fuzzy", "orphan"]

# Context agreement above which an exact quote found elsewhere is taken without a fuzzy search.
_TRUSTED_CONTEXT = 0.9
# ...and by how much a near-exact quote's context must agree better to be preferred to it.
_CONTEXT_MARGIN = 0.1
# An exact quote whose context is unchanged on one side, over at least this many code points,
# is the same place: an edit just before a quote changes its prefix, never its suffix.
_HELD_SIDE = 8


@dataclass(frozen=True)
class Selector:
    """A TextQuoteSelector (exact, prefix, suffix) plus a TextPositionSelector (start, end)."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Anchor:
    """Where a selector lands in a text; ``start``/``end`` are None for an orphan."""

    status: AnchorStatus
    start: int | None
    end: int | None
    score: float


def make_selector(text: str, start: int, end: int) -> Selector:
    """Build the selector for ``text[start:end]`` with up to CONTEXT code points of context."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(
            f"selection [{start}, {end}) is outside the article text (0 to {len(text)})"
        )
    if start == end:
        raise ValueError(f"the selection at {start} is empty")
    return Selector(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        start=start,
        end=end,
    )


# A claim and a span that each cover this share of the other are the same words (the text
# moved or changed a little since the span was drawn).
SAME_WORDS = 0.8


class HasSpan(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=HasSpan)


def claim_for_span(claims: Iterable[S], start: int, end: int) -> S | None:
    """The claim this span stands for: the one with exactly its bounds, else the one that
    overlaps it most if the overlap covers SAME_WORDS of the longer of the two. Measured
    against the longer span, so a few words inside a long claim (or a passage around a
    short one) are a note on a passage, not on the claim."""
    best, best_share = None, 0.0
    for c in claims:
        if (c.start, c.end) == (start, end):
            return c
        overlap = min(end, c.end) - max(start, c.start)
        share = overlap / max(1, end - start, c.end - c.start)
        if share > best_share:
            best, best_share = c, share
    return best if best_share >= SAME_WORDS else None


def utf16_to_codepoint(text: str, offset: int) -> int:
    """Translate a browser offset (UTF-16 code units) into a Python string index."""
    if offset < 0:
        raise ValueError(f"UTF-16 offset {offset} is negative")
    # A code point is at least one UTF-16 unit, so the index is at most ``offset``.
    units = text[:offset].encode("utf-16-le", "surrogatepass")
    if len(units) < 2 * offset:
        raise ValueError(f"UTF-16 offset {offset} is past the end of the text")
    head = units[: 2 * offset].decode("utf-16-le", "surrogatepass")
    index = len(head)
    # Cutting a surrogate pair leaves a lone high surrogate where the text has one character.
    if head != text[:index]:
        raise ValueError(f"UTF-16 offset {offset} splits a character in two")
    return index


def codepoint_to_utf16(text: str, index: int) -> int:
    """Translate a Python string index into a browser offset (UTF-16 code units)."""
    if not 0 <= index <= len(text):
        raise ValueError(f"index {index} is outside the text (0 to {len(text)})")
    return len(text[:index].encode("utf-16-le", "surrogatepass")) // 2


def validate_selector(text: str, sel: Selector) -> Selector:
    """Check a selector sent by a client against the text; return it with canonical context.

    Positions that disagree with the quote (a client counting UTF-16 units, say) are fixed
    from the quote; among several occurrences the one whose context agrees best, then the
    nearest, wins.
    """
    if not sel.exact:
        raise ValueError("the selection is empty")
    if 0 <= sel.start < sel.end <= len(text) and text[sel.start : sel.end] == sel.exact:
        return make_selector(text, sel.start, sel.end)
    starts = _occurrences(text, sel.exact)
    if not starts:
        raise ValueError(f'the selected text "{_preview(sel.exact)}" is not in the article')
    best = _best_by_context(sel, text, [(s, s + len(sel.exact)) for s in starts])
    return make_selector(text, best[0], best[1])


def reanchor(sel: Selector, text: str, *, threshold: float = 0.75) -> Anchor:
    """Place ``sel`` in ``text``: position, then exact quote, then approximate quote."""
    if not sel.exact:
        return Anchor("orphan", None, None, 0.0)
    if 0 <= sel.start <= sel.end <= len(text) and text[sel.start : sel.end] == sel.exact:
        return Anchor("anchored", sel.start, sel.end, 1.0)

    moved: Anchor | None = None
    moved_score = moved_context = 0.0
    starts = _occurrences(text, sel.exact)
    if starts:
        s, e = _best_by_context(sel, text, [(s, s + len(sel.exact)) for s in starts])
        moved_score = _score(sel, text, s, e)
        moved_context = _context_similarity(sel, text, s, e)
        moved = Anchor("moved", s, e, round(moved_score, 4))
        if moved_context >= _TRUSTED_CONTEXT or _one_side_holds(sel, text, s, e):
            return moved

    # The quote is gone, or only found where its context disagrees (another mention of a
    # name, a duplicated title): a near-exact quote in the right context may be better.
    score, s, e = _best_approximate(sel, text, threshold)
    if moved is not None and (
        score < threshold
        or score <= moved_score
        or _context_similarity(sel, text, s, e) < moved_context + _CONTEXT_MARGIN
        # An approximate span over the exact quote is the same place, blurred by what was
        # typed against it ("0the" for "the" at the start of the text): keep the quote.
        or (s < moved.end and moved.start < e)  # type: ignore[operator]
    ):
        return moved
    if score >= threshold and e > s:
        return Anchor("fuzzy", s, e, round(score, 4))
    return Anchor("orphan", None, None, round(score, 4))


def _best_approximate(sel: Selector, text: str, threshold: float) -> tuple[float, int, int]:
    best: tuple[float, int, int] = (0.0, 0, 0)
    spans = _normalised_matches(sel.exact, text)
    if spans:
        s, e = _best_by_context(sel, text, spans)
        best = (_score(sel, text, s, e), s, e)
    if best[0] < threshold:
        for s, e in _approximate_spans(sel, text):
            score = _score(sel, text, s, e)
            if score > best[0]:
                best = (score, s, e)
    return best


# --- matching helpers -------------------------------------------------------------------


def _preview(quote: str, limit: int = 60) -> str:
    flat = " ".join(quote.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _occurrences(text: str, quote: str) -> list[int]:
    starts: list[int] = []
    i = text.find(quote)
    while i != -1:
        starts.append(i)
        i = text.find(quote, i + 1)
    return starts


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        # One side at the edge of the text, the other not: no evidence either way.
        return 0.5
    return fuzz.ratio(a, b) / 100.0


def _context_similarity(sel: Selector, text: str, start: int, end: int) -> float:
    # An empty prefix (suffix) means the quote was at the edge of the text: is it still?
    before = text[max(0, start - max(1, len(sel.prefix))) : start]
    after = text[end : end + max(1, len(sel.suffix))]
    return (_similarity(sel.prefix, before) + _similarity(sel.suffix, after)) / 2.0


def _one_side_holds(sel: Selector, text: str, start: int, end: int) -> bool:
    prefix, suffix = sel.prefix, sel.suffix
    return (len(prefix) >= _HELD_SIDE and text[max(0, start - len(prefix)) : start] == prefix) or (
        len(suffix) >= _HELD_SIDE and text[end : end + len(suffix)] == suffix
    )


def _quote_weight(quote: str) -> float:
    # A short quote (a name) says little by itself, so its context counts for more.
    return 0.5 + 0.3 * min(1.0, len(quote) / 64.0)


def _score(sel: Selector, text: str, start: int, end: int) -> float:
    weight = _quote_weight(sel.exact)
    quote = _similarity(sel.exact, text[start:end])
    return weight * quote + (1.0 - weight) * _context_similarity(sel, text, start, end)


def _best_by_context(sel: Selector, text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    if len(spans) == 1:
        return spans[0]
    return min(
        spans,
        key=lambda sp: (-round(_context_similarity(sel, text, *sp), 6), abs(sp[0] - sel.start)),
    )


_SINGLE_QUOTES = "'‘’‚‛′ʼ`"
_DOUBLE_QUOTES = '"“”„‟″«»'
_DASHES = "-‐‑‒–—―−"
_SPACE = r"\s+"
_OPTIONAL_SPACE = r"\s*"


def _quote_pattern(quote: str) -> re.Pattern[str]:
    """A pattern for ``quote`` that tolerates whitespace, quote-mark and dash changes."""
    parts: list[str] = []

    def add(part: str) -> None:
        if parts and part in (_SPACE, _OPTIONAL_SPACE) and parts[-1] in (_SPACE, _OPTIONAL_SPACE):
            parts[-1] = _OPTIONAL_SPACE if _OPTIONAL_SPACE in (part, parts[-1]) else _SPACE
        else:
            parts.append(part)

    for ch in quote.replace("...", "…"):
        if ch.isspace():
            add(_SPACE)
        elif ch in _SINGLE_QUOTES:
            add("[" + re.escape(_SINGLE_QUOTES) + "]")
        elif ch in _DOUBLE_QUOTES:
            add("[" + re.escape(_DOUBLE_QUOTES) + "]")
        elif ch in _DASHES:
            # "land—an area" and "land - an area" are the same words.
            add(_OPTIONAL_SPACE)
            add("[" + re.escape(_DASHES) + "]")
            add(_OPTIONAL_SPACE)
        elif ch == "…":
            add(r"(?:…|\.\.\.)")
        else:
            add(re.escape(ch))
    return re.compile("".join(parts))


def _normalised_matches(quote: str, text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in _quote_pattern(quote).finditer(text):
        s, e = _trim(text, m.start(), m.end(), quote)
        if e > s:
            spans.append((s, e))
    return spans


def _trim(text: str, start: int, end: int, quote: str) -> tuple[int, int]:
    if not quote[:1].isspace():
        while start < end and text[start].isspace():
            start += 1
    if not quote[-1:].isspace():
        while end > start and text[end - 1].isspace():
            end -= 1
    return start, end


def _approximate_spans(sel: Selector, text: str) -> list[tuple[int, int]]:
    """Candidate spans for the quote: the best alignment near the old place and overall."""
    n, length = len(text), len(sel.exact)
    if n == 0:
        return []
    pad = length + 4 * CONTEXT + 200
    lo = max(0, min(sel.start, n) - pad)
    hi = min(n, max(sel.end, 0) + pad)
    windows = [(lo, hi)] if hi > lo else []
    if (lo, hi) != (0, n):
        windows.append((0, n))
    spans: list[tuple[int, int]] = []
    for w_lo, w_hi in windows:
        region = text[w_lo:w_hi]
        if len(region) <= length:
            s, e = w_lo, w_hi
        else:
            al = fuzz.partial_ratio_alignment(sel.exact, region)
            if al is None:
                continue
            s, e = w_lo + al.dest_start, w_lo + al.dest_end
        spans.append(_refine(sel, text, s, e))
    return spans


def _is_boundary(text: str, i: int) -> bool:
    return i <= 0 or i >= len(text) or not (text[i - 1].isalnum() and text[i].isalnum())


def _refine(sel: Selector, text: str, start: int, end: int) -> tuple[int, int]:
    """Move the ends of an aligned window to where the quote fits best, on word boundaries.

    ``partial_ratio_alignment`` returns a window as long as the quote; a reworded quote is
    usually a little longer or shorter, so both ends are searched nearby.
    """
    quote, n = sel.exact, len(text)
    reach = max(8, min(80, len(quote) // 3))
    # Snap only if the original selection itself started/ended on a word boundary.
    snap_start = not (sel.prefix[-1:].isalnum() and quote[:1].isalnum())
    snap_end = not (quote[-1:].isalnum() and sel.suffix[:1].isalnum())

    def starts_near(pos: int, limit: int) -> list[int]:
        found = [
            i
            for i in range(max(0, pos - reach), min(limit, pos + reach) + 1)
            if (not snap_start or _is_boundary(text, i))
            and (quote[:1].isspace() or i >= n or not text[i].isspace())
        ]
        return found or [min(pos, limit)]

    def ends_near(pos: int, floor: int) -> list[int]:
        found = [
            i
            for i in range(max(floor, pos - reach), min(n, pos + reach) + 1)
            if (not snap_end or _is_boundary(text, i))
            and (quote[-1:].isspace() or i <= 0 or not text[i - 1].isspace())
        ]
        return found or [max(pos, floor)]

    def best(candidates: list[tuple[int, int]]) -> tuple[int, int]:
        # Context counts: a changed last word is kept when what follows it is unchanged.
        return max(candidates, key=lambda sp: _score(sel, text, *sp))

    for _ in range(2):
        start, end = best([(s, end) for s in starts_near(start, end - 1)])
        start, end = best([(start, e) for e in ends_near(end, start + 1)])
    return _trim(text, start, end, quote)
