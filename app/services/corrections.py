"""The corrections log: analysts' corrections made (checked whole before anything is
applied), withdrawn (an entry too: nothing is deleted), listed. Applying them is
`services/correction_replay`; this module asks it to replay what a change touches."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.anchoring import Selector, make_selector
from app.corrections import (
    CLAIM_KINDS,
    DETAIL_FIELDS,
    ENTITY_KINDS,
    PROVENANCE_KINDS,
)
from app.corrections.replay import would_cycle
from app.db import write_session
from app.extract.claims import MAX_CLAIM_CHARS
from app.extract.entities import MAX_NAME, entity_key
from app.models import Article, Claim, Correction, Entity, Mention, Revision, utcnow
from app.present import address
from app.schemas import CorrectionCreate
from app.services import analysis, conflict_write, correction_replay, lookups, sources
from app.services.errors import Invalid, NotFound
from app.services.ingest import rederive
from app.vocab import ENTITY_LABELS

MAX_DETAIL_CHARS = 500
MAX_URL_CHARS = 2048


@dataclass(frozen=True)
class Imported:
    """A correction read from another reading room's export: its IRI and time."""

    external_id: str
    created: datetime


def create(
    engine: Engine, data: CorrectionCreate, analyst: str, imported: Imported | None = None
) -> int:
    """Check the correction whole, log it and replay what it touches; a 422 names what is
    wrong and leaves everything as it was. Returns its id."""
    with write_session(engine) as session:
        row = Correction(kind=data.kind, analyst=analyst, reason=data.reason or "")
        _check(session, data, row)
        if row.kind == "article" and imported is None:
            row.value = _changed(session, row.article_id, row.value)
        if imported is not None:
            row.external_id, row.created_at = imported.external_id, imported.created
        session.add(row)
        session.flush()
        assert row.id is not None
        row_id = row.id
        _record(session, row, analyst, "create", {"kind": row.kind, "value": row.value})
        again = _replay(session, row)
    _extract_again(engine, again)
    return row_id


