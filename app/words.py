"""Words shared by the functional core: month names, word sets written as text, and the
URL slug of an article's title. Plain values and functions; nothing here reads a database."""

from __future__ import annotations

import functools
import re
import threading
import unicodedata

import snowballstemmer

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip
# A regular-expression alternation of the month names ("January|February|…").
MONTHS = "|".join(MONTH_NAMES)
# Quotation marks (and spaces) around quoted words: stripped where the page or an export
# puts words in quotation marks of its own.
QUOTE_MARKS = "“”„\"‘’'«» "


_THREAD = threading.local()


# Stems kept, most recently used first: a search result's snippet stems every word of its
# text, ~40 µs a word in pure Python, and a corpus's words are far fewer than its texts'.
# Only words of up to LONGEST_KEPT characters are kept, so the cache holds at most
# STEMS_KEPT × LONGEST_KEPT characters whatever the texts (a 1 MB "word" is stemmed, not
# kept).
STEMS_KEPT = 2**16
LONGEST_KEPT = 64


def english_stem(word: str) -> str:
    """Snowball's English stem of `word`."""
    return _kept_stem(word) if len(word) <= LONGEST_KEPT else stem_now(word)


def stem_now(word: str) -> str:
    """The stem computed now. A stemmer keeps the word it works on in itself, so each
    thread has its own: one shared by the server's threads garbled concurrent searches'
    words (an IndexError, a 500)."""
    stemmer = getattr(_THREAD, "english", None)
    if stemmer is None:
        stemmer = _THREAD.english = snowballstemmer.stemmer("english")
    return str(stemmer.stemWord(word))


_kept_stem = functools.lru_cache(maxsize=STEMS_KEPT)(stem_now)


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
