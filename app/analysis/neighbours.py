"""A claim's neighbours: the claims that assert the same thing (suggested and not dismissed,
or linked by an analyst as the same claim) and the claims whose figures conflict with it.

One rule for the claim panel and the exports; the caller reads the suggestion and link rows
(in one query for any number of claims) and this decides."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Neighbours:
    same: list[int]  # claim ids, ascending
    conflicts: list[tuple[int, str]]  # (claim id, reason), ascending


def neighbours(
    claim_ids: Iterable[int],
    suggestions: Iterable[tuple[int, int, str, str, str]],
    same_claim_links: Iterable[tuple[int | None, int | None]],
) -> dict[int, Neighbours]:
    """For each of `claim_ids`: `suggestions` are (claim a, claim b, kind, status, reason),
    `same_claim_links` the (source claim, target claim) of live same-claim links."""
    wanted = set(claim_ids)
    same: dict[int, set[int]] = defaultdict(set)
    conflicts: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for a, b, kind, status, reason in suggestions:
        if status == "dismissed" or a == b:
            continue
        for me, other in ((a, b), (b, a)):
            if me in wanted:
                if kind == "same_claim":
                    same[me].add(other)
                elif kind == "conflict":
                    conflicts[me].add((other, reason))
    for source, target in same_claim_links:
        if source is not None and target is not None and source != target:
            for me, other in ((source, target), (target, source)):
                if me in wanted:
                    same[me].add(other)
    return {i: Neighbours(sorted(same[i]), sorted(conflicts[i])) for i in wanted}
