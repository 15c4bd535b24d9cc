"""Stored records and page models → the API's response shapes: one place, shared by the
JSON API and the pages that show the same things."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.models import (
    Annotation,
    Article,
    ArticleSource,
    Claim,
    Collection,
    CollectionItem,
    Feed,
    Job,
    Link,
)
from app.page_models import ArticleView, ClaimPanel, ConflictView, SearchResult, Thread
from app.schemas import (
    AnnotationOut,
    ArticleDetail,
    AttributionOut,
    ClaimDetail,
    ClaimOut,
    CollectionItemOut,
    CollectionOut,
    ConflictSideOut,
    CorrectionBrief,
    CorrectionOut,
    EntitySpan,
    FeedOut,
    FigureOut,
    JobOut,
    JobRef,
    LinkEndOut,
    LinkOut,
    SearchHit,
    SelectorOut,
    SourceConflictOut,
    SpanOut,
    StatusOut,
    TargetOut,
    VerdictChange,
    VerdictsOut,
)
from app.verdicts import NOT_JUDGED, Standing


def annotation_out(a: Annotation) -> AnnotationOut:
    return AnnotationOut(
        id=a.id,  # type: ignore[arg-type]
        article_id=a.article_id,
        target=TargetOut(
            claim_id=a.claim_id,
            selector=SelectorOut(
                exact=a.exact, prefix=a.prefix, suffix=a.suffix, start=a.start, end=a.end
            ),
        ),
        body=a.body,
        body_html=a.body_html,
        verdict=a.verdict,
        tags=list(a.tags),
        analyst=a.analyst,
        created=a.created_at,
        modified=a.modified_at,
        version=a.version,
        anchor_status=a.anchor_status,  # type: ignore[arg-type]
        reply_to=a.reply_to_id,
        deleted=a.deleted_at is not None,
    )


def threads(items: Sequence[AnnotationOut]) -> list[Thread]:
    """Annotations as threads: each root with its replies (at any depth), in order."""
    ids = {a.id for a in items}
    children: dict[int, list[AnnotationOut]] = defaultdict(list)
    for a in items:
        if a.reply_to in ids:
            children[a.reply_to].append(a)

    def flatten(a: AnnotationOut) -> list[AnnotationOut]:
        return [r for c in children[a.id] for r in (c, *flatten(c))]

    return [Thread(a, flatten(a)) for a in items if a.reply_to not in ids]


def status_out(status: Standing | None) -> StatusOut:
    status = status or NOT_JUDGED
    return StatusOut(verdict=status.verdict, by=dict(status.by))


def verdicts_out(status: Standing, history: Iterable[Any]) -> VerdictsOut:
    """A claim's standing verdicts and their history (`VerdictEvent` rows, in order)."""
    return VerdictsOut(
        current=dict(status.by),
        history=[
            VerdictChange(analyst=e.analyst, verdict=e.verdict, at=e.at, withdrawn=e.withdrawn)
            for e in history
        ],
    )


def search_hit(r: SearchResult) -> SearchHit:
    return SearchHit(kind=r.kind, id=r.id, article_id=r.article_id, snippet=r.snippet,  # type: ignore[arg-type]
                     name=r.name)  # fmt: skip


def claim_out(c: Claim, status: Standing | None = None, page: int | None = None) -> ClaimOut:
    return ClaimOut(**claim_fields(c, status), page=page)


def page_at(blocks: Sequence[Any], offset: int) -> int | None:
    """The PDF page of the block holding `offset` (blocks in text order); None for an
    article that was not a PDF."""
    at = bisect_right([b.start for b in blocks], offset) - 1
    return blocks[at].page if at >= 0 else None


def claim_fields(c: Claim, status: Standing | None) -> dict[str, Any]:
    attribution = (
        AttributionOut(
            text=c.attribution_text,
            entity_id=c.attribution_entity_id,
            context=c.attribution_context,
        )
        if c.attribution_text
        else None
    )
    return {
        "id": c.id,
        "article_id": c.article_id,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "kind": c.kind,
        "attribution": attribution,
        "figures": [
            FigureOut.model_validate({k: f.get(k) for k in FigureOut.model_fields})
            for f in c.figures
        ],
        "status": status_out(status),
        "retired": c.retired_at is not None,
    }


def claim_detail(panel: ClaimPanel) -> ClaimDetail:
    return ClaimDetail(
        **claim_fields(panel.claim, panel.status),
        page=panel.page,
        annotations=panel.annotations,
        links=panel.links,
        cluster=panel.cluster,
        conflicts=panel.conflicts,
        independent_sources=panel.independent_sources,
        relayed_from=list(panel.relayed),
        article_count=panel.article_count,
    )


def address(corrected: str | None, source: ArticleSource | None) -> str | None:
    """Where an article is found on the web: the address an analyst gave it (`Article.url`),
    else the one it was fetched from (its canonical one, when the page names it)."""
    if corrected:
        return corrected
    return (source.canonical_url or source.url) if source and source.url else None


def article_summary(
    article: Article,
    claim_count: int,
    annotation_count: int,
    source: ArticleSource | None = None,
) -> dict[str, Any]:
    return {
        "url": address(article.url, source),
        "id": article.id,
        "slug": article.slug,
        "title": article.title,
        "title_derived": article.title_derived,
        "publisher": article.publisher,
        "author": article.author,
        "published": article.published,
        "source_file": article.source_file,
        "word_count": article.word_count,
        "claim_count": claim_count,
        "annotation_count": annotation_count,
    }


