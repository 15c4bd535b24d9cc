"""One article draft in, everything extraction finds out: entity mentions and claims.

Pure and picklable, so big imports can run it in worker processes (`app.jobs.work`)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from app.extract.claims import ClaimDraft, extract_claims
from app.extract.entities import EntityMention, extract_entities
from app.ingest import ArticleDraft

# Headings are read for entities (a heading names people and places) but never for claims.
ENTITY_BLOCKS = frozenset({"paragraph", "heading", "bio", "title", "publisher"})
CLAIM_BLOCKS = frozenset({"paragraph"})


@dataclass(frozen=True)
class Extraction:
    entities: tuple[EntityMention, ...]
    claims: tuple[ClaimDraft, ...]


def spans_of(draft: ArticleDraft, kinds: frozenset[str]) -> list[tuple[int, int]]:
    return [(b.start, b.end) for b in draft.blocks if b.kind in kinds]


def extract(draft: ArticleDraft, on_stage: Callable[[str], None] | None = None) -> Extraction:
    """Entities, then claims; `on_stage` hears "entities" and "claims" as each begins."""
    stage = on_stage or (lambda _name: None)
    stage("entities")
    entities = extract_entities(draft.text, spans_of(draft, ENTITY_BLOCKS))
    stage("claims")
    claims = extract_claims(draft.text, spans_of(draft, CLAIM_BLOCKS))
    return Extraction(tuple(entities), tuple(claims))


class MentionIndex:
    """An article's mentions ordered by start, for lookups by span and by name: scanning
    every mention for every claim grew with their product (thousands of each in a long
    document)."""

    def __init__(self, mentions: Sequence[EntityMention]) -> None:
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self._starts = [m.start for m in self.mentions]
        # The running maximum of ends: the first mention that can reach past a position.
        self._reach = list(accumulate((m.end for m in self.mentions), max))
        sources: dict[str, EntityMention] = {}  # casefolded name -> first PERSON/ORG mention
        for m in self.mentions:
            if m.label in ("PERSON", "ORG"):
                sources.setdefault(m.name.casefold(), m)
        # One string of every source name, searched in C: "wanted in name" for each name.
        self._names = "\0".join(sources)
        self._name_starts = list(accumulate((len(n) + 1 for n in sources), initial=0))
        self._sources = list(sources.values())
        self._naming: dict[str, EntityMention | None] = {}

    def within(self, start: int, end: int) -> list[EntityMention]:
        """The mentions inside [start, end)."""
        lo = bisect_left(self._starts, start)
        hi = bisect_left(self._starts, end, lo)
        return [m for m in self.mentions[lo:hi] if m.end <= end]

    def overlapping(self, start: int, end: int) -> EntityMention | None:
        """The first mention that overlaps [start, end)."""
        lo = bisect_right(self._reach, start)
        for m in self.mentions[lo : bisect_left(self._starts, end, lo)]:
            if m.end > start:
                return m
        return None

    def naming(self, wanted: str) -> EntityMention | None:
        """The first PERSON/ORG mention whose casefolded name contains `wanted`."""
        if not wanted or "\0" in wanted:
            return None
        if wanted not in self._naming:
            at = self._names.find(wanted)
            found = self._sources[bisect_right(self._name_starts, at) - 1] if at >= 0 else None
            self._naming[wanted] = found
        return self._naming[wanted]


def _index(mentions: Sequence[EntityMention] | MentionIndex) -> MentionIndex:
    return mentions if isinstance(mentions, MentionIndex) else MentionIndex(mentions)


# Who can speak: a person or an organisation; a place only when it is the whole source
# ("Russia said"), a nationality never ("The Dutch brewer" is not "Dutch").
_SPEAKING = frozenset({"PERSON", "ORG"})


def claim_entities(
    claim: ClaimDraft, mentions: Sequence[EntityMention] | MentionIndex
) -> list[EntityMention]:
    """The mentions inside a claim's span."""
    return _index(mentions).within(claim.start, claim.end)


def attribution_mention(
    claim: ClaimDraft, mentions: Sequence[EntityMention] | MentionIndex
) -> EntityMention | None:
    """The entity a claim is attributed to: a mention overlapping the attribution's span,
    else a PERSON/ORG mention of the article whose name contains the attribution text
    ("Dalhaug" -> "Arne Bård Dalhaug")."""
    attribution = claim.attribution
    if attribution is None:
        return None
    index = _index(mentions)
    if attribution.start is not None and attribution.end is not None:
        inside = index.within(attribution.start, attribution.end) or [
            m for m in [index.overlapping(attribution.start, attribution.end)] if m is not None
        ]
        speaking = [m for m in inside if m.label in _SPEAKING or m.text == attribution.text]
        if speaking:
            return max(speaking, key=lambda m: m.end)  # the head: "NBS statistician Sheng"
    for name in (attribution.context, attribution.text):
        found = index.naming((name or "").casefold().removeprefix("the "))
        if found is not None:
            return found
    return None
