"""The verdict that stands for a claim, from each analyst's standing verdict on it.

One rule for the pages, the JSON API and all three exports: each analyst has at most one
standing verdict per claim (`services/verdict_write` keeps it so); when they all agree that
verdict stands, when they disagree the claim is `contested`, and a claim nobody judged has
no standing verdict."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.vocab import CONTESTED, VERDICTS


@dataclass(frozen=True)
class Standing:
    """A claim's standing verdict and each analyst's verdict behind it."""

    verdict: str | None = None
    by: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "by": dict(self.by)}

    @property
    def counts(self) -> list[tuple[int, str]]:
        """How many analysts hold each verdict, most held first (then in vocabulary order)."""
        order = list(VERDICTS)
        counted = Counter(self.by.values())
        ranked = sorted(counted, key=lambda v: (-counted[v], order.index(v) if v in order else 99))
        return [(counted[v], v) for v in ranked]

    @property
    def tally(self) -> str:
        """The team's verdicts counted, and what stands: "2 disputed · 1 corroborated →
        contested"; empty when nobody judged the claim."""
        if self.verdict is None:
            return ""
        return " · ".join(f"{n} {v}" for n, v in self.counts) + f" → {self.verdict}"


NOT_JUDGED = Standing()


def standing_verdict(verdicts: Iterable[str]) -> str | None:
    """The common verdict of these verdicts, `contested` when they differ, None if none."""
    found = set(verdicts)
    if not found:
        return None
    return found.pop() if len(found) == 1 else CONTESTED


def standing(by: Mapping[str, str]) -> Standing:
    """The standing verdict made of each analyst's verdict (`{analyst: verdict}`)."""
    return Standing(standing_verdict(by.values()), dict(sorted(by.items())))


@dataclass(frozen=True)
class VerdictChange:
    """One step of an analyst's verdict on a claim: `before` → `after` (None: none held)."""

    analyst: str
    before: str | None
    after: str | None
    at: datetime


def changes(events: Iterable[Any]) -> list[VerdictChange]:
    """A claim's verdict history (events with `analyst`, `verdict`, `withdrawn`, `at`, in
    order) read as changes: "Ana: disputed → corroborated"."""
    held: dict[str, str | None] = {}
    out = []
    for e in events:
        after = None if e.withdrawn else e.verdict
        out.append(VerdictChange(e.analyst, held.get(e.analyst), after, e.at))
        held[e.analyst] = after
    return out
