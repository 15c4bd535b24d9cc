"""Replaying analysts' corrections over what extraction found in one article: mentions
removed or added, claims removed, added, re-cut or re-attributed; and the corpus-wide
entity corrections as a mapping of mentions. Pure: the services load and store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from app.anchoring import claim_for_span
from app.corrections import Entry
from app.extract.claims import Attribution, ClaimDraft, claim_in_span
from app.extract.entities import EntityMention
from app.extract.pipeline import Extraction


@dataclass(frozen=True)
class CorrectedClaim:
    draft: ClaimDraft
    # The claim's identity across extractions (a fingerprint) when it is not its own
    # text: a claim whose extent was fixed keeps the id of the claim it was.
    fingerprint: str | None = None
    # Set by an attribution correction: the entity it names (None: no entity).
    attribution_fixed: bool = False
    attribution_entity_id: int | None = None


@dataclass(frozen=True)
class Corrected:
    """An article's extraction with its corrections applied."""

    entities: tuple[EntityMention, ...]
    claims: tuple[CorrectedClaim, ...]
    # Mentions an analyst added naming an existing entity: (start, end) -> entity id.
    pinned: Mapping[tuple[int, int], int] = field(default_factory=dict)

    @property
    def extraction(self) -> Extraction:
        return Extraction(self.entities, tuple(c.draft for c in self.claims))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def replay(text: str, found: Extraction, corrections: Sequence[Entry]) -> Corrected:
    """Apply the article's standing, anchored span corrections (oldest first) to what
    extraction found in `text`. Each rule is one pass over the article's spans."""
    mentions = list(found.entities)
    claims = [CorrectedClaim(c) for c in found.claims]
    pinned: dict[tuple[int, int], int] = {}
    for e in corrections:
        if e.start is None or e.end is None:
            continue
        span = (e.start, e.end)
        if e.kind == "mention_remove":
            mentions = [m for m in mentions if not _overlaps((m.start, m.end), span)]
        elif e.kind == "mention_add":
            value = e.value if isinstance(e.value, dict) else {}
            mentions = [m for m in mentions if not _overlaps((m.start, m.end), span)]
            surface = text[e.start : e.end]
            mentions.append(EntityMention(e.start, e.end, surface, value["label"], surface))
            if value.get("entity_id"):
                pinned[span] = int(value["entity_id"])
        elif e.kind == "claim_remove":
            target = claim_for_span([c.draft for c in claims], *span)
            claims = [c for c in claims if c.draft is not target]
        elif e.kind in ("claim_add", "claim_span"):
            kept = [c for c in claims if _overlaps((c.draft.start, c.draft.end), span)]
            claims = [c for c in claims if c not in kept]
            fingerprint = (e.value or {}).get("fingerprint") if e.kind == "claim_span" else None
            inherited = kept[0] if kept else None
            new = CorrectedClaim(claim_in_span(text, *span), fingerprint)
            if inherited is not None and inherited.attribution_fixed:
                new = replace(
                    new,
                    draft=replace(new.draft, attribution=inherited.draft.attribution),
                    attribution_fixed=True,
                    attribution_entity_id=inherited.attribution_entity_id,
                )
            claims.append(new)
        elif e.kind == "claim_attribution":
            claims = [_attributed(c, span, e.value) for c in claims]
    mentions.sort(key=lambda m: m.start)
    claims.sort(key=lambda c: c.draft.start)
    return Corrected(tuple(mentions), tuple(claims), pinned)


def _attributed(claim: CorrectedClaim, span: tuple[int, int], value: object) -> CorrectedClaim:
    if claim_for_span([claim.draft], *span) is None:
        return claim
    if not isinstance(value, dict):
        return replace(claim, draft=replace(claim.draft, attribution=None), attribution_fixed=True)
    attribution = Attribution(str(value["text"]), None, None, None)
    entity_id = value.get("entity_id")
    return replace(
        claim,
        draft=replace(claim.draft, attribution=attribution),
        attribution_fixed=True,
        attribution_entity_id=int(entity_id) if entity_id else None,
    )


@dataclass(frozen=True)
class EntityFixes:
    """The corpus-wide entity corrections as a mapping of mentions: which entity a mention
    the machine gave to one entity belongs to, and its label."""

    into: Mapping[int, int] = field(default_factory=dict)  # merged: entity -> entity
    labels: Mapping[int, str] = field(default_factory=dict)  # entity -> its label
    splits: Mapping[tuple[int, str], int] = field(default_factory=dict)  # (entity, alias)

    def __bool__(self) -> bool:
        return bool(self.into or self.labels or self.splits)

    def entity_of(self, entity_id: int, surface: str) -> int:
        """The entity a mention with this surface text belongs to. Merges are followed to
        their end (a cycle is refused when a merge is made, and a chain is never longer
        than the merges themselves)."""
        seen = {entity_id}
        while entity_id in self.into and self.into[entity_id] not in seen:
            entity_id = self.into[entity_id]
            seen.add(entity_id)
        return self.splits.get((entity_id, surface.casefold()), entity_id)

    def mention(self, entity_id: int, surface: str, label: str) -> tuple[int, str]:
        """(entity, label) of a mention after the corrections."""
        entity = self.entity_of(entity_id, surface)
        return entity, self.labels.get(entity, label)

    def touched(self) -> set[int]:
        """Every entity whose mentions these fixes may move or relabel."""
        return (
            set(self.into)
            | set(self.into.values())
            | set(self.labels)
            | {e for e, _ in self.splits}
            | set(self.splits.values())
        )


def would_cycle(into: Mapping[int, int], entity_id: int, other: int) -> bool:
    """Whether merging `entity_id` into `other` closes a loop of merges."""
    seen: set[int] = set()
    node: int | None = other
    while node is not None and node not in seen:
        if node == entity_id:
            return True
        seen.add(node)
        node = into.get(node)
    return False
