"""The JSON API's shapes (see API.md): request bodies with their documented limits, and
the responses. Tables live in models.py; these are what crosses the wire."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)

from app.annotation_rules import MAX_ANALYST_CHARS, analyst_name
from app.corrections import Kind

MAX_NOTE_CHARS = 20_000
MAX_LINK_NOTE_CHARS = 5_000
MAX_TAGS = 20
MAX_TAG_CHARS = 60
MAX_QUOTE_CHARS = 10_000
MAX_CONTEXT_CHARS = 200
# Ids and versions are 32-bit integer columns on PostgreSQL; a number outside 1..MAX_ID is
# refused as input (422) instead of overflowing the database driver (500).
MAX_ID = 2**31 - 1

VerdictName = Literal["corroborated", "disputed", "unverified", "false", "misleading"]
RelationName = Literal["same_claim", "corroborates", "contradicts", "derived_from", "related"]
AnchorStatus = Literal["anchored", "moved", "fuzzy", "orphan"]

Timestamp = Annotated[
    datetime,
    PlainSerializer(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ"), return_type=str),
]


def _printable_name(value: str) -> str:
    name = analyst_name(value)
    if not name:
        raise ValueError("an analyst's name needs a printable character")
    return name


Analyst = Annotated[
    str, Field(min_length=1, max_length=MAX_ANALYST_CHARS), AfterValidator(_printable_name)
]
Tag = Annotated[str, Field(min_length=1, max_length=MAX_TAG_CHARS, pattern=r"\S")]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        # PostgreSQL's text cannot hold NUL; refused alike on every database.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("a NUL character (\\u0000) is not text that can be stored")
        if isinstance(value, list) and any(isinstance(v, str) and "\x00" in v for v in value):
            raise ValueError("a NUL character (\\u0000) is not text that can be stored")
        return value


# --- requests ---------------------------------------------------------------------------------


class SelectorIn(Request):
    exact: str = Field(min_length=1, max_length=MAX_QUOTE_CHARS)
    prefix: str = Field(default="", max_length=MAX_CONTEXT_CHARS)
    suffix: str = Field(default="", max_length=MAX_CONTEXT_CHARS)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    offsets: Literal["codepoint", "utf16"] = Field(
        default="codepoint",
        description="Unit of start/end: code points (default) or a browser's UTF-16 units.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> SelectorIn:
        if self.end <= self.start:
            raise ValueError("selector end must be greater than start")
        return self


class TargetIn(Request):
    claim_id: Id | None = None
    selector: SelectorIn | None = None

    @model_validator(mode="after")
    def _one(self) -> TargetIn:
        if (self.claim_id is None) == (self.selector is None):
            raise ValueError("target needs exactly one of claim_id or selector")
        return self


class AnnotationCreate(Request):
    article_id: Id | None = None
    target: TargetIn | None = None
    body: str = Field(default="", max_length=MAX_NOTE_CHARS)
    verdict: VerdictName | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    reply_to: Id | None = None
    analyst: Analyst | None = None


class AnnotationPatch(Request):
    version: int = Field(ge=1, le=MAX_ID, description="The version this edit was made from.")
    body: str | None = Field(default=None, max_length=MAX_NOTE_CHARS)
    verdict: VerdictName | None = None
    tags: list[Tag] | None = Field(default=None, max_length=MAX_TAGS)
    analyst: Analyst | None = None


class LinkCreate(Request):
    source_claim_id: Id | None = None
    source_annotation_id: Id | None = None
    target_claim_id: Id | None = None
    target_annotation_id: Id | None = None
    relation: RelationName
    note: str = Field(default="", max_length=MAX_LINK_NOTE_CHARS)
    analyst: Analyst | None = None

    @model_validator(mode="after")
    def _ends(self) -> LinkCreate:
        if (self.source_claim_id is None) == (self.source_annotation_id is None):
            raise ValueError("a link needs exactly one of source_claim_id or source_annotation_id")
        if (self.target_claim_id is None) == (self.target_annotation_id is None):
            raise ValueError("a link needs exactly one of target_claim_id or target_annotation_id")
        return self


CorrectionKind = Kind
CorrectionStatus = Literal["standing", "superseded", "withdrawn", "orphan"]


class CorrectionCreate(Request):
    """A correction of what extraction found; which fields a kind needs is in API.md.
    `value` is checked by kind (a label, a name, an id, an object of details...)."""

    kind: CorrectionKind
    article_id: Id | None = None
    entity_id: Id | None = None
    claim_id: Id | None = None
    start: int | None = Field(default=None, ge=0, le=MAX_ID)
    end: int | None = Field(default=None, ge=0, le=MAX_ID)
    value: Any = None
    analyst: Analyst | None = None
    reason: str | None = Field(default=None, max_length=MAX_LINK_NOTE_CHARS)


class VerdictPut(Request):
    verdict: VerdictName
    analyst: Analyst | None = None


class Decision(Request):
    decision: Literal["confirm", "dismiss"]
    analyst: Analyst | None = None


class ArticleCreate(Request):
    text: str = Field(min_length=1, max_length=5 * 1024 * 1024)
    title: str | None = Field(default=None, max_length=500)
    publisher: str | None = Field(default=None, max_length=200)
    author: str | None = Field(default=None, max_length=200)


class ArticleFromURL(Request):
    url: str = Field(min_length=1, max_length=2048, description="An http(s) page or PDF.")


# --- responses --------------------------------------------------------------------------------


class Problem(BaseModel):
    """Every 4xx: `detail` says what was wrong; a refused request body also lists `errors`."""

    detail: str
    errors: list[dict[str, Any]] | None = None


# Documented on every operation (the app's default responses), so clients and schema checks
# know the shape of a refusal; FastAPI's own 422 shape (a list in `detail`) is not what we send.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The body could not be parsed."},
    404: {"model": Problem, "description": "No such record."},
    422: {"model": Problem, "description": "The request is invalid; `detail` says why."},
}


class Health(BaseModel):
    status: str


class SpanOut(BaseModel):
    start: int
    end: int


class FigureOut(BaseModel):
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    period: str | None  # a rate: "day", "month"
    text: str
    scope: str | None = None  # the time it is about: "May", "November 2024"
    qualifier: str | None = None  # "approximately", "more than", "as high as"


class AttributionOut(BaseModel):
    text: str
    entity_id: int | None
    context: str | None = None


class StatusOut(BaseModel):
    verdict: str | None
    by: dict[str, str]


class VerdictChange(BaseModel):
    """One entry of a claim's verdict history: a verdict set or changed, or (`withdrawn`)
    the verdict the analyst withdrew."""

    analyst: str
    verdict: str
    at: Timestamp
    withdrawn: bool


class VerdictsOut(BaseModel):
    current: dict[str, str] = Field(description="Each analyst's standing verdict.")
    history: list[VerdictChange] = Field(description="Every change, oldest first.")


class ArticleSummary(BaseModel):
    id: int
    slug: str
    title: str
    title_derived: bool
    publisher: str | None
    author: str | None
    published: date | None  # the day of publication, as an ISO date
    source_file: str | None
    word_count: int
    claim_count: int
    annotation_count: int
    url: str | None = Field(
        default=None, description="The address it was fetched from (its canonical one)."
    )


class EntitySpan(BaseModel):
    start: int
    end: int
    text: str
    label: str
    entity_id: int


class ClaimOut(BaseModel):
    id: int
    article_id: int
    start: int
    end: int
    text: str
    kind: str
    attribution: AttributionOut | None
    figures: list[FigureOut]
    status: StatusOut
    retired: bool = False
    page: int | None = Field(default=None, description="The PDF page the claim is on.")


class ArticleDetail(ArticleSummary):
    text: str
    blocks: list[dict[str, Any]]
    boilerplate: list[SpanOut]
    headings: list[str]
    entities: list[EntitySpan]
    claims: list[ClaimOut]


class EntityOut(BaseModel):
    id: int
    name: str
    label: str
    aliases: list[str]
    mention_count: int
    article_count: int


class MentionOut(BaseModel):
    article_id: int
    start: int
    end: int
    text: str


class EntityDetail(EntityOut):
    mentions: list[MentionOut]


class SelectorOut(BaseModel):
    exact: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None


class TargetOut(BaseModel):
    claim_id: int | None
    selector: SelectorOut


class AnnotationOut(BaseModel):
    id: int
    article_id: int
    target: TargetOut
    body: str
    body_html: str
    verdict: str | None
    tags: list[str]
    analyst: str
    created: Timestamp
    modified: Timestamp
    version: int
    anchor_status: AnchorStatus
    reply_to: int | None
    deleted: bool = False


class HistoryEntry(BaseModel):
    version: int
    analyst: str
    at: Timestamp
    action: str
    change: dict[str, Any]


class LinkEndOut(BaseModel):
    claim_id: int | None
    annotation_id: int | None
    article_id: int
    article_title: str
    text: str


class LinkOut(BaseModel):
    id: int
    relation: str
    note: str
    analyst: str
    created: Timestamp
    origin: str
    source: LinkEndOut
    target: LinkEndOut


class ConflictOut(BaseModel):
    """A claim whose figure disagrees with this claim's (one pair of a conflict)."""

    claim_id: int
    reason: str
    conflict_id: int | None = None