def article_detail(
    view: ArticleView, claim_count: int, annotation_count: int, source: ArticleSource | None
) -> ArticleDetail:
    """The JSON twin of the reading page."""
    article = view.article
    return ArticleDetail(
        **article_summary(article, claim_count, annotation_count, source),
        text=article.text,
        blocks=[
            {"kind": b.kind, "start": b.start, "end": b.end, **({"page": b.page} if b.page else {})}
            for b in view.blocks
        ],
        boilerplate=[
            SpanOut(start=b.start, end=b.end) for b in view.blocks if b.kind == "boilerplate"
        ],
        headings=[article.text[b.start : b.end] for b in view.blocks if b.kind == "heading"],
        entities=[
            EntitySpan(start=m.start, end=m.end, text=m.text, label=m.label, entity_id=m.entity_id)
            for m in view.mentions
        ],
        claims=[
            claim_out(c, view.status.get(c.id), page_at(view.blocks, c.start))  # type: ignore[arg-type]
            for c in view.claims
        ],
    )


# --- links ------------------------------------------------------------------------------------


def end_key(claim_id: int | None, annotation_id: int | None) -> tuple[str, int]:
    return ("claim", claim_id) if claim_id is not None else ("annotation", annotation_id)  # type: ignore[return-value]


def link_ends(
    claims: Iterable[Claim], annotations: Iterable[Annotation], titles: Mapping[int, str]
) -> dict[tuple[str, int], LinkEndOut]:
    """Each link end as a page names it: the claim's sentence (or the note's quote) and
    the title of its article."""
    ends: dict[tuple[str, int], LinkEndOut] = {}
    for c in claims:
        ends[("claim", c.id)] = LinkEndOut(  # type: ignore[index]
            claim_id=c.id,
            annotation_id=None,
            article_id=c.article_id,
            article_title=titles.get(c.article_id, ""),
            text=c.text,
        )
    for a in annotations:
        ends[("annotation", a.id)] = LinkEndOut(  # type: ignore[index]
            claim_id=a.claim_id,
            annotation_id=a.id,
            article_id=a.article_id,
            article_title=titles.get(a.article_id, ""),
            text=a.exact,
        )
    return ends


def link_out(link: Link, ends: Mapping[tuple[str, int], LinkEndOut]) -> LinkOut:
    return LinkOut(
        id=link.id,  # type: ignore[arg-type]
        relation=link.relation,
        note=link.note,
        analyst=link.analyst,
        created=link.created_at,
        origin=link.origin,
        source=ends[end_key(link.source_claim_id, link.source_annotation_id)],
        target=ends[end_key(link.target_claim_id, link.target_annotation_id)],
    )


# --- collections ----------------------------------------------------------------------------


def collection_out(c: Collection, count: int) -> CollectionOut:
    return CollectionOut(
        id=c.id,  # type: ignore[arg-type]
        name=c.name,
        description=c.description,
        filters=c.filters,
        analyst=c.analyst,
        created=c.created_at,
        item_count=count,
    )


def collection_item_out(item: CollectionItem) -> CollectionItemOut:
    return CollectionItemOut(
        id=item.id,  # type: ignore[arg-type]
        claim_id=item.claim_id,
        annotation_id=item.annotation_id,
        analyst=item.analyst,
        added=item.added_at,
    )


def correction_out(judged: Any) -> CorrectionOut:
    """A correction with its status and the disagreeing corrections of others
    (`services.corrections.Judged`)."""
    c = judged.row
    return CorrectionOut(
        id=c.id,
        kind=c.kind,
        article_id=c.article_id,
        entity_id=c.entity_id,
        claim_id=c.claim_id,
        start=c.start,
        end=c.end,
        exact=c.exact,
        value=c.value,
        analyst=c.analyst,
        reason=c.reason,
        created=c.created_at,
        status=judged.status,
        anchor_status=c.anchor_status,
        withdrawn=c.withdrawn_at,
        withdrawn_by=c.withdrawn_by,
        disagreements=[
            CorrectionBrief(id=o.id, analyst=o.analyst, value=o.value, created=o.created_at)
            for o in judged.disagreeing
        ],
    )


def conflict_out(view: ConflictView) -> SourceConflictOut:
    c = view.conflict
    return SourceConflictOut(
        id=c.id,  # type: ignore[arg-type]
        kind=c.kind,
        reason=c.reason,
        score=c.score,
        status=view.status,
        decided_by=c.decided_by,
        decided_at=c.decided_at,
        link_id=c.link_id,
        sides=[
            ConflictSideOut(
                figure=FigureOut.model_validate(side.figure),
                claims=[k.id for k in side.claims],  # type: ignore[misc]
                articles=[a.id for a in side.articles],  # type: ignore[misc]
            )
            for side in view.sides
        ],
    )


def job_url(job_id: int) -> str:
    return f"/api/jobs/{job_id}"


def job_ref(job: Job) -> JobRef:
    assert job.id is not None
    return JobRef(id=job.id, url=job_url(job.id), state=job.state)  # type: ignore[arg-type]


def job_out(job: Job) -> JobOut:
    return JobOut(
        **job_ref(job).model_dump(),
        kind=job.kind,
        name=job.name,
        stage=job.stage,
        progress=round(job.progress, 3),
        article_id=job.article_id,
        error=job.error,
        result=job.result,
        cancel_requested=job.cancel_requested,
        created=job.created_at,
        started=job.started_at,
        finished=job.finished_at,
    )


def feed_out(feed: Feed, item_count: int) -> FeedOut:
    assert feed.id is not None
    return FeedOut(
        id=feed.id,
        url=feed.url,
        title=feed.title,
        added=feed.added_at,
        checked=feed.checked_at,
        error=feed.error,
        item_count=item_count,
    )
