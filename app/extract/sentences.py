"""Rule-based sentence splitting with offsets into the original text.

spaCy's parser would do this too, but claims are extracted for every upload and every
re-extraction, and a regex pass is two orders of magnitude faster; news prose needs only
a handful of rules (abbreviations, initials, closing quotes, ellipses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.words import wordset as _wordset


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


# A period after these never ends a sentence: a name or a number always follows.
_TITLES = _wordset(
    """mr mrs ms dr prof st gen col lt sgt capt maj cmdr adm gov sen rep pres rev hon mt ft
    no nos vol vols fig figs approx est dept univ vs cf al e.g i.e art sec ch pp p"""
)
# These may end a sentence ("… in the U.S. The next day"): only a typical sentence opener
# after them makes a boundary.
_MAY_END = _wordset(
    """inc ltd co corp jr sr etc u.s u.k u.n e.u d.c a.m p.m jan feb mar apr jun jul aug sep
    sept oct nov dec"""
)
# A state after a dateline's city: "PORTLAND, Ore. (AP) — …" goes on; "in Wichita, Kan. Boeing
# cut …" ends.
_STATES = _wordset(
    """ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo
    mont neb nev okla ore pa tenn tex va vt wash wis wyo"""
)
_OPENERS = _wordset(
    """the this that these those it its he she they we i you but and or so yet in on at as
    a an if when while after before since however meanwhile still then there here his her
    their our my what why how who according despite although though during"""
)

# Terminal punctuation, then any closing quotes/brackets, then the gap to the next sentence.
# A run of marks is tried from its first mark only, and without backtracking: tried from
# every mark of a long run ("!!!!…"), each attempt scanned the rest of the run.
_CANDIDATE = re.compile(r"(?:(?<![.!?])[.!?]++|…)[\"”’')\]]*+(?=\s|$)")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_LINE_BREAK = re.compile(r"\n")
_TOKEN_BEFORE = re.compile(r"(\S+?)[.!?…]*$")
# Titles, initials and abbreviations are short: the token before a mark is read from this
# many characters at most, so a text without spaces is not scanned back to its start.
_LOOKBACK = 32
_CONTINUES = ",;:(-–—"
_SCALE_BEFORE = re.compile(r"(?:degrees?\s+|°\s?)[CF]$")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
    """The sentences of text[start:end], each with offsets into `text`, whitespace trimmed."""
    stop = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    if start >= stop:
        return []
    cuts = sorted(set(_boundaries(text, start, stop)))
    sentences: list[Sentence] = []
    begin = start
    for cut in [*cuts, stop]:
        s, e = _trim(text, begin, cut)
        if s < e:
            sentences.append(Sentence(s, e, text[s:e]))
        begin = cut
    return sentences


def _boundaries(text: str, start: int, stop: int) -> list[int]:
    cuts: list[int] = []
    for m in _CANDIDATE.finditer(text, start, stop):
        if _is_boundary(text, m.start(), m.end(), stop):
            cuts.append(m.end())
    for m in _PARAGRAPH_BREAK.finditer(text, start, stop):
        cuts.append(m.start())
    for m in _LINE_BREAK.finditer(text, start, stop):
        if _line_break_ends_sentence(text, m.start(), start, stop):
            cuts.append(m.start())
    return cuts


def _is_boundary(text: str, punct_start: int, punct_end: int, stop: int) -> bool:
    nxt = _next_visible(text, punct_end, stop)
    if nxt is None:
        return True
    ch = text[nxt]
    # "“What?” he asked", "e.g. a rule", "approx. ten": a lowercase follower continues.
    if ch.islower() or ch in ",;:":
        return False
    if text[punct_start] != ".":
        return True
    token = _token_before(text, punct_start)
    if not token:
        return True
    low = token.lower()
    if low in _TITLES:
        return False
    if len(token) == 1 and token.isupper():
        # An initial ("Donald J. Trump"), unless it is a temperature's scale: "1.5 degree C."
        return _SCALE_BEFORE.search(text, max(0, punct_start - 12), punct_start) is not None
    if low in _STATES and ch in "(—–-":
        return False
    if low in _MAY_END:
        return _next_word(text, nxt, stop).lower() in _OPENERS
    return True


def _line_break_ends_sentence(text: str, at: int, start: int, stop: int) -> bool:
    nxt = _next_visible(text, at + 1, stop)
    if nxt is None or text[nxt].islower():
        return False
    prev = at - 1
    while prev >= start and text[prev] in " \t\r":
        prev -= 1
    return prev >= start and text[prev] not in _CONTINUES


def _token_before(text: str, punct_start: int) -> str:
    floor = max(0, punct_start - _LOOKBACK)
    line_start = max(
        floor, text.rfind(" ", floor, punct_start) + 1, text.rfind("\n", floor, punct_start) + 1
    )
    m = _TOKEN_BEFORE.search(text, line_start, punct_start)
    token = m.group(1) if m else ""
    return token.lstrip("(\"“‘'[")


def _next_visible(text: str, pos: int, stop: int) -> int | None:
    while pos < stop and text[pos].isspace():
        pos += 1
    return pos if pos < stop else None


def _next_word(text: str, pos: int, stop: int) -> str:
    end = pos
    while end < stop and (text[end].isalpha() or text[end] in "'’"):
        end += 1
    return text[pos:end]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
