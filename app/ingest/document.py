"""The entry points: a file's bytes, a fetched page or PDF, or pasted text → ArticleDraft."""

from __future__ import annotations

import dataclasses
import os

from trafilatura.utils import decode_file

from app.ingest import limits
from app.ingest.dates import published_in_text
from app.ingest.decoding import (
    check_not_binary,
    check_size,
    decode_bytes,
    normalize_text,
    require_text,
)
from app.ingest.layout import lay_out
from app.ingest.model import MAX_BYTES, ArticleDraft, IngestError, count_words
from app.ingest.parsed import Parsed
from app.ingest.pdf import MAX_PDF_BYTES, read_pdf
from app.ingest.readers import has_markup, looks_like_html, read_markdown, read_txt
from app.ingest.webpage import read_webpage

FORMATS = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
_EXPECTED = ", ".join(FORMATS)


def read_document(filename: str, data: bytes) -> ArticleDraft:
    """Read an uploaded or seed file; the extension picks the reader, content can overrule.

    A .txt or .md file that is really an HTML page is read as HTML (scrapers save pages
    under any name), and an .html file without a single tag is read as plain text.
    """
    declared = _format_of(filename)
    if declared == "pdf":
        return read_pdf(data)
    text = require_text(normalize_text(decode_bytes(data)))
    if _format(text, declared) == "html":
        return read_webpage(text, data)
    return _draft(_parse(text, declared), data)


def check_document(filename: str, data: bytes) -> None:
    """Everything `read_document` refuses short of laying out and extracting (when a job is
    submitted): the format, the size, bytes that are not text, the limits. A web page or a
    PDF is read whole (what refuses it is its reader: no article, a paywall, no text
    layer); that is linear in the bytes and a small part of the cost of extraction."""
    declared = _format_of(filename)
    if declared == "pdf":
        read_pdf(data)
        return
    text = require_text(normalize_text(decode_bytes(data)))
    if _format(text, declared) == "html":
        read_webpage(text, data)
    else:
        _check(_parse(text, declared))


def check_pasted(text: str) -> None:
    """Everything `draft_from_text` refuses short of laying out and extracting."""
    clean, raw = _pasted(text)
    if _format(clean, "txt") == "html":
        read_webpage(clean, raw)
    else:
        _check(_parse(clean, "txt"))


def read_fetched(kind: str, data: bytes, url: str, charset: str | None) -> ArticleDraft:
    """A page or PDF fetched from `url` (where it was found, after redirects); `charset` as
    the server declared it."""
    if kind == "pdf":
        return read_pdf(data)
    if not data.strip():
        raise IngestError("no readable text (the page is empty)")
    return read_webpage(normalize_text(_decode_page(data, charset)), data, url=url)


def max_bytes(filename: str) -> int:
    """The largest file of this name's format that is read: a PDF holds fonts and images."""
    return MAX_PDF_BYTES if filename.lower().endswith(".pdf") else MAX_BYTES


def draft_from_text(
    text: str,
    *,
    title: str | None = None,
    publisher: str | None = None,
    author: str | None = None,
) -> ArticleDraft:
    """Pasted text (the API's JSON upload); explicit metadata overrides what is detected."""
    clean, raw = _pasted(text)
    if _format(clean, "txt") == "html":
        draft = read_webpage(clean, raw)
        return dataclasses.replace(
            draft,
            title=_given(title) or draft.title,
            publisher=_given(publisher) or draft.publisher,
            author=_given(author) or draft.author,
        )
    return _draft(
        _parse(clean, "txt"),
        raw,
        title=_given(title),
        publisher=_given(publisher),
        author=_given(author),
    )


def _pasted(text: str) -> tuple[str, bytes]:
    """The pasted text, cleaned, and its bytes (whose hash is the version)."""
    if not text:
        raise IngestError("text is empty")
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise IngestError(f"not valid Unicode (lone surrogate at offset {exc.start})") from None
    check_size(len(raw))
    check_not_binary(text)
    return require_text(normalize_text(text)), raw


def _format_of(filename: str) -> str:
    extension = os.path.splitext(filename)[1].lower()
    if not extension:
        raise IngestError(f"file has no extension (expected {_EXPECTED})")
    if extension not in FORMATS:
        raise IngestError(f"unsupported file type {extension!r} (expected {_EXPECTED})")
    return FORMATS[extension]


def _decode_page(data: bytes, charset: str | None) -> str:
    """The page's text in the charset its server declared, else UTF-8, else the one its
    markup declares or the bytes suggest (trafilatura's detection)."""
    for encoding in (charset, "utf-8"):
        if encoding:
            try:
                return data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    text = decode_file(data)
    check_not_binary(text)
    return text


def _format(text: str, declared: str) -> str:
    if declared != "html" and looks_like_html(text):
        return "html"
    if declared == "html" and not has_markup(text):
        return "txt"
    return declared


def _parse(text: str, declared: str) -> Parsed:
    if _format(text, declared) == "md":
        limits.check_markup(text)  # before the parser builds a tree of its HTML
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
    published = parsed.published or published_in_text(
        parsed.text[u.start : u.end] for u in parsed.units
    )
    return layout.draft(parsed, raw, published=published)
