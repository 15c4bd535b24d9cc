"""The extractor measured by analysts' corrections (the "Extraction quality" page and
`readingroom eval`), and the corrected articles written as gold for the extractor's tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.corrections import ENTITY_KINDS, Entry, standing
from app.corrections.quality import Quality, measure
from app.models import Article, Claim, Correction, Mention
from app.services.correction_replay import entry

CONVENTIONS = (
    "Written from analysts' corrections of the reading room's extraction: the stored, "
    "corrected entities (one entry per distinct surface text and label) and claims."
)


def _machine_label(c: Correction) -> str:
    if c.kind == "mention_add" and isinstance(c.value, dict):
        return str(c.value.get("label", "?"))
    return str((c.target or {}).get("label", "?"))


def quality(session: Session) -> Quality:
    rows = list(session.exec(select(Correction)).all())
    entries: list[Entry] = standing(entry(r) for r in rows)
    live = col(Claim.retired_at).is_(None)
    claims = session.exec(select(func.count()).select_from(Claim).where(live)).one()
    attributed = session.exec(
        select(func.count())
        .select_from(Claim)
        .where(live, col(Claim.attribution_text).is_not(None))
    ).one()
    mentions = dict(session.exec(select(Mention.label, func.count()).group_by(Mention.label)).all())
    articles = session.exec(select(Article.id, Article.title, Article.provenance_group_id)).all()
    per_article = dict(
        session.exec(
            select(Mention.article_id, func.count()).group_by(col(Mention.article_id))
        ).all()
    )
    claim_counts = dict(
        session.exec(
            select(Claim.article_id, func.count()).where(live).group_by(col(Claim.article_id))
        ).all()
    )
    totals = {
        "entities": sum(mentions.values()),
        "claims": claims,
        "attributions": attributed,
        "metadata": 3 * len(articles),
        "provenance": sum(1 for a in articles if a[2] is not None) or len(articles),
    }
    labels = {
        r.id: _machine_label(r)
        for r in rows
        if r.id is not None and (r.kind in ENTITY_KINDS or r.kind.startswith("mention_"))
    }
    article_totals = {
        i: (title, per_article.get(i, 0) + claim_counts.get(i, 0) + 3)
        for i, title, _ in articles
        if i is not None
    }
    return measure(entries, totals, mentions, labels, article_totals)


def gold(session: Session) -> dict[str, Any]:
    """Every corrected article as the extractor's gold files have it (tests/golden's
    entities and claims shapes), one entry per article."""
    ids = sorted(
        {
            r
            for r in session.exec(
                select(Correction.article_id).where(col(Correction.withdrawn_at).is_(None))
            ).all()
            if r is not None
        }
    )
    out = []
    for article in session.exec(select(Article).where(col(Article.id).in_(ids))).all():
        mentions = session.exec(
            select(Mention.text, Mention.label)
            .where(Mention.article_id == article.id)
            .order_by(col(Mention.start))
        ).all()
        seen: dict[tuple[str, str], None] = dict.fromkeys((t, label) for t, label in mentions)
        claims = session.exec(
            select(Claim)
            .where(Claim.article_id == article.id, col(Claim.retired_at).is_(None))
            .order_by(col(Claim.start))
        ).all()
        out.append(
            {
                "source": article.source_file or article.slug,
                "conventions": CONVENTIONS,
                "entities": [{"text": t, "label": label} for t, label in seen],
                "claims": [
                    {
                        "text": c.text,
                        "kind": c.kind,
                        "attribution": c.attribution_text,
                        "figures": [
                            {k: f.get(k) for k in ("value", "low", "high", "unit", "period")}
                            for f in c.figures
                        ],
                    }
                    for c in claims
                ],
            }
        )
    return {"articles": out}
