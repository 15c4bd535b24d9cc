"""What the read services hand to a page and to the JSON API alike: each page model holds
the stored records a page draws and the shapes the API sends (`app.present`), so an HTML
page and its JSON twin are built from one read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.models import Annotation, Article, Claim, Collection, CollectionItem, Conflict, Mention
from app.render.snippet import Part
from app.schemas import AnnotationOut, ConflictOut, LinkOut
from app.verdicts import Standing, VerdictChange


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
    verdict_changes: list[VerdictChange]  # each analyst's verdicts over time, oldest first
    relayed: tuple[str, ...] = ()  # named reports that several independent articles relay
    page: int | None = None  # the PDF page the claim is on
    names: tuple[Mention, ...] = ()  # the entities named in its words, each once


@dataclass(frozen=True)
class AnnotationPanel:
    """A note with its replies and links (`GET /annotations/{id}`): on a passage, or on a
    claim (`claim` and its `status` then)."""

    root: AnnotationOut
    threads: list[Thread]
    article: Article
    links: list[LinkOut]
    context: tuple[str, str, str]  # the words before the passage, the passage, the words after
    claim: Claim | None = None
    status: Standing | None = None


@dataclass(frozen=True)
class ArticleNotes:
    """The reading page's list of an article's notes: placed ones in reading order, the
    orphans, and the standing verdict of each claim a note is on."""

    notes: list[Annotation]
    orphans: list[Annotation]
    status: dict[int, Standing]


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
    articles: dict[int, Any]  # {article id: (title, slug)}
    status: dict[int, Standing]


@dataclass(frozen=True)
class SearchResult:
    """A search hit named by what it found, with its snippet and where it opens."""

    kind: str  # "article", "claim", "annotation", "entity"
    id: int
    article_id: int | None
    name: str  # the claim's words, the note's words, the entity's name, the article's title
    parts: list[Part]  # the snippet (of `name`, but for an article), matching words marked
    href: str  # in the article at the highlight (an entity: its page)
    article_title: str | None = None
    label: str | None = None  # an entity's label
    on: str | None = None  # the words a note is on

    @property
    def snippet(self) -> str:
        return "".join(p.text for p in self.parts)
