"""A search result's snippet: a stretch of plain text around the first word that matched,
with every matching word marked. A word matches a typed term when it starts with it (so
"recruit" finds "recruits") or shares its Snowball stem (as PostgreSQL's English search
reads "recruiting")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.words import english_stem as stem

_WORD = re.compile(r"\w+", re.UNICODE)
AROUND = 90  # characters of text shown before and after the first match


@dataclass(frozen=True)
class Part:
    text: str
    marked: bool = False


def snippet(text: str, terms: list[str], *, around: int = AROUND) -> list[Part]:
    """`text` (one line: runs of spaces made one) cut around its first match, as parts."""
    text = " ".join(text.split())
    spans = _matches(text, terms)
    first = spans[0][0] if spans else 0
    start = max(0, first - around)
    end = min(len(text), (spans[0][1] if spans else 0) + 2 * around)
    if start > 0 and " " in text[start:first]:
        start = text.index(" ", start) + 1
    if end < len(text) and " " in text[first:end]:
        end = text.rindex(" ", first, end)
    parts = [Part("…")] if start > 0 else []
    at = start
    for s, e in spans:
        if s < start or e > end:
            continue
        if s > at:
            parts.append(Part(text[at:s]))
        parts.append(Part(text[s:e], marked=True))
        at = e
    if at < end:
        parts.append(Part(text[at:end]))
    if end < len(text):
        parts.append(Part("…"))
    return parts


def _matches(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the terms match, in order, without overlaps: a term of one word as a word
    prefix or by its stem, a term of several ("25,000") as it was typed."""
    words = [w.casefold() for t in terms if len(ws := _WORD.findall(t)) == 1 for w in ws]
    phrases = [t for t in terms if len(_WORD.findall(t)) > 1]
    stems = {stem(w) for w in words}
    found = [
        (m.start(), m.end())
        for m in _WORD.finditer(text)
        if words and ((w := m.group().casefold()).startswith(tuple(words)) or stem(w) in stems)
    ]
    for phrase in phrases:
        found += [(m.start(), m.end()) for m in re.finditer(re.escape(phrase), text, re.I)]
    spans: list[tuple[int, int]] = []
    for s, e in sorted(found):
        if not spans or s >= spans[-1][1]:
            spans.append((s, e))
    return spans


def plain(parts: list[Part]) -> str:
    return "".join(p.text for p in parts)
