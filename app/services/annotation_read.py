"""Reading annotations: an article's, a claim's, the filtered list, one note's panel, and
the history of each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from app.filters import AnnotationFilter
from app.models import Annotation, AnnotationTag, Revision
from app.page_models import AnnotationPanel, ArticleNotes
from app.present import annotation_out, threads
from app.services import link_read, lookups, verdicts


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
    session: Session, f: AnnotationFilter, *, limit: int = 200, offset: int = 0
) -> list[Annotation]:
    """Live annotations the filter chooses, newest first."""
    q = select(Annotation).where(col(Annotation.deleted_at).is_(None))
    if f.article is not None:
        q = q.where(Annotation.article_id == f.article)
    if f.analyst:
        q = q.where(Annotation.analyst == f.analyst)
    if f.tag:
        q = q.join(AnnotationTag).where(AnnotationTag.tag == f.tag.lower())
    if f.status:
        on_claims = verdicts.claims_standing_at(f.status)
        q = q.where(
            or_(col(Annotation.verdict) == f.status, col(Annotation.claim_id).in_(on_claims))
        )
    q = q.order_by(col(Annotation.created_at).desc(), col(Annotation.id).desc())
    return list(session.exec(q.offset(offset).limit(limit)).all())


def replies(session: Session, annotation_id: int) -> list[Annotation]:
    return list(
        session.exec(
            select(Annotation)
            .where(Annotation.reply_to_id == annotation_id, col(Annotation.deleted_at).is_(None))
            .order_by(col(Annotation.created_at), col(Annotation.id))
        ).all()
    )


def thread_root(session: Session, annotation: Annotation) -> Annotation:
    """The annotation a reply (at any depth) answers; the annotation itself if it is none."""
    root = annotation
    while root.reply_to_id is not None:
        root = lookups.annotation(session, root.reply_to_id, include_deleted=True)
    return root


def panel(session: Session, annotation_id: int) -> AnnotationPanel:
    """A note with its replies, its links, the words around it and, for a note on a
    claim, the claim and its standing verdict."""
    root = lookups.annotation(session, annotation_id, include_deleted=True)
    outs = [annotation_out(a) for a in (root, *replies(session, annotation_id))]
    touching = link_read.touching(session, annotation_ids=[annotation_id])
    article = lookups.article(session, root.article_id)
    claim = lookups.claim(session, root.claim_id) if root.claim_id is not None else None
    return AnnotationPanel(
        root=outs[0],
        threads=threads(outs),
        article=article,
        links=link_read.presented(session, touching),
        context=in_context(article.text, root),
        claim=claim,
        status=verdicts.of_claim(session, claim.id) if claim and claim.id else None,
    )


CONTEXT_CHARS = 240


def in_context(text: str, a: Annotation) -> tuple[str, str, str]:
    """The annotated words with up to CONTEXT_CHARS of the article on each side, cut at a
    space; an orphan's own stored context, as its words are no longer in the text."""
    if a.start is None or a.end is None:
        return a.prefix, a.exact, a.suffix
    before = text[max(0, a.start - CONTEXT_CHARS) : a.start]
    after = text[a.end : a.end + CONTEXT_CHARS]
    if a.start > CONTEXT_CHARS and " " in before:
        before = "…" + before[before.index(" ") + 1 :]
    if a.end + CONTEXT_CHARS < len(text) and " " in after:
        after = after[: after.rindex(" ")] + "…"
    return before, text[a.start : a.end], after


def article_notes(
    session: Session, article_id: int, notes: list[Annotation] | None = None
) -> ArticleNotes:
    """What the reading page lists under "Notes in this article" (`notes`: the article's,
    when the caller has read them)."""
    notes = for_article(session, article_id) if notes is None else notes
    roots = [a for a in notes if a.reply_to_id is None]
    claim_ids = sorted({a.claim_id for a in roots if a.claim_id is not None})
    return ArticleNotes(
        notes=[a for a in roots if a.anchor_status != "orphan"],
        orphans=[a for a in notes if a.anchor_status == "orphan"],
        status=verdicts.of_claims(session, claim_ids),
    )


def history(session: Session, annotation_id: int) -> list[Revision]:
    lookups.annotation(session, annotation_id, include_deleted=True)
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


def tag_counts(session: Session) -> list[tuple[str, int]]:
    """Every topic tag of a live annotation, with how many carry it, most used first."""
    rows = session.exec(
        select(AnnotationTag.tag, func.count())
        .join(Annotation, col(Annotation.id) == AnnotationTag.annotation_id)
        .where(col(Annotation.deleted_at).is_(None))
        .group_by(col(AnnotationTag.tag))
        .order_by(func.count().desc(), col(AnnotationTag.tag))
    ).all()
    return [(t, n) for t, n in rows]
