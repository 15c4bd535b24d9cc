"""Writing annotations — from the pages, the JSON API and an import alike: create, edit
with a version check, delete and restore. Every write keeps what derives from the
annotation in step (tag rows, search document, citation links) and its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from app.anchoring import Selector, make_selector, utf16_to_codepoint, validate_selector
from app.annotation_rules import NEEDS_CONTENT, clean_tags, has_content, verdict_on_claim
from app.models import Annotation, AnnotationTag, Article, Claim, Revision, utcnow
from app.present import annotation_out
from app.schemas import AnnotationCreate, AnnotationPatch, SelectorIn, TargetIn
from app.services import annotation_read, citations, lookups, search, verdict_write
from app.services.errors import Conflict, Invalid


@dataclass(frozen=True)
class Placement:
    """Where an imported annotation was placed in this reading room's text (the importer
    re-anchors its selectors): `start`/`end` are None for an orphan."""

    exact: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    anchor_status: str
    claim_id: int | None


@dataclass(frozen=True)
class Imported:
    """What an import adds to a create: the annotation's IRI and times, where it was
    placed (None for a reply, which takes its parent's), and who imports it."""

    iri: str
    created: datetime
    modified: datetime
    placement: Placement | None
    importer: str


def create(
    session: Session, data: AnnotationCreate, analyst: str, *, imported: Imported | None = None
) -> Annotation:
    parent = (
        lookups.annotation(session, data.reply_to, include_deleted=imported is not None)
        if data.reply_to is not None
        else None
    )
    claim: Claim | None = None
    if data.target is not None and data.target.claim_id is not None:
        claim = lookups.claim(session, data.target.claim_id)
    article_id = data.article_id or (claim.article_id if claim else None)
    article_id = article_id or (parent.article_id if parent else None)
    if article_id is None:
        raise Invalid("article_id is required (or a claim target, or reply_to)")
    article = lookups.article(session, article_id)
    if claim is not None and claim.article_id != article.id:
        raise Invalid(f"claim {claim.id} is not in article {article.id}")
    if parent is not None and parent.article_id != article.id:
        raise Invalid(f"annotation {parent.id} (reply_to) is not in article {article.id}")
    tags = clean_tags(data.tags)
    if not has_content(data.body, data.verdict, tags):
        raise Invalid(NEEDS_CONTENT)

    placed = imported.placement if imported is not None else None
    if placed is not None:
        selector = Selector(placed.exact, placed.prefix, placed.suffix, placed.start or 0,
                            placed.end or 0)  # fmt: skip
        claim = lookups.claim(session, placed.claim_id) if placed.claim_id else None
    elif claim is not None:
        selector = make_selector(article.text, claim.start, claim.end)
    elif data.target is not None and data.target.selector is not None:
        selector = _selector(article, data.target.selector)
    elif parent is not None:
        claim = session.get(Claim, parent.claim_id) if parent.claim_id else None
        selector = Selector(
            parent.exact, parent.prefix, parent.suffix, parent.start or 0, parent.end or 0
        )
    else:
        raise Invalid("target is required: {claim_id} or {selector}")

    if claim is not None and data.verdict is not None:
        raise Invalid(verdict_on_claim(claim.id))  # type: ignore[arg-type]
    unplaced = (placed is not None and placed.start is None) or (
        parent is not None and parent.start is None
    )
    if placed is not None:
        status = placed.anchor_status
    else:
        status = parent.anchor_status if parent else "anchored"
    annotation = Annotation(
        article_id=article.id,  # type: ignore[arg-type]
        claim_id=claim.id if claim else None,
        reply_to_id=parent.id if parent else None,
        analyst=analyst,
        body=data.body,
        body_html=citations.render_body(session, data.body),
        verdict=data.verdict,
        tags=tags,
        exact=selector.exact,
        prefix=selector.prefix,
        suffix=selector.suffix,
        start=None if unplaced else selector.start,
        end=None if unplaced else selector.end,
        anchor_status=status,
    )
    if imported is not None:
        annotation.created_at, annotation.modified_at = imported.created, imported.modified
        annotation.external_id = imported.iri
    session.add(annotation)
    session.flush()
    after_write(session, annotation)
    if imported is None:
        record(session, annotation, analyst, "create", _content(annotation))
    else:
        change = {"from": imported.iri, "anchor": annotation.anchor_status}
        record(session, annotation, imported.importer, "import", change)
    return annotation


def note_on_claim(
    session: Session,
    claim_id: int,
    analyst: str,
    *,
    body: str,
    tags: list[str],
    verdict: str | None,
) -> Annotation | None:
    """What the claim panel's note form sends: a verdict becomes the analyst's standing
    verdict (`verdict_write`), a note or tags a note on the claim (None when there is
    none); nothing empty is stored."""
    if not has_content(body, verdict, clean_tags(tags)):
        raise Invalid(NEEDS_CONTENT)
    if verdict is not None:
        verdict_write.put(session, claim_id, analyst, verdict)
    if not body.strip() and not clean_tags(tags):
        return None
    data = AnnotationCreate(target=TargetIn(claim_id=claim_id), body=body, tags=tags)
    return create(session, data, analyst)


def _selector(article: Article, sel: SelectorIn) -> Selector:
    start, end = sel.start, sel.end
    try:
        if sel.offsets == "utf16":
            start = utf16_to_codepoint(article.text, start)
            end = utf16_to_codepoint(article.text, end)
        return validate_selector(
            article.text, Selector(sel.exact, sel.prefix, sel.suffix, start, end)
        )
    except ValueError as exc:
        raise Invalid(f"selector: {exc}") from exc


def _content(a: Annotation) -> dict[str, Any]:
    return {"body": a.body, "verdict": a.verdict, "tags": list(a.tags)}


def edit(session: Session, annotation_id: int, patch: AnnotationPatch, analyst: str) -> Annotation:
    annotation = lookups.annotation(session, annotation_id)
    changes: dict[str, Any] = {}
    fields = patch.model_fields_set
    if "body" in fields and patch.body is not None and patch.body != annotation.body:
        changes["body"] = patch.body
        changes["body_html"] = citations.render_body(session, patch.body)
    if "verdict" in fields and patch.verdict != annotation.verdict:
        if annotation.claim_id is not None:
            raise Invalid(verdict_on_claim(annotation.claim_id))
        changes["verdict"] = patch.verdict
    if "tags" in fields and patch.tags is not None:
        tags = clean_tags(patch.tags)
        if tags != annotation.tags:
            changes["tags"] = tags
    after = {**_content(annotation), **{k: v for k, v in changes.items() if k != "body_html"}}
    if not has_content(after["body"], after["verdict"], after["tags"]):
        raise Invalid(NEEDS_CONTENT)
    before = _content(annotation)
    _bump(session, annotation, patch.version, {**changes, "modified_at": utcnow()})
    session.refresh(annotation)
    diff = {k: {"from": before[k], "to": after[k]} for k in before if before[k] != after[k]}
    after_write(session, annotation)
    record(session, annotation, analyst, "edit", diff)
    return annotation


def _bump(session: Session, annotation: Annotation, version: int, values: dict[str, Any]) -> None:
    """Apply `values` only if nobody changed the annotation since `version` (one
    conditional UPDATE, so it holds on PostgreSQL as on SQLite)."""
    assert annotation.id is not None
    result = session.exec(
        sa.update(Annotation)
        .where(col(Annotation.id) == annotation.id, col(Annotation.version) == version)
        .values(version=Annotation.version + 1, **values)
    )
    if result.rowcount != 1:
        session.refresh(annotation)
        editor = annotation_read.last_editor(session, annotation.id)
        raise Conflict(
            f"annotation {annotation.id} was changed by {editor} "
            f"since version {version} (it is now version {annotation.version})",
            current=annotation_out(annotation),
        )


def delete(session: Session, annotation_id: int, analyst: str, version: int | None) -> None:
    annotation = lookups.annotation(session, annotation_id)
    _bump(
        session,
        annotation,
        annotation.version if version is None else version,
        {"deleted_at": utcnow()},
    )
    session.refresh(annotation)
    after_write(session, annotation)
    record(session, annotation, analyst, "delete", {})


def restore(session: Session, annotation_id: int, analyst: str) -> Annotation:
    annotation = lookups.annotation(session, annotation_id, include_deleted=True)
    if annotation.deleted_at is None:
        raise Invalid(f"annotation {annotation_id} is not deleted")
    _bump(session, annotation, annotation.version, {"deleted_at": None})
    session.refresh(annotation)
    after_write(session, annotation)
    record(session, annotation, analyst, "restore", {})
    return annotation


def after_write(session: Session, annotation: Annotation) -> None:
    """Keep what is derived from an annotation in step: its tag rows, its search
    document and the links its note's citations make."""
    assert annotation.id is not None
    session.exec(sa.delete(AnnotationTag).where(col(AnnotationTag.annotation_id) == annotation.id))
    if annotation.deleted_at is None:
        session.add_all(AnnotationTag(annotation_id=annotation.id, tag=t) for t in annotation.tags)
    search.index_annotation(session, annotation)
    citations.sync(session, annotation)


def record(
    session: Session, annotation: Annotation, analyst: str, action: str, change: dict[str, Any]
) -> None:
    """One entry of the annotation's history."""
    session.add(
        Revision(
            object_type="annotation",
            object_id=annotation.id,  # type: ignore[arg-type]
            version=annotation.version,
            analyst=analyst,
            action=action,
            change=change,
        )
    )
