"""What the read services hand to a page and to the JSON API alike: each page model holds
the stored records a page draws and the shapes the API sends (`app.present`), so an HTML
page and its JSON twin are built from one read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.models import Annotation, Article, Claim, Collection, CollectionItem, Conflict
from app.schemas import AnnotationOut, ConflictOut, LinkOut
from app.verdicts import Standing


@dataclass(frozen=True)
class Thread:
    """A root annotation and its replies (at any depth), in order."""

    root: AnnotationOut
    replies: list[AnnotationOut]


@dataclass(frozen=True)
class ConflictSide:
    source: int  # the source's first article
    figure: dict[str, Any]  # the stored figure the side states
    claims: list[Claim]
    articles: list[Article]


@dataclass(frozen=True)
class ConflictView:
    conflict: Conflict
    status: str  # the stored decision, or "confirmed" when linked as contradicting
    linked: bool  # a live `contradicts` link joins the two sides
    sides: list[ConflictSide]


@dataclass(frozen=True)
class ClaimPanel:
    """Everything the claim's panel shows (`GET /claims/{id}`, `GET /api/claims/{id}`)."""

    claim: Claim
    article: Article
    status: Standing
    annotations: list[AnnotationOut]
    threads: list[Thread]
    links: list[LinkOut]
    cluster: list[int]  # claims asserting the same thing
    conflicts: list[ConflictOut]
    disagreements: list[ConflictView]  # the conflicts and later figures it is part of
    others: dict[int, Claim]  # the claims of `cluster`, `conflicts` and `disagreements`
    titles: dict[int, str]  # the titles of their articles
    article_count: int
    independent_sources: int
    relayed: tuple[str, ...] = ()  # named reports that several independent articles relay


@dataclass(frozen=True)
class AnnotationPanel:
    """A note on a selection with its replies and links (`GET /annotations/{id}`)."""

    root: AnnotationOut
    threads: list[Thread]
    article: Article
    links: list[LinkOut]


@dataclass(frozen=True)
class ArticleView:
    """An article with its spans, ready for the reading page or the JSON API."""

    article: Article
    blocks: list[Any]  # rows of (position, kind, start, end)
    mentions: list[Any]  # rows of (start, end, text, label, entity_id)
    claims: list[Claim]
    status: dict[int, Standing]
    annotations: list[Annotation]


@dataclass(frozen=True)
class CollectionView:
    """A collection's page: its items with the claims, annotations and titles they need."""

    collection: Collection
    items: list[CollectionItem]
    claims: dict[int, Claim]
    annotations: dict[int, Annotation]
    titles: dict[int, str]
    status: dict[int, Standing]
