"""Run what an upload runs (ingest, then extraction) without a database, and score it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.evaluation.gold import GoldArticle
from app.evaluation.prediction import FoundClaim, FoundEntity, FoundFigure, Prediction
from app.evaluation.score import ArticleScore, score_article
from app.extract.pipeline import attribution_mention, extract
from app.ingest import read_document


def predict(filename: str, data: bytes) -> Prediction:
    draft = read_document(filename, data)
    found = extract(draft)
    claims = []
    for c in found.claims:
        linked = attribution_mention(c, found.entities)
        claims.append(
            FoundClaim(
                start=c.start,
                end=c.end,
                kind=c.kind,
                attribution=c.attribution.text if c.attribution else None,
                attribution_entity=linked.name if linked else None,
                figures=tuple(
                    FoundFigure(
                        f.start, f.end, f.value, f.low, f.high, f.unit, f.period, f.previous
                    )
                    for f in c.figures
                ),
            )
        )
    entities = tuple(FoundEntity(m.text, m.label) for m in found.entities)
    return Prediction(draft.text, tuple(claims), entities, draft.published)


def evaluate(articles: Iterable[GoldArticle]) -> list[ArticleScore]:
    return [score_article(a, predict(a.filename, a.data)) for a in articles]


def split(
    scores: Sequence[ArticleScore], held_out: Iterable[str]
) -> tuple[list[ArticleScore], list[ArticleScore]]:
    """(development, held-out) by article id."""
    kept = set(held_out)
    return [s for s in scores if s.id not in kept], [s for s in scores if s.id in kept]
