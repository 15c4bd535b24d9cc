"""The values the ingest package hands to the rest of the app."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["title", "publisher", "heading", "paragraph", "boilerplate", "bio"]

MIB = 1024 * 1024
# Long reports are a few hundred KiB of text; 5 MiB leaves room for HTML pages with heavy
# markup while keeping a single upload from stalling the server.
MAX_BYTES = 5 * MIB

_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


class IngestError(ValueError):
    """Input that cannot become an article; the message is one line naming the reason."""


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    start: int  # code-point offset into ArticleDraft.text
    end: int  # exclusive
    page: int | None = None  # 1-based page of a PDF the block was read from


@dataclass(frozen=True)
class ArticleDraft:
    title: str
    title_derived: bool  # no headline: the title was made from the lead
    publisher: str | None
    author: str | None
    text: str  # the article text shown to readers; all offsets point into it
    blocks: tuple[Block, ...]  # every non-empty line/paragraph of text, in order
    content_hash: str  # sha256 hex of the raw input bytes
    source_format: str  # "txt" | "md" | "html" | "pdf": the format the content was read as
    published: str | None = None  # ISO date from the markup, a byline or the dateline
    canonical_url: str | None = None  # the page's own address for itself (rel=canonical, og:url)
    language: str | None = None  # ISO 639-1 code the source declares

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    @property
    def boilerplate_spans(self) -> list[tuple[int, int]]:
        return [(b.start, b.end) for b in self.blocks if b.kind == "boilerplate"]

    @property
    def headings(self) -> list[str]:
        return [self.block_text(b) for b in self.blocks if b.kind == "heading"]

    @property
    def word_count(self) -> int:
        return sum(count_words(self.block_text(b)) for b in self.blocks if b.kind != "boilerplate")


def count_words(text: str) -> int:
    return len(_WORD.findall(text))
