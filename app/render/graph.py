"""A provenance group drawn as a family: its origin at the top and each copy on a row of its
own below it, joined by a line as thick as the text they share. One row per article, each
label alone on its row and cut to the room left of the similarity figure, so no two labels
can overlap however long the titles. Pure; the template draws the SVG."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
ROW = 30
TOP = 18
LEFT = 14
INDENT = 36
LABEL_GAP = 14
SIMILARITY_ROOM = 86  # the similarity figure at the right end of a row
# Labels are drawn at FONT_PX (static/app.css, .family .node-label); 0.85 em a character
# is more than a title's letters take on average, so a title cut to the room always ends
# before the similarity figure.
FONT_PX = 13
CHAR_WIDTH = 0.85 * FONT_PX


@dataclass(frozen=True)
class Node:
    id: int
    title: str  # the full title (the node's tooltip)
    label: str  # the title cut to the room on its row
    x: float
    y: float
    origin: bool
    similarity: float | None  # to the origin (or, without one, to its closest member)


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    weight: float


@dataclass(frozen=True)
class Family:
    nodes: list[Node]
    lines: list[Line]
    width: int
    height: int


def _cut(title: str, x: float) -> str:
    room = int((WIDTH - SIMILARITY_ROOM - x - LABEL_GAP) // CHAR_WIDTH)
    title = " ".join(title.split())
    return title if len(title) <= room else title[: max(1, room - 1)].rstrip() + "…"


def family(
    members: Sequence[tuple[int, str]], origin: int | None, edges: Sequence[tuple[int, int, float]]
) -> Family:
    """`members` are (id, title); `edges` the (a, b, similarity) between them. The origin's
    copies are ordered by their similarity to it; without an origin every member is a row
    of one level. Deterministic."""
    weight: dict[frozenset[int], float] = {frozenset((a, b)): s for a, b, s in edges}

    def closest(m: int) -> float | None:
        if origin is not None and m != origin:
            return weight.get(frozenset((m, origin)))
        found = [s for pair, s in weight.items() if m in pair]
        return max(found) if found else None

    rest = [m for m in members if m[0] != origin]
    rest.sort(key=lambda m: (-(closest(m[0]) or 0.0), m[0]))
    nodes: list[Node] = []
    lines: list[Line] = []
    top = [m for m in members if m[0] == origin]
    for article_id, title in top:
        nodes.append(Node(article_id, title, _cut(title, LEFT), LEFT, TOP, True, None))
    x = LEFT + INDENT if top else LEFT
    for i, (article_id, title) in enumerate(rest, start=len(top)):
        y = TOP + i * ROW
        s = closest(article_id)
        nodes.append(Node(article_id, title, _cut(title, x), x, y, False, s))
        if top:
            lines.append(Line(LEFT, y, x, y, s or 0.0))
    if top and rest:
        lines.insert(0, Line(LEFT, TOP, LEFT, TOP + (len(nodes) - 1) * ROW, 0.0))
    return Family(nodes, lines, WIDTH, TOP * 2 + (len(nodes) - 1) * ROW)
