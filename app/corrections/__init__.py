"""Analysts' corrections of what extraction found: the kinds, what each targets, and which
of several corrections of one thing stands. Pure rules; `services/corrections` keeps the
log and `services/correction_replay` applies it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

Kind = Literal[
    "article",
    "entity_label",
    "entity_name",
    "entity_merge",
    "entity_split",
    "mention_remove",
    "mention_add",
    "claim_remove",
    "claim_add",
    "claim_span",
    "claim_attribution",
    "provenance_detach",
    "provenance_join",
    "provenance_origin",
]
KINDS: tuple[str, ...] = get_args(Kind)
ENTITY_KINDS = frozenset({"entity_label", "entity_name", "entity_merge", "entity_split"})
CLAIM_KINDS = frozenset({"claim_remove", "claim_span", "claim_attribution"})
PROVENANCE_KINDS = frozenset({"provenance_detach", "provenance_join", "provenance_origin"})
# Kinds whose correction is a span of the article's text, anchored like an annotation.
SPAN_KINDS = frozenset(
    {
        "mention_remove",
        "mention_add",
        "claim_add",
        "claim_span",
        "claim_remove",
        "claim_attribution",
    }
)
DETAIL_FIELDS = ("title", "publisher", "author", "published", "url")

# Each kind as the pages name it, in the words of the control that makes it.
KIND_NAMES = {
    "article": "Article details",
    "entity_label": "Wrong type",
    "entity_name": "Renamed",
    "entity_merge": "Same as another",
    "entity_split": "Not the same as",
    "mention_remove": "Not an entity",
    "mention_add": "Marked as entity",
    "claim_remove": "Not a claim",
    "claim_add": "Marked as claim",
    "claim_span": "Claim's extent",
    "claim_attribution": "Attribution",
    "provenance_detach": "Not a rewrite",
    "provenance_join": "Same origin as",
    "provenance_origin": "The origin",
}

# What the quality measure groups kinds under.
MEASURE = {
    "article": "metadata",
    "entity_label": "entities",
    "entity_name": "entities",
    "entity_merge": "entities",
    "entity_split": "entities",
    "mention_remove": "entities",
    "mention_add": "entities",
    "claim_remove": "claims",
    "claim_add": "claims",
    "claim_span": "claims",
    "claim_attribution": "attributions",
    "provenance_detach": "provenance",
    "provenance_join": "provenance",
    "provenance_origin": "provenance",
}

STANDING, SUPERSEDED, WITHDRAWN, ORPHAN = "standing", "superseded", "withdrawn", "orphan"


@dataclass(frozen=True)
class Entry:
    """One correction as the rules see it."""

    id: int
    kind: str
    analyst: str
    created: datetime
    withdrawn: bool
    orphan: bool
    article_id: int | None = None
    entity_id: int | None = None
    claim_id: int | None = None
    start: int | None = None
    end: int | None = None
    value: Any = None


def subject(e: Entry) -> tuple[Any, ...]:
    """What a correction decides about: two standing corrections of one subject are the
    same question answered twice, and the later answer applies."""
    if e.kind == "article":
        return ("article", e.article_id)
    if e.kind in ("entity_label", "entity_name", "entity_merge"):
        return (e.kind, e.entity_id)
    if e.kind == "entity_split":
        return (e.kind, e.entity_id, str(e.value).casefold())
    if e.kind in ("mention_remove", "mention_add"):
        return ("mention", e.article_id, e.start, e.end)
    if e.kind in ("claim_remove", "claim_span"):
        return ("claim", e.claim_id) if e.claim_id else ("claim", e.article_id, e.start)
    if e.kind == "claim_add":
        return ("claim", e.article_id, e.start, e.end)
    if e.kind == "claim_attribution":
        return (e.kind, e.claim_id)
    if e.kind == "provenance_origin":
        return (e.kind, e.article_id)
    return ("provenance", e.article_id)


def _ordered(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.created, e.id))


def statuses(entries: Iterable[Entry]) -> dict[int, str]:
    """Each correction's status: withdrawn, an orphan (its text is gone), superseded by a
    later standing correction of the same subject, or standing."""
    latest: dict[tuple[Any, ...], Entry] = {}
    ordered = _ordered(entries)
    for e in ordered:
        if not e.withdrawn and not e.orphan:
            latest[subject(e)] = e
    out: dict[int, str] = {}
    for e in ordered:
        if e.withdrawn:
            out[e.id] = WITHDRAWN
        elif e.orphan:
            out[e.id] = ORPHAN
        elif e.kind == "article":
            out[e.id] = STANDING  # several fields: a later entry overrides only its own
        else:
            out[e.id] = STANDING if latest[subject(e)].id == e.id else SUPERSEDED
    return out


def standing(entries: Iterable[Entry]) -> list[Entry]:
    """The corrections that apply, oldest first (so that a later one overrides)."""
    entries = list(entries)
    status = statuses(entries)
    return [e for e in _ordered(entries) if status[e.id] == STANDING]


def disagreements(entries: Sequence[Entry]) -> dict[int, list[Entry]]:
    """For each correction, the other analysts' corrections (not withdrawn) of the same
    subject that decided otherwise: shown beside it, never resolved silently."""
    by_subject: dict[tuple[Any, ...], list[Entry]] = {}
    for e in entries:
        if not e.withdrawn:
            by_subject.setdefault(subject(e), []).append(e)
    out: dict[int, list[Entry]] = {}
    for group in by_subject.values():
        for e in group:
            others = [
                o
                for o in group
                if o.analyst != e.analyst and (o.kind, o.value) != (e.kind, e.value)
            ]
            if others:
                out[e.id] = others
    return out


def details(found: dict[str, Any], corrections: Iterable[Entry]) -> dict[str, Any]:
    """An article's details: what ingest found, each field overridden by the latest
    standing correction that sets it."""
    out = dict(found)
    for e in corrections:
        if e.kind == "article" and isinstance(e.value, dict):
            out.update({k: v for k, v in e.value.items() if k in DETAIL_FIELDS})
    return out
