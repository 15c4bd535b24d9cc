"""The Web Annotation export a page at a time: the set's outline (which annotations, in
which order) is read first, without their text; each page's records are then read for that
page alone, so a page, the collection and the whole document (streamed) cost one page's
records however large the set. The pages are those `webannotation.to_document` writes from
the whole set (`tests/services/test_export_stream.py` compares them)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.db import snapshot_session
from app.export import webannotation
from app.export.records import ExportSet, ReferredClaim, VerdictRecord
from app.filters import ExportFilter
from app.models import Claim, Link, StandingVerdict, utcnow
from app.services import correction_interchange, link_read
from app.services.exports import (
    CLAIM_REF_COLUMNS,
    NOTE_COLUMNS,
    NOTE_PLACE_COLUMNS,
    VERDICT_COLUMNS,
    Chosen,
    Streamed,
    _articles,
    _link_record,
    _note_record,
    _note_ref,
    _notes,
    _ref_fields,
    _rows,
    _texts,
    choose,
)


@dataclass(frozen=True)
class Outline:
    """The set's annotations in document order: notes, standing verdicts, links, then
    corrections (written at once: analysts' corrections are few beside their notes)."""

    chosen: Chosen
    exported_by: str
    at: datetime
    notes: list[Any]  # NOTE_PLACE_COLUMNS rows, by (created, id)
    verdicts: list[Any]  # VERDICT_COLUMNS rows, by (at, claim, analyst)
    links: list[Link]  # by (created, id), citations' links left out
    corrections: list[dict]
    note_ids: frozenset[int]
    # Claims of these articles carry their quote's prefix and suffix, as in the whole-set
    # export (which reads the texts of the articles of the links' claims only).
    text_articles: frozenset[int]

    @property
    def total(self) -> int:
        return len(self.notes) + len(self.verdicts) + len(self.links) + len(self.corrections)


class Pages:
    """The pages of one export, read from `session` (a snapshot) as they are asked for."""

    def __init__(self, session: Session, f: ExportFilter, *, exported_by: str, at: datetime):
        self.session = session
        self.outline = _outline(session, choose(session, f), exported_by, at)

    @property
    def total(self) -> int:
        return self.outline.total

    def items(self, n: int, page_size: int) -> list[dict]:
        """The annotations of page `n` (from 0)."""
        o = self.outline
        runs, at = [], 0  # the page's slice of each run of the document: notes, verdicts, …
        for size in (len(o.notes), len(o.verdicts), len(o.links), len(o.corrections)):
            runs.append(slice(min(max(n * page_size - at, 0), size),
                              min(max((n + 1) * page_size - at, 0), size)))  # fmt: skip
            at += size
        notes, verdicts, links, corrections = runs
        part, parents = self._part([r.id for r in o.notes[notes]], o.verdicts[verdicts],
                                   o.links[links])  # fmt: skip
        return webannotation.items(part, parents) + o.corrections[corrections]

    def collection(self, collection_id: str, page_size: int) -> dict:
        return webannotation.collection(self.outline.chosen.title, collection_id, self.total,
                                        self.items(0, page_size), page_size)  # fmt: skip

    def page(self, collection_id: str, n: int, page_size: int) -> dict:
        webannotation.check_page(n, self.total, page_size)
        return webannotation.page_of(collection_id, n, self.total, self.items(n, page_size),
                                     page_size)  # fmt: skip

    def document(self, collection_id: str, page_size: int) -> Iterator[bytes]:
        count = webannotation.page_count(self.total, page_size)
        pages = (self.items(n, page_size) for n in range(count))
        return webannotation.document_text(self.outline.chosen.title, collection_id, self.total,
                                           pages, page_size)  # fmt: skip

    def _part(
        self, note_ids: list[int], verdicts: Sequence[Any], links: Sequence[Link]
    ) -> tuple[ExportSet, dict[int, Any]]:
        """The records of a page's notes, verdicts and links, with what they refer to; and
        the parents (in the set, not on the page) its replies target."""
        o, session = self.outline, self.session
        notes = _rows(session, NOTE_COLUMNS, note_ids)
        on_page = {n.id for n in notes}
        parent_ids = {n.reply_to_id for n in notes if n.reply_to_id in o.note_ids} - on_page
        parents = {p.id: _note_ref(p) for p in _rows(session, NOTE_COLUMNS, parent_ids)}
        ends = [i for k in links for i in (k.source_claim_id, k.target_claim_id) if i]
        claims = _rows(session, CLAIM_REF_COLUMNS, {v.claim_id for v in verdicts} | set(ends))
        texts = _texts(session, {c.article_id for c in claims} & o.text_articles)
        end_notes = {
            i for k in links for i in (k.source_annotation_id, k.target_annotation_id) if i
        }
        other_notes = _rows(session, NOTE_COLUMNS, end_notes - on_page)
        article_ids = {c.article_id for c in claims} | {
            n.article_id for n in (*notes, *other_notes)
        }
        part = ExportSet(
            title=o.chosen.title,
            filters=o.chosen.filters,
            exported_at=o.at,
            exported_by=o.exported_by,
            articles=tuple(_articles(session, article_ids)[0]),
            notes=tuple(_note_record(n) for n in notes),
            verdicts=tuple(VerdictRecord(v.claim_id, v.analyst, v.verdict, v.at) for v in verdicts),
            links=tuple(_link_record(k) for k in links),
            other_claims=tuple(ReferredClaim(**_ref_fields(c, texts)) for c in claims),
            other_notes=tuple(_note_ref(n) for n in other_notes),
        )
        return part, parents


def _outline(session: Session, chosen: Chosen, exported_by: str, at: datetime) -> Outline:
    notes = _notes(session, chosen.claim_ids, chosen.root_ids, NOTE_PLACE_COLUMNS)
    note_ids = frozenset(n.id for n in notes)
    verdicts = sorted(
        _rows(session, VERDICT_COLUMNS, chosen.claim_ids, key=StandingVerdict.claim_id),
        key=lambda v: (v.at, v.claim_id, v.analyst),
    )
    touching = link_read.touching(session, sorted(chosen.claim_ids), sorted(note_ids))
    end_claims = {i for k in touching for i in (k.source_claim_id, k.target_claim_id) if i}
    end_notes = {i for k in touching for i in (k.source_annotation_id, k.target_annotation_id) if i}
    claim_articles = dict(_rows(session, (Claim.id, Claim.article_id),
                                chosen.claim_ids | end_claims))  # fmt: skip
    other_notes = _rows(session, NOTE_COLUMNS[:2], end_notes - note_ids)
    article_ids = set(claim_articles.values()) | {n.article_id for n in (*notes, *other_notes)}
    records = correction_interchange.records(session, article_ids)
    corrected = {c.article_id for c in records if c.article_id is not None} & article_ids
    corrections = webannotation.items(
        ExportSet(
            title=chosen.title,
            filters=chosen.filters,
            exported_at=at,
            exported_by=exported_by,
            articles=tuple(_articles(session, corrected)[0]),
            corrections=tuple(records),
        )
    )
    return Outline(
        chosen=chosen,
        exported_by=exported_by,
        at=at,
        notes=notes,
        verdicts=verdicts,
        links=sorted(
            (k for k in touching if k.origin != "citation"), key=lambda k: (k.created_at, k.id)
        ),
        corrections=corrections,
        note_ids=note_ids,
        text_articles=frozenset(claim_articles[i] for i in end_claims if i in claim_articles),
    )


def streamed(
    engine: Engine,
    f: ExportFilter,
    *,
    exported_by: str,
    collection_id: str,
    page_size: int = webannotation.PAGE_SIZE,
    now: datetime | None = None,
) -> Streamed[bytes]:
    """The whole document, written a page at a time in one snapshot of the database; what
    the filter cannot choose (an unknown collection) is refused before the first byte."""
    stack = ExitStack()
    session = stack.enter_context(snapshot_session(engine))
    try:
        pages = Pages(session, f, exported_by=exported_by, at=now or utcnow())
    except BaseException:
        stack.close()
        raise

    def written() -> Iterator[bytes]:
        with stack:
            yield from pages.document(collection_id, page_size)

    outline = pages.outline
    return Streamed(written(), len(outline.chosen.claim_ids), len(outline.notes))
