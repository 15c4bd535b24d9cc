"""Placing annotations in an article's text: again after its text changed (at ingest), and
a browser's selection as a selector."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, select

from app.anchoring import Selector, claim_for_span, make_selector, reanchor, utf16_to_codepoint
from app.models import Annotation, Article, Claim
from app.services.annotation_write import record
from app.services.errors import Invalid

REANCHORED_BY = "reading room"


def reanchor_article(session: Session, article: Article) -> dict[str, int]:
    """Place every annotation of `article` again in its new text; returns counts per
    anchor status. Nothing is dropped: what cannot be placed becomes an orphan."""
    counts: dict[str, int] = defaultdict(int)
    claims = session.exec(
        select(Claim).where(Claim.article_id == article.id, col(Claim.retired_at).is_(None))
    ).all()
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
        if anchor.start is not None and anchor.end is not None and annotation.claim_id is not None:
            new_claim = claim_for_span(claims, anchor.start, anchor.end)
            if new_claim is not None:
                annotation.claim_id = new_claim.id
        counts[anchor.status] += 1
        if before != (annotation.start, annotation.end, annotation.anchor_status):
            session.add(annotation)
            change = {"status": anchor.status, "from": before[:2], "to": [anchor.start, anchor.end]}
            record(session, annotation, REANCHORED_BY, "reanchor", change)
    return dict(counts)


def selector_from_browser(article: Article, start: int, end: int, offsets: str) -> Selector:
    """A selection from the page (UTF-16 offsets into the article text) as a selector."""
    try:
        if offsets == "utf16":
            start = utf16_to_codepoint(article.text, start)
            end = utf16_to_codepoint(article.text, end)
        return make_selector(article.text, start, end)
    except ValueError as exc:
        raise Invalid(f"selection: {exc}") from exc
