"""A word-level diff of two texts, for reading a note's history.

Texts are cut into words, runs of spaces (line breaks kept) and single marks, and compared
with rapidfuzz's Indel alignment (insertions and deletions only, so a changed word reads
as the old word struck and the new one inserted). Its cost grows with the product of the
two lengths divided by 64 (bit-parallel); notes are capped at 20,000 characters, which
bounds a diff to a few milliseconds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import Indel

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Piece:
    kind: Literal["same", "removed", "added"]
    text: str


def word_diff(old: str, new: str) -> list[Piece]:
    """`old` → `new` as pieces in reading order; within each changed stretch the removed
    words come before the added ones. A few words left standing between two changes that
    are longer than them are read as part of the change ("semantic cleanup", as in
    diff-match-patch), so an edited sentence reads as one replacement, not a sieve."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    # Runs of (old text, new text): equal where both are the same string.
    runs: list[tuple[str, str]] = []
    for op in Indel.opcodes(a, b):
        was, now = "".join(a[op.src_start : op.src_end]), "".join(b[op.dest_start : op.dest_end])
        if op.tag != "equal" and runs and runs[-1][0] != runs[-1][1]:
            runs[-1] = (runs[-1][0] + was, runs[-1][1] + now)
        else:
            runs.append((was, now))
    # One pass with a stack (linear): each change absorbs the short equality before it, and
    # the change before that, as often as the rule allows.
    kept: list[tuple[str, str]] = []
    for was, now in runs:
        while was != now and len(kept) >= 2 and kept[-2][0] != kept[-2][1]:
            (pa, pb), (ea, _) = kept[-2], kept[-1]
            if len(ea) > min(max(len(pa), len(pb)), max(len(was), len(now))):
                break
            kept[-2:] = []
            was, now = pa + ea + was, pb + ea + now
        kept.append((was, now))
    out: list[Piece] = []
    for was, now in kept:
        if was == now:
            out.append(Piece("same", was))
            continue
        if was:
            out.append(Piece("removed", was))
        if now:
            out.append(Piece("added", now))
    return out
