"""Words shared by the functional core: month names, word sets written as text, and the
URL slug of an article's title. Plain values and functions; nothing here reads a database."""

from __future__ import annotations

import re
import unicodedata

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip
# A regular-expression alternation of the month names ("January|February|…").
MONTHS = "|".join(MONTH_NAMES)
# Quotation marks (and spaces) around quoted words: stripped where the page or an export
# puts words in quotation marks of its own.
QUOTE_MARKS = "“”„\"‘’'«» "


def wordset(words: str, separator: str | None = None) -> frozenset[str]:
    """A set of words written as one string: split on whitespace (or on `separator`),
    each word stripped."""
    return frozenset(w.strip() for w in words.split(separator))


def slugify(text: str, max_length: int = 80) -> str:
    """The URL slug of a title: ASCII letters and digits joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")
