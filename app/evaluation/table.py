"""Scores as a plain-text table and as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.evaluation.score import KINDS, ArticleScore, Counts, Ratio


def _pct(x: float | None) -> str:
    return "   -" if x is None else f"{x:4.2f}"


def _prf(c: Counts) -> str:
    return f"{_pct(c.precision)} {_pct(c.recall)} {_pct(c.f1)}"


def _ratio(r: Ratio) -> str:
    return f"{_pct(r.value)} ({r.right}/{r.total})"


_HEADER = (
    f"{'':34} {'claims P    R    F1':20} {'attrib':6} {'figures P    R    F1':21}"
    f" {'ent P':5} {'ent R':5} {'labels':6} date"
)


def _row(s: ArticleScore) -> str:
    return (
        f"{s.id[:34]:34} {s.claims.gold:>4} {_prf(s.claims)} {_pct(s.attribution.value):>6}"
        f"  {s.figures.gold:>4} {_prf(s.figures)}  {_pct(s.entities.precision)}"
        f" {_pct(s.entities.recall)}  {_pct(s.labels.value):>6} {_pct(s.published.value)}"
    )


def summary(name: str, s: ArticleScore) -> list[str]:
    lines = [
        f"{name}: {s.meta.get('articles', '')} articles",
        f"  claims       P {_pct(s.claims.precision)}  R {_pct(s.claims.recall)}"
        f"  F1 {_pct(s.claims.f1)}   ({s.claims.gold_matched} of {s.claims.gold} gold,"
        f" {s.claims.found} found)",
        f"  attribution  {_ratio(s.attribution)}   sources {_ratio(s.sources)}"
        f"   links {_ratio(s.links)}   kinds {_ratio(s.kind_accuracy)}",
        f"  figures      P {_pct(s.figures.precision)}  R {_pct(s.figures.recall)}"
        f"  F1 {_pct(s.figures.f1)}   ({s.figures.gold_matched} of {s.figures.gold} gold,"
        f" {s.figures.found} found)",
        f"  entities     P {_pct(s.entities.precision)}  R {_pct(s.entities.recall)}"
        f"   labels {_ratio(s.labels)}",
        f"  published    {_ratio(s.published)}",
        "  per kind     " + "   ".join(f"{k} {_prf(s.kinds[k])}" for k in KINDS),
    ]
    return lines


def render(totals: Sequence[tuple[str, ArticleScore]], articles: Sequence[ArticleScore]) -> str:
    lines: list[str] = []
    for name, s in totals:
        lines += [*summary(name, s), ""]
    lines += ["per article (claims and figures: gold count, P, R, F1)", _HEADER]
    lines += [_row(s) for s in articles]
    return "\n".join(lines)


def _counts(c: Counts) -> dict[str, Any]:
    return {
        "precision": c.precision,
        "recall": c.recall,
        "f1": c.f1,
        "found": c.found,
        "gold": c.gold,
        "found_matched": c.found_matched,
        "gold_matched": c.gold_matched,
    }


def _ratio_json(r: Ratio) -> dict[str, Any]:
    return {"value": r.value, "right": r.right, "total": r.total}


def as_json(s: ArticleScore) -> dict[str, Any]:
    return {
        "id": s.id,
        "meta": s.meta,
        "claims": _counts(s.claims),
        "kinds": {k: _counts(c) for k, c in s.kinds.items()},
        "kind_accuracy": _ratio_json(s.kind_accuracy),
        "attribution": _ratio_json(s.attribution),
        "sources": _ratio_json(s.sources),
        "links": _ratio_json(s.links),
        "figures": _counts(s.figures),
        "entities": _counts(s.entities),
        "labels": _ratio_json(s.labels),
        "published": _ratio_json(s.published),
    }
