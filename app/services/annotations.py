"""Analysts' annotations: create, edit with a version check, delete and restore with
history, re-anchor when an article's text changes, and the verdict that stands per claim."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.anchoring import Selector, make_selector, reanchor, utf16_to_codepoint, validate_selector
from app.models import Annotation, AnnotationTag, Article, Claim, Revision, utcnow
from app.present import annotation_out
from app.schemas import AnnotationCreate, AnnotationPatch, SelectorIn
from app.services import citations, search
from app.services.errors import Conflict, Invalid, NotFound
from app.vocab import CONTESTED


def get(session: Session, annotation_id: int, *, include_deleted: bool = False) -> Annotation:
    annotation = session.get(Annotation, annotation_id)
    if annotation is None or (annotation.deleted_at is not None and not include_deleted):
        raise NotFound(f"annotation {annotation_id} does not exist")
    return annotation


def _clean_tags(tags: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for tag in tags:
        seen.setdefault(" ".join(tag.split()).lower(), None)
    return list(seen)


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


def create(session: Session, data: AnnotationCreate, analyst: str) -> Annotation:
    parent = get(session, data.reply_to) if data.reply_to is not None else None
    claim: Claim | None = None
    if data.target is not None and data.target.claim_id is not None:
        claim = session.get(Claim, data.target.claim_id)
        if claim is None:
            raise NotFound(f"claim {data.target.claim_id} does not exist")
    article_id = data.article_id or (claim.article_id if claim else None)
    article_id = article_id or (parent.article_id if parent else None)
    if article_id is None:
        raise Invalid("article_id is required (or a claim target, or reply_to)")
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(f"article {article_id} does not exist")
    if claim is not None and claim.article_id != article.id:
        raise Invalid(f"claim {claim.id} is not in article {article.id}")
    if parent is not None and parent.article_id != article.id:
        raise Invalid(f"annotation {parent.id} (reply_to) is not in article {article.id}")
    tags = _clean_tags(data.tags)
    if not data.body.strip() and data.verdict is None and not tags:
        raise Invalid("an annotation needs a note, a verdict or a tag")

    if claim is not None:
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
        start=selector.start if parent is None or parent.start is not None else None,
        end=selector.end if parent is None or parent.end is not None else None,
        anchor_status=parent.anchor_status if parent else "anchored",
    )
    session.add(annotation)
    session.flush()
    after_write(session, annotation)
    _record(session, annotation, analyst, "create", _content(annotation))
    return annotation


def _content(a: Annotation) -> dict[str, Any]:
    return {"body": a.body, "verdict": a.verdict, "tags": list(a.tags)}


def edit(session: Session, annotation_id: int, patch: AnnotationPatch, analyst: str) -> Annotation:
    annotation = get(session, annotation_id)
    changes: dict[str, Any] = {}
    fields = patch.model_fields_set
    if "body" in fields and patch.body is not None and patch.body != annotation.body:
        changes["body"] = patch.body
        changes["body_html"] = citations.render_body(session, patch.body)
    if "verdict" in fields and patch.verdict != annotation.verdict:
        changes["verdict"] = patch.verdict
    if "tags" in fields and patch.tags is not None:
        tags = _clean_tags(patch.tags)
        if tags != annotation.tags:
            changes["tags"] = tags
    after = {**_content(annotation), **{k: v for k, v in changes.items() if k != "body_html"}}
    if not after["body"].strip() and after["verdict"] is None and not after["tags"]:
        raise Invalid("an annotation needs a note, a verdict or a tag")
    before = _content(annotation)
    _bump(session, annotation, patch.version, {**changes, "modified_at": utcnow()})
    session.refresh(annotation)
    diff = {k: {"from": before[k], "to": after[k]} for k in before if before[k] != after[k]}
    after_write(session, annotation)
    _record(session, annotation, analyst, "edit", diff)
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
        raise Conflict(
            f"annotation {annotation.id} was changed by {last_editor(session, annotation.id)} "
            f"since version {version} (it is now version {annotation.version})",
            current=annotation_out(annotation),
        )


def delete(session: Session, annotation_id: int, analyst: str, version: int | None) -> None:
    annotation = get(session, annotation_id)
    _bump(
        session,
        annotation,
        annotation.version if version is None else version,
        {"deleted_at": utcnow()},
    )
    session.refresh(annotation)
    after_write(session, annotation)
    _record(session, annotation, analyst, "delete", {})


def restore(session: Session, annotation_id: int, analyst: str) -> Annotation:
    annotation = get(session, annotation_id, include_deleted=True)
    if annotation.deleted_at is None:
        raise Invalid(f"annotation {annotation_id} is not deleted")
    _bump(session, annotation, annotation.version, {"deleted_at": None})
    session.refresh(annotation)
    after_write(session, annotation)
    _record(session, annotation, analyst, "restore", {})
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


def _record(
    session: Session, annotation: Annotation, analyst: str, action: str, change: dict[str, Any]
) -> None:
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


def history(session: Session, annotation_id: int) -> list[Revision]:
    get(session, annotation_id, include_deleted=True)
    return list(
        session.exec(
            select(Revision)
            .where(Revision.object_type == "annotation", Revision.object_id == annotation_id)
            .order_by(col(Revision.version), col(Revision.id))
        ).all()
    )


def last_editor(session: Session, annotation_id: int) -> str | None:
    return session.exec(
        select(Revision.analyst)
        .where(Revision.object_type == "annotation", Revision.object_id == annotation_id)
        .order_by(col(Revision.id).desc())
    ).first()


def for_article(session: Session, article_id: int) -> list[Annotation]:
    """Live annotations of an article, in reading order (orphans last)."""
    rows = session.exec(
        select(Annotation).where(
            Annotation.article_id == article_id, col(Annotation.deleted_at).is_(None)
        )
    ).all()
    return sorted(rows, key=lambda a: (a.start is None, a.start or 0, a.id))


def for_claims(session: Session, claim_ids: Sequence[int]) -> dict[int, list[Annotation]]:
    found: dict[int, list[Annotation]] = defaultdict(list)
    if claim_ids:
        for a in session.exec(
            select(Annotation)
            .where(col(Annotation.claim_id).in_(claim_ids), col(Annotation.deleted_at).is_(None))
            .order_by(col(Annotation.created_at), col(Annotation.id))
        ).all():
            found[a.claim_id].append(a)  # type: ignore[index]
    return found


def query(
    session: Session,
    *,
    article: int | None = None,
    analyst: str | None = None,
    tag: str | None = None,
    status: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[Annotation]:
    q = select(Annotation).where(col(Annotation.deleted_at).is_(None))
    if article is not None:
        q = q.where(Annotation.article_id == article)
    if analyst:
        q = q.where(Annotation.analyst == analyst)
    if tag:
        q = q.join(AnnotationTag).where(AnnotationTag.tag == tag.lower())
    if status:
        q = q.where(Annotation.verdict == status)
    q = q.order_by(col(Annotation.created_at).desc(), col(Annotation.id).desc())
    return list(session.exec(q.offset(offset).limit(limit)).all())


# --- the verdict that stands for a claim ----------------------------------------------------


def claim_status(session: Session, claim_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """{claim_id: {"verdict": v | "contested" | None, "by": {analyst: verdict}}}: each
    analyst's latest verdict on the claim (one query for all claims)."""
    latest: dict[int, dict[str, str]] = defaultdict(dict)
    if claim_ids:
        rows = session.exec(
            select(Annotation.claim_id, Annotation.analyst, Annotation.verdict)
            .where(
                col(Annotation.claim_id).in_(claim_ids),
                col(Annotation.verdict).is_not(None),
                col(Annotation.deleted_at).is_(None),
            )
            .order_by(col(Annotation.modified_at), col(Annotation.id))
        ).all()
        for claim_id, analyst, verdict in rows:
            if claim_id is not None and verdict is not None:
                latest[claim_id][analyst] = verdict
    return {cid: summarize(latest.get(cid, {})) for cid in claim_ids}


