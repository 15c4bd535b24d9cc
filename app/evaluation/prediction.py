"""What the program found in one article, in the plain shape the scorer reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FoundFigure:
    start: int  # offsets into Prediction.text
    end: int
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    period: str | None = None
    previous: float | None = None


@dataclass(frozen=True)
class FoundClaim:
    start: int
    end: int
    kind: str
    attribution: str | None  # the source as written
    attribution_entity: str | None = None  # the name of the entity the source links to
    figures: tuple[FoundFigure, ...] = ()


@dataclass(frozen=True)
class FoundEntity:
    text: str
    label: str


@dataclass(frozen=True)
class Prediction:
    text: str  # the article text every offset points into
    claims: tuple[FoundClaim, ...]
    entities: tuple[FoundEntity, ...]
    published: str | None  # ISO date
