"""Importing W3C Web Annotation documents (as `export.webannotation` writes them) into this
reading room: annotations, their tags, replies and links, each re-anchored by its selectors
in the article found by its source (content hash, else source file name).

Everything happens in the caller's one transaction: a bad document raises `Invalid` and
nothing is written. Importing the same document again adds nothing: each imported
annotation and link keeps its IRI in `external_id`, and an annotation made here is
recognised by the IRI its export gave it.
"""

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app import json_input
from app.anchoring import Selector, claim_for_span, make_selector, reanchor
from app.annotation_rules import MAX_ANALYST_CHARS, analyst_name
from app.db import write_session
from app.export.records import derived_iri
from app.export.webannotation_read import (
    AnnotationIn,
    CorrectionIn,
    LinkIn,
    ResourceIn,
    WAError,
    parse_document,
)
from app.models import Annotation, Article, Claim, Link, utcnow
from app.schemas import AnnotationCreate, LinkCreate
from app.services import (
    annotation_write,
    correction_interchange,
    link_write,
    verdict_write,
    verdicts,
)
from app.services.annotation_write import Imported, Placement
from app.services.errors import Invalid

MAX_IMPORT_BYTES = 50 * 2**20


@dataclass
class ImportReport:
    annotations: int = 0
    verdicts: int = 0
    links: int = 0
    corrections: int = 0
    already_present: int = 0
    orphans: int = 0
    skipped: list[str] = field(default_factory=list)
    pending: list[CorrectionIn] = field(default_factory=list, repr=False)

    def summary(self) -> str:
        made = f"{self.links} link{'s' if self.links != 1 else ''}"
        if self.corrections:
            made += f", {self.corrections} correction{'s' if self.corrections != 1 else ''}"
        parts = [
            f"{self.annotations} annotation{'s' if self.annotations != 1 else ''}, "
            f"{self.verdicts} verdict{'s' if self.verdicts != 1 else ''} and "
            f"{made} imported",
            f"{self.already_present} already here",
        ]
        if self.orphans:
            parts.append(f"{self.orphans} could not be placed in the text (orphans)")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        return ", ".join(parts)


