"""A PDF report → ArticleDraft, read from its text layer by pypdf, each block with its page.

Lines are rejoined into paragraphs (a paragraph's last line stops short of the text's right
edge); the running head and "Page N of M" footers repeated on the pages are boilerplate.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections import Counter

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from app.ingest.layout import lay_out
from app.ingest.model import MIB, ArticleDraft, Block, IngestError
from app.ingest.parsed import TextBuilder

# Reports carry images and fonts; their text is small, but the file is not.
MAX_PDF_BYTES = 20 * MIB
MAX_PAGES = 2000
_SHORT_LINE = 0.8  # of the page's longest line: a line this short ends its paragraph
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?$", re.I)
_DIGITS = re.compile(r"\d+")
_LONG_LINE = 40  # characters: a line of running text, not a label or a table cell


def check_pdf(data: bytes) -> None:
    """What refuses a file as a PDF without reading it: its size and its signature."""
    if len(data) > MAX_PDF_BYTES:
        raise IngestError(f"PDF is larger than {MAX_PDF_BYTES // MIB} MiB")
    if not data.lstrip()[:5] == b"%PDF-":
        raise IngestError("not a PDF (the file does not start with %PDF-)")


def read_pdf(data: bytes) -> ArticleDraft:
    check_pdf(data)
    reader = _reader(data)
    pages = [_page_lines(page.extract_text() or "") for page in reader.pages[:MAX_PAGES]]
    if not any(pages):
        raise IngestError(
            "no text layer: the PDF's pages are images (a scan); it needs OCR, "
            "which the reading room does not do"
        )
    info = reader.metadata
    title = _info(info.title if info else None)
    author = _info(info.author if info else None)
    _joined_title(pages, title)
    furniture = _furniture(pages)
    builder = TextBuilder()
    page_of_unit: list[int] = []
    furniture_units: set[int] = set()
    for number, lines in enumerate(pages, start=1):
        for paragraph, is_furniture in _paragraphs(lines, furniture):
            if is_furniture:
                furniture_units.add(len(page_of_unit))
            builder.add(paragraph)
            page_of_unit.append(number)
    parsed = builder.build("pdf")
    # The page furniture is laid out apart: a running head must not be taken for a headline.
    content = [u for i, u in enumerate(parsed.units) if i not in furniture_units]
    layout = lay_out(dataclasses.replace(parsed, units=tuple(content)), title=title, author=author)
    kinds = iter(layout.blocks)
    blocks = tuple(
        Block("boilerplate", unit.start, unit.end, page_of_unit[i])
        if i in furniture_units
        else dataclasses.replace(next(kinds), page=page_of_unit[i])
        for i, unit in enumerate(parsed.units)
    )
    created = info.creation_date if info else None
    published = created.date().isoformat() if created else None
    return layout.draft(parsed, data, blocks=blocks, published=published)


def _reader(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise IngestError("the PDF is encrypted; save an unprotected copy")
        return reader
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise IngestError(f"not a readable PDF ({exc})") from None


def _page_lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def _furniture(pages: list[list[str]]) -> set[str]:
    """Lines that repeat at the top or bottom of most pages (digits ignored)."""
    if len(pages) < 2:
        return set()
    edges = Counter(
        key for lines in pages for key in {_shape(line) for line in lines[:2] + lines[-2:]}
    )
    return {key for key, seen in edges.items() if seen >= max(2, len(pages) // 2 + 1)}


def _shape(line: str) -> str:
    return _DIGITS.sub("#", line.casefold())


def _paragraphs(lines: list[str], furniture: set[str]) -> list[tuple[str, bool]]:
    """Lines → (paragraph, is it page furniture)."""
    width = _text_width(lines)
    paragraphs: list[tuple[str, bool]] = []
    current: list[str] = []
    for index, line in enumerate(lines):
        at_edge = index < 2 or index >= len(lines) - 2
        if _shape(line) in furniture or (at_edge and _PAGE_NUMBER.match(line)):
            if current:
                paragraphs.append((" ".join(current), False))
                current = []
            paragraphs.append((line, True))
            continue
        current.append(line)
        if len(line) < _SHORT_LINE * width:
            paragraphs.append((" ".join(current), False))
            current = []
    if current:
        paragraphs.append((" ".join(current), False))
    return paragraphs


def _text_width(lines: list[str]) -> int:
    """The length of a full line of running text: the median of the long lines (a caption
    in a smaller font runs longer, a table row shorter)."""
    long = sorted(len(line) for line in lines if len(line) >= _LONG_LINE)
    return long[len(long) // 2] if long else max((len(line) for line in lines), default=0)


def _joined_title(pages: list[list[str]], title: str | None) -> None:
    """A title set over several lines at the top of the first page becomes one line."""
    if not title or not pages:
        return
    lines = pages[0]
    for start in range(min(4, len(lines))):
        for end in range(start + 2, min(start + 4, len(lines)) + 1):
            if " ".join(lines[start:end]) == title:
                lines[start:end] = [title]
                return


def _info(value: object) -> str | None:
    text = " ".join(str(value).split()) if isinstance(value, str) else ""
    return text or None
