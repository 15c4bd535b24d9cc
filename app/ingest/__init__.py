"""Ingest: the bytes of a .txt, .md or .html file (or pasted text), a web page, a PDF
(app.ingest.pdf) → an ArticleDraft; a feed's items (app.ingest.feeds).

Pure functions, no I/O: callers read the file and pass its name and bytes.
"""

from app.ingest.document import (
    FORMATS,
    check_document,
    check_pasted,
    draft_from_text,
    max_bytes,
    read_document,
    read_fetched,
)
from app.ingest.model import MAX_BYTES, ArticleDraft, Block, BlockKind, IngestError

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "ArticleDraft",
    "Block",
    "BlockKind",
    "IngestError",
    "check_document",
    "check_pasted",
    "draft_from_text",
    "max_bytes",
    "read_document",
    "read_fetched",
]