def summarize(by: dict[str, str]) -> dict[str, Any]:
    verdicts = set(by.values())
    verdict = None if not verdicts else verdicts.pop() if len(verdicts) == 1 else CONTESTED
    return {"verdict": verdict, "by": dict(sorted(by.items()))}


# --- re-anchoring ---------------------------------------------------------------------------


def reanchor_article(session: Session, article: Article) -> dict[str, int]:
    """Place every annotation of `article` again in its new text; returns counts per
    anchor status. Nothing is dropped: what cannot be placed becomes an orphan."""
    counts: dict[str, int] = defaultdict(int)
    claims = session.exec(
        select(Claim).where(Claim.article_id == article.id, col(Claim.retired_at).is_(None))
    ).all()
    by_span = {(c.start, c.end): c for c in claims}
    for annotation in session.exec(select(Annotation).where(Annotation.article_id == article.id)):
        old = Selector(
            annotation.exact,
            annotation.prefix,
            annotation.suffix,
            annotation.start if annotation.start is not None else 0,
            annotation.end if annotation.end is not None else 0,
        )
        anchor = reanchor(old, article.text)
        before = (annotation.start, annotation.end, annotation.anchor_status)
        annotation.start, annotation.end = anchor.start, anchor.end
        annotation.anchor_status = anchor.status
        if anchor.start is not None and anchor.end is not None:
            new_claim = by_span.get((anchor.start, anchor.end)) or _overlapping(
                claims, anchor.start, anchor.end
            )
            if annotation.claim_id is not None and new_claim is not None:
                annotation.claim_id = new_claim.id
        counts[anchor.status] += 1
        if before != (annotation.start, annotation.end, annotation.anchor_status):
            session.add(annotation)
            _record(
                session,
                annotation,
                "reading room",
                "reanchor",
                {"status": anchor.status, "from": before[:2], "to": [anchor.start, anchor.end]},
            )
    return dict(counts)


