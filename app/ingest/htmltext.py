"""HTML fragments (raw HTML inside Markdown, a page trafilatura finds no article in) →
readable text. Only text nodes survive: no markup, attributes or script bodies. Pages are
read by app.ingest.webpage."""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup
from bs4.element import (
    CData,
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    PageElement,
    ProcessingInstruction,
    Tag,
)

from app.ingest.parsed import Parsed, TextBuilder


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


# Elements whose content is never article text (code, embeds, site chrome, forms).
_DROP = _tags(
    "script style noscript template iframe svg math canvas object embed audio video "
    "nav footer form aside button select textarea input label dialog head"
)
_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary"})
_BLOCK = _tags(
    "address article blockquote body dd details div dl dt fieldset figcaption figure "
    "h1 h2 h3 h4 h5 h6 header hgroup hr li main ol p pre section summary table tbody thead "
    "tfoot tr td th caption ul"
)
_UNTERMINATED_TAG = re.compile(r"<[A-Za-z/!?][^<>]*\Z")
_NOT_TEXT = (Comment, CData, Declaration, Doctype, ProcessingInstruction)


def html_fragment_paragraphs(html: str) -> list[str]:
    """Paragraph texts of an HTML fragment (raw HTML embedded in Markdown)."""
    parsed = read_html_text(html)
    return [parsed.text[u.start : u.end] for u in parsed.units]


def read_html_text(html: str) -> Parsed:
    """Every visible paragraph of the markup, without menus, scripts or hidden elements."""
    soup = _soup(html)
    _strip_chrome(soup)
    builder = TextBuilder()
    _collect(soup, builder)
    return builder.build("html")


def _soup(html: str) -> BeautifulSoup:
    # html.parser hands back an unterminated comment or tag at the end of the input as
    # text; a browser shows neither, and neither may reach the reader as text.
    comment = html.find("<!--")
    while comment >= 0:
        close = html.find("-->", comment + 4)
        if close < 0:
            html = html[:comment]  # the first comment that never closes runs to the end
            break
        comment = html.find("<!--", close + 3)
    html = _UNTERMINATED_TAG.sub("", html)
    return BeautifulSoup(html, "html.parser")


def _strip_chrome(soup: BeautifulSoup) -> None:
    doomed: list[Tag] = []
    site_headers = _site_headers(soup) if soup.find("header") else set()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag):
            continue
        role = tag.get("role")
        hidden = tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true"
        if tag.name in _DROP or hidden or (isinstance(role, str) and role in _DROP_ROLES):
            doomed.append(tag)
        elif id(tag) in site_headers:
            doomed.append(tag)  # a site header (logo, menu), not an article's own header
    for tag in doomed:
        if not tag.decomposed:
            tag.decompose()


_HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def _site_headers(soup: BeautifulSoup) -> set[int]:
    """The ids of <header> elements holding a <nav> or no heading, from one walk that
    collects what each element holds below it (asking each header's subtree in turn
    cost the square of the depth when headers nest)."""
    found: set[int] = set()
    # [element, next child, a nav below, a heading below]
    stack: list[list[Any]] = [[soup, 0, False, False]]
    while stack:
        frame = stack[-1]
        tag: Tag = frame[0]
        if frame[1] < len(tag.contents):
            child = tag.contents[frame[1]]
            frame[1] += 1
            if isinstance(child, Tag):
                stack.append([child, 0, False, False])
            continue
        stack.pop()
        if tag.name == "header" and (frame[2] or not frame[3]):
            found.add(id(tag))
        if stack:
            stack[-1][2] = stack[-1][2] or frame[2] or tag.name == "nav"
            stack[-1][3] = stack[-1][3] or frame[3] or tag.name in _HEADINGS
    return found


def _collect(root: Tag, builder: TextBuilder) -> None:
    """Walk the tree without recursion (deeply nested pages must not blow the stack)."""
    buffer: list[str] = []
    level: int | None = None
    after_break = False  # the next text continues a paragraph after <br>

    def flush(next_level: int | None, line_break: bool = False) -> None:
        nonlocal level, after_break
        text = " ".join("".join(buffer).split())
        buffer.clear()
        if text:
            builder.add(text, level, joined=after_break)
            after_break = False
        after_break = line_break or (after_break and not text)
        level = next_level

    stack: list[tuple[PageElement, bool]] = [(child, False) for child in reversed(root.contents)]
    while stack:
        node, closing = stack.pop()
        if closing:
            flush(None)
            continue
        if isinstance(node, _NOT_TEXT):
            continue
        if isinstance(node, NavigableString):
            buffer.append(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        if node.name == "br":
            flush(level, line_break=True)
        elif node.name == "pre":
            flush(None)
            builder.add(node.get_text())
        elif node.name in _BLOCK:
            heading = int(node.name[1]) if node.name in _HEADINGS else None
            flush(heading)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
        else:
            stack.extend((child, False) for child in reversed(node.contents))
    flush(None)
