"""Plain-text and Markdown readers, and the sniffing that picks a reader for content."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from app.ingest.dates import read_date
from app.ingest.htmltext import html_fragment_paragraphs
from app.ingest.parsed import Parsed, TextBuilder, Unit

_HTML_DOCUMENT = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|a|h[1-6]|br|li|ul|ol|script|style|article|section|table|img|meta|title)"
    r"\b[^<>]*>",
    re.I,
)
_ANY_TAG = re.compile(r"<[A-Za-z!/]")
_SENTENCE_END = '.!?:;"”’)…'
_DANGEROUS_INLINE = re.compile(r"<(script|style|template|noscript|iframe|svg|textarea)\b", re.I)
_SPACES = re.compile(r"[ \t]{2,}")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.S)


def looks_like_html(text: str) -> bool:
    """An HTML document or fragment, whatever the file's name says."""
    head = text[:4096]
    if _HTML_DOCUMENT.match(head):
        return True
    return head.lstrip().startswith("<") and len(_HTML_TAG.findall(text[:20000])) >= 3


def has_markup(text: str) -> bool:
    return _ANY_TAG.search(text) is not None


# ---------------------------------------------------------------- plain text


def read_txt(text: str) -> Parsed:
    """Every non-empty line is a unit, except that hard-wrapped lines are rejoined.

    A wrapped paragraph would otherwise look like a run of short, unpunctuated lines,
    which is what headings and headlines look like.
    """
    units: list[Unit] = []
    offset = 0
    previous_line = ""
    previous_blank = True
    for line in text.split("\n"):
        content = line.strip()
        if content:
            start = offset + len(line) - len(line.lstrip())
            end = offset + len(line.rstrip())
            if units and not previous_blank and _continues(previous_line, content):
                last = units[-1]
                units[-1] = Unit(last.start, end, last.level, last.joined)
            else:
                units.append(Unit(start, end, joined=bool(units) and not previous_blank))
            previous_line = content
            previous_blank = False
        else:
            previous_blank = True
        offset += len(line) + 1
    return Parsed(text, tuple(units), "txt")


def _continues(previous: str, line: str) -> bool:
    return len(previous) >= 50 and previous[-1] not in _SENTENCE_END and line[0].islower()


# ---------------------------------------------------------------- markdown

_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def read_markdown(text: str) -> Parsed:
    meta: dict[str, str] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        meta = _front_matter(match.group(1))
        text = text[match.end() :]
    builder = TextBuilder()
    tokens = _MD.parse(text)
    row: list[str] | None = None
    for index, token in enumerate(tokens):
        kind = token.type
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if kind == "heading_open" and following is not None:
            builder.add(_inline_text(following), level=int(token.tag[1]))
        elif kind == "paragraph_open" and following is not None and row is None:
            builder.add(_inline_text(following))
        elif kind in ("fence", "code_block"):
            builder.add(token.content)
        elif kind == "html_block":
            for paragraph in html_fragment_paragraphs(token.content):
                builder.add(paragraph)
        elif kind == "tr_open":
            row = []
        elif kind == "inline" and row is not None:
            row.append(_inline_text(token).strip())
        elif kind == "tr_close" and row is not None:
            builder.add(" | ".join(cell for cell in row if cell))
            row = None
    return builder.build(
        "md",
        title=meta.get("title"),
        publisher=meta.get("publisher") or meta.get("site") or meta.get("source"),
        author=meta.get("author"),
        published=read_date(meta.get("date") or meta.get("published") or ""),
    )


def _front_matter(block: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in block.split("\n"):
        key, sep, value = line.partition(":")
        value = value.strip().strip("\"'").strip()
        if sep and value and key.strip().isidentifier():
            fields[key.strip().lower()] = " ".join(value.split())
    return fields


def _inline_text(token: Token) -> str:
    """The reader-visible text of an inline token: markers, URLs and raw HTML dropped."""
    parts: list[str] = []
    skipping: str | None = None  # inside an inline <script>…</script> and the like
    for child in token.children or []:
        if child.type == "html_inline":
            if skipping is None:
                opened = _DANGEROUS_INLINE.match(child.content)
                skipping = opened.group(1).lower() if opened else None
            elif child.content.lower().startswith(f"</{skipping}"):
                skipping = None
        elif skipping is not None:
            continue
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
    return _SPACES.sub(" ", "".join(parts))
