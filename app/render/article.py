"""An article's blocks as HTML with its entities, claims and annotations marked.

Escape first, then wrap (render/highlight.py): article text never reaches the page
unescaped, and each block is rendered from spans fetched in one query per kind."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from app.render.highlight import Highlight, highlight
from app.vocab import LABEL_WORDS


@dataclass(frozen=True)
class RenderedBlock:
    kind: str
    html: Markup
    position: int
    start16: int  # the block's start in UTF-16 units: what the browser's selection counts
    start: int = 0  # code points, as the spans count
    end: int = 0


def _entity_span(m: Any) -> Highlight:
    return Highlight(
        m.start,
        m.end,
        "entity",
        (
            ("class", f"ent ent-{m.label}"),
            ("data-label", m.label),
            ("data-kind", LABEL_WORDS.get(m.label, m.label)),
            ("href", f"/entities/{m.entity_id}"),
            ("title", LABEL_WORDS.get(m.label, m.label)),
        ),
        tag="a",
    )


def claim_label(text: str, verdict: str | None, notes: int) -> str:
    """What a screen reader says for a claim in the text: its verdict, its notes, its words."""
    said = verdict or "not judged"
    if notes:
        said += f", {notes} note{'s' if notes != 1 else ''}"
    return f"Claim ({said}): {text}"


def _claim_span(c: Any, verdict: str | None, notes: int) -> Highlight:
    attrs = [
        ("class", "claim"),
        ("id", f"claim-{c.id}"),
        ("data-claim", str(c.id)),
        ("tabindex", "0"),
        ("role", "button"),
        ("aria-label", claim_label(c.text, verdict, notes)),
        ("hx-get", f"/claims/{c.id}"),
        ("hx-target", "#panel"),
    ]
    if verdict:
        attrs.append(("data-verdict", verdict))
    if notes:
        attrs.append(("data-notes", str(notes)))
    return Highlight(c.start, c.end, "claim", tuple(attrs), tag="span")


def _annotation_span(a: Any, colours: Mapping[str, str]) -> Highlight:
    colour = next((colours[t] for t in a.tags if t in colours), None)
    tags = " ".join(f"#{t}" for t in a.tags)
    return Highlight(
        a.start,
        a.end,
        "annotation",
        (
            ("class", f"ann ann-{a.anchor_status}" + (f" tag-{colour}" if colour else "")),
            ("data-annotation", str(a.id)),
            ("title", f"Note by {a.analyst}" + (f" {tags}" if tags else "")),
        ),
    )


def spans_for(view: Any, colours: Mapping[str, str]) -> list[Highlight]:
    notes = Counter(a.claim_id for a in view.annotations if a.claim_id and not a.reply_to_id)
    spans = [_entity_span(m) for m in view.mentions]
    spans += [_claim_span(c, view.status[c.id].verdict, notes[c.id]) for c in view.claims]
    spans += [
        _annotation_span(a, colours)
        for a in view.annotations
        if a.start is not None and a.claim_id is None and a.reply_to_id is None
    ]
    return spans


def render_article(view: Any, colours: Mapping[str, str] | None = None) -> list[RenderedBlock]:
    """The article's blocks; notes tagged with a tag in `colours` ({tag: colour}) are
    marked in that colour."""
    spans = spans_for(view, colours or {})
    text = view.article.text
    rendered, units, done = [], 0, 0
    for b, within in zip(view.blocks, _by_block(spans, view.blocks), strict=True):
        start, end = b.start, b.end
        units += utf16_length(text[done:start])
        done = start
        html = highlight(text, within, start=start, end=end)
        rendered.append(RenderedBlock(b.kind, Markup(html), b.position, units, start, end))  # noqa: S704
    return rendered


def utf16_length(s: str) -> int:
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def _by_block(spans: Sequence[Highlight], blocks: Sequence[Any]) -> Iterator[list[Highlight]]:
    """The spans that overlap each block, blocks in text order, in one sweep: comparing
    every span with every block was quadratic in a long article. A span keeps its place
    among those of the same start, which decides how equal spans nest."""
    ordered = sorted(spans, key=lambda s: s.start)
    following = 0
    current: list[Highlight] = []
    for b in blocks:
        # Plain ints: a block's mapped attributes cost a descriptor call per read.
        start, end = b.start, b.end
        while following < len(ordered) and ordered[following].start < end:
            current.append(ordered[following])
            following += 1
        current = [s for s in current if s.end > start]
        yield [s for s in current if s.start < end]
