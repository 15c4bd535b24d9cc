"""Rendered article bodies, kept by what they are drawn from.

An article's highlighted body changes only when its text or extraction changes (a new
`updated_at`: ingest is the only writer of blocks, mentions and claims) or when one of its
annotations does (placed, edited, judged, deleted). The key holds exactly those, read from
the database on every request, so a body is never served stale, whichever process wrote."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from threading import Lock

from app.render.article import RenderedBlock


@dataclass(frozen=True)
class RenderedBody:
    blocks: tuple[RenderedBlock, ...]
    claim_count: int
    labels: tuple[str, ...]


class BodyCache:
    """A bounded least-recently-used map from a body's key to the body."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._bodies: OrderedDict[Hashable, RenderedBody] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, render: Callable[[], RenderedBody]) -> RenderedBody:
        with self._lock:
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
                return body
        body = render()
        with self._lock:
            self._bodies[key] = body
            while len(self._bodies) > self.size:
                self._bodies.popitem(last=False)
        return body

    def __len__(self) -> int:
        return len(self._bodies)
