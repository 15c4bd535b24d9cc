"""How much one article may hold, checked before any heavy work.

Every stage of ingest runs in time linear in the document, but not at the same speed: the
entity model reads about 10,000 words a second, so the size of a file says little about
how long it takes (5 MiB of markup may hold a page of text, 5 MiB of prose 900,000 words).
What the model and the rules after it read is counted instead, and so are the elements an
HTML page asks the parser to build. Past either limit the document is refused with an
IngestError that names the limit, the count and what to do. The numbers were measured with
`python -m bench.pathological` (docs/decisions/0015-ingest-limits.md): at the limits, an
upload takes at most about 30 s and 600 MB on the reference machine.
"""

from __future__ import annotations

import re

from app.ingest.model import IngestError

# Words and punctuation marks of the article text (after HTML or Markdown is stripped):
# each is a token the entity model reads (5,000 to 10,000 a second on this machine).
MAX_TOKENS = 100_000
# Paragraphs (lines of plain text): the model reads each as a text of its own, at a cost of
# about 0.5 ms apiece on top of its words.
MAX_PARAGRAPHS = 10_000
# Numbers: each distinct one becomes an entity, stored and indexed (about 1.5 ms apiece).
MAX_NUMBERS = 10_000
# Elements of an HTML page (or of the HTML inside Markdown): the parser builds an object
# for each, at about 25 µs and 1 KB apiece.
MAX_ELEMENTS = 150_000

# A word or a punctuation mark: a token the entity model reads (app/extract/entities.py
# bounds its pieces by these too).
TOKEN = re.compile(r"[^\W_]+|[^\w\s]|_")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_START_TAG = re.compile(r"<[A-Za-z]")


def count_tokens(text: str) -> int:
    return sum(1 for _ in TOKEN.finditer(text))


def check_markup(markup: str) -> None:
    """Refuse a page with more elements than the parser may build."""
    elements = sum(1 for _ in _START_TAG.finditer(markup))
    if elements > MAX_ELEMENTS:
        raise IngestError(
            f"the page has {elements:,} HTML elements, more than the {MAX_ELEMENTS:,} one "
            "article may have: split it into smaller pages"
        )


def check_text(text: str, paragraphs: int) -> None:
    """Refuse article text with more paragraphs, numbers, or words and marks than can be
    analysed in one go."""
    if paragraphs > MAX_PARAGRAPHS:
        raise IngestError(
            f"the article has {paragraphs:,} paragraphs (or lines), more than the "
            f"{MAX_PARAGRAPHS:,} one article may have: split it into smaller articles"
        )
    numbers = sum(1 for _ in _NUMBER.finditer(text))
    if numbers > MAX_NUMBERS:
        raise IngestError(
            f"the article has {numbers:,} numbers, more than the {MAX_NUMBERS:,} one article "
            "may have: split it into smaller articles"
        )
    tokens = count_tokens(text)
    if tokens > MAX_TOKENS:
        raise IngestError(
            f"the article has {tokens:,} words and punctuation marks, more than the "
            f"{MAX_TOKENS:,} one article may have: split it into smaller articles"
        )