def log_orphan(
    engine: Engine, data: CorrectionCreate, quote: Selector, analyst: str, imported: Imported
) -> int:
    """An imported correction whose words are not in the article here: kept as an orphan
    (listed, applied nowhere) with the quote it had, as it was where it came from."""
    with write_session(engine) as session:
        article = _article(session, data.article_id)
        row = Correction(
            kind=data.kind,
            article_id=article.id,
            analyst=analyst,
            reason=data.reason or "",
            value=data.value,
            exact=quote.exact,
            prefix=quote.prefix,
            suffix=quote.suffix,
            anchor_status="orphan",
            external_id=imported.external_id,
            created_at=imported.created,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        _record(session, row, analyst, "create", {"kind": row.kind, "value": row.value})
        return row.id


def withdraw(
    engine: Engine, correction_id: int, analyst: str, *, at: datetime | None = None
) -> None:
    """Withdraw a correction (kept in the history) and replay what it touched without it;
    `at`: when, for one withdrawn in the reading room it is imported from."""
    with write_session(engine) as session:
        row = get(session, correction_id)
        if row.withdrawn_at is not None:
            return
        row.withdrawn_at, row.withdrawn_by = at or utcnow(), analyst
        session.add(row)
        session.flush()
        _record(session, row, analyst, "withdraw", {})
        if row.kind in ENTITY_KINDS:
            correction_replay.reset_entities(session, [row])
        again = _replay(session, row, withdrawn=True)
    _extract_again(engine, again)


def get(session: Session, correction_id: int) -> Correction:
    row = session.get(Correction, correction_id)
    if row is None:
        raise NotFound(f"correction {correction_id} does not exist")
    return row


def _record(session: Session, row: Correction, analyst: str, action: str, change: dict) -> None:
    assert row.id is not None
    session.add(
        Revision(
            object_type="correction",
            object_id=row.id,
            version=1,
            analyst=analyst,
            action=action,
            change=change,
        )
    )


# --- replaying what a correction touches -------------------------------------------------------


def _replay(session: Session, row: Correction, *, withdrawn: bool = False) -> set[int]:
    """Apply what can be applied to the stored rows at once; returns the articles to
    extract again (in transactions of their own, see `_extract_again`)."""
    if row.kind in PROVENANCE_KINDS:
        named = {i for i in (row.article_id, row.value) if isinstance(i, int)}
        moved: set[int]
        if withdrawn:
            moved = analysis.regroup(session, named) | named
        else:
            moved = correction_replay.apply_provenance(session)
        # Conflicts are keyed by independent sources, which follow the groups.
        conflict_write.regather(session, conflict_write.claims_of(session, moved))
        return set()
    if row.kind not in ENTITY_KINDS:
        return {row.article_id} if row.article_id is not None else set()
    entities = _entities_of(row)
    if withdrawn:
        # The machine's mapping of mentions to entities comes back only by extracting again.
        return set(correction_replay.articles_mentioning(session, entities))
    correction_replay.apply_entity_fixes(
        session, correction_replay.entity_fixes(session), extra=entities
    )
    return set()


def _extract_again(engine: Engine, articles: set[int]) -> None:
    """Extraction runs outside any transaction, as at ingest: a correction that needs it is
    logged first, and an ingest meanwhile replays it too."""
    for article_id in sorted(articles):
        rederive(engine, article_id)


def _entities_of(row: Correction) -> set[int]:
    ids = {row.entity_id} if row.entity_id else set()
    if row.kind == "entity_merge" and row.value:
        ids.add(int(row.value))
    if row.kind == "entity_split" and row.target.get("split_into"):
        ids.add(int(row.target["split_into"]))
    return ids


# --- checking a correction ------------------------------------------------------------------------


def _check(session: Session, data: CorrectionCreate, row: Correction) -> None:
    kind = data.kind
    if kind in ENTITY_KINDS:
        _check_entity(session, data, row)
        if data.article_id is not None:
            row.article_id = _article(session, data.article_id).id
        return
    if kind in CLAIM_KINDS:
        claim = _claim(session, data.claim_id)
        row.claim_id, row.article_id = claim.id, claim.article_id
        article = lookups.article(session, claim.article_id)
        if kind == "claim_span":
            _span(row, article, data)
            if row.end - row.start > MAX_CLAIM_CHARS:  # type: ignore[operator]
                raise Invalid(f"end: a claim is at most {MAX_CLAIM_CHARS} characters")
            row.value = {"fingerprint": claim.fingerprint}
        else:
            _anchor(row, article, claim.start, claim.end)
        if kind == "claim_attribution":
            row.value = _attribution(session, data.value)
        return
    article = _article(session, data.article_id)
    row.article_id = article.id
    if kind == "article":
        row.value = _details(data.value)
    elif kind in ("mention_remove", "mention_add", "claim_add"):
        _span(row, article, data)
        if kind == "mention_remove":
            _has_mention(session, row)
        elif kind == "mention_add":
            row.value = _new_mention(session, data.value, row)
        elif row.end - row.start > MAX_CLAIM_CHARS:  # type: ignore[operator]
            raise Invalid(f"end: a claim is at most {MAX_CLAIM_CHARS} characters")
    elif kind == "provenance_join":
        other = _int(data.value, "value")
        if other == article.id:
            raise Invalid(f"value: article {other} cannot join its own provenance group")
        row.value = _article(session, other, field="value").id
    elif kind in ("provenance_origin", "provenance_detach") and not article.provenance_group_id:
        raise Invalid(f"article_id: article {article.id} is in no provenance group")


def _check_entity(session: Session, data: CorrectionCreate, row: Correction) -> None:
    if data.entity_id is None:
        raise Invalid("entity_id: required for a correction of an entity")
    entity = session.get(Entity, data.entity_id)
    if entity is None:
        raise Invalid(f"entity_id: entity {data.entity_id} does not exist")
    row.entity_id = entity.id
    row.target = {"key": entity.key, "label": entity.label, "name": entity.name}
    value = data.value
    if data.kind == "entity_label":
        if value not in ENTITY_LABELS:
            raise Invalid(f"value: {value!r} is not an entity label ({', '.join(ENTITY_LABELS)})")
        row.value = value
    elif data.kind == "entity_name":
        row.value = _text(value, "value", MAX_NAME)
    elif data.kind == "entity_merge":
        other = _int(value, "value")
        if other == entity.id:
            raise Invalid(f"value: entity {other} cannot be merged into itself")
        if session.get(Entity, other) is None:
            raise Invalid(f"value: entity {other} does not exist")
        fixes = correction_replay.entity_fixes(session)
        assert entity.id is not None
        if would_cycle(fixes.into, entity.id, other):
            raise Invalid(f"value: merging entity {entity.id} into {other} would form a cycle")
        row.value = other
    else:  # entity_split
        alias = _text(value, "value", MAX_NAME)
        if alias.casefold() not in {a.casefold() for a in entity.aliases}:
            raise Invalid(f"value: {alias!r} is not an alias of entity {entity.id}")
        if alias.casefold() == entity.name.casefold():
            raise Invalid(f"value: {alias!r} is the entity's own name; rename it first")
        row.value = alias
        row.target["split_into"] = _entity_for(session, alias, entity.label)


def _entity_for(session: Session, name: str, label: str) -> int:
    """The entity an alias split away becomes: the one with its key and label, or a new one."""
    key = entity_key(name, label)
    found = session.exec(select(Entity).where(Entity.key == key, Entity.label == label)).first()
    if found is None:
        found = Entity(name=name, label=label, key=key, aliases=[name])
        session.add(found)
        session.flush()
    assert found.id is not None
    return found.id


def _article(session: Session, article_id: int | None, field: str = "article_id") -> Article:
    if article_id is None:
        raise Invalid(f"{field}: required for this kind of correction")
    article = session.get(Article, article_id)
    if article is None:
        raise Invalid(f"{field}: article {article_id} does not exist")
    return article


def _claim(session: Session, claim_id: int | None) -> Claim:
    if claim_id is None:
        raise Invalid("claim_id: required for a correction of a claim")
    claim = session.get(Claim, claim_id)
    if claim is None or claim.retired_at is not None:
        raise Invalid(f"claim_id: claim {claim_id} does not exist")
    return claim


def _span(row: Correction, article: Article, data: CorrectionCreate) -> None:
    if data.start is None or data.end is None:
        raise Invalid("start, end: a span is required for this kind of correction")
    n = len(article.text)
    if not 0 <= data.start < data.end <= n:
        raise Invalid(
            f"start, end: [{data.start}, {data.end}) is outside the article's text (0 to {n})"
        )
    for name, at in (("start", data.start), ("end", data.end)):
        if at < n and _continues(article.text[at]):
            raise Invalid(f"{name}: offset {at} splits a character (a combining mark follows)")
    _anchor(row, article, data.start, data.end)


def _continues(ch: str) -> bool:
    """A code point that belongs to the character before it."""
    return (
        unicodedata.combining(ch) != 0
        or unicodedata.category(ch) in ("Mn", "Me")
        or (ch in "\u200d\ufe0f\ufe0e")
    )


def _anchor(row: Correction, article: Article, start: int, end: int) -> None:
    sel = make_selector(article.text, start, end)
    row.start, row.end = sel.start, sel.end
    row.exact, row.prefix, row.suffix, row.anchor_status = (
        sel.exact,
        sel.prefix,
        sel.suffix,
        "anchored",
    )


def _has_mention(session: Session, row: Correction) -> None:
    found = session.exec(
        select(Mention.label).where(
            Mention.article_id == row.article_id,
            col(Mention.start) < row.end,
            col(Mention.end) > row.start,
        )
    ).first()
    if found is None:
        raise Invalid(f"start, end: no entity is marked at [{row.start}, {row.end})")
    row.target = {"label": found}


def _new_mention(session: Session, value: Any, row: Correction) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid("value: {label, entity_id?} is required")
    extra = set(value) - {"label", "entity_id"}
    if extra:
        raise Invalid(f"value: unknown fields {sorted(extra)}")
    label = value.get("label")
    if label not in ENTITY_LABELS:
        raise Invalid(f"value.label: {label!r} is not an entity label ({', '.join(ENTITY_LABELS)})")
    out: dict[str, Any] = {"label": label}
    if value.get("entity_id") is not None:
        entity_id = _int(value["entity_id"], "value.entity_id")
        if session.get(Entity, entity_id) is None:
            raise Invalid(f"value.entity_id: entity {entity_id} does not exist")
        out["entity_id"] = entity_id
    if len(row.exact) > MAX_NAME:
        raise Invalid(f"end: an entity's name is at most {MAX_NAME} characters")
    return out


def _attribution(session: Session, value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise Invalid("value: {text, entity_id?} or null is required")
    extra = set(value) - {"text", "entity_id"}
    if extra:
        raise Invalid(f"value: unknown fields {sorted(extra)}")
    entity = None
    if value.get("entity_id") is not None:
        entity_id = _int(value["entity_id"], "value.entity_id")
        entity = session.get(Entity, entity_id)
        if entity is None:
            raise Invalid(f"value.entity_id: entity {entity_id} does not exist")
    # Named by an entity alone, the source reads as the entity's name.
    text = value.get("text") or (entity.name if entity is not None else None)
    out: dict[str, Any] = {"text": _text(text, "value.text", MAX_NAME)}
    if entity is not None:
        out["entity_id"] = entity.id
    return out


def _details(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not value:
        raise Invalid(f"value: an object with some of {', '.join(DETAIL_FIELDS)} is required")
    out: dict[str, Any] = {}
    for name, v in value.items():
        if name not in DETAIL_FIELDS:
            raise Invalid(f"value.{name}: not a detail of an article ({', '.join(DETAIL_FIELDS)})")
        if v is None or (isinstance(v, str) and not v.strip()):
            if name == "title":
                raise Invalid("value.title: an article needs a title")
            out[name] = None
        elif name == "url":
            out[name] = _web_address(v)
        else:
            out[name] = _text(v, f"value.{name}", MAX_DETAIL_CHARS)
        if name == "published" and out[name] is not None:
            try:
                out[name] = date.fromisoformat(out[name]).isoformat()
            except ValueError:
                raise Invalid("value.published: a date (YYYY-MM-DD) is required") from None
    return out


def _web_address(value: Any) -> str:
    text = _text(value, "value.url", MAX_URL_CHARS)
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in text:
        raise Invalid("value.url: a web address (http:// or https://) is required")
    return text


def _changed(session: Session, article_id: int | None, value: dict[str, Any]) -> dict[str, Any]:
    """The details that differ from what the article shows: a form sends every field, and a
    field left as it was is no correction (nor should it pin a value a new version of the
    source may change)."""
    article = _article(session, article_id)
    shown = {
        "title": article.title,
        "publisher": article.publisher,
        "author": article.author,
        "published": article.published.isoformat() if article.published else None,
        "url": address(article.url, sources.of_article(session, article.id)),
    }
    same = {k: " ".join(v.split()) if v else None for k, v in shown.items()}
    changed = {k: v for k, v in value.items() if v != same[k]}
    if not changed:
        raise Invalid("value: the article's details are these already; nothing to correct")
    return changed


def _text(value: Any, name: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"{name}: a non-empty text is required")
    value = " ".join(value.split())
    if len(value) > limit or "\x00" in value:
        raise Invalid(f"{name}: at most {limit} characters, no NUL")
    return value


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 2**31:
        raise Invalid(f"{name}: an id (a positive integer) is required")
    return value
