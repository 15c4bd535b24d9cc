"""The verdict that stands for a claim, from each analyst's latest verdict on it.

One rule for the pages, the JSON API and all three exports: every analyst's latest verdict
counts; when they all agree that verdict stands, when they disagree the claim is
`contested`, and a claim nobody judged has no standing verdict."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from app.vocab import CONTESTED

T = TypeVar("T")


@dataclass(frozen=True)
class Standing:
    """A claim's standing verdict and each analyst's verdict behind it."""

    verdict: str | None = None
    by: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "by": dict(self.by)}


NOT_JUDGED = Standing()


def standing_verdict(verdicts: Iterable[str]) -> str | None:
    """The common verdict of these verdicts, `contested` when they differ, None if none."""
    found = set(verdicts)
    if not found:
        return None
    return found.pop() if len(found) == 1 else CONTESTED


def standing(by: Mapping[str, str]) -> Standing:
    """The standing verdict made of each analyst's latest verdict (`{analyst: verdict}`)."""
    return Standing(standing_verdict(by.values()), dict(sorted(by.items())))


def latest_by_analyst(
    items: Iterable[T],
    *,
    claim: Callable[[T], Hashable | None],
    analyst: Callable[[T], str],
    verdict: Callable[[T], str | None],
    order: Callable[[T], Any],
) -> dict[Any, dict[str, T]]:
    """{claim: {analyst: the item holding that analyst's latest verdict on the claim}}:
    items without a claim or a verdict do not count; "latest" is the greatest `order`."""
    latest: dict[Any, dict[str, T]] = defaultdict(dict)
    judged = (i for i in items if claim(i) is not None and verdict(i))
    for item in sorted(judged, key=order):
        latest[claim(item)][analyst(item)] = item
    return dict(latest)