def _overlapping(claims: Sequence[Claim], start: int, end: int) -> Claim | None:
    best, best_overlap = None, 0.0
    for c in claims:
        overlap = min(end, c.end) - max(start, c.start)
        share = overlap / max(1, min(end - start, c.end - c.start))
        if share > best_overlap:
            best, best_overlap = c, share
    return best if best_overlap >= 0.8 else None


def replies(session: Session, annotation_id: int) -> list[Annotation]:
    return list(
        session.exec(
            select(Annotation)
            .where(Annotation.reply_to_id == annotation_id, col(Annotation.deleted_at).is_(None))
            .order_by(col(Annotation.created_at), col(Annotation.id))
        ).all()
    )


@dataclass(frozen=True)
class Thread:
    root: Any
    replies: list[Any]


def threads(items: Sequence[Any]) -> list[Thread]:
    """Annotations (or their API shapes) as threads: each root with its replies, in order."""
    ids = {a.id for a in items}
    children: dict[Any, list[Any]] = defaultdict(list)
    for a in items:
        parent = getattr(a, "reply_to", None) or getattr(a, "reply_to_id", None)
        if parent in ids:
            children[parent].append(a)

    def flatten(a: Any) -> list[Any]:
        return [r for c in children[a.id] for r in (c, *flatten(c))]

    return [
        Thread(a, flatten(a))
        for a in items
        if (getattr(a, "reply_to", None) or getattr(a, "reply_to_id", None)) not in ids
    ]


def selector_from_browser(article: Article, start: int, end: int, offsets: str) -> Selector:
    """A selection from the page (UTF-16 offsets into the article text) as a selector."""
    try:
        if offsets == "utf16":
            start = utf16_to_codepoint(article.text, start)
            end = utf16_to_codepoint(article.text, end)
        return make_selector(article.text, start, end)
    except ValueError as exc:
        raise Invalid(f"selection: {exc}") from exc
