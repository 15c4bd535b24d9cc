"""Analysts' corrections in and out of Web Annotation documents (`export.webannotation`).

Out: each correction in terms another reading room can find — its article by content hash,
its words by quote and position, an entity by key, label and name (as the machine had it
when the correction was made), the entities and articles its value names the same way.
In: each one found again here and made through the corrections log, oldest first, so that
each is checked and replayed as if an analyst here had made it; a withdrawn one is made and
then withdrawn. A correction that cannot be made here is skipped with its reason; one whose
words were already gone (an orphan) is kept as an orphan."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.anchoring import Selector, claim_for_span, reanchor
from app.annotation_rules import MAX_ANALYST_CHARS, analyst_name
from app.corrections import ENTITY_KINDS, Entry, standing
from app.db import read_session
from app.export.records import ARTICLE_IRI_PREFIX, CorrectionRecord, derived_iri
from app.export.webannotation_read import CorrectionIn
from app.models import Article, Claim, Correction, Entity
from app.schemas import CorrectionCreate
from app.services import correction_replay, corrections
from app.services.errors import Invalid

# --- out --------------------------------------------------------------------------------------


def records(session: Session, article_ids: set[int]) -> list[CorrectionRecord]:
    """The corrections of these articles, and every correction of an entity (a decision
    about the corpus-wide entity, whatever article it was made from)."""
    rows = session.exec(
        select(Correction)
        .where(
            or_(
                col(Correction.article_id).in_(article_ids),
                col(Correction.kind).in_(ENTITY_KINDS),
            )
        )
        .order_by(col(Correction.created_at), col(Correction.id))
    ).all()
    entities = _by_id(session, Entity, {i for r in rows for i in _entity_ids(r)})
    articles = _by_id(session, Article, {int(r.value) for r in rows if r.kind == "provenance_join"})
    return [_record(r, entities, articles) for r in rows]


def attribution_fixes(session: Session, claim_ids: set[int]) -> dict[int, Correction]:
    """{claim id: the standing correction of its attribution}."""
    rows = session.exec(
        select(Correction).where(
            Correction.kind == "claim_attribution", col(Correction.claim_id).in_(claim_ids)
        )
    ).all()
    by_id = {r.id: r for r in rows}
    return {e.claim_id: by_id[e.id] for e in _standing(rows) if e.claim_id is not None}


def _standing(rows: Iterable[Correction]) -> list[Entry]:
    return standing(correction_replay.entry(r) for r in rows)


def _entity_ids(row: Correction) -> set[int]:
    if row.kind == "entity_merge":
        return {int(row.value)}
    if isinstance(row.value, dict) and row.value.get("entity_id"):
        return {int(row.value["entity_id"])}
    return set()


def _by_id(session: Session, model: Any, ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    return {x.id: x for x in session.exec(select(model).where(col(model.id).in_(ids))).all()}


def _entity_ref(entity: Entity | None) -> dict[str, str] | None:
    if entity is None:
        return None
    return {"key": entity.key, "label": entity.label, "name": entity.name}


def _record(
    row: Correction, entities: dict[int, Entity], articles: dict[int, Article]
) -> CorrectionRecord:
    value = row.value
    if row.kind == "entity_merge":
        value = _entity_ref(entities.get(int(value)))
    elif row.kind == "provenance_join":
        other = articles.get(int(value))
        value = ARTICLE_IRI_PREFIX + other.content_hash if other is not None else None
    elif isinstance(value, dict) and value.get("entity_id"):
        value = {k: v for k, v in value.items() if k != "entity_id"}
        value["entity"] = _entity_ref(entities.get(int(row.value["entity_id"])))
    entity = None
    if row.kind in ENTITY_KINDS:
        entity = {k: str(row.target.get(k, "")) for k in ("key", "label", "name")}
    assert row.id is not None
    return CorrectionRecord(
        id=row.id,
        kind=row.kind,
        analyst=row.analyst,
        created=row.created_at,
        article_id=row.article_id,
        entity=entity,
        exact=row.exact,
        prefix=row.prefix,
        suffix=row.suffix,
        start=row.start,
        end=row.end,
        value=value,
        reason=row.reason,
        withdrawn=row.withdrawn_at,
        withdrawn_by=row.withdrawn_by,
        external_id=row.external_id,
    )


# --- in ---------------------------------------------------------------------------------------


def import_corrections(
    engine: Engine, items: Sequence[CorrectionIn], analyst: str, skipped: list[str]
) -> tuple[int, int]:
    """Make the corrections here; returns (made, already here)."""
    with read_session(engine) as session:
        known = {
            r.external_id or derived_iri("correction", r.id, r.analyst, r.created_at)  # type: ignore[arg-type]
            for r in session.exec(select(Correction)).all()
        }
    made = present = 0
    oldest = datetime.min.replace(tzinfo=UTC)
    # Times are written to the second: corrections of one second keep the document's order,
    # which is the order they were made in (the later standing one wins).
    for item in sorted(items, key=lambda i: i.created or oldest):
        if item.iri in known:
            present += 1
            continue
        who = analyst_name(item.analyst or "") or analyst
        imported = corrections.Imported(item.iri, item.created or datetime.now(UTC))
        try:
            if len(who) > MAX_ANALYST_CHARS:
                raise Invalid(f"creator: at most {MAX_ANALYST_CHARS} characters")
            with read_session(engine) as session:
                data, orphan = _found_here(session, item)
            if orphan is not None:
                correction_id = corrections.log_orphan(engine, data, orphan, who, imported)
            else:
                correction_id = corrections.create(engine, data, who, imported)
        except Invalid as exc:
            skipped.append(f"correction {item.iri}: {exc.message}")
            continue
        if item.withdrawn is not None:
            corrections.withdraw(engine, correction_id, item.withdrawn_by or who, at=item.withdrawn)
        made += 1
    return made, present


def _found_here(session: Session, item: CorrectionIn) -> tuple[CorrectionCreate, Selector | None]:
    """The correction with this reading room's ids, and the quote it had if its words
    cannot be found (an orphan)."""
    fields: dict[str, Any] = {"kind": item.kind, "reason": item.reason or None}
    orphan = None
    if item.entity is not None:
        fields["entity_id"] = _entity(session, item.entity, "the corrected entity")
    if item.words is not None or item.article is not None:
        source = item.words.source if item.words else item.article[0]  # type: ignore[index]
        digest = item.words.content_hash if item.words else item.article[1]  # type: ignore[index]
        name = item.words.source_file if item.words else item.article[2]  # type: ignore[index]
        article = _article(session, source, digest, name)
        fields["article_id"] = article.id
    if item.words is not None:
        sel = item.words.selector
        old = Selector(sel.exact, sel.prefix, sel.suffix, sel.start or 0, sel.end or 0)
        found = reanchor(old, article.text)
        if found.start is None or found.end is None:
            orphan = old
        else:
            fields["start"], fields["end"] = found.start, found.end
            if item.kind in ("claim_remove", "claim_attribution", "claim_span"):
                fields["claim_id"] = _claim(session, article, item, found.start, found.end)
    fields["value"] = _value(session, item)
    if item.kind in ("claim_remove", "claim_attribution"):
        fields.pop("start", None), fields.pop("end", None)
    try:
        return CorrectionCreate.model_validate(fields), orphan
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise Invalid(f"{where}: {problem['msg']}") from exc


def _value(session: Session, item: CorrectionIn) -> Any:
    value = item.value
    if item.kind == "entity_merge":
        return _entity(session, value, "value") if isinstance(value, dict) else value
    if item.kind == "provenance_join":
        if not isinstance(value, str) or not value.startswith(ARTICLE_IRI_PREFIX):
            raise Invalid("value: the article to join is named by its IRI")
        return _article(session, value, value[len(ARTICLE_IRI_PREFIX) :], None).id
    if item.kind == "claim_span":
        return None
    if isinstance(value, dict) and "entity" in value:
        out = {k: v for k, v in value.items() if k != "entity"}
        if value["entity"] is not None:
            out["entity_id"] = _entity(session, value["entity"], "value.entity")
        return out
    return value


def _entity(session: Session, ref: Any, what: str) -> int:
    """The entity here with the reference's key and label, else its key, else its name."""
    if not isinstance(ref, dict):
        raise Invalid(f"{what}: an entity is named by its key, label and name")
    key, label, name = ref.get("key"), ref.get("label"), ref.get("name")
    for where in (
        (Entity.key == key, Entity.label == label),
        (Entity.key == key,),
        (Entity.name == name,),
    ):
        found = session.exec(select(Entity.id).where(*where).order_by(col(Entity.id))).first()
        if found is not None:
            return found
    raise Invalid(f"{what}: no entity {name!r} ({label}) in this reading room")


def _article(session: Session, iri: str, digest: str | None, name: str | None) -> Article:
    query = select(Article).order_by(col(Article.id))
    found = session.exec(query.where(Article.content_hash == digest)).first() if digest else None
    if found is None and name:
        found = session.exec(query.where(Article.source_file == name)).first()
    if found is None:
        raise Invalid(f"article {name or iri} is not in this reading room; ingest it first")
    return found


def _claim(session: Session, article: Article, item: CorrectionIn, start: int, end: int) -> int:
    claims = session.exec(
        select(Claim).where(Claim.article_id == article.id, col(Claim.retired_at).is_(None))
    ).all()
    wanted = item.value.get("fingerprint") if isinstance(item.value, dict) else None
    claim = next((c for c in claims if wanted and c.fingerprint == wanted), None)
    claim = claim or claim_for_span(claims, start, end)
    if claim is None or claim.id is None:
        raise Invalid(f"claim_id: no claim at {item.words.selector.exact!r}")  # type: ignore[union-attr]
    return claim.id
