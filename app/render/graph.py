"""A picture of the corpus for the provenance page: articles as nodes, shared text as
weighted edges, provenance groups drawn together. Pure; the template draws the SVG."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 760, 520


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
class Picture:
    nodes: list[Node]
    edges: list[Edge]
    width: int = WIDTH
    height: int = HEIGHT


def layout(
    articles: Sequence[tuple[int, str, int | None]], edges: Sequence[tuple[int, int, float]]
) -> Picture:
    """Groups sit on an outer ring, each as a small circle of its members; articles in no
    group sit on an inner ring. Deterministic: the same corpus gives the same picture."""
    clusters: dict[object, list[tuple[int, str, int | None]]] = defaultdict(list)
    for item in articles:
        clusters[item[2] if item[2] is not None else ("solo", item[0])].append(item)
    places = sorted(clusters, key=lambda k: (isinstance(k, tuple), str(k)))
    cx, cy = WIDTH / 2, HEIGHT / 2
    ring = min(WIDTH, HEIGHT) / 2 - 70
    nodes: dict[int, Node] = {}
    for i, key in enumerate(places):
        angle = 2 * math.pi * i / max(1, len(places)) - math.pi / 2
        gx, gy = cx + ring * math.cos(angle), cy + ring * math.sin(angle)
        members = clusters[key]
        radius = 0 if len(members) == 1 else 28 + 6 * len(members)
        for j, (article_id, label, group) in enumerate(members):
            a = 2 * math.pi * j / len(members)
            nodes[article_id] = Node(
                article_id, label, group, gx + radius * math.cos(a), gy + radius * math.sin(a)
            )
    drawn = [Edge(nodes[a], nodes[b], w) for a, b, w in edges if a in nodes and b in nodes]
    return Picture(list(nodes.values()), drawn)