class ConflictSideOut(BaseModel):
    """One source's side of a conflict: its figure, and every claim and article carrying it."""

    figure: FigureOut
    claims: list[int]
    articles: list[int]


class SourceConflictOut(BaseModel):
    """One disagreement between two independent sources (`kind` "conflict"), or a figure
    as of a later date (`kind` "later")."""

    id: int
    kind: str
    reason: str
    score: float
    status: str
    decided_by: str | None
    decided_at: Timestamp | None
    link_id: int | None
    sides: list[ConflictSideOut]


class ClaimDetail(ClaimOut):
    annotations: list[AnnotationOut]
    links: list[LinkOut]
    cluster: list[int]
    conflicts: list[ConflictOut]
    independent_sources: int
    article_count: int
    relayed_from: list[str] = []  # named reports that independent articles relay


class SearchHit(BaseModel):
    kind: Literal["article", "claim", "entity", "annotation"]
    id: int
    article_id: int | None
    snippet: str = Field(description="Plain text around the first match.")
    name: str = Field(description="What was found: the claim's or note's words, a name, a title.")


class ProvenanceGroupOut(BaseModel):
    articles: list[int]
    origin: int | None
    origin_reason: str | None  # why the origin was chosen ("is the only version with ...")
    similarity: float


class ProvenanceOut(BaseModel):
    groups: list[ProvenanceGroupOut]


