"""Reading W3C Web Annotation documents back (for import): every annotation of an
AnnotationCollection (its pages embedded, or following it in a JSON array as
`webannotation.to_document` writes them), an AnnotationPage, a list, an ``@graph`` or a
single Annotation, checked and turned into `AnnotationIn` and `LinkIn`. Anything this
reading room cannot restore faithfully raises `WAError` with where and why."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from app import json_input
from app.export.records import ARTICLE_IRI_PREFIX, SOURCE_FILE_IRI_PREFIX
from app.export.webannotation import WAError
from app.vocab import RELATIONS, VERDICTS

ENTITY_FIELDS = ("key", "label", "name")

__all__ = [
    "AnnotationIn",
    "CorrectionIn",
    "LinkIn",
    "ResourceIn",
    "QuoteSelectorIn",
    "WAError",
    "parse_document",
]


@dataclass(frozen=True)
class QuoteSelectorIn:
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
    selector: QuoteSelectorIn


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
class CorrectionIn:
    """A correction as `webannotation` writes it: `words` for a correction of a span,
    `article` (source, content hash, source file) for one of an article, neither for one of
    an entity (`entity`)."""

    iri: str
    analyst: str | None
    created: datetime | None
    kind: str
    value: Any
    entity: dict[str, str] | None
    reason: str
    words: ResourceIn | None
    article: tuple[str, str | None, str | None] | None
    withdrawn: datetime | None
    withdrawn_by: str | None


@dataclass(frozen=True)
class LinkIn:
    iri: str
    analyst: str | None
    created: datetime | None
    relation: str
    note: str
    source: ResourceIn | str  # words in an article, or an annotation's IRI
    target: ResourceIn | str


def parse_document(doc: Any) -> list[AnnotationIn | LinkIn | CorrectionIn]:
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
        if isinstance(total, int) and count > total:
            raise WAError(f"the collection says it holds {total} annotations but has {count}")
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


def _parse_item(obj: dict, where: str) -> AnnotationIn | LinkIn | CorrectionIn:
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
    if "editing" in motivations:
        return _parse_correction(iri, analyst, created, bodies, targets[0], where)
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


def _parse_correction(
    iri: str, analyst: str | None, created: datetime | None, bodies: list[dict], target: Any,
    where: str,
) -> CorrectionIn:  # fmt: skip
    editing = next((b.get("value") for b in bodies if b.get("purpose") == "editing"), None)
    try:
        what = json_input.loads(editing.encode()) if isinstance(editing, str) else None
    except (ValueError, UnicodeEncodeError):  # json_input.Refused is a ValueError
        what = None
    if not isinstance(what, dict) or not isinstance(what.get("kind"), str):
        raise WAError(f"{where}: an editing annotation needs a correction body ({{kind, ...}})")
    entity = what.get("entity")
    if entity is not None and not (
        isinstance(entity, dict) and all(isinstance(entity.get(k), str) for k in ENTITY_FIELDS)
    ):
        raise WAError(f"{where}: the corrected entity needs a key, a label and a name")
    withdrawn: dict[str, Any] = what.get("withdrawn") or {}
    if not isinstance(withdrawn, dict):
        raise WAError(f"{where}: withdrawn must be {{at, by}}")
    words = article = None
    if isinstance(target, dict) and target.get("selector") is not None:
        words = _parse_resource(target, where)
    elif isinstance(target, dict):
        article = _parse_source(target, where)
    elif entity is None:
        raise WAError(f"{where}: a correction needs an article, words in one, or an entity")
    reason = next((b.get("value") for b in bodies if b.get("purpose") == "commenting"), "")
    return CorrectionIn(
        iri=iri,
        analyst=analyst,
        created=created,
        kind=what["kind"],
        value=what.get("value"),
        entity={k: entity[k] for k in ENTITY_FIELDS} if entity is not None else None,
        reason=reason if isinstance(reason, str) else "",
        words=words,
        article=article,
        withdrawn=_time(withdrawn.get("at"), where, "withdrawn.at"),
        withdrawn_by=_creator(withdrawn.get("by"), where),
    )


def _parse_source(target: dict, where: str) -> tuple[str, str | None, str | None]:
    """The article a target names: its IRI, content hash and source file."""
    source = target.get("source")
    via: Any = None
    if isinstance(source, dict):
        via = source.get("via")
        source = source.get("id", source.get("@id"))
    if not isinstance(source, str):
        raise WAError(f"{where}: the target has no source (the article)")
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
    return source, content_hash, source_file


def _parse_resource(target: Any, where: str) -> ResourceIn:
    if not isinstance(target, dict):
        raise WAError(f"{where}: a target must be a SpecificResource or an annotation IRI")
    source, content_hash, source_file = _parse_source(target, where)
    selectors = [s for s in _as_list(target.get("selector")) if isinstance(s, dict)]
    quote_sel = next((s for s in selectors if "TextQuoteSelector" in _types(s)), None)
    if quote_sel is None or not isinstance(quote_sel.get("exact"), str) or not quote_sel["exact"]:
        raise WAError(f"{where}: the target has no TextQuoteSelector with the exact words")
    position = next((s for s in selectors if "TextPositionSelector" in _types(s)), {})
    start, end = position.get("start"), position.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
        start = end = None
    return ResourceIn(
        source=source,
        content_hash=content_hash,
        source_file=source_file,
        selector=QuoteSelectorIn(
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
