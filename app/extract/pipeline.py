"""One article draft in, everything extraction finds out: entity mentions and claims.

Pure and picklable, so big imports can run it in worker processes (`extract_many`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from app.extract.claims import ClaimDraft, extract_claims
from app.extract.entities import EntityMention, extract_entities
from app.ingest import ArticleDraft

# Headings are read for entities (a heading names people and places) but never for claims.
ENTITY_BLOCKS = frozenset({"paragraph", "heading"})
CLAIM_BLOCKS = frozenset({"paragraph"})


@dataclass(frozen=True)
class Extraction:
    entities: tuple[EntityMention, ...]
    claims: tuple[ClaimDraft, ...]


def spans_of(draft: ArticleDraft, kinds: frozenset[str]) -> list[tuple[int, int]]:
    return [(b.start, b.end) for b in draft.blocks if b.kind in kinds]


def extract(draft: ArticleDraft) -> Extraction:
    entities = extract_entities(draft.text, spans_of(draft, ENTITY_BLOCKS))
    claims = extract_claims(draft.text, spans_of(draft, CLAIM_BLOCKS))
    return Extraction(tuple(entities), tuple(claims))


def extract_many(drafts: Sequence[ArticleDraft], jobs: int = 1) -> Iterator[Extraction]:
    """Extractions in the drafts' order; `jobs` > 1 spreads them over worker processes."""
    if jobs <= 1 or len(drafts) < 2:
        yield from map(extract, drafts)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(extract, drafts, chunksize=4)


def claim_entities(claim: ClaimDraft, mentions: Sequence[EntityMention]) -> list[EntityMention]:
    """The mentions inside a claim's span."""
    return [m for m in mentions if m.start >= claim.start and m.end <= claim.end]


def attribution_mention(
    claim: ClaimDraft, mentions: Sequence[EntityMention]
) -> EntityMention | None:
    """The entity a claim is attributed to: a mention overlapping the attribution's span,
    else a PERSON/ORG mention of the article whose name contains the attribution text
    ("Dalhaug" -> "Arne Bård Dalhaug")."""
    attribution = claim.attribution
    if attribution is None:
        return None
    if attribution.start is not None and attribution.end is not None:
        for m in mentions:
            if m.start < attribution.end and attribution.start < m.end:
                return m
    wanted = attribution.text.casefold().removeprefix("the ")
    for m in mentions:
        if m.label in ("PERSON", "ORG") and wanted and wanted in m.name.casefold():
            return m
    return None
