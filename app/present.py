"""Stored records → the API's response shapes (one place, shared by JSON and pages)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.models import Annotation, Claim, Link
from app.schemas import (
    AnnotationOut,
    AttributionOut,
    ClaimOut,
    FigureOut,
    LinkEnd,
    LinkOut,
    SelectorOut,
    StatusOut,
    TargetOut,
)

NO_STATUS: dict[str, Any] = {"verdict": None, "by": {}}


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


def claim_out(c: Claim, status: dict[str, Any] | None = None) -> ClaimOut:
    return ClaimOut(**claim_fields(c, status))


def claim_fields(c: Claim, status: dict[str, Any] | None) -> dict[str, Any]:
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
        "status": StatusOut(**(status or NO_STATUS)),
        "retired": c.retired_at is not None,
    }


def end_key(claim_id: int | None, annotation_id: int | None) -> tuple[str, int]:
    return ("claim", claim_id) if claim_id is not None else ("annotation", annotation_id)  # type: ignore[return-value]


def link_out(link: Link, ends: dict[tuple[str, int], dict[str, Any]]) -> LinkOut:
    return LinkOut(
        id=link.id,  # type: ignore[arg-type]
        relation=link.relation,
        note=link.note,
        analyst=link.analyst,
        created=link.created_at,
        origin=link.origin,
        source=LinkEnd(**ends[end_key(link.source_claim_id, link.source_annotation_id)]),
        target=LinkEnd(**ends[end_key(link.target_claim_id, link.target_annotation_id)]),
    )


def links_out(links: Sequence[Link], ends: dict[tuple[str, int], dict[str, Any]]) -> list[LinkOut]:
    return [link_out(link, ends) for link in links]
