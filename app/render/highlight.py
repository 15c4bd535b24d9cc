"""Article text with highlighted spans (entities, claims, annotations, boilerplate) as HTML.

Escape first, then wrap: every piece of article text is HTML-escaped, and the only markup
is the elements built here from the spans. Spans may overlap partially; the output stays
well-formed because an element that would cross another is split into pieces. A split (or
clipped) piece carries the span's attributes plus ``data-part="start" | "middle" | "end"``,
so styles that mark a span's beginning and end (brackets, rounded corners) can use it.

Offsets are code-point offsets into the whole article, end exclusive; ``start``/``end``
render one paragraph at a time without re-basing the spans.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape

__all__ = ["Highlight", "highlight"]

# Which element is outermost when two spans cover exactly the same text.
_KIND_ORDER = {"boilerplate": 0, "claim": 1, "annotation": 2, "entity": 3}
_TAG = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*\Z")
_ATTR = re.compile(r"[a-zA-Z_:][-a-zA-Z0-9_:.]*\Z")
_PART = "data-part"


@dataclass(frozen=True)
class Highlight:
    """A range of the article to wrap in ``<tag attrs…>``."""

    start: int
    end: int
    kind: str  # "entity", "claim", "annotation", "boilerplate"
    attrs: tuple[tuple[str, str], ...]
    tag: str = "mark"


@dataclass
class _Piece:
    """One element of a span: the whole span, or a piece of a span that had to be split."""

    span: int  # index into the clipped spans
    start: int
    end: int = -1  # set when the element closes


@dataclass(frozen=True)
class _Close:
    span: int


_Event = tuple[int, int] | _Piece | _Close  # text range, element opens, element closes


def highlight(
    text: str, spans: Sequence[Highlight], *, start: int = 0, end: int | None = None
) -> str:
    """Render ``text[start:end]`` as escaped HTML with ``spans`` as nested elements."""
    stop = len(text) if end is None else end
    if not 0 <= start <= stop <= len(text):
        raise ValueError(f"range [{start}, {end}) is outside the text (0 to {len(text)})")

    clipped: list[tuple[int, int, Highlight]] = []
    for span in spans:
        if span.end < span.start:
            raise ValueError(f"span [{span.start}, {span.end}) ends before it starts")
        s, e = max(span.start, start), min(span.end, stop)
        if e > s:
            clipped.append((s, e, span))
    opening = [_open_tag(span) for _, _, span in clipped]

    events = _nest(clipped, start, stop)
    out: list[str] = []
    for event in events:
        if isinstance(event, tuple):
            out.append(escape(text[event[0] : event[1]], quote=True))
        elif isinstance(event, _Close):
            out.append(f"</{clipped[event.span][2].tag}>")
        else:
            out.append(opening[event.span])
            part = _part(clipped[event.span][2], event)
            out.append(f' {_PART}="{part}">' if part else ">")
    return "".join(out)


def _nest(clipped: list[tuple[int, int, Highlight]], start: int, stop: int) -> list[_Event]:
    """Events in document order, with every element closed inside its parent.

    At each boundary, the spans ending there are closed together with any element opened
    inside them; those that go on are reopened as new pieces.
    """

    def order(i: int) -> tuple[int, int, int]:
        # Longer spans outside, so fewer elements need splitting later.
        return (-clipped[i][1], _KIND_ORDER.get(clipped[i][2].kind, len(_KIND_ORDER)), i)

    starting: dict[int, list[int]] = {}
    for i, (s, _, _) in enumerate(clipped):
        starting.setdefault(s, []).append(i)
    points = sorted({start, stop, *starting, *(e for _, e, _ in clipped)})

    events: list[_Event] = []
    stack: list[_Piece] = []
    previous = start
    for point in points:
        if point > previous:
            events.append((previous, point))
            previous = point
        lowest = next((k for k, p in enumerate(stack) if clipped[p.span][1] == point), None)
        reopen: list[int] = []
        if lowest is not None:
            while len(stack) > lowest:
                piece = stack.pop()
                piece.end = point
                events.append(_Close(piece.span))
                if clipped[piece.span][1] > point:
                    reopen.append(piece.span)
        for i in sorted(reopen + starting.get(point, []), key=order):
            piece = _Piece(i, point)
            stack.append(piece)
            events.append(piece)
    return events


def _part(span: Highlight, piece: _Piece) -> str:
    first, last = piece.start == span.start, piece.end == span.end
    if first and last:
        return ""
    return "start" if first else "end" if last else "middle"


def _open_tag(span: Highlight) -> str:
    parts = [f"<{_checked_tag(span.tag)}"]
    for name, value in span.attrs:
        parts.append(f' {_checked_attribute(name)}="{escape(value, quote=True)}"')
    return "".join(parts)


@cache
def _checked_tag(tag: str) -> str:
    if not _TAG.match(tag):
        raise ValueError(f"not an element name: {tag!r}")
    return tag


@cache
def _checked_attribute(name: str) -> str:
    # Inline handlers are refused by the CSP anyway; one here is a bug, not a style.
    if not _ATTR.match(name) or name.lower().startswith("on") or name == _PART:
        raise ValueError(f"attribute name not allowed on a highlight: {name!r}")
    return name
