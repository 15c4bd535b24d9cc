"""What a careful reader marked in one article: the values the scorer compares against.

`load_article` reads the real-news gold format (`<id>.json` beside `<id>.txt`, described
in tests/golden/realnews/README.md); other sources of gold build the same values."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class GoldFigure:
    text: str  # the figure as written, inside its claim's quote
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    period: str | None = None
    previous: float | None = None  # "from 72,224 to 68,557": 72224


@dataclass(frozen=True)
class GoldClaim:
    quote: str  # the sentence as it stands in the text
    kind: str
    attribution: str | None
    alternatives: tuple[str, ...] = ()
    attribution_entity: str | None = None
    figures: tuple[GoldFigure, ...] = ()


@dataclass(frozen=True)
class GoldNotClaim:
    quote: str
    why: str  # opinion, forecast, question, headline, caption, byline, navigation, …


@dataclass(frozen=True)
class GoldEntity:
    text: str
    label: str  # OntoNotes


@dataclass(frozen=True)
class GoldArticle:
    id: str
    filename: str  # the name ingest sees (its extension picks the reader)
    data: bytes  # the article's bytes as published
    claims: tuple[GoldClaim, ...]
    entities: tuple[GoldEntity, ...] = ()
    not_claims: tuple[GoldNotClaim, ...] = ()
    published: str | None = None  # ISO date, or None when nothing in the article says it
    # Where the date was read: "dateline" or "byline" (in the text), or "page metadata"
    # (the page's markup, which a plain-text copy no longer carries).
    published_source: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # topic, shape, outlet, source_url


def load_article(annotation: Path) -> GoldArticle:
    """One `<id>.json` of the real-news gold set and the `<id>.txt` beside it."""
    doc: dict[str, Any] = json.loads(annotation.read_text(encoding="utf-8"))
    text_path = annotation.with_suffix(".txt")
    return GoldArticle(
        id=doc["id"],
        filename=text_path.name,
        data=text_path.read_bytes(),
        claims=tuple(_claim(c) for c in doc["claims"]),
        entities=tuple(GoldEntity(e["text"], e["label"]) for e in doc["entities"]),
        not_claims=tuple(GoldNotClaim(n["quote"], n["why"]) for n in doc["not_claims"]),
        published=doc["published"],
        published_source=doc["published_source"],
        meta={k: str(doc[k]) for k in ("topic", "shape", "outlet", "source_url")},
    )


def load_dir(folder: Path) -> list[GoldArticle]:
    return [load_article(p) for p in sorted(folder.glob("*.json"))]


def _claim(c: dict[str, Any]) -> GoldClaim:
    return GoldClaim(
        quote=c["quote"],
        kind=c["kind"],
        attribution=c["attribution"],
        alternatives=tuple(c["attribution_alternatives"]),
        attribution_entity=c["attribution_entity"],
        figures=tuple(_figure(f) for f in c["figures"]),
    )


def _figure(f: dict[str, Any]) -> GoldFigure:
    return GoldFigure(
        text=f["text"],
        value=f["value"],
        low=f["low"],
        high=f["high"],
        unit=f["unit"],
        period=f["period"],
        previous=f.get("from"),
    )
