"""What a format reader produces: readable text cut into units, plus markup metadata."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """One non-empty line or paragraph of the text; becomes one Block."""

    start: int
    end: int
    level: int | None = None  # heading level stated by markup (md `#`, html h1-h6)
    joined: bool = False  # follows the previous unit with no blank line between them


@dataclass(frozen=True)
class Parsed:
    text: str
    units: tuple[Unit, ...]
    source_format: str
    # Metadata stated outside the text (html <head>, md front matter); not yet trusted.
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date


class TextBuilder:
    """Assemble the readable text of a marked-up document paragraph by paragraph.

    Paragraphs are separated by a blank line; the lines of one paragraph (hard breaks,
    code blocks) by a single newline, so offsets and units are known as the text grows.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._units: list[Unit] = []

    def add(self, paragraph: str, level: int | None = None, *, joined: bool = False) -> None:
        """Add a paragraph; `joined` continues the previous one after a line break."""
        lines = [line.strip() for line in paragraph.split("\n")]
        lines = [unicodedata.normalize("NFC", line) for line in lines if line]
        for number, line in enumerate(lines):
            glued = joined or number > 0
            if self._units:
                self._append("\n" if glued else "\n\n")
            start = self._length
            self._append(line)
            self._units.append(Unit(start, self._length, level, joined=glued and bool(start)))

    def _append(self, piece: str) -> None:
        self._parts.append(piece)
        self._length += len(piece)

    def build(
        self,
        source_format: str,
        title: str | None = None,
        publisher: str | None = None,
        author: str | None = None,
        published: str | None = None,
    ) -> Parsed:
        return Parsed(
            "".join(self._parts),
            tuple(self._units),
            source_format,
            title,
            publisher,
            author,
            published,
        )
