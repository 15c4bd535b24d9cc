"""The two entry points: a file's bytes, or pasted text, → ArticleDraft."""

from __future__ import annotations

import hashlib
import os

from app.ingest import limits
from app.ingest.dates import published_in_text
from app.ingest.decoding import (
    check_not_binary,
    check_size,
    decode_bytes,
    normalize_text,
    require_text,
)
from app.ingest.htmltext import read_html
from app.ingest.layout import lay_out
from app.ingest.model import ArticleDraft, IngestError, count_words
from app.ingest.parsed import Parsed
from app.ingest.readers import has_markup, looks_like_html, read_markdown, read_txt

FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
_EXPECTED = ", ".join(FORMATS)


def read_document(filename: str, data: bytes) -> ArticleDraft:
    """Read an uploaded or seed file; the extension picks the reader, content can overrule.

    A .txt or .md file that is really an HTML page is read as HTML (scrapers save pages
    under any name), and an .html file without a single tag is read as plain text.
    """
    declared = _format_of(filename)
    text = require_text(normalize_text(decode_bytes(data)))
    return _draft(_parse(text, declared), data)


def check_document(filename: str, data: bytes) -> None:
    """Everything `read_document` refuses short of laying out and extracting (when a job is
    submitted): the format, the size, bytes that are not text, the limits. Linear in the
    bytes and a small part of the cost of extraction."""
    declared = _format_of(filename)
    _check(_parse(require_text(normalize_text(decode_bytes(data))), declared))


def check_pasted(text: str) -> None:
    """Everything `draft_from_text` refuses short of laying out and extracting."""
    _check(_pasted(text)[0])


def draft_from_text(
    text: str,
    *,
    title: str | None = None,
    publisher: str | None = None,
    author: str | None = None,
) -> ArticleDraft:
    """Pasted text (the API's JSON upload); explicit metadata overrides what is detected."""
    parsed, raw = _pasted(text)
    return _draft(
        parsed,
        raw,
        title=_given(title),
        publisher=_given(publisher),
        author=_given(author),
    )


def _pasted(text: str) -> tuple[Parsed, bytes]:
    if not text:
        raise IngestError("text is empty")
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise IngestError(f"not valid Unicode (lone surrogate at offset {exc.start})") from None
    check_size(len(raw))
    check_not_binary(text)
    return _parse(require_text(normalize_text(text)), "txt"), raw


def _format_of(filename: str) -> str:
    extension = os.path.splitext(filename)[1].lower()
    if not extension:
        raise IngestError(f"file has no extension (expected {_EXPECTED})")
    if extension not in FORMATS:
        raise IngestError(f"unsupported file type {extension!r} (expected {_EXPECTED})")
    return FORMATS[extension]


def _parse(text: str, declared: str) -> Parsed:
    if declared != "html" and looks_like_html(text):
        declared = "html"
    elif declared == "html" and not has_markup(text):
        declared = "txt"
    if declared in ("html", "md"):
        limits.check_markup(text)  # before the parser builds a tree of it
    if declared == "html":
        return read_html(text)
    if declared == "md":
        return read_markdown(text)
    return read_txt(text)


def _check(parsed: Parsed) -> None:
    if not parsed.units:
        raise IngestError("no readable text")
    limits.check_text(parsed.text, len(parsed.units))
    if count_words(parsed.text) == 0:
        raise IngestError("no readable text (no words, only symbols)")


def _given(value: str | None) -> str | None:
    cleaned = " ".join(value.split()) if value else ""
    return cleaned or None


def _draft(
    parsed: Parsed,
    raw: bytes,
    *,
    title: str | None = None,
    publisher: str | None = None,
    author: str | None = None,
) -> ArticleDraft:
    _check(parsed)
    layout = lay_out(parsed, title=title, publisher=publisher, author=author)
    return ArticleDraft(
        title=layout.title,
        title_derived=layout.title_derived,
        publisher=layout.publisher,
        author=layout.author,
        text=parsed.text,
        blocks=layout.blocks,
        content_hash=hashlib.sha256(raw).hexdigest(),
        source_format=parsed.source_format,
        published=parsed.published
        or published_in_text(parsed.text[u.start : u.end] for u in parsed.units),
    )
