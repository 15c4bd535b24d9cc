"""What an export is made of: plain frozen records, gathered from the database by
`app.services.exports` (one query per kind) and read by every exporter."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# uuid5 namespace of reading-room IRIs: an annotation's IRI is derived from what never
# changes about it, so re-exporting the same database (or a backup of it) gives the same IRI.
_IRI_NAMESPACE = uuid.UUID("9d3c1f0e-5b1a-4c39-8f0e-2a6b7c1d4e5f")
ARTICLE_IRI_PREFIX = "urn:readingroom:article:"
SOURCE_FILE_IRI_PREFIX = "urn:readingroom:source-file:"
ENTITY_IRI_PREFIX = "urn:readingroom:entity:"


@dataclass(frozen=True)
class ArticleRecord:
    id: int
    slug: str
    title: str
    publisher: str | None
    author: str | None
    source_file: str | None
    content_hash: str
    url: str | None = None  # where it is on the web (`present.address`)
    origin_id: int | None = None  # origin article of its provenance group, if it has one

    @property
    def iri(self) -> str:
        """Stable across reading rooms: the same source bytes give the same IRI."""
        return ARTICLE_IRI_PREFIX + self.content_hash


@dataclass(frozen=True)
class FigureRecord:
    text: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class ReferredClaim:
    """A claim an export mentions: enough to name it and to select its words."""

    id: int
    article_id: int
    text: str
    start: int
    end: int
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class ClaimRecord(ReferredClaim):
    """A claim in the exported set, with what the reading room knows about it."""

    kind: str = "statement"
    paragraph: int | None = None  # 1-based, counting the article's paragraphs
    page: int | None = None  # the page of a PDF the claim is on
    attribution: str | None = None
    attribution_context: str | None = None
    attribution_label: str | None = None  # entity label (PERSON, ORG, ...) when resolved
    figures: tuple[FigureRecord, ...] = ()
    cluster: tuple[int, ...] = ()  # claims asserting the same thing (direct neighbours)
    conflicts: tuple[tuple[int, str], ...] = ()  # (claim id, reason)
    article_count: int = 1
    independent_sources: int = 1
    attribution_corrected_by: str | None = None  # the analyst whose correction stands
    attribution_corrected_at: datetime | None = None


@dataclass(frozen=True)
class ReferredNote:
    """An annotation an export mentions (a link's end): enough to name it."""

    id: int
    article_id: int
    claim_id: int | None
    analyst: str
    created: datetime
    exact: str = ""
    external_id: str | None = None

    @property
    def iri(self) -> str:
        return self.external_id or derived_iri("annotation", self.id, self.analyst, self.created)


@dataclass(frozen=True)
class NoteRecord(ReferredNote):
    """An annotation in the exported set: a note, verdict and/or tags on a claim or passage."""

    reply_to: int | None = None
    body: str = ""
    verdict: str | None = None
    tags: tuple[str, ...] = ()
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    anchor_status: str = "anchored"
    modified: datetime | None = None


@dataclass(frozen=True)
class VerdictRecord:
    """An analyst's standing verdict on an exported claim, and since when it stands."""

    claim_id: int
    analyst: str
    verdict: str
    at: datetime

    @property
    def iri(self) -> str:
        return derived_iri(f"verdict|{self.verdict}", self.claim_id, self.analyst, self.at)


@dataclass(frozen=True)
class LinkEndRecord:
    kind: str  # "claim" or "annotation"
    id: int


@dataclass(frozen=True)
class LinkRecord:
    id: int
    relation: str
    source: LinkEndRecord
    target: LinkEndRecord
    analyst: str
    created: datetime
    note: str = ""
    origin: str = "analyst"
    external_id: str | None = None

    @property
    def iri(self) -> str:
        return self.external_id or derived_iri("link", self.id, self.analyst, self.created)


@dataclass(frozen=True)
class CorrectionRecord:
    """An analyst's correction, in terms another reading room can find: the article by its
    IRI, a span by quote and position, an entity by `{key, label, name}` (as the machine had
    it when the correction was made); `value` names entities and articles the same way."""

    id: int
    kind: str
    analyst: str
    created: datetime
    article_id: int | None = None
    entity: dict[str, str] | None = None
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    value: Any = None
    reason: str = ""
    withdrawn: datetime | None = None
    withdrawn_by: str | None = None
    external_id: str | None = None

    @property
    def iri(self) -> str:
        return self.external_id or derived_iri("correction", self.id, self.analyst, self.created)


@dataclass(frozen=True)
class ExportSet:
    """One annotated set: the claims and annotations chosen by a filter or a collection,
    with every article, claim and annotation they refer to."""

    title: str
    filters: tuple[tuple[str, str], ...]
    exported_at: datetime
    exported_by: str
    articles: tuple[ArticleRecord, ...] = ()
    claims: tuple[ClaimRecord, ...] = ()
    notes: tuple[NoteRecord, ...] = ()  # on the claims, on passages, and their replies
    verdicts: tuple[VerdictRecord, ...] = ()  # the standing verdicts on the claims
    links: tuple[LinkRecord, ...] = ()
    other_claims: tuple[ReferredClaim, ...] = ()  # referred to, not exported
    other_notes: tuple[ReferredNote, ...] = ()  # referred to, not exported
    corrections: tuple[CorrectionRecord, ...] = ()  # of the exported articles and entities
    _index: dict[str, dict[int, object]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def article(self, article_id: int) -> ArticleRecord | None:
        return self._lookup("articles", article_id)  # type: ignore[return-value]

    def claim(self, claim_id: int) -> ReferredClaim | None:
        found = self._lookup("claims", claim_id)
        return found if found is not None else self._lookup("other_claims", claim_id)  # type: ignore[return-value]

    def note(self, note_id: int) -> ReferredNote | None:
        found = self._lookup("notes", note_id)
        return found if found is not None else self._lookup("other_notes", note_id)  # type: ignore[return-value]

    def _table(self, name: str) -> dict[int, object]:
        if name not in self._index:
            self._index[name] = {r.id: r for r in getattr(self, name)}
        return self._index[name]

    def _lookup(self, name: str, key: int) -> object | None:
        return self._table(name).get(key)


@dataclass(frozen=True, slots=True)
class ClaimPlace:
    """Where an exported claim stands in a document, and the exported claims it is grouped
    with (same-claim neighbours)."""

    id: int
    article_id: int
    start: int
    cluster: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class NotePlace:
    """Where an exported annotation stands in a document: its thread and its place."""

    id: int
    article_id: int
    claim_id: int | None
    reply_to: int | None
    created: datetime
    start: int | None = None


@dataclass(frozen=True)
class Outline:
    """What a document written in parts knows before it reads any part: the set's ids in
    document order (`article_order` ranks the articles) and nothing of their text, so the
    records in memory are one part's whatever the size of the set."""

    title: str
    filters: tuple[tuple[str, str], ...]
    exported_at: datetime
    exported_by: str
    article_order: dict[int, int]
    claims: tuple[ClaimPlace, ...]
    notes: tuple[NotePlace, ...]

    @classmethod
    def of(cls, export: ExportSet) -> Outline:
        """The outline of a set gathered whole."""
        chosen = {c.id for c in export.claims}
        return cls(
            title=export.title,
            filters=export.filters,
            exported_at=export.exported_at,
            exported_by=export.exported_by,
            article_order={a.id: i for i, a in enumerate(export.articles)},
            claims=tuple(
                ClaimPlace(c.id, c.article_id, c.start, tuple(i for i in c.cluster if i in chosen))
                for c in export.claims
            ),
            notes=tuple(
                NotePlace(n.id, n.article_id, n.claim_id, n.reply_to, n.created, n.start)
                for n in export.notes
            ),
        )


def article_order_key(a: Any) -> tuple[bool, str, str, int]:
    """Articles in an export (an ArticleRecord, or a row of its id, source file and
    title): by source file, then pasted texts by title."""
    return (a.source_file is None, a.source_file or "", a.title, a.id)


def derived_iri(kind: str, local_id: int, analyst: str, created: datetime) -> str:
    """The IRI of an annotation or link made here (one imported keeps its own IRI)."""
    stamp = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return "urn:uuid:" + str(uuid.uuid5(_IRI_NAMESPACE, f"{kind}|{local_id}|{analyst}|{stamp}"))


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def verdicts_by_claim(verdicts: Iterable[VerdictRecord]) -> dict[int, dict[str, VerdictRecord]]:
    """{claim id: {analyst: their standing verdict}}: what each claim's standing verdict is
    made of (`app.verdicts`)."""
    found: dict[int, dict[str, VerdictRecord]] = defaultdict(dict)
    for v in verdicts:
        found[v.claim_id][v.analyst] = v
    return dict(found)
