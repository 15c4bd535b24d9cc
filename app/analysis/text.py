"""Word normalisation shared by claim matching, conflicts and provenance.

Rewrites of one article change wording far more than they change content words, so every
comparison in this package works on *content stems*: casefolded words, stopwords dropped,
reduced by a light suffix stemmer, with a small synonym table for the wording news rewrites
swap most often ("troops have perished" / "soldiers have died").

    content_stems(text) -> list[str]      # in text order, duplicates kept
    number_tokens(text) -> list[str]      # digits as written, separators dropped: "115000"
    distinctive_numbers(text) -> set[str] # numbers that identify a text (no years, no 0-9)
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from app.words import wordset

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d{3})*(?:\.\d+)?")


STOPWORDS = wordset(
    """
    a about above after again against all almost along already also although always am among
    an and another any are around as at be because been before being below between both but by
    can cannot could did do does doing down during each either else even ever every few for
    from further had has have having he her here hers herself him himself his how however i if
    in into is it its itself just least less like made make many may me might more most much
    must my myself neither no nor not now of off often on once one only or other others our
    ours ourselves out over own per quite rather same several shall she should since so some
    such than that the their theirs them themselves then there these they this those though
    through thus to too under until up upon us very via was we were what when where whether
    which while who whom whose why will with within without would yet you your yours
    s t said says say according reportedly reported reports report also still just
    """
)

# Stem -> canonical stem. Kept small and general: reporting verbs, casualties, armed forces.
_SYNONYMS = {
    "troop": "soldier",
    "personnel": "soldier",
    "servicemen": "soldier",
    "serviceman": "soldier",
    "fighter": "soldier",
    "enlist": "recruit",
    "conscript": "recruit",
    "mobiliz": "recruit",
    "mobilis": "recruit",
    "perish": "die",
    "dead": "die",
    "death": "die",
    "kill": "die",
    "injur": "wound",
    "assess": "estimat",
    "commenc": "start",
    "begin": "start",
    "onset": "start",
    "beginn": "start",
}

_IRREGULAR = {"died": "die", "dying": "die", "fled": "flee", "began": "start", "begun": "start"}

# Longest first; (suffix, replacement).
_SUFFIXES = (
    ("ations", ""),
    ("ation", ""),
    ("ments", ""),
    ("ment", ""),
    ("ings", ""),
    ("ing", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("sses", "ss"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("xes", "x"),
    ("ed", ""),
    ("ly", ""),
    ("s", ""),
)


def normalise(text: str) -> str:
    """NFKC, casefolded, typographic apostrophes and dashes made plain."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return text.replace("’", "'").replace("‘", "'").replace("—", " - ").replace("–", "-")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stemmer with the synonym table applied; `word` is casefolded."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.isdigit():
        return word
    for _ in range(2):
        for suffix, replacement in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                if suffix == "s" and word.endswith(("ss", "us", "is")):
                    continue
                word = word[: len(word) - len(suffix)] + replacement
                break
        else:
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return _SYNONYMS.get(word, word)


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