def load_json(data: bytes) -> Any:
    """The bytes of a document to import, parsed; `Invalid` with one clear line if not JSON."""
    if len(data) > MAX_IMPORT_BYTES:
        raise Invalid(f"import: the document is larger than {MAX_IMPORT_BYTES // 2**20} MiB")
    if not data.strip():
        raise Invalid("import: the document is empty")
    try:
        return json_input.loads(data)
    except json_input.Refused as exc:
        raise Invalid(f"import: {exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Invalid(f"import: the document is not JSON ({exc})") from exc


def import_file(engine: Engine, data: bytes, analyst: str) -> ImportReport:
    """Import a document's annotations and links in one transaction, then its corrections
    (each made, checked and replayed on its own: `services.correction_interchange`)."""
    doc = load_json(data)
    with write_session(engine) as session:
        report = import_document(session, doc, analyst)
    if report.pending:
        made, present = correction_interchange.import_corrections(
            engine, report.pending, analyst, report.skipped
        )
        report.corrections, report.already_present = made, report.already_present + present
        report.pending = []
    return report


def import_document(session: Session, doc: Any, analyst: str) -> ImportReport:
    """The annotations and links, in the caller's transaction; the document's corrections
    are left in `pending` for `import_file`."""
    try:
        found = parse_document(doc)
    except WAError as exc:
        raise Invalid(f"import: {exc}") from exc
    if not found:
        raise Invalid("import: the document holds no annotations")
    notes = [i for i in found if isinstance(i, AnnotationIn)]
    link_items = [i for i in found if isinstance(i, LinkIn)]
    run = _Import(session, analyst)
    run.resolve_articles(notes, link_items)
    run.load_known(link_items)
    run.annotations(notes)
    for item in link_items:
        run.link(item)
    run.report.pending = [i for i in found if isinstance(i, CorrectionIn)]
    return run.report


class _Import:
    def __init__(self, session: Session, analyst: str) -> None:
        self.session = session
        self.analyst = analyst
        self.report = ImportReport()
        self.by_hash: dict[str, Article] = {}
        self.by_file: dict[str, Article] = {}
        self.known: dict[str, Annotation] = {}
        self.claims: dict[int, list[Claim]] = {}

    # --- what is already here --------------------------------------------------------------

    def resolve_articles(self, notes: Sequence[AnnotationIn], link_items: Sequence[LinkIn]) -> None:
        resources = [n.target for n in notes if n.target is not None]
        resources += [
            e for k in link_items for e in (k.source, k.target) if isinstance(e, ResourceIn)
        ]
        hashes = {r.content_hash for r in resources if r.content_hash}
        files = {r.source_file for r in resources if r.source_file}
        if hashes:
            for a in self.session.exec(
                select(Article)
                .where(col(Article.content_hash).in_(hashes))
                .order_by(col(Article.id))
            ).all():
                self.by_hash.setdefault(a.content_hash, a)
        if files:
            for a in self.session.exec(
                select(Article).where(col(Article.source_file).in_(files))
            ).all():
                self.by_file[a.source_file] = a  # type: ignore[index]
        missing = sorted(
            {
                n.target.source_file or n.target.source
                for n in notes
                if n.target is not None and self.article(n.target) is None
            }
        )
        if missing:
            shown = ", ".join(missing[:3]) + (
                f" and {len(missing) - 3} more" if len(missing) > 3 else ""
            )
            raise Invalid(
                f"import: {len(missing)} article{'s are' if len(missing) > 1 else ' is'} not in "
                f"this reading room ({shown}); ingest {'them' if len(missing) > 1 else 'it'} first"
            )
        ids = {a.id for a in (*self.by_hash.values(), *self.by_file.values())}
        for c in self.session.exec(
            select(Claim).where(col(Claim.article_id).in_(ids), col(Claim.retired_at).is_(None))
        ).all():
            self.claims.setdefault(c.article_id, []).append(c)

    def article(self, r: ResourceIn) -> Article | None:
        found = self.by_hash.get(r.content_hash) if r.content_hash else None
        return found or (self.by_file.get(r.source_file) if r.source_file else None)

    def load_known(self, link_items: Sequence[LinkIn]) -> None:
        """Annotations already here, by IRI: every one of the articles concerned (imported
        ones by their external id, ours by the IRI their export gives them), and any
        annotation a link names."""
        article_ids = {a.id for a in (*self.by_hash.values(), *self.by_file.values())}
        named = {e for k in link_items for e in (k.source, k.target) if isinstance(e, str)}
        rows = self.session.exec(
            select(Annotation).where(
                or_(
                    col(Annotation.article_id).in_(article_ids),
                    col(Annotation.external_id).in_(named),
                )
            )
        ).all()
        for a in rows:
            self.known[_iri(a)] = a

    # --- annotations -----------------------------------------------------------------------

    def annotations(self, notes: Sequence[AnnotationIn]) -> None:
        pending = list(notes)
        while pending:
            waiting = []
            for item in pending:
                if item.iri in self.known:
                    self.report.already_present += 1
                elif item.reply_to is not None and item.reply_to not in self.known:
                    waiting.append(item)
                elif (made := self._create(item)) is not None:
                    self.known[item.iri] = made
            if len(waiting) == len(pending):
                self.report.skipped += [
                    f"reply {w.iri}: it answers {w.reply_to}, which is neither in the document "
                    "nor here"
                    for w in waiting
                ]
                return
            pending = waiting

    def _create(self, item: AnnotationIn) -> Annotation | None:
        """Through the same write as the API (validation, history, citations), with the
        annotation's IRI, times and creator kept and its place found in this text. A
        verdict on a claim becomes its creator's standing verdict; an item that held only
        that makes no annotation (None)."""
        parent = self.known[item.reply_to] if item.reply_to is not None else None
        placement = self._place(item.target) if item.target is not None else None
        article_id = placement[0] if placement is not None else None
        claim_id = placement[1].claim_id if placement is not None else None
        if parent is not None:
            claim_id = parent.claim_id
        if claim_id is not None and item.verdict is not None:
            self._judge(item, claim_id, item.verdict)
            if not item.body.strip() and not item.tags:
                return None
            item = dataclasses.replace(item, verdict=None)
        data = _check(
            item.iri,
            lambda: AnnotationCreate.model_validate(
                {
                    "article_id": article_id,
                    "body": item.body,
                    "verdict": item.verdict,
                    "tags": list(item.tags),
                    "reply_to": parent.id if parent is not None else None,
                }
            ),
        )
        created = item.created or utcnow()
        imported = Imported(
            iri=item.iri,
            created=created,
            modified=item.modified or created,
            placement=placement[1] if placement is not None else None,
            importer=self.analyst,
        )
        analyst = _analyst(item.analyst or self.analyst, item.iri)
        try:
            annotation = annotation_write.create(self.session, data, analyst, imported=imported)
        except Invalid as exc:
            raise Invalid(f"import: annotation {item.iri}: {exc.message}") from exc
        self.report.annotations += 1
        self.report.orphans += annotation.anchor_status == "orphan"
        return annotation

    def _judge(self, item: AnnotationIn, claim_id: int, verdict: str) -> None:
        """The item's creator's standing verdict on the claim, unless a later one stands."""
        analyst = _analyst(item.analyst or self.analyst, item.iri)

        def held() -> str | None:
            return verdicts.by_analyst(self.session, [claim_id]).get(claim_id, {}).get(analyst)

        before = held()
        at = item.modified or item.created or utcnow()
        verdict_write.put(self.session, claim_id, analyst, verdict, at=at)
        if held() != before:
            self.report.verdicts += 1
        else:
            self.report.already_present += 1

    def _place(self, target: ResourceIn) -> tuple[int, Placement]:
        """The article an annotation's target names and where its words are there now."""
        article = self.article(target)
        assert article is not None and article.id is not None  # checked in resolve_articles
        sel = target.selector
        anchor = reanchor(
            Selector(sel.exact, sel.prefix, sel.suffix, sel.start or 0, sel.end or 0), article.text
        )
        if anchor.start is None or anchor.end is None:
            return article.id, Placement(sel.exact, sel.prefix, sel.suffix, None, None, "orphan",
                                         None)  # fmt: skip
        placed = make_selector(article.text, anchor.start, anchor.end)
        # Exported positions came from another copy of the text: "moved" is only news here
        # when the words are not where the selector said.
        claim = self._claim_at(article.id, placed.start, placed.end, anchor.status)
        return article.id, Placement(
            placed.exact,
            placed.prefix,
            placed.suffix,
            placed.start,
            placed.end,
            anchor.status,
            claim.id if claim is not None else None,
        )

    def _claim_at(self, article_id: int, start: int, end: int, status: str) -> Claim | None:
        """The claim at these words; where the quote was found as it was ("anchored"),
        only a claim with exactly its bounds."""
        claim = claim_for_span(self.claims.get(article_id, []), start, end)
        if claim is not None and status == "anchored" and (claim.start, claim.end) != (start, end):
            return None
        return claim

    # --- links -----------------------------------------------------------------------------

    def link(self, item: LinkIn) -> None:
        if self.session.exec(select(Link.id).where(Link.external_id == item.iri)).first():
            self.report.already_present += 1
            return
        ends = [self._end(item.source), self._end(item.target)]
        if ends[0] is None or ends[1] is None:
            which = "source" if ends[0] is None else "target"
            self.report.skipped.append(
                f"link {item.iri}: its {which} is not a claim or annotation of this reading room"
            )
            return
        fields = {
            f"source_{ends[0][0]}_id": ends[0][1],
            f"target_{ends[1][0]}_id": ends[1][1],
        }
        data = _check(
            item.iri,
            lambda: LinkCreate.model_validate(
                {"relation": item.relation, "note": item.note, **fields}
            ),
        )
        if ends[0] == ends[1] or link_write.find(self.session, data) is not None:
            self.report.already_present += 1
            return
        link_write.create(
            self.session,
            data,
            _analyst(item.analyst or self.analyst, item.iri),
            external_id=item.iri,
            created=item.created,
        )
        self.report.links += 1

    def _end(self, end: ResourceIn | str) -> tuple[str, int] | None:
        if isinstance(end, str):
            annotation = self.known.get(end)
            if annotation is None or annotation.id is None:
                return None
            return ("annotation", annotation.id)
        article = self.article(end)
        if article is None or article.id is None:
            return None
        sel = end.selector
        anchor = reanchor(
            Selector(sel.exact, sel.prefix, sel.suffix, sel.start or 0, sel.end or 0), article.text
        )
        if anchor.start is None or anchor.end is None:
            return None
        claim = self._claim_at(article.id, anchor.start, anchor.end, anchor.status)
        if claim is None or claim.id is None:
            return None
        return ("claim", claim.id)


def _iri(a: Annotation) -> str:
    return a.external_id or derived_iri("annotation", a.id, a.analyst, a.created_at)  # type: ignore[arg-type]


def _check(iri: str, build: Any) -> Any:
    try:
        return build()
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise Invalid(f"import: annotation {iri}: {where}: {problem['msg']}") from exc


def _analyst(name: str, iri: str) -> str:
    cleaned = analyst_name(name)
    if not cleaned or len(" ".join(name.split())) > MAX_ANALYST_CHARS:
        raise Invalid(
            f"import: annotation {iri}: creator name must be 1 to {MAX_ANALYST_CHARS} characters"
        )
    return cleaned
