"""Annotations as W3C Web Annotation JSON-LD, and back.

Written: an ``AnnotationCollection`` with its first page (``PAGE_SIZE`` annotations)
embedded and ``next`` naming the following page by IRI, as the model's paging requires;
`page` gives one page on its own. For a file, `to_document` writes the whole set: the
collection alone, or (past one page) a JSON-LD array of the collection and its pages. Each
annotation: ``creator`` (the analyst, a Person), ``created``/``modified`` (RFC 3339, ``Z``),
bodies (``TextualBody``: the note in ``text/markdown`` with purpose ``commenting`` or
``replying``, each tag with purpose ``tagging``, a passage note's verdict with purpose
``assessing``) and a ``SpecificResource`` target: the article as ``source`` (its IRI is
the content hash of its source bytes, stable across reading rooms; ``via`` names its source
file) with a ``TextQuoteSelector`` and a ``TextPositionSelector`` (code points). A reply
targets its parent's IRI. Each analyst's standing verdict on a claim is an annotation of
its own with motivation ``assessing``, the verdict as its body and the claim's words as its
target (reading it back sets that analyst's verdict). A link is an annotation with
motivation ``linking``, its relation as a ``classifying`` body, and two targets in order:
source, then target (a claim is its words in its article, an annotation is its IRI). Links
made by citations in notes are left out: importing the note makes them again.

An analyst's correction of what extraction found is an annotation with motivation
``editing``: its body a ``TextualBody`` with purpose ``editing`` in format
``application/vnd.readingroom.correction+json`` holding ``{kind, value?, entity?,
withdrawn?}`` as JSON (the kinds and values of the corrections API; an entity named by
``{key, label, name}``, an article by its IRI), its reason a ``commenting`` body; its target
the corrected words in their article (quote and position), the article itself, or for a
correction of an entity the entity's IRI (``urn:readingroom:entity:`` + label + key).

Reading them back is `webannotation_read`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote

from app.export.jsonbytes import json_bytes
from app.export.records import (
    ENTITY_IRI_PREFIX,
    SOURCE_FILE_IRI_PREFIX,
    ArticleRecord,
    CorrectionRecord,
    ExportSet,
    LinkEndRecord,
    LinkRecord,
    NoteRecord,
    ReferredNote,
    VerdictRecord,
    rfc3339,
)

__all__ = ["WAError", "check_page", "collection", "items", "page", "page_count", "page_iri",
           "page_of", "to_collection", "to_document", "document_text"]  # fmt: skip

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
PAGE_SIZE = 1000
NOTE_FORMAT = "text/markdown"
CORRECTION_FORMAT = "application/vnd.readingroom.correction+json"
GENERATOR = {"type": "Software", "name": "Reading Room"}


class WAError(ValueError):
    """A Web Annotation document that cannot be written or read as asked."""


# --- writing ----------------------------------------------------------------------------------


def to_collection(export: ExportSet, collection_id: str, *, page_size: int = PAGE_SIZE) -> dict:
    """The AnnotationCollection with its first page embedded; `next` names page 1 if any."""
    everything = items(export)
    return collection(export.title, collection_id, len(everything), everything[:page_size],
                      page_size)  # fmt: skip


def to_document(export: ExportSet, collection_id: str, *, page_size: int = PAGE_SIZE) -> Any:
    """The whole set in one document: the collection alone when it fits in one page, else a
    JSON-LD array of the collection followed by its other pages (`document_text` writes the
    same a page at a time)."""
    everything = items(export)
    total = len(everything)
    pages = [everything[n * page_size : (n + 1) * page_size]
             for n in range(page_count(total, page_size))]  # fmt: skip
    first = collection(export.title, collection_id, total, pages[0], page_size)
    if len(pages) == 1:
        return first
    return [first, *(page_of(collection_id, n, total, pages[n], page_size)
                     for n in range(1, len(pages)))]  # fmt: skip


def page(export: ExportSet, collection_id: str, n: int, *, page_size: int = PAGE_SIZE) -> dict:
    """Page `n` (from 0) on its own, with links to its neighbours."""
    everything = items(export)
    check_page(n, len(everything), page_size)
    return page_of(collection_id, n, len(everything),
                   everything[n * page_size : (n + 1) * page_size], page_size)  # fmt: skip


def collection(
    label: str, collection_id: str, total: int, first_items: list[dict], page_size: int
) -> dict:
    """The AnnotationCollection of `total` annotations, its first page's embedded."""
    count = page_count(total, page_size)
    out: dict[str, Any] = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": total,
        "generator": GENERATOR,
    }
    if not total:
        return out
    first: dict[str, Any] = {
        "id": page_iri(collection_id, 0),
        "type": "AnnotationPage",
        "startIndex": 0,
        "items": first_items,
    }
    if count > 1:
        first["next"] = page_iri(collection_id, 1)
    out["first"] = first
    out["last"] = page_iri(collection_id, count - 1)
    return out