class SuggestionOut(BaseModel):
    id: int
    kind: str
    claim_a_id: int
    claim_b_id: int
    score: float
    reason: str
    status: str
    decided_by: str | None
    decided_at: Timestamp | None
    link_id: int | None


class StaleVersion(Problem):
    """A 409: the edit was made from an old version; `current` is the annotation as it is now."""

    current: AnnotationOut | None = None


# --- collections, export and import (routes/exports.py) ---------------------------------------


class CollectionCreate(Request):
    name: str = Field(min_length=1, max_length=200, pattern=r"\S")
    description: str = Field(default="", max_length=MAX_LINK_NOTE_CHARS)
    filters: dict[str, str] | None = Field(
        default=None,
        description="A saved filter of the claims list: article, status, tag, entity, "
        "analyst, q, kind, attribution, figure.",
    )
    analyst: Analyst | None = None


class CollectionItemIn(Request):
    claim_id: int | None = None
    annotation_id: int | None = None
    analyst: Analyst | None = None

    @model_validator(mode="after")
    def _one(self) -> CollectionItemIn:
        if (self.claim_id is None) == (self.annotation_id is None):
            raise ValueError("an item is exactly one of claim_id or annotation_id")
        return self


class CollectionItemOut(BaseModel):
    id: int
    claim_id: int | None
    annotation_id: int | None
    analyst: str
    added: Timestamp


class CollectionOut(BaseModel):
    id: int
    name: str
    description: str
    filters: dict[str, Any] | None
    analyst: str
    created: Timestamp
    item_count: int


class CollectionDetail(CollectionOut):
    items: list[CollectionItemOut]


class CorrectionBrief(BaseModel):
    id: int
    analyst: str
    value: Any
    created: Timestamp


class CorrectionOut(BaseModel):
    id: int
    kind: CorrectionKind
    article_id: int | None
    entity_id: int | None
    claim_id: int | None
    start: int | None
    end: int | None
    exact: str
    value: Any
    analyst: str
    reason: str
    created: Timestamp
    status: CorrectionStatus
    anchor_status: AnchorStatus
    withdrawn: Timestamp | None
    withdrawn_by: str | None
    disagreements: list[CorrectionBrief]


class ImportReportOut(BaseModel):
    annotations: int
    verdicts: int = 0
    links: int
    corrections: int
    already_present: int
    orphans: int
    skipped: list[str]


# --- jobs (routes/jobs.py) ---------------------------------------------------------------------

JobState = Literal["queued", "running", "done", "failed", "cancelled"]


class JobRef(BaseModel):
    id: int
    url: str
    state: JobState


class Accepted(BaseModel):
    """A 202: the work runs as a job; `job.url` says how it goes."""

    job: JobRef


class JobOut(JobRef):
    kind: str
    name: str
    stage: str
    progress: float = Field(description="0 to 1.")
    article_id: int | None = Field(description="The article stored, once done.")
    error: str | None
    result: dict[str, Any] | None = Field(
        description="What an import added, updated, left unchanged and could not read."
    )
    cancel_requested: bool
    created: Timestamp
    started: Timestamp | None
    finished: Timestamp | None


# --- feeds ------------------------------------------------------------------------------------


class FeedCreate(Request):
    url: str = Field(min_length=1, max_length=2048, description="An RSS or Atom feed.")


class FeedOut(BaseModel):
    id: int
    url: str
    title: str
    added: Timestamp
    checked: Timestamp | None
    error: str | None = Field(description="Why the last check failed.")
    item_count: int


class FeedChecked(BaseModel):
    feed: FeedOut
    new_items: int = Field(description="Items seen for the first time, each queued as a job.")
