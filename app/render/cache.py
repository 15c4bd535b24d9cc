"""Rendered article bodies, kept by what they are drawn from.

An article's highlighted body changes only when its text or extraction changes (a new
`updated_at`: ingest is the only writer of blocks, mentions and claims) or when one of its
annotations does (placed, edited, judged, deleted). The key holds exactly those, read from
the database on every request, so a body is never served stale, whichever process wrote."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from threading import Lock

from cachetools import LRUCache

from app.render.article import RenderedBlock


@dataclass(frozen=True)
class RenderedBody:
    blocks: tuple[RenderedBlock, ...]
    claim_count: int
    labels: tuple[str, ...]


class BodyCache:
    """A bounded least-recently-used map from a body's key to the body. Rendering happens
    outside the lock: two requests for one new body may both render it, and neither
    waits for the other."""

    def __init__(self, size: int = 256) -> None:
        self._bodies: LRUCache[Hashable, RenderedBody] = LRUCache(maxsize=size)
        self._lock = Lock()

    def get(self, key: Hashable, render: Callable[[], RenderedBody]) -> RenderedBody:
        with self._lock:
            body = self._bodies.get(key)
        if body is None:
            body = render()
            with self._lock:
                self._bodies[key] = body
        return body

    def __len__(self) -> int:
        return len(self._bodies)
