"""Text rules for entity extraction that need no model: the small gazetteer the EntityRuler
is built from, title/possessive trimming, name folding, and the rule-based fallback used
when the spaCy model is not installed.

Every rule here is meant to be explainable in one sentence to an analyst; the gazetteer is
deliberately short (outlets and institutions the small model gets wrong on news text)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from app.words import MONTHS as _MONTHS
from app.words import wordset as _wordset

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
NUMERIC_LABELS = frozenset({"DATE", "CARDINAL", "MONEY", "PERCENT", "QUANTITY"})

# The model's 18 OntoNotes labels → ours. TIME is a point in time, which analysts search
# for like a DATE; the rest carry little for claim analysis and are mostly noise on news
# text (headlines tagged WORK_OF_ART, weapon systems tagged PRODUCT or PERSON).
LABEL_MAP: dict[str, str | None] = {
    **{label: label for label in NAME_LABELS | NUMERIC_LABELS},
    "TIME": "DATE",
    "ORDINAL": None,
    "LAW": None,
    "WORK_OF_ART": None,
    "PRODUCT": None,
    "LANGUAGE": None,
}


@dataclass(frozen=True)
class GazetteerEntry:
    phrase: str  # matched case-sensitively, as written
    label: str  # a model label; PRODUCT entries exist only to stop a wrong PERSON/ORG
    name: str  # canonical name every match gets


def _entries(label: str, name: str, *phrases: str) -> list[GazetteerEntry]:
    return [GazetteerEntry(p, label, name) for p in (name, *phrases)]


GAZETTEER: tuple[GazetteerEntry, ...] = tuple(
    # Outlets and think tanks: the small model drops or mislabels them (REUTERS as ORG is
    # hit-and-miss, "Sputnik" and "UkraineAlert" are unknown words, "The Times" loses "The").
    _entries("ORG", "Reuters", "REUTERS")
    + _entries("ORG", "Associated Press")
    + _entries("ORG", "Agence France-Presse", "AFP")
    + _entries("ORG", "BBC")
    + _entries("ORG", "TASS")
    + _entries("ORG", "Sputnik")
    + _entries("ORG", "Interfax")
    + _entries("ORG", "Financial Times")
    + _entries("ORG", "The Times")
    + _entries("ORG", "The New York Times")
    + _entries("ORG", "The Washington Post")
    + _entries("ORG", "The Guardian")
    + _entries("ORG", "Bloomberg")
    + _entries("ORG", "Al Jazeera")
    + _entries("ORG", "RFE/RL", "Radio Free Europe/Radio Liberty")
    + _entries("ORG", "Atlantic Council")
    + _entries("ORG", "UkraineAlert")
    + _entries("ORG", "RKS NEWS")
    # News agencies, which datelines name in brackets ("(Xinhua) --", "(AP) —", "(UPI)"):
    # the small model reads them as dates, places or people.
    + _entries("ORG", "Xinhua", "XINHUA")
    + _entries("ORG", "United Press International", "UPI")
    + _entries("ORG", "AP")
    + _entries("ORG", "Yonhap")
    + _entries("ORG", "Kyodo")
    + _entries("ORG", "Kuwait News Agency", "KUNA")
    + _entries("ORG", "Press Trust of India", "PTI")
    + _entries("ORG", "Anadolu Agency", "Anadolu")
    + _entries("ORG", "Deutsche Presse-Agentur", "dpa")
    + _entries("ORG", "EFE")
    + _entries("ORG", "ANSA")
    + _entries("ORG", "PR Newswire", "PRNewswire")
    # Institutions named by one word or an acronym, which the model tags FAC, GPE or PERSON.
    + _entries("ORG", "Kremlin")
    + _entries("ORG", "Pentagon")
    + _entries("ORG", "NATO")
    + _entries("ORG", "European Union", "EU")
    + _entries("ORG", "United Nations", "UN")
    # One country, several spellings: one canonical name so they resolve together.
    + _entries("GPE", "United States", "U.S.", "US", "USA", "U.S.A.", "United States of America")
    + _entries("GPE", "United Kingdom", "UK", "U.K.", "Britain", "Great Britain")
    # Spellings newer than the model's training data.
    + _entries("GPE", "Kyiv", "Kiev")
    # Weapon systems are outside our label set; the model calls ATACMS a PERSON.
    + _entries("PRODUCT", "ATACMS")
    + _entries("PRODUCT", "HIMARS")
)


TITLES = _wordset(
    """president vice prime minister general gen. lieutenant lt. colonel col. major maj.
    captain capt. admiral adm. commander sergeant sgt. marshal professor prof. dr. doctor
    mr. mr mrs. mrs ms. ms miss sir dame lord lady king queen prince princess pope sen.
    senator rep. representative governor gov. mayor chancellor secretary ambassador judge
    justice chairman chairwoman chair director spokesman spokeswoman spokesperson defence
    defense foreign interior finance deputy former late ex chief head envoy patriarch"""
)
# Words that look capitalised only because they open a sentence or a heading.
_SENTENCE_WORDS = _wordset(
    """the a an in on at for but and or if when while as according this that these those
    since after before despite although though however meanwhile during with without from
    by of to it its his her their our we they he she there here what who why how many most
    some such both even yet so all any each every no not one another other more less"""
)
_SMALL_WORDS = frozenset({"of", "for", "and", "the", "on", "de", "du", "der", "al", "in", "to"})

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"\S+")
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_EDGE_PUNCT = "\"'“”‘’«»()[]{}<>,;:—–-!?*_/\\|"
_TRAILING_PUNCT = _EDGE_PUNCT.replace("’", "").replace("'", "")  # apostrophes: possessives
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ians?|eans?|ese|ish)$")

CURRENCY_WORDS = (
    "dollars|euros|pounds|rubles|roubles|hryvnias|hryvnia|kroner|krone|yuan|yen|rupees|"
    "USD|EUR|GBP|RUB|UAH|NOK|SEK|DKK|CHF|JPY|CNY|INR"
)
_CURRENCY_TAIL = re.compile(rf"\s*(?:{CURRENCY_WORDS})\b")
_CURRENCY_END = re.compile(rf"\b(?:{CURRENCY_WORDS})$")


def ruler_patterns() -> list[dict[str, str]]:
    """Phrase patterns for spaCy's EntityRuler; the pattern id carries the canonical name."""
    return [{"label": e.label, "pattern": e.phrase, "id": e.name} for e in GAZETTEER]