def page_of(collection_id: str, n: int, total: int, page_items: list[dict], page_size: int) -> dict:
    """Page `n` of a collection of `total`, holding `page_items`."""
    out: dict[str, Any] = {
        "@context": CONTEXT,
        "id": page_iri(collection_id, n),
        "type": "AnnotationPage",
        "partOf": {"id": collection_id, "total": total},
        "startIndex": n * page_size,
        "items": page_items,
    }
    if n > 0:
        out["prev"] = page_iri(collection_id, n - 1)
    if n + 1 < page_count(total, page_size):
        out["next"] = page_iri(collection_id, n + 1)
    return out


def check_page(n: int, total: int, page_size: int) -> None:
    count = page_count(total, page_size)
    if not 0 <= n < count:
        raise WAError(f"page {n} does not exist (pages 0 to {count - 1})")


def page_count(total: int, page_size: int) -> int:
    return max(1, -(-total // page_size))


def page_iri(collection_id: str, n: int) -> str:
    return f"{collection_id}{'&' if '?' in collection_id else '?'}page={n}"


def items(export: ExportSet, parents: Mapping[int, ReferredNote] | None = None) -> list[dict]:
    """Every annotation of the set (parents before replies), every standing verdict, every
    link, then every correction. A reply targets its parent's IRI when the parent is in the
    set: `export.notes` or, for a part of a set, `parents`."""
    notes = sorted(export.notes, key=lambda n: (n.created, n.id))
    exported: dict[int, ReferredNote] = {**(parents or {}), **{n.id: n for n in notes}}
    out = [a for n in notes if (a := _annotation(export, n, exported)) is not None]
    for v in sorted(export.verdicts, key=lambda v: (v.at, v.claim_id, v.analyst)):
        if (item := _verdict(export, v)) is not None:
            out.append(item)
    for link in sorted(export.links, key=lambda k: (k.created, k.id)):
        if link.origin != "citation" and (item := _link(export, link)) is not None:
            out.append(item)
    for c in sorted(export.corrections, key=lambda c: (c.created, c.id)):
        if (item := _correction(export, c)) is not None:
            out.append(item)
    return out


def _annotation(
    export: ExportSet, n: NoteRecord, exported: Mapping[int, ReferredNote]
) -> dict | None:
    parent = exported.get(n.reply_to) if n.reply_to is not None else None
    bodies: list[dict[str, Any]] = []
    if n.body.strip():
        purpose = "replying" if n.reply_to is not None else "commenting"
        bodies.append(_textual(n.body, purpose, NOTE_FORMAT))
    bodies += [_textual(t, "tagging") for t in n.tags]
    if n.verdict:
        bodies.append(_textual(n.verdict, "assessing"))
    if parent is not None:
        target: Any = parent.iri
    else:
        target = _resource(
            export.article(n.article_id), n.exact, n.prefix, n.suffix, n.start, n.end
        )
        if target is None:
            return None
    motivation = (
        "replying"
        if n.reply_to is not None
        else "commenting"
        if n.body.strip()
        else "assessing"
        if n.verdict
        else "tagging"
    )
    out: dict[str, Any] = {
        "id": n.iri,
        "type": "Annotation",
        "motivation": motivation,
        "creator": _person(n.analyst),
        "created": rfc3339(n.created),
        "modified": rfc3339(n.modified or n.created),
    }
    if bodies:
        out["body"] = bodies[0] if len(bodies) == 1 else bodies
    out["target"] = target
    return out


def _verdict(export: ExportSet, v: VerdictRecord) -> dict | None:
    target = _link_end(export, LinkEndRecord("claim", v.claim_id))
    if target is None:
        return None
    return {
        "id": v.iri,
        "type": "Annotation",
        "motivation": "assessing",
        "creator": _person(v.analyst),
        "created": rfc3339(v.at),
        "modified": rfc3339(v.at),
        "body": _textual(v.verdict, "assessing"),
        "target": target,
    }


def _link(export: ExportSet, link: LinkRecord) -> dict | None:
    ends = [_link_end(export, link.source), _link_end(export, link.target)]
    if any(e is None for e in ends):
        return None
    bodies = [_textual(link.relation, "classifying")]
    if link.note.strip():
        bodies.append(_textual(link.note, "commenting", "text/plain"))
    return {
        "id": link.iri,
        "type": "Annotation",
        "motivation": "linking",
        "creator": _person(link.analyst),
        "created": rfc3339(link.created),
        "modified": rfc3339(link.created),
        "body": bodies,
        "target": ends,
    }


def _correction(export: ExportSet, c: CorrectionRecord) -> dict | None:
    what: dict[str, Any] = {"kind": c.kind}
    if c.value is not None:
        what["value"] = c.value
    if c.entity is not None:
        what["entity"] = c.entity
    if c.withdrawn is not None:
        what["withdrawn"] = {"at": rfc3339(c.withdrawn), "by": c.withdrawn_by}
    bodies = [_textual(json.dumps(what, ensure_ascii=False, sort_keys=True), "editing",
                       CORRECTION_FORMAT)]  # fmt: skip
    if c.reason.strip():
        bodies.append(_textual(c.reason, "commenting", "text/plain"))
    article = export.article(c.article_id) if c.article_id is not None else None
    target: Any
    if c.entity is not None:
        target = entity_iri(c.entity)
    elif c.exact:
        target = _resource(article, c.exact, c.prefix, c.suffix, c.start, c.end)
    else:
        target = _whole(article)
    if target is None:
        return None
    return {
        "id": c.iri,
        "type": "Annotation",
        "motivation": "editing",
        "creator": _person(c.analyst),
        "created": rfc3339(c.created),
        "modified": rfc3339(c.withdrawn or c.created),
        "body": bodies,
        "target": target,
    }


def entity_iri(entity: dict[str, str]) -> str:
    return f"{ENTITY_IRI_PREFIX}{quote(entity['label'], safe='')}:{quote(entity['key'], safe=':')}"


def _link_end(export: ExportSet, end: LinkEndRecord) -> Any:
    if end.kind == "annotation":
        note = export.note(end.id)
        return note.iri if note is not None else None
    claim = export.claim(end.id)
    if claim is None:
        return None
    article = export.article(claim.article_id)
    return _resource(article, claim.text, claim.prefix, claim.suffix, claim.start, claim.end)


def _whole(article: ArticleRecord | None) -> dict | None:
    """The article itself as a target."""
    if article is None:
        return None
    return {"type": "SpecificResource", "source": _source(article)}


def _source(article: ArticleRecord) -> dict[str, Any]:
    source: dict[str, Any] = {"id": article.iri, "type": "Text", "format": "text/plain"}
    if article.source_file:
        source["via"] = SOURCE_FILE_IRI_PREFIX + quote(article.source_file, safe="")
    return source


def _resource(
    article: ArticleRecord | None,
    exact: str,
    prefix: str,
    suffix: str,
    start: int | None,
    end: int | None,
) -> dict | None:
    if article is None or not exact:
        return None
    quote_selector: dict[str, Any] = {"type": "TextQuoteSelector", "exact": exact}
    if prefix:
        quote_selector["prefix"] = prefix
    if suffix:
        quote_selector["suffix"] = suffix
    selectors: list[dict[str, Any]] = [quote_selector]
    if start is not None and end is not None:
        selectors.append({"type": "TextPositionSelector", "start": start, "end": end})
    return {"type": "SpecificResource", "source": _source(article), "selector": selectors}


def _textual(value: str, purpose: str, fmt: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "TextualBody", "purpose": purpose, "value": value}
    if fmt:
        out["format"] = fmt
    return out


def _person(name: str) -> dict[str, str]:
    return {"type": "Person", "name": name}


# --- written a page at a time -------------------------------------------------------------------


def document_text(
    label: str, collection_id: str, total: int, pages: Iterator[list[dict]], page_size: int
) -> Iterator[bytes]:
    """`to_document`'s JSON text (as `json_bytes` writes it), a page at a time: `pages`
    yields each page's annotations in order, so no more than one page is held."""
    count = page_count(total, page_size)
    first = collection(label, collection_id, total, next(pages, []), page_size)
    if count == 1:
        yield json_bytes(first)
        return
    yield b"[\n" + _indented(first)
    for n in range(1, count):
        yield b",\n" + _indented(page_of(collection_id, n, total, next(pages), page_size))
    yield b"\n]"


def _indented(doc: dict) -> bytes:
    """`doc` as an element of a JSON array indented by two spaces (JSON text holds no raw
    line breaks inside strings, so indenting each line is exact)."""
    return b"\n".join(b"  " + line for line in json_bytes(doc).split(b"\n"))
