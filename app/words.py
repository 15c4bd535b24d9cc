"""Words shared by the functional core: month names, word sets written as text, and the
URL slug of an article's title. Plain values and functions; nothing here reads a database."""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Callable
from typing import TypeVar

import snowballstemmer

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip
# A regular-expression alternation of the month names ("January|February|…").
MONTHS = "|".join(MONTH_NAMES)
# Quotation marks (and spaces) around quoted words: stripped where the page or an export
# puts words in quotation marks of its own.
QUOTE_MARKS = "“”„\"‘’'«» "


_THREAD = threading.local()
T = TypeVar("T")


def cache_short(maxsize: int, longest: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """An LRU cache of a function of one string, for strings of at most `longest`
    characters: the cache then holds at most maxsize × longest characters, where keeping
    any string (a 1 MB "word" of a text without spaces, a sentence without an end) let it
    grow with the documents ingested."""

    def wrap(fn: Callable[[str], T]) -> Callable[[str], T]:
        cached = functools.lru_cache(maxsize=maxsize)(fn)

        @functools.wraps(fn)
        def call(text: str) -> T:
            return cached(text) if len(text) <= longest else fn(text)

        return call

    return wrap


def stem_now(word: str) -> str:
    """Snowball's English stem of `word`, computed now. A stemmer keeps the word it works on
    in itself, so each thread has its own: one shared by the server's threads garbled
    concurrent searches' words (an IndexError, a 500)."""
    stemmer = getattr(_THREAD, "english", None)
    if stemmer is None:
        stemmer = _THREAD.english = snowballstemmer.stemmer("english")
    return str(stemmer.stemWord(word))


# Snowball's English stem of a word, the stems of words of up to 64 characters kept (2**16
# of them, most recently used first): a search result's snippet stems every word of its
# text, ~40 µs a word in pure Python, and a corpus's words are far fewer than its texts'.
english_stem = cache_short(maxsize=2**16, longest=64)(stem_now)


def wordset(words: str, separator: str | None = None) -> frozenset[str]:
    """A set of words written as one string: split on whitespace (or on `separator`),
    each word stripped."""
    return frozenset(w.strip() for w in words.split(separator))


def slugify(text: str, max_length: int = 80) -> str:
    """The URL slug of a title: ASCII letters and digits joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


# A search query is read as words, and the search engine's work grows with the words it is
# given (with their square when a word repeats); past these limits a query is refused.
MAX_QUERY_WORDS = 32
MAX_QUERY_CHARS = 500
_TOKEN = re.compile(r"\w+")


def query_words(query: str) -> list[str]:
    """The words of a search query that can match (each holds a word character), each once
    however it is written ("the", "The", "the."), in the order typed. ValueError, saying
    which limit, past MAX_QUERY_CHARS characters or MAX_QUERY_WORDS words."""
    if len(query) > MAX_QUERY_CHARS:
        raise ValueError(
            f"a query has at most {MAX_QUERY_CHARS} characters (this one has {len(query)})"
        )
    typed = [w for w in query.split() if _TOKEN.search(w)]
    if len(typed) > MAX_QUERY_WORDS:
        raise ValueError(f"a query has at most {MAX_QUERY_WORDS} words (this one has {len(typed)})")
    return list({_search_key(w): w for w in reversed(typed)}.values())[::-1]


def _search_key(word: str) -> str:
    """What a word is to the search engine: its tokens, case and accents folded."""
    folded = unicodedata.normalize("NFKD", word.casefold())
    return " ".join(_TOKEN.findall("".join(c for c in folded if not unicodedata.combining(c))))
