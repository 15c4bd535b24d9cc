"""Give every unit of a parsed document its block kind, and find title/publisher/author.

The order of the passes matters and is the whole algorithm:
1. boilerplate phrases (PATTERNS) are found first, so no later rule can promote them;
2. the top of the article: publisher line, headline (or markup h1), byline;
3. the bottom: the author's closing bio;
4. structural boilerplate (after the bio, continuations, sign-off, dangling labels);
5. headings (markup, title repeats, Title Case lines standing before body text);
6. everything else is a paragraph. A headline-less article gets a title from its lead.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from app.ingest import boilerplate, metadata
from app.ingest.model import ArticleDraft, Block, BlockKind, count_words
from app.ingest.parsed import Parsed, Unit

LONG_PARAGRAPH = 25  # words; after the closing bio only a paragraph this long is content
_TOP = 6  # the masthead (headline, publisher, byline) sits within the first units


@dataclass(frozen=True)
class Layout:
    blocks: tuple[Block, ...]
    title: str
    title_derived: bool
    publisher: str | None
    author: str | None

    def draft(self, parsed: Parsed, raw: bytes, **facts: Any) -> ArticleDraft:
        """The article: this layout of the parsed text, versioned by the raw input's hash;
        `facts` are what the source states beyond the text (published, canonical_url, …)."""
        return ArticleDraft(
            title=self.title,
            title_derived=self.title_derived,
            publisher=self.publisher,
            author=self.author,
            text=parsed.text,
            blocks=facts.pop("blocks", self.blocks),
            content_hash=hashlib.sha256(raw).hexdigest(),
            source_format=parsed.source_format,
            **facts,
        )


def lay_out(
    parsed: Parsed,
    *,
    title: str | None = None,
    publisher: str | None = None,
    author: str | None = None,
) -> Layout:
    text, units = parsed.text, parsed.units
    lines = [text[u.start : u.end] for u in units]
    kinds: list[BlockKind | None] = [None] * len(units)
    pattern = [boilerplate.match_pattern(line) for line in lines]
    for i, name in enumerate(pattern):
        if name:
            kinds[i] = "boilerplate"
    top = [i for i in range(min(len(units), _TOP)) if kinds[i] is None]

    byline = None
    for i in top:
        if byline := metadata.byline_author(lines[i]):
            kinds[i] = "bio"
            break

    candidates = [i for i in top if kinds[i] is None]
    title_index = _find_title(parsed, lines, candidates)
    line_title = line_site = None
    if title_index is not None:
        line_title, line_site = metadata.split_site_suffix(lines[title_index])
        kinds[title_index] = "title"
        if title and not metadata.is_title_repeat(lines[title_index], title):
            kinds[title_index] = "heading"  # the caller named the article differently
    meta_title, meta_site = metadata.split_site_suffix(parsed.title or "")

    publisher_index = next(
        (
            i
            for i in candidates[:3]
            if i != title_index and units[i].level is None and metadata.is_publisher_line(lines[i])
        ),
        None,
    )
    if publisher_index is not None:
        kinds[publisher_index] = "publisher"

    bio_index, bio = _find_bio(lines, kinds, after=title_index)
    if bio_index is not None:
        kinds[bio_index] = "bio"

    _structural_boilerplate(units, lines, kinds, bio_index)
    reference_title = title or line_title or meta_title or None
    _headings(units, lines, kinds, reference_title)
    blocks = tuple(
        Block(kind or "paragraph", unit.start, unit.end)
        for unit, kind in zip(units, kinds, strict=True)
    )

    chosen_title = title or line_title or meta_title
    derived = not chosen_title
    if not chosen_title:
        chosen_title = metadata.derive_title(_lead(lines, kinds))
    publisher_line = lines[publisher_index] if publisher_index is not None else None
    return Layout(
        blocks=blocks,
        title=chosen_title,
        title_derived=derived,
        publisher=publisher or parsed.publisher or publisher_line or line_site or meta_site,
        author=author or parsed.author or byline or bio,
    )


def _find_title(parsed: Parsed, lines: list[str], candidates: list[int]) -> int | None:
    for i in candidates[:5]:
        if parsed.units[i].level == 1:
            return i
    if not candidates:
        return None
    first = candidates[0]
    # An all-caps masthead ("RKS NEWS") may stand above the headline.
    if (
        metadata.is_publisher_line(lines[first])
        and len(candidates) > 1
        and _is_headline(parsed, lines, candidates[1])
    ):
        return candidates[1]
    return first if _is_headline(parsed, lines, first) else None


def _is_headline(parsed: Parsed, lines: list[str], index: int) -> bool:
    line = lines[index]
    if parsed.title and metadata.is_title_repeat(line, metadata.split_site_suffix(parsed.title)[0]):
        return True
    level = parsed.units[index].level
    if level is not None and level > 3:
        return False
    # A headline must be followed by the article; a lone short line is not one.
    return metadata.looks_like_headline(line) and any(
        metadata.is_body(lines[j]) for j in range(index + 1, len(lines))
    )


def _find_bio(
    lines: list[str], kinds: list[BlockKind | None], after: int | None
) -> tuple[int | None, str | None]:
    """The last '<Name> is a <role> …' line that follows body text and precedes none.

    Scanning stops at the first running paragraph from the end: a bio is what closes an
    article, so nothing but short lines and known boilerplate may come after it.
    """
    first_body = next(
        (i for i, line in enumerate(lines) if kinds[i] is None and metadata.is_body(line)), None
    )
    if first_body is None:
        return None, None
    floor = max(first_body, after if after is not None else -1) + 1
    for i in range(len(lines) - 1, floor - 1, -1):
        if kinds[i] is not None:
            continue
        name = metadata.bio_author(lines[i])
        if name:
            return i, name
        if count_words(lines[i]) >= LONG_PARAGRAPH:
            break
    return None, None


def _structural_boilerplate(
    units: tuple[Unit, ...],
    lines: list[str],
    kinds: list[BlockKind | None],
    bio_index: int | None,
) -> None:
    count = len(lines)
    # Sites put disclaimers, promos and comment forms after the author's bio.
    if bio_index is not None:
        for i in range(bio_index + 1, count):
            if kinds[i] is None and count_words(lines[i]) < LONG_PARAGRAPH:
                kinds[i] = "boilerplate"
    # A lowercase line glued to boilerplate continues it ("Follow us …" / "and support …").
    for i in range(1, count):
        if (
            kinds[i] is None
            and units[i].joined
            and kinds[i - 1] == "boilerplate"
            and lines[i][0].islower()
        ):
            kinds[i] = "boilerplate"
    # A closing comment or signature: lowercase-initial or with emoji.
    last = next((i for i in range(count - 1, -1, -1) if kinds[i] != "boilerplate"), None)
    if (
        last is not None
        and kinds[last] is None
        and last > 0
        and boilerplate.is_signoff(lines[last])
    ):
        kinds[last] = "boilerplate"
    # A would-be heading after the last piece of running text has nothing under it: it is a
    # widget or menu label of the page, not part of the article.
    last_body = max(
        (i for i in range(count) if kinds[i] is None and metadata.is_body(lines[i])), default=-1
    )
    if last_body >= 0:
        for i in range(last_body + 1, count):
            if kinds[i] is None and metadata.looks_like_heading(lines[i]):
                kinds[i] = "boilerplate"


def _headings(
    units: tuple[Unit, ...],
    lines: list[str],
    kinds: list[BlockKind | None],
    title: str | None,
) -> None:
    count = len(lines)
    for i in range(count):
        if kinds[i] is not None:
            continue
        line = lines[i]
        marked_up = units[i].level is not None
        repeats_title = bool(title) and metadata.is_title_repeat(line, title or "")
        standalone = i > 0 and metadata.looks_like_heading(line) and _body_follows(lines, kinds, i)
        if marked_up or repeats_title or standalone:
            kinds[i] = "heading"


def _body_follows(lines: list[str], kinds: list[BlockKind | None], index: int) -> bool:
    for j in range(index + 1, len(lines)):
        if kinds[j] == "boilerplate":
            continue
        return kinds[j] is None and metadata.is_body(lines[j])
    return False


def _lead(lines: list[str], kinds: list[BlockKind | None]) -> str:
    """The first paragraph, else the first line that is not boilerplate, else anything."""
    for acceptable in ({None}, {None, "heading", "bio", "publisher"}):
        for line, kind in zip(lines, kinds, strict=True):
            if kind in acceptable:
                return line
    return lines[0] if lines else ""