def clean_spaces(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name, for comparisons and keys.

    Accents are folded because transliterations disagree on them (Bård/Bard,
    Erdoğan/Erdogan); periods are dropped so U.S./US and St./St compare equal."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _POSSESSIVE.sub("", clean_spaces(text)).replace(".", "")
    return clean_spaces(text).casefold()


def trim_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past surrounding spaces, quotes and brackets, and a trailing
    possessive ("Trump’s" → "Trump", "Houthis’" → "Houthis")."""
    while start < end and (text[start].isspace() or text[start] in _EDGE_PUNCT):
        start += 1
    while start < end:
        if text[end - 1].isspace() or text[end - 1] in _TRAILING_PUNCT:
            end -= 1
        elif (m := _POSSESSIVE.search(text, start, end)) and m.start() > start:
            end = m.start()
        elif text[end - 1] in "’'":
            end -= 1
        else:
            break
    return start, end


def strip_leading(
    text: str, start: int, end: int, words: frozenset[str], *, modifiers: bool = False
) -> int:
    """The new start after dropping leading words found in `words` (case-insensitive); the
    last word always stays ("John Major"). With `modifiers`, a capitalised word before such
    a word goes too ("American General Ben Hodges", "US President Joe Biden")."""
    tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(text, start, end)]
    i = 0
    while i < len(tokens) - 1:
        word, nxt = tokens[i][1], tokens[i + 1][1].casefold()
        modifier = modifiers and word[0].isupper() and nxt in words and i + 2 < len(tokens)
        if not (word.casefold() in words or modifier):
            break
        i += 1
    return tokens[i][0] if tokens else end


def strip_the(text: str, start: int, end: int) -> int:
    m = re.compile(r"the\s+", re.IGNORECASE).match(text, start, end)
    return m.end() if m else start


def is_demonym(word: str) -> bool:
    return bool(_DEMONYM.match(word))


def has_name_shape(text: str) -> bool:
    """A proper name has a capital letter or a digit somewhere; "n’t" and "democratic" do
    not, and a span of punctuation or emoji has no letter at all."""
    return any(c.isupper() or c.isdigit() for c in text) and sum(c.isalnum() for c in text) >= 2


def is_title_case(text: str) -> bool:
    """Headings capitalise every word, so capitalisation says nothing about names there. A
    line ending in a full stop is a sentence, however many names it holds."""
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", text) if w.casefold() not in _SMALL_WORDS]
    if not 2 <= len(words) <= 20 or text.rstrip().endswith((".", "…", ".”", '."')):
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.8


def currency_extension(text: str, end: int, limit: int) -> int:
    """End of a currency word right after a number ("50,000 NOK"), or `end` if none."""
    m = _CURRENCY_TAIL.match(text, end, limit)  # no slice: a copy of the rest of the block
    return m.end() if m else end


def ends_with_currency(text: str) -> bool:
    return bool(_CURRENCY_END.search(text))


# --- the gazetteer, matched on characters -------------------------------------------------
# spaCy's ruler matches whole tokens, so it misses "U.S.-supplied" (one token) and scraper
# glue such as "Financial Timesa company"; this character scan catches those, and it is
# also the fallback's gazetteer.

_GAZ_BY_PHRASE = {e.phrase: e for e in GAZETTEER}
_GAZ_RE = re.compile("|".join(re.escape(p) for p in sorted(_GAZ_BY_PHRASE, key=len, reverse=True)))


@dataclass(frozen=True)
class RuleMention:
    start: int  # offsets into the text given to the rule
    end: int
    label: str
    name: str | None  # canonical name when the rule knows it


def gazetteer_mentions(text: str) -> Iterator[RuleMention]:
    for m in _GAZ_RE.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if before.isalnum() or before == "_":
            continue
        glued = after.islower() and " " in m.group()  # "Financial Timesa company"
        if after.isalnum() and not glued:
            continue
        entry = _GAZ_BY_PHRASE[m.group()]
        yield RuleMention(m.start(), m.end(), entry.label, entry.name)


# --- names in brackets, places before "region" ----------------------------------------

_BRACKETED = re.compile(r"\(\s*([A-Z][A-Z0-9&/.\-]{1,9}|[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)\s*\)")


@dataclass(frozen=True)
class Bracketed:
    start: int  # the name inside the brackets
    end: int
    before: int  # where the text before the bracket ends (trailing spaces skipped)
    acronym: bool  # "FHS" (may define a new name) or "Yakutia" (only aliases a found one)


def bracketed_names(text: str) -> Iterator[Bracketed]:
    """Every "Name (ACR)" or "Name (Other Name)" in `text`."""
    for m in _BRACKETED.finditer(text):
        inner = m.group(1)
        acronym = sum(c.isupper() for c in inner) >= 2 and " " not in inner
        if not acronym and not inner[1:].islower() and " " not in inner and "-" not in inner:
            continue
        before = m.start()
        while before > 0 and text[before - 1].isspace():
            before -= 1
        yield Bracketed(m.start(1), m.end(1), before, acronym)


_REGION = re.compile(
    r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?:\s+(?:Oblast|Krai|Province)\b|(?=\s+(?:region|oblast|"
    r"province|krai)\b))"
)


def region_mentions(text: str) -> Iterator[RuleMention]:
    """A capitalised word before region/oblast/province is a place: "the Donetsk region",
    "Kursk Oblast" (the small model misses most Ukrainian and Russian regions)."""
    for m in _REGION.finditer(text):
        word = m.group(1)
        if word.casefold() in _SENTENCE_WORDS or is_demonym(word) or word.endswith(("ern", "an")):
            continue
        yield RuleMention(m.start(), m.end(), "GPE", None)


_CAPITALISED_RUN = re.compile(
    r"(?:[A-Z][\w’'&-]*)(?:\s+(?:(?:of|for|and|the|on)\s+)*[A-Z][\w’'&-]*)+\s*$"
)


def capitalised_run_before(text: str, end: int, floor: int = 0) -> int | None:
    """Start of a run of two or more capitalised words ending at `end`, if any."""
    m = _CAPITALISED_RUN.search(text, max(floor, end - 120), end)
    if not m or m.end() != end:
        return None
    start = strip_leading(text, m.start(), end, _SENTENCE_WORDS)
    return start if " " in text[start:end] else None


# --- the fallback: rule-based mentions without a model -----------------------------------

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_QUALIFIER = r"(?:(?:about|around|approximately|nearly|almost|some|over|under|more than|"
_QUALIFIER += r"less than|up to|at least|between)\s+)?"
_RANGE = rf"(?:{_NUM})(?:\s*(?:-|–|to|and)\s*(?:{_NUM}))?"
_SCALE = r"(?:\s+(?:thousand|million|billion|trillion))?"
_NUMERIC_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("MONEY", re.compile(rf"{_QUALIFIER}[$€£₽]\s?{_RANGE}{_SCALE}", re.IGNORECASE)),
    (
        "MONEY",
        re.compile(rf"{_QUALIFIER}{_RANGE}{_SCALE}\s+(?:{CURRENCY_WORDS})\b", re.IGNORECASE),
    ),
    ("PERCENT", re.compile(rf"{_QUALIFIER}{_RANGE}\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)),
    (
        "DATE",
        re.compile(
            rf"\b(?:(?:early|mid|late)-)?(?:{_MONTHS})(?:\s+\d{{1,2}})?(?:,?\s+(?:19|20)\d\d)?\b"
            rf"|\b\d{{1,2}}\s+(?:{_MONTHS})(?:\s+(?:19|20)\d\d)?\b"
            r"|\b(?:the\s+)?(?:mid-)?(?:19|20)\d0s\b"
            r"|\b(?:19|20)\d\d\b(?![,.]?\d)",
        ),
    ),
    ("CARDINAL", re.compile(rf"(?<![\w.]){_QUALIFIER}{_RANGE}{_SCALE}(?![\w%])", re.IGNORECASE)),
)
_ACRONYM = re.compile(r"(?<![\w/.])[A-Z]{2,6}(?![\w/.])")
_NOT_ACRONYMS = frozenset({"I", "OK", "TV", "AM", "PM", "CEO", "PS", "FAQ", "A", "II", "III"})
_ORG_HEADS = _wordset(
    """council ministry college university center centre bank agency party army forces
    institute committee union department company corporation inc ltd group news times post
    service commission court parliament government office fund foundation alliance guard
    navy command"""
)
_PLACE_HEADS = frozenset({"sea", "ocean", "river", "oblast", "region", "province", "republic"})
_PLACE_FIRST = _wordset(
    "north south east west eastern western northern southern central new upper lower far middle"
)
_PLACE_SUFFIX = re.compile(r"^[A-Z][a-z]+(?:ia|stan|land|burg|grad|sk)$")
# A word may hold inner periods ("U.S.", "St.Petersburg") but a run never crosses a full stop.
_CAP_WORD = r"[A-Z][\w’'-]*(?:\.(?=\w)[\w’'-]*)*"
_WORD_RUN = re.compile(rf"(?<![\w’'])(?:{_CAP_WORD})(?:\s+(?:(?:of|for|the)\s+)?{_CAP_WORD})*")


def _sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t\"“‘'(":
        i -= 1
    return i < 0 or text[i] in ".!?:\n"


def _classify_run(text: str, start: int, end: int) -> RuleMention | None:
    words = text[start:end].split()
    last, first = fold(words[-1]), fold(words[0])
    if len(words) > 1 and (last in _ORG_HEADS or any(fold(w) in _ORG_HEADS for w in words)):
        return RuleMention(start, end, "ORG", None)
    titled = strip_leading(text, start, end, TITLES, modifiers=True)
    if titled != start and titled < end:
        return RuleMention(titled, end, "PERSON", None)
    if len(words) == 1:
        word = words[0]
        if is_demonym(word) or is_demonym(word.rstrip("s")):
            return RuleMention(start, end, "NORP", None)
        if _PLACE_SUFFIX.match(word):
            return RuleMention(start, end, "GPE", None)
        return None
    if is_demonym(words[-1]):
        return RuleMention(start, end, "NORP", None)  # "North Korean"
    if first in _PLACE_FIRST or last in _PLACE_HEADS:
        return RuleMention(start, end, "GPE", None)
    if is_demonym(words[0]):
        return None  # "Russian Emigration": an adjective and a common noun
    if len(words) <= 4 and all(w[0].isupper() for w in words):
        return RuleMention(start, end, "PERSON", None)
    return None


class Taken:
    """Which characters of a text are already part of a span: one byte per character, so
    asking whether a new span overlaps any taken one costs its length, not the number of
    spans taken so far."""

    def __init__(self, length: int) -> None:
        self._marks = bytearray(length)

    def free(self, start: int, end: int) -> bool:
        return self._marks.find(1, start, end) < 0

    def take(self, start: int, end: int) -> None:
        self._marks[start:end] = b"\x01" * (end - start)


def figure_mentions(text: str, labels: frozenset[str] = NUMERIC_LABELS) -> list[RuleMention]:
    """Figures found by the regular expressions alone, non-overlapping, earlier rules first."""
    out: list[RuleMention] = []
    taken = Taken(len(text))
    for label, pattern in _NUMERIC_RULES:
        if label in labels:
            for m in pattern.finditer(text):
                if taken.free(m.start(), m.end()):
                    taken.take(m.start(), m.end())
                    out.append(RuleMention(m.start(), m.end(), label, None))
    return out


def rule_mentions(text: str) -> list[RuleMention]:
    """Mentions found by rules alone, non-overlapping, earlier rules winning."""
    found: list[RuleMention] = []
    taken = Taken(len(text))

    def take(hit: RuleMention) -> None:
        if hit.end > hit.start and taken.free(hit.start, hit.end):
            taken.take(hit.start, hit.end)
            found.append(hit)

    for hit in [*gazetteer_mentions(text), *figure_mentions(text)]:
        take(hit)
    for m in _ACRONYM.finditer(text):
        if m.group() not in _NOT_ACRONYMS:
            take(RuleMention(m.start(), m.end(), "ORG", None))
    # Headings capitalise every word: capitalised runs there are noise.
    for m in () if is_title_case(text) else _WORD_RUN.finditer(text):
        start, end = trim_edges(text, m.start(), m.end())
        while end > start and text[end - 1] == ".":
            end -= 1  # a sentence's full stop; "St." and "U.S." come from the gazetteer
        if _sentence_start(text, start):
            start = strip_leading(text, start, end, _SENTENCE_WORDS)
            if start >= end or (" " not in text[start:end] and _sentence_start(text, start)):
                continue  # a lone capitalised word opening a sentence says nothing
        if start < end and (classified := _classify_run(text, start, end)):
            take(classified)
    return sorted(found, key=lambda r: (r.start, r.end))


def is_plural_group(text: str, start: int, end: int) -> bool:
    """A capitalised plural after "the" names a group: "the Houthis", "the Kurds"."""
    word = text[start:end]
    return (
        " " not in word
        and word.endswith("s")
        and not word.endswith("ss")
        and bool(re.search(r"\bthe\s+$", text[max(0, start - 5) : start], re.IGNORECASE))
    )
