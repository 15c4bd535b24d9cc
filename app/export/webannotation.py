"""Annotations as W3C Web Annotation JSON-LD, and back.

Written: an ``AnnotationCollection`` with its first page (``PAGE_SIZE`` annotations)
embedded and ``next`` naming the following page by IRI, as the model's paging requires;
`page` gives one page on its own. For a file, `to_document` writes the whole set: the
collection alone, or (past one page) a JSON-LD array of the collection and its pages. Each
annotation: ``creator`` (the analyst, a Person), ``created``/``modified`` (RFC 3339, ``Z``),
bodies (``TextualBody``: the note in ``text/markdown`` with purpose ``commenting`` or
``replying``, each tag with purpose ``tagging``, the verdict with purpose ``assessing``)
and a ``SpecificResource`` target: the article as ``source`` (its IRI is the content hash
of its source bytes, stable across reading rooms; ``via`` names its source file) with a
``TextQuoteSelector`` and a ``TextPositionSelector`` (code points). A reply targets its
parent's IRI. A link is an annotation with motivation ``linking``, its relation as a
``classifying`` body, and two targets in order: source, then target (a claim is its words
in its article, an annotation is its IRI). Links made by citations in notes are left out:
importing the note makes them again.

Read (`parse_document`): the same shapes, checked, as `AnnotationIn` and `LinkIn`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote

from app.export.records import (
    ARTICLE_IRI_PREFIX,
    SOURCE_FILE_IRI_PREFIX,
    ArticleRecord,
    ExportSet,
    LinkEnd,
    LinkRecord,
    NoteRecord,
    rfc3339,
)
from app.vocab import RELATIONS, VERDICTS

__all__ = [
    "AnnotationIn",
    "LinkIn",
    "ResourceIn",
    "SelectorIn",
    "WAError",
    "page",
    "items",
    "parse_document",
    "to_collection",
    "to_document",
]

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
PAGE_SIZE = 1000
NOTE_FORMAT = "text/markdown"
GENERATOR = {"type": "Software", "name": "Reading Room"}


# --- writing ----------------------------------------------------------------------------------


def to_collection(export: ExportSet, collection_id: str, *, page_size: int = PAGE_SIZE) -> dict:
    """The AnnotationCollection with its first page embedded; `next` names page 1 if any."""
    everything = items(export)
    count = _page_count(len(everything), page_size)
    collection: dict[str, Any] = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": export.title,
        "total": len(everything),
        "generator": GENERATOR,
    }
    if not everything:
        return collection
    first: dict[str, Any] = {
        "id": page_iri(collection_id, 0),
        "type": "AnnotationPage",
        "startIndex": 0,
        "items": everything[:page_size],
    }
    if count > 1:
        first["next"] = page_iri(collection_id, 1)
    collection["first"] = first
    collection["last"] = page_iri(collection_id, count - 1)
    return collection


def to_document(export: ExportSet, collection_id: str, *, page_size: int = PAGE_SIZE) -> Any:
    """The whole set in one document: the collection alone when it fits in one page, else a
    JSON-LD array of the collection followed by its other pages."""
    collection = to_collection(export, collection_id, page_size=page_size)
    count = _page_count(collection["total"], page_size)
    if count <= 1:
        return collection
    everything = items(export)
    rest = [_page(everything, collection_id, n, page_size) for n in range(1, count)]
    return [collection, *rest]


def page(export: ExportSet, collection_id: str, n: int, *, page_size: int = PAGE_SIZE) -> dict:
    """Page `n` (from 0) on its own, with links to its neighbours."""
    return _page(items(export), collection_id, n, page_size)


def _page(everything: list[dict], collection_id: str, n: int, page_size: int) -> dict:
    count = _page_count(len(everything), page_size)
    if not 0 <= n < count:
        raise WAError(f"page {n} does not exist (pages 0 to {count - 1})")
    out: dict[str, Any] = {
        "@context": CONTEXT,
        "id": page_iri(collection_id, n),
        "type": "AnnotationPage",
        "partOf": {"id": collection_id, "total": len(everything)},
        "startIndex": n * page_size,
        "items": everything[n * page_size : (n + 1) * page_size],
    }
    if n > 0:
        out["prev"] = page_iri(collection_id, n - 1)
    if n + 1 < count:
        out["next"] = page_iri(collection_id, n + 1)
    return out


def _page_count(total: int, page_size: int) -> int:
    return max(1, -(-total // page_size))


def page_iri(collection_id: str, n: int) -> str:
    return f"{collection_id}{'&' if '?' in collection_id else '?'}page={n}"


def items(export: ExportSet) -> list[dict]:
    """Every annotation of the set (parents before replies), then every link."""
    notes = sorted(export.notes, key=lambda n: (n.created, n.id))
    exported = {n.id: n for n in notes}
    out = [a for n in notes if (a := _annotation(export, n, exported)) is not None]
    for link in sorted(export.links, key=lambda k: (k.created, k.id)):
        if link.origin != "citation" and (item := _link(export, link)) is not None:
            out.append(item)
    return out


def _annotation(export: ExportSet, n: NoteRecord, exported: dict[int, NoteRecord]) -> dict | None:
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


def _link_end(export: ExportSet, end: LinkEnd) -> Any:
    if end.kind == "annotation":
        note = export.note(end.id)
        return note.iri if note is not None else None
    claim = export.claim(end.id)
    if claim is None:
        return None
    article = export.article(claim.article_id)
    return _resource(article, claim.text, claim.prefix, claim.suffix, claim.start, claim.end)


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
    source: dict[str, Any] = {"id": article.iri, "type": "Text", "format": "text/plain"}
    if article.source_file:
        source["via"] = SOURCE_FILE_IRI_PREFIX + quote(article.source_file, safe="")
    return {"type": "SpecificResource", "source": source, "selector": selectors}


def _textual(value: str, purpose: str, fmt: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "TextualBody", "purpose": purpose, "value": value}
    if fmt:
        out["format"] = fmt
    return out


def _person(name: str) -> dict[str, str]:
    return {"type": "Person", "name": name}


# --- reading ----------------------------------------------------------------------------------


class WAError(ValueError):
    """The document is not Web Annotation JSON this reading room can import."""


@dataclass(frozen=True)
class SelectorIn:
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class ResourceIn:
    """Words in an article: the article by content hash (else source file), and where."""

    source: str
    content_hash: str | None
    source_file: str | None
    selector: SelectorIn


@dataclass(frozen=True)
class AnnotationIn:
    iri: str
    analyst: str | None
    created: datetime | None
    modified: datetime | None
    body: str
    verdict: str | None
    tags: tuple[str, ...]
    target: ResourceIn | None  # None for a reply
    reply_to: str | None


@dataclass(frozen=True)
class LinkIn:
    iri: str
    analyst: str | None
    created: datetime | None
    relation: str
    note: str
    source: ResourceIn | str  # words in an article, or an annotation's IRI
    target: ResourceIn | str


def parse_document(doc: Any) -> list[AnnotationIn | LinkIn]:
    """Every annotation of an AnnotationCollection (its pages embedded, or following it in
    a JSON array as `to_document` writes them), an AnnotationPage, a list, an ``@graph``
    or a single Annotation."""
    pages: dict[str, dict] = {}
    if isinstance(doc, list):
        pages = {
            str(p.get("id")): p
            for p in doc
            if isinstance(p, dict) and "AnnotationPage" in _types(p) and "partOf" in p
        }
    found = [_parse_item(obj, where) for obj, where in _annotations(doc, "$", pages)]
    seen: set[str] = set()
    for item in found:
        if item.iri in seen:
            raise WAError(f"annotation {item.iri} appears twice")
        seen.add(item.iri)
    return found


def _annotations(doc: Any, where: str, pages: dict[str, dict]) -> Iterator[tuple[dict, str]]:
    if isinstance(doc, list):
        for i, obj in enumerate(doc):
            if isinstance(obj, dict) and str(obj.get("id")) in pages:
                continue  # a page of a collection: read when the collection's chain gets there
            yield from _annotations(obj, f"{where}[{i}]", pages)
        return
    if not isinstance(doc, dict):
        raise WAError(f"{where}: expected a JSON object, got {type(doc).__name__}")
    types = _types(doc)
    if "AnnotationCollection" in types:
        total, count = doc.get("total"), 0
        page_obj, at = doc.get("first"), f"{where}.first"
        visited: set[str] = set()
        while page_obj is not None:
            if isinstance(page_obj, str):
                if page_obj not in pages or page_obj in visited:
                    break
                visited.add(page_obj)
                page_obj, at = pages[page_obj], f"page {page_obj}"
            if not isinstance(page_obj, dict):
                break
            for obj, w in _page_items(page_obj, at):
                count += 1
                yield obj, w
            page_obj, at = page_obj.get("next"), f"{at}.next"
        if page_obj is not None or (isinstance(total, int) and total != count):
            raise WAError(
                f"the document holds {count} of the collection's {total} annotations: some of "
                "its pages are missing (export it to a file with `readingroom export`, or "
                "download it from the export page)"
            )
        return
    if "AnnotationPage" in types or ("items" in doc and "Annotation" not in types):
        yield from _page_items(doc, where)
        return
    if "@graph" in doc and not types:
        yield from _annotations(doc["@graph"], f"{where}.@graph", pages)
        return
    if "Annotation" in types:
        yield doc, where
        return
    raise WAError(f"{where}: not an Annotation, AnnotationPage or AnnotationCollection")


def _page_items(page_obj: dict, where: str) -> Iterator[tuple[dict, str]]:
    entries = page_obj.get("items")
    if not isinstance(entries, list):
        raise WAError(f"{where}: an AnnotationPage needs a list of items")
    for i, obj in enumerate(entries):
        if not isinstance(obj, dict):
            raise WAError(f"{where}.items[{i}]: annotations must be embedded, not referenced")
        yield obj, f"{where}.items[{i}]"


def _types(obj: dict) -> list[str]:
    t = obj.get("type", obj.get("@type"))
    return (
        [t]
        if isinstance(t, str)
        else [x for x in t if isinstance(x, str)]
        if isinstance(t, list)
        else []
    )


def _parse_item(obj: dict, where: str) -> AnnotationIn | LinkIn:
    if "Annotation" not in _types(obj):
        raise WAError(f"{where}: type must be Annotation")
    iri = obj.get("id", obj.get("@id"))
    if not isinstance(iri, str) or ":" not in iri:
        raise WAError(f"{where}: an annotation needs an IRI as its id (to import it only once)")
    where = f"{where} ({iri})"
    analyst = _creator(obj.get("creator"), where)
    created = _time(obj.get("created"), where, "created")
    modified = _time(obj.get("modified"), where, "modified")
    motivations = _as_list(obj.get("motivation"))
    bodies = [b for b in _as_list(obj.get("body")) if isinstance(b, dict)]
    if isinstance(obj.get("bodyValue"), str):
        bodies.append({"type": "TextualBody", "value": obj["bodyValue"]})
    targets = _as_list(obj.get("target"))
    if not targets:
        raise WAError(f"{where}: no target")
    if "linking" in motivations:
        return _parse_link(iri, analyst, created, bodies, targets, where)
    texts: list[str] = []
    tags: list[str] = []
    verdict: str | None = None
    for b in bodies:
        value = b.get("value")
        if not isinstance(value, str) or "TextualBody" not in _types(b):
            continue
        purpose = b.get("purpose")
        if purpose == "tagging":
            tags.append(value)
        elif purpose == "assessing":
            if value not in VERDICTS:
                known = ", ".join(VERDICTS)
                raise WAError(f"{where}: verdict {value!r} is not one of {known}")
            verdict = value
        else:
            texts.append(value)
    target, reply_to = targets[0], None
    if isinstance(target, str):
        reply_to, resource = target, None
    else:
        resource = _parse_resource(target, where)
    return AnnotationIn(
        iri=iri,
        analyst=analyst,
        created=created,
        modified=modified,
        body="\n\n".join(texts),
        verdict=verdict,
        tags=tuple(tags),
        target=resource,
        reply_to=reply_to,
    )


def _parse_link(
    iri: str,
    analyst: str | None,
    created: datetime | None,
    bodies: list[dict],
    targets: list[Any],
    where: str,
) -> LinkIn:
    if len(targets) != 2:
        raise WAError(f"{where}: a linking annotation needs two targets, it has {len(targets)}")
    relation = next((b.get("value") for b in bodies if b.get("purpose") == "classifying"), None)
    if relation not in RELATIONS:
        raise WAError(f"{where}: link relation {relation!r} is not one of {', '.join(RELATIONS)}")
    note = next(
        (b["value"] for b in bodies if b.get("purpose") == "commenting" and "value" in b), ""
    )
    ends = [t if isinstance(t, str) else _parse_resource(t, where) for t in targets]
    return LinkIn(iri, analyst, created, str(relation), str(note), ends[0], ends[1])


def _parse_resource(target: Any, where: str) -> ResourceIn:
    if not isinstance(target, dict):
        raise WAError(f"{where}: a target must be a SpecificResource or an annotation IRI")
    source = target.get("source")
    via: Any = None
    if isinstance(source, dict):
        via = source.get("via")
        source = source.get("id", source.get("@id"))
    if not isinstance(source, str):
        raise WAError(f"{where}: the target has no source (the article)")
    selectors = [s for s in _as_list(target.get("selector")) if isinstance(s, dict)]
    quote_sel = next((s for s in selectors if "TextQuoteSelector" in _types(s)), None)
    if quote_sel is None or not isinstance(quote_sel.get("exact"), str) or not quote_sel["exact"]:
        raise WAError(f"{where}: the target has no TextQuoteSelector with the exact words")
    position = next((s for s in selectors if "TextPositionSelector" in _types(s)), {})
    start, end = position.get("start"), position.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
        start = end = None
    source_file = next(
        (
            unquote(v[len(SOURCE_FILE_IRI_PREFIX) :])
            for v in _as_list(via)
            if isinstance(v, str) and v.startswith(SOURCE_FILE_IRI_PREFIX)
        ),
        None,
    )
    content_hash = (
        source[len(ARTICLE_IRI_PREFIX) :] if source.startswith(ARTICLE_IRI_PREFIX) else None
    )
    return ResourceIn(
        source=source,
        content_hash=content_hash,
        source_file=source_file,
        selector=SelectorIn(
            exact=quote_sel["exact"],
            prefix=str(quote_sel.get("prefix", "")),
            suffix=str(quote_sel.get("suffix", "")),
            start=start,
            end=end,
        ),
    )


def _creator(value: Any, where: str) -> str | None:
    value = value[0] if isinstance(value, list) and value else value
    if isinstance(value, dict):
        value = value.get("name", value.get("nickname"))
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise WAError(f"{where}: creator must have a name")
    return " ".join(value.split())


def _time(value: Any, where: str, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise WAError(f"{where}: {name} {value!r} is not an RFC 3339 date-time") from None
    if moment.tzinfo is None:
        raise WAError(f"{where}: {name} {value!r} has no time zone")
    return moment.astimezone(UTC)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
