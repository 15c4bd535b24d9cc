"""Small helpers shared by the benchmarks: percentiles, repeated runs, figures with targets."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) by the nearest-rank method: a value that was measured."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    """`with stopwatch() as elapsed: ...; elapsed()` in seconds, frozen at exit."""
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - start
    end.append(time.perf_counter())


@dataclass
class Figure:
    """One measured figure, as reported in results.json and the README table."""

    name: str
    value: float | None  # None: not measured (see note)
    unit: str
    target: str = ""  # "≤ 3", "≤ 50 ms", ...
    ok: bool | None = None  # None: no target
    runs: int = 0
    note: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def check(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)
