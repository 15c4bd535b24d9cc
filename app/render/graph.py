"""A picture of provenance groups: articles as nodes, shared text as weighted edges, each
group drawn as a small circle of its members in a cell of a grid, read left to right like
the list beside it. Pure; the template draws the SVG."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 760
CELL = 95
MARGIN = 10
NAMED_NODES = 12


@dataclass(frozen=True)
class Node:
    id: int
    label: str
    group: int | None
    x: float
    y: float


@dataclass(frozen=True)
class Edge:
    a: Node
    b: Node
    weight: float


@dataclass(frozen=True)
class Caption:
    text: str
    x: float
    y: float


@dataclass(frozen=True)
class Picture:
    nodes: list[Node]
    edges: list[Edge]
    captions: list[Caption]
    width: int = WIDTH
    height: int = CELL + 2 * MARGIN

    @property
    def names_nodes(self) -> bool:
        """Few nodes are named beside them; many are named on hover only."""
        return len(self.nodes) <= NAMED_NODES


Member = tuple[int, str, int | None]
Key = tuple[int, int]


def layout(articles: Sequence[Member], edges: Sequence[tuple[int, int, float]]) -> Picture:
    """`articles` are (id, title, group number or None); a group's cell is captioned with its
    number, and an article in no group gets a cell of its own after the groups.
    Deterministic: the same groups give the same picture."""
    clusters = _clusters(articles)
    places = sorted(clusters)
    columns = max(1, min(len(places), WIDTH // CELL))
    cell_width = WIDTH / columns
    nodes: dict[int, Node] = {}
    captions: list[Caption] = []
    for i, key in enumerate(places):
        row, column = divmod(i, columns)
        cx = cell_width * (column + 0.5)
        cy = MARGIN + CELL * row + CELL / 2 - 6
        nodes.update(_ring(clusters[key], cx, cy))
        if key[0] == 0:
            captions.append(Caption(f"Group {key[1]}", cx, cy + CELL / 2))
    drawn = [Edge(nodes[a], nodes[b], w) for a, b, w in edges if a in nodes and b in nodes]
    rows = math.ceil(len(places) / columns) or 1
    return Picture(list(nodes.values()), drawn, captions, height=rows * CELL + 2 * MARGIN)


def _clusters(articles: Sequence[Member]) -> dict[Key, list[Member]]:
    """Groups first, by number; then each article in no group, by id."""
    clusters: dict[Key, list[Member]] = defaultdict(list)
    for item in articles:
        article_id, _, group = item
        clusters[(0, group) if group is not None else (1, article_id)].append(item)
    return clusters


def _ring(members: list[Member], cx: float, cy: float) -> dict[int, Node]:
    radius = 0 if len(members) == 1 else min(CELL * 0.3, 10 + 5 * len(members))
    nodes = {}
    for j, (article_id, label, group) in enumerate(members):
        a = 2 * math.pi * j / len(members) - math.pi / 2
        nodes[article_id] = Node(
            article_id, label, group, cx + radius * math.cos(a), cy + radius * math.sin(a)
        )
    return nodes
