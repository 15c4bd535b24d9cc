"""Claims cited inside a note: `claim:123` or a pasted claim URL (…/claims/123) renders as
a chip with the claim's sentence and article, and counts as a `related` link from the
annotation to that claim."""

from __future__ import annotations

import re

from markupsafe import escape
from sqlmodel import Session, col, select

from app.models import Annotation, Article, Claim, Link, utcnow
from app.render.markdown import render_note
from app.schemas import LinkCreate
from app.services import link_write
from app.words import QUOTE_MARKS

CLAIM_URL = re.compile(r"\bhttps?://[^\s/<>]+/claims/(\d+)\b")
CLAIM_REF = re.compile(r"(?<![\w/:])claim:(\d+)\b")
_CODE = re.compile(r"(<code>.*?</code>|<pre>.*?</pre>)", re.S)
CHIP_CHARS = 90


def cited_ids(body: str) -> list[int]:
    found = [int(m) for m in CLAIM_REF.findall(CLAIM_URL.sub(r"claim:\1", body))]
    return list(dict.fromkeys(found))


def render_body(session: Session, body: str) -> str:
    """The note's safe HTML with each cited claim as a chip. The chip's text comes from the
    database and is escaped; the note itself is rendered by render_note first."""
    html = render_note(CLAIM_URL.sub(r"claim:\1", body))
    ids = cited_ids(body)
    if not ids:
        return html
    rows = session.exec(
        select(Claim.id, Claim.text, Article.title)
        .join(Article, col(Article.id) == Claim.article_id)
        .where(col(Claim.id).in_(ids))
    ).all()
    chips = {cid: _chip(cid, text, title) for cid, text, title in rows if cid is not None}

    def replace(match: re.Match[str]) -> str:
        return chips.get(int(match.group(1)), match.group(0))

    # Only outside code: `claim:12` in a code span stays literal.
    parts = _CODE.split(html)
    return "".join(p if i % 2 else CLAIM_REF.sub(replace, p) for i, p in enumerate(parts))


def _chip(claim_id: int, text: str, title: str) -> str:
    text = text.strip(QUOTE_MARKS)  # the chip puts the claim in quotation marks of its own
    quote = text if len(text) <= CHIP_CHARS else text[: CHIP_CHARS - 1].rstrip() + "…"
    return (
        f'<a class="chip" href="/claims/{claim_id}" data-claim="{claim_id}">'
        f'<span class="chip-quote">“{escape(quote)}”</span> '
        f'<span class="chip-source">{escape(title)}</span></a>'
    )


def sync(session: Session, annotation: Annotation) -> None:
    """Make the annotation's citation links match what its note cites now."""
    assert annotation.id is not None
    wanted = set() if annotation.deleted_at else set(cited_ids(annotation.body))
    wanted &= (
        set(session.exec(select(Claim.id).where(col(Claim.id).in_(wanted))).all())
        if wanted
        else set()
    )
    current = session.exec(
        select(Link).where(
            Link.source_annotation_id == annotation.id,
            Link.origin == "citation",
            col(Link.deleted_at).is_(None),
        )
    ).all()
    have = {link.target_claim_id: link for link in current}
    for claim_id, link in have.items():
        if claim_id not in wanted:
            link.deleted_at = utcnow()
            session.add(link)
    for claim_id in sorted(wanted - set(have)):
        link_write.create(
            session,
            LinkCreate(
                source_annotation_id=annotation.id, target_claim_id=claim_id, relation="related"
            ),
            annotation.analyst,
            origin="citation",
        )
