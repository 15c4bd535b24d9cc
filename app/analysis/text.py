"""Word normalisation shared by claim matching, conflicts and provenance.

Rewrites of one article change wording far more than they change content words, so every
comparison in this package works on *content stems*: casefolded words, stopwords dropped
(spaCy's English list and the words of reporting), reduced by the Snowball English stemmer,
with a small synonym table for the wording news rewrites swap most often ("troops have
perished" / "soldiers have died").

    content_stems(text) -> list[str]      # in text order, duplicates kept
    number_tokens(text) -> list[str]      # digits as written, separators dropped: "115000"
    distinctive_numbers(text) -> set[str] # numbers that identify a text (no years, no 0-9)
"""

from __future__ import annotations

import re
import unicodedata

from spacy.lang.en.stop_words import STOP_WORDS

from app.words import cache_short, stem_now, wordset

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d{3})*(?:\.\d+)?")


# spaCy's English stopwords, and the words of reporting every news sentence carries.
STOPWORDS = frozenset(STOP_WORDS) | wordset(
    "s t said says say according reportedly reported reports report also still just"
)

# Word -> the word it stands for here. Kept small and general: reporting verbs,
# casualties, armed forces; each side is stemmed below, so every form of a word counts.
_SYNONYM_WORDS = {
    "troops": "soldiers",
    "personnel": "soldiers",
    "servicemen": "soldiers",
    "serviceman": "soldiers",
    "fighters": "soldiers",
    "enlisted": "recruited",
    "conscripted": "recruited",
    "mobilized": "recruited",
    "mobilization": "recruited",
    "mobilised": "recruited",
    "mobilisation": "recruited",
    "perished": "died",
    "dead": "died",
    "death": "died",
    "killed": "died",
    "injured": "wounded",
    "injuries": "wounded",
    "assessed": "estimated",
    "commenced": "started",
    "beginning": "started",
    "onset": "started",
}
_IRREGULAR = {"died": "die", "dying": "die", "fled": "flee", "began": "start", "begun": "start"}


def _snowball(word: str) -> str:
    # Not `english_stem`: `stem` keeps its results, and the words would be kept twice.
    return _IRREGULAR.get(word) or stem_now(word)


_SYNONYMS = {_snowball(w): _snowball(means) for w, means in _SYNONYM_WORDS.items()}


def normalise(text: str) -> str:
    """NFKC, casefolded, typographic apostrophes and dashes made plain."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return text.replace("’", "'").replace("‘", "'").replace("—", " - ").replace("–", "-")


@cache_short(maxsize=65536, longest=64)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a casefolded word, with the synonym table applied."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if word.isdigit():
        return word
    stemmed = _snowball(word)
    return _SYNONYMS.get(stemmed, stemmed)


def words(text: str) -> list[str]:
    """The normalised words and numbers of `text`, in order."""
    return _WORD.findall(normalise(text))


def content_stems(text: str) -> list[str]:
    """Stems of the content words (no stopwords, no numbers), in text order."""
    out: list[str] = []
    for word in words(text):
        if word[0].isdigit() or word in STOPWORDS or len(word) < 2:
            continue
        out.append(stem(word))
    return out


def number_tokens(text: str) -> list[str]:
    """Every number as written, thousands separators dropped ("115,000" -> "115000")."""
    return [m.group().replace(",", "") for m in _NUMBER.finditer(normalise(text))]


def distinctive_numbers(text: str) -> set[str]:
    """Numbers that help tell texts apart: not 0-9 and not a bare year (1900-2099)."""
    out: set[str] = set()
    for token in number_tokens(text):
        try:
            value = float(token)
        except ValueError:
            continue
        if value < 10 or (len(token) == 4 and token.isdigit() and 1900 <= value <= 2099):
            continue
        out.add(token)
    return out


def nearest(before: str, after: str, stop: re.Pattern[str]) -> tuple[str, str]:
    """The text either side of a point up to the nearest `stop` on each side: `before`
    from after its last match, `after` up to its first."""
    cuts = [m.end() for m in stop.finditer(before)]
    if cuts:
        before = before[cuts[-1] :]
    found = stop.search(after)
    if found:
        after = after[: found.start()]
    return before, after
