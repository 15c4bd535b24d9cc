"""Figures in prose: numbers, ranges, percentages, money, counted things, rates and scope.

Cross-article conflict detection compares these values, so a figure carries bounds rather
than a rendered string: "more than 30,000" is low=30000 with no upper bound, "between
25,000 to 30,000" a range, "hundreds of thousands" a vague range. Years, dates, ordinals,
clock times, list numbers, model names ("F-16") and compound adjectives ("three-year")
are not figures. The conventions are recorded in docs/decisions/0004-claims-and-figures.md.

One module on purpose: the vocabulary below is only meaningful together with the rules
that use it, and the rules are one left-to-right pass.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from app.extract.sentences import Sentence, split_sentences
from app.words import MONTHS as _MONTHS
from app.words import wordset as _wordset


@dataclass(frozen=True)
class Figure:
    text: str
    start: int
    end: int
    value: float | None  # the single stated value; None for a range or a vague quantity
    low: float | None
    high: float | None
    unit: str | None
    period: str | None  # the rate: "day", "week", "month", "year"
    qualifier: str | None
    scope: str | None = None  # the point in time the sentence ties the figure to: "May"
    previous: float | None = None  # "raised from 16 to 18 percent": value 18, previous 16


# --- vocabulary -----------------------------------------------------------------------


def _split(words: str) -> list[str]:
    return words.split()


_SMALL = {
    w: i
    for i, w in enumerate(
        _split(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate(_split("twenty thirty forty fifty sixty seventy eighty ninety"), 2)
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_ABBREVIATED_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12}

_W_START = "|".join([*list(_SMALL)[1:], *_TENS])
_W_ANY = f"{_W_START}|hundred|thousand|million|billion|trillion"
_WORDS = (
    rf"(?:(?:half\s+)?an?\s+(?:dozen|hundred|thousand|million|billion)|(?:{_W_START}))"
    rf"(?:(?:-|\s+|(?<=hundred)\s+and\s+)(?:{_W_ANY}))*"
)
_VAGUE = (
    r"(?:a\s+few|several)\s+(?:hundred\s+thousand|dozen|hundred|thousand|million|billion)"
    r"|(?:tens|hundreds)\s+of\s+(?:thousands|millions|billions)"
    r"|dozens|hundreds|thousands|millions|billions"
)
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?"
_FRACTION = (
    r"(?:a|one|two|three|four)[\s-](?:half|halves|thirds?|quarters?|fifths?)(?=\s+of\b|[.,;])"
    r"|half(?=\s+of\b)"
)
# Every figure starts a token, with a digit or one of these letters: checking that first
# makes the scan several times faster than trying every alternative at every position.
_CORE = re.compile(
    r"(?<!\w)(?=[\daotfsendhmb])"
    rf"\b(?:(?P<frac>{_FRACTION})|(?P<vague>{_VAGUE})|(?P<words>{_WORDS}))\b|(?P<num>{_NUM})",
    re.IGNORECASE,
)
_NUMERATORS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "quarter": 4, "fifth": 5}

_ISO = "USD|EUR|GBP|NOK|RUB|UAH|CNY|JPY|SEK|DKK|CHF|INR"
_SIGNS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "¥": "JPY", "₴": "UAH"}
_CURRENCY_WORDS = {
    "ruble": "RUB", "rouble": "RUB", "krone": "NOK", "kroner": "NOK", "dollar": "USD",
    "euro": "EUR", "pound": "GBP", "hryvnia": "UAH", "yuan": "CNY", "yen": "JPY",
    "rupee": "INR", "franc": "CHF",
}  # fmt: skip
_CURRENCY_BEFORE = re.compile(rf"(?P<cur>US\$|\$|€|£|₽|¥|₴|\b(?:{_ISO}))\s?$")
_SCALE_AFTER = re.compile(
    r"\s+(?P<big>thousand|million|billion|trillion)\b"
    r"|\s?(?P<abbr>mln|mn|bn|tn)(?![A-Za-z])|(?P<mb>[mb])(?![A-Za-z])|(?P<k>[kK])(?![A-Za-z])",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"\s?(?P<pct>%|(?i:percent|per\s?cent|pct)(?!\w))"
    r"|\s(?P<pp>(?i:percentage\s+points?)(?!\w))"
    rf"|\s(?P<curw>(?i:(?:Russian\s+)?(?:rubles?|roubles?)|kroner|krone|dollars?|euros?"
    r"|pounds|hryvnias?|yuan|yen|rupees?|francs?)(?!\w))"
    rf"|\s(?P<iso>(?:{_ISO})(?!\w))"
    r"|\s?(?P<area>(?i:km2|km²|sq\.?\s?km|square\s+(?:kilometers|kilometres|km))(?![\w²]))"
    r"|\s?(?P<sqmi>(?i:sq\.?\s?mi(?:les)?|square\s+miles)(?!\w))"
    r"|\s?(?P<km>(?i:km|kilometers|kilometres)(?!\w))"
    r"|\s(?P<mile>(?i:miles)(?!\w))"
    r"|\s(?P<tonne>(?i:tons|tonnes)(?!\w))"
)
_GLUED_LETTER = re.compile(r"[^\W\d_]")
_UNIT_GLUED = re.compile(r"(?:k|m|b|bn|mn|mln|tn|km2|km|kg|pct)(?![^\W\d_])", re.IGNORECASE)
_NOT_AFTER = re.compile(
    r":\d|\s?(?:[ap]\.m\.?|[ap]m\b|GMT\b|UTC\b)|/\d|-[^\W\d_]|['’]s\b", re.IGNORECASE
)
_HYPHEN_COMPOUND = re.compile(r"-[^\W\d_]")
_REFERENCE_BEFORE = re.compile(
    r"\b(?:Article|Section|Chapter|Pages?|No\.|Nos\.|Number|Resolution|Item|Part|Figure|Fig\."
    r"|Table|Vol\.|Volume|Issue|Route|Flight|Unit|Room|Suite|Phase|Round|Episode|Season"
    r"|Paragraph|Annex|Appendix|Protocol|Rule|Model|Version|Level|Grade|Tier|Category"
    r"|page|article|section|chapter|paragraph)\s*$"
)
_LIST_MARK = re.compile(r"[.)]\s")
_MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS}|{_MONTH_ABBR})\.?\s+$")
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS}|{_MONTH_ABBR})\b")
_AGE_BEFORE = re.compile(r"\b(?:age[sd]?|aged)\b[^.;\d]*$", re.IGNORECASE)

_RANGE_CONNECTOR = re.compile(r"\s*(?P<dash>[-–—])\s*|\s+(?P<w>to|and|through)\s+", re.I)
_BY_BEFORE = re.compile(r"\bby\s+(?:(?:roughly|about|around|nearly|almost|some|over)\s+)?$")
_OF_AFTER = re.compile(r"\s*of")
# Phrases read before a number ("fell by roughly", "Article") are short: they are looked for
# in this many characters, not from the start of the text for every number.
_REACH_BACK = 40


def _back(pos: int) -> int:
    return max(0, pos - _REACH_BACK)


_ANOTHER = re.compile(r"\b(?:another|an\s+additional|additional|a\s+further)\s+$", re.I)
_RANGE_OPENER = re.compile(r"\b(between|from)\s+$", re.IGNORECASE)
_CHANGE_VERB = re.compile(
    r"\b(?:rais(?:e|ed|es)|lower(?:ed|s)?|increas(?:e|ed|es)|decreas(?:e|ed|es)|reduc(?:e|ed|es)"
    r"|cuts?|rose|risen|rises|fell|fallen|falls|dropped|drops|climbed|grew|grown|jumped"
    r"|surged|declined|hiked|slashed|boosted|doubled|tripled|halved|went\s+(?:up|down)"
    r"|changed|shifted|expanded|shrank|shrunk)\b",
    re.IGNORECASE,
)
_QUALIFIERS = (
    r"(?:only\s+|just\s+)?(?:slightly\s+|well\s+|far\s+|much\s+|somewhat\s+|a\s+little\s+)?"
    r"(?:more|less|fewer|greater|higher|lower)\s+than"
    r"|(?:just\s+|well\s+|slightly\s+)?(?:over|under|above|below)"
    r"|at\s+least|at\s+most|no\s+(?:more|less|fewer)\s+than|not\s+more\s+than|up\s+to"
    r"|as\s+(?:high|many|much|low|few|little)\s+as|upwards\s+of|in\s+excess\s+of|close\s+to"
    r"|nearly|almost|approximately|approx\.|about|around|roughly|some|circa"
    r"|an\s+estimated|estimated|an\s+average\s+of|average\s+of|on\s+average|a\s+total\s+of"
    r"|a\s+maximum\s+of|a\s+minimum\s+of|exactly|precisely|only|just"
)
_QUALIFIER_BEFORE = re.compile(rf"\b(?P<q>{_QUALIFIERS})\s+$", re.IGNORECASE)
_INTENSIFIERS = re.compile(r"^(?:(?:only|just|slightly|well|far|much|somewhat|a little)\s+)+")
_LOWER_BOUND = re.compile(
    r"more|greater|higher|over|above|at least|no less|no fewer|upwards|in excess|minimum"
    r"|as low as|as few as|as little as"
)
_UPPER_BOUND = re.compile(
    r"less|fewer|lower|under|below|at most|no more|not more|up to|as high as|as many as"
    r"|as much as|nearly|almost|maximum"
)

_PERIOD = re.compile(
    r"\b(?:each|every|per)\s+(?:passing\s+)?(?P<p1>day|week|month|year|quarter)\b"
    r"|(?<!within\s)(?<!\bin\s)(?<!for\s)(?<!over\s)(?<!than\s)(?<!after\s)(?<!once\s)"
    r"(?<!twice\s)\b(?:a|an)\s+(?P<p2>day|week|month|year)\b"
    r"(?!\s+(?:ago|earlier|later|before|after|or\b))"
    r"|\b(?P<p3>day|week|month|year)\s+(?:after|on|by)\s+(?P=p3)\b"
    r"|\b(?P<adv>daily|weekly|monthly|annually|yearly|per\s+annum)\b",
    re.IGNORECASE,
)
_ADVERB_PERIODS = {"daily": "day", "weekly": "week", "monthly": "month", "annually": "year"}
_SCOPE = re.compile(
    rf"(?P<s1>(?:(?:early|mid|late)[-\s])?(?:{_MONTHS})(?:\s+\d{{1,2}}(?![\d,]))?"
    rf"(?:,?\s+(?:19|20)\d{{2}})?)(?![\w’'])"
    r"|\b(?:in|since|as\s+of|by|during|until|through|throughout|for)\s+"
    r"(?P<s2>(?:(?:early|mid|late)[-\s])?(?:19|20)\d{2})(?![\w’'])"
    r"|\b(?P<s3>(?i:this|last|next|that)\s+(?:summer|winter|spring|autumn|fall|year|month|week)"
    r"|(?:summer|winter|spring|autumn|fall)\s+of\s+(?:19|20)\d{2})\b"
)

_STOP = _wordset(
    """of to in on at for with from by as than and or but each every per a an the this that
    these those have has had were was is are be been being will would could can may might
    must shall should who which whom whose its their his her our my your it they he she we
    i you less fewer over under about into onto since until during after before while when
    where if so not no also only just there here all both such whether because though
    although"""
)
_IRREGULAR = {
    "people": "people", "persons": "people", "men": "man", "women": "woman",
    "children": "child", "personnel": "personnel", "staff": "staff", "police": "police",
    "aircraft": "aircraft", "civilians": "civilian", "troops": "troop",
}  # fmt: skip
_TIME_UNITS = _wordset("second minute hour day week month year decade century")
_NON_NOUNS = _wordset(
    """this thus has was is its his hers ours yours theirs as us yes always perhaps besides
    towards afterwards whereas sometimes various numerous less unless across does goes says
    news series times"""
)


# --- parsing --------------------------------------------------------------------------


@dataclass
class _Quantity:
    start: int  # of the number, or of a currency sign before it
    end: int  # after the number, its scale word and its unit
    low: float
    high: float
    exact: bool  # a stated number, not "a few thousand"
    raw: float  # the number as written, before its scale word
    unit: str | None = None
    scaled: bool = False


@dataclass
class _Draft:
    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    qualifier: str | None = None
    previous: float | None = None


def parse_figures(text: str, base: int = 0) -> list[Figure]:
    """Every figure in `text`, in order; offsets are into `text` plus `base`."""
    quantities = [q for m in _CORE.finditer(text) if (q := _quantity(text, m)) is not None]
    if not quantities:
        return []
    drafts = _inherit_units(text, _combine(text, quantities))
    where = _Surroundings(text, split_sentences(text), drafts)
    return [_situate(text, d, where, base) for d in drafts]


class _Surroundings:
    """The sentences and figures around each figure, indexed once per text: looking them
    up by scanning every sentence and every other figure grew with the square of a long
    run of numbers, as did reading each sentence's scope phrases again for each figure."""

    def __init__(self, text: str, sentences: Sequence[Sentence], drafts: list[_Draft]) -> None:
        self.text = text
        self.sentences = sentences
        self.sentence_starts = [s.start for s in sentences]
        self.figure_starts = sorted(d.start for d in drafts)
        self.figure_ends = sorted(d.end for d in drafts)
        self._scopes: dict[tuple[int, int], tuple[list[int], list[int], list[str]]] = {}

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.sentence_starts, pos) - 1
        if i >= 0 and pos < self.sentences[i].end:
            return self.sentences[i].start, self.sentences[i].end
        return 0, len(self.text)

    def next_figure(self, pos: int) -> int | None:
        """The first start of a figure after `pos`."""
        i = bisect_right(self.figure_starts, pos)
        return self.figure_starts[i] if i < len(self.figure_starts) else None

    def figure_ends_within(self, start: int, end: int) -> bool:
        i = bisect_left(self.figure_ends, start)
        return i < len(self.figure_ends) and self.figure_ends[i] <= end

    def scope(self, sentence: tuple[int, int], d: _Draft) -> str | None:
        """The scope phrase of the sentence nearest the figure and not overlapping it (the
        earlier one on a tie)."""
        if sentence not in self._scopes:
            self._scopes[sentence] = _scope_phrases(self.text, *sentence)
        starts, ends, names = self._scopes[sentence]
        before = bisect_right(ends, d.start) - 1
        after = bisect_left(starts, d.end)
        best: tuple[int, str] | None = None
        if before >= 0:
            best = (d.start - ends[before], names[before])
        if after < len(starts) and (best is None or starts[after] - d.end < best[0]):
            best = (starts[after] - d.end, names[after])
        return best[1] if best else None


def _quantity(text: str, m: re.Match[str]) -> _Quantity | None:
    if m.group("frac"):
        return _fraction(text, m)
    if m.group("vague"):
        low, high = _vague_bounds(m.group("vague"))
        q = _Quantity(m.start(), m.end(), low, high, exact=False, raw=low)
        _attach_unit(text, q, allow_of=True)
        return q
    if m.group("words"):
        return _spelled(text, m)
    return _digits(text, m)


def _fraction(text: str, m: re.Match[str]) -> _Quantity | None:
    """ "two-thirds of Ukrainians", "fell by a third": a share, kept in percent so it
    compares with "67 percent"."""
    words = re.split(r"[\s-]+", m.group("frac").lower())
    if len(words) == 1:
        numerator, denominator = 1, 2
    else:
        numerator, denominator = _NUMERATORS[words[0]], _DENOMINATORS[words[1].rstrip("s")]
        if not (
            _OF_AFTER.match(text, m.end()) or _BY_BEFORE.search(text, _back(m.start()), m.start())
        ):
            return None  # "a third party"
    if numerator >= denominator:
        return None
    value = 100 * numerator / denominator
    return _Quantity(m.start(), m.end(), value, value, exact=True, raw=value, unit="percent")


def _vague_bounds(phrase: str) -> tuple[float, float]:
    """Conventions: "hundreds" 200–999, "tens of thousands" 20,000–99,999, "a few
    thousand" 2,000–9,000, "several thousand" 3,000–9,000, "dozens" 24–99."""
    words = phrase.lower().split()
    if words[0] in ("a", "several"):
        unit = _words_value(" ".join(words[-2:] if words[-2] == "hundred" else words[-1:]))
        return (3 if words[0] == "several" else 2) * unit, 9 * unit
    if words[0] == "dozens":
        return 24.0, 99.0
    group = {"tens": 10.0, "hundreds": 100.0, "thousands": 1e3, "millions": 1e6}.get(words[0], 1e9)
    if len(words) == 3:
        group *= _SCALES[words[2].rstrip("s")]
    return 2 * group, 10 * group - 1


def _words_value(phrase: str) -> float:
    tokens = [t for t in re.split(r"[\s-]+", phrase.lower()) if t and t != "and"]
    if tokens and tokens[0] == "half":
        return 0.5 * _words_value(" ".join(tokens[1:]))
    total, current = 0.0, 0.0
    for tok in tokens:
        if tok in ("a", "an"):
            current = max(current, 1)
        elif tok == "dozen":
            current = max(current, 1) * 12
        elif tok in _SMALL:
            current += _SMALL[tok]
        elif tok in _TENS:
            current += _TENS[tok]
        elif tok == "hundred":
            current = max(current, 1) * 100
        elif tok in _SCALES:
            total += max(current, 1) * _SCALES[tok]
            current = 0
    return total + current


def _spelled(text: str, m: re.Match[str]) -> _Quantity | None:
    if _HYPHEN_COMPOUND.match(text, m.end()) or _after_hyphen(text, m.start()):
        return None  # "three-year mark"
    phrase = m.group("words")
    value = _words_value(phrase)
    last = phrase.lower().split()[-1]
    factor = _SCALES.get(last, 1.0)
    q = _Quantity(m.start(), m.end(), value, value, exact=True, raw=value / factor)
    q.scaled = factor > 1 or last in ("hundred", "dozen")
    _attach_unit(text, q, allow_of=q.scaled)
    if value < 10 and (
        q.unit in _TIME_UNITS or (q.unit is None and not _RANGE_CONNECTOR.match(text, q.end))
    ):
        return None  # "two weeks", "one notable tactic": counting words, not figures
    if value == 1 and q.unit not in ("percent", *_SIGNS.values(), *_CURRENCY_WORDS.values()):
        return None
    return q


def _digits(text: str, m: re.Match[str]) -> _Quantity | None:
    s, e = m.start(), m.end()
    digits = m.group("num")
    if _not_a_quantity(text, s, e, digits):
        return None
    value = float(digits.replace(",", ""))
    q = _Quantity(s, e, value, value, exact=True, raw=value)
    currency = _CURRENCY_BEFORE.search(text, max(0, s - 5), s)
    if currency:
        q.start, q.unit = currency.start(), _SIGNS.get(currency.group("cur"), currency["cur"])
    scale = _SCALE_AFTER.match(text, e)
    if scale and (scale["big"] or scale["abbr"] or scale["k"] or (scale["mb"] and q.unit)):
        word = (scale["big"] or scale["abbr"] or scale["mb"] or scale["k"]).lower()
        q.low = q.high = value * _SCALES.get(word, _ABBREVIATED_SCALES.get(word, 1.0))
        q.end, q.scaled = scale.end(), True
    elif _GLUED_LETTER.match(text, e) and not _UNIT_GLUED.match(text, e):
        return None  # "17th", "5G", "1990s"
    _attach_unit(text, q, allow_of=q.scaled)
    if _looks_like_year(digits, q) or _is_date_day(text, s, e, digits):
        return None
    if q.unit is None and _AGE_BEFORE.search(text, max(0, s - 60), s):
        q.unit = "year"  # "lowered the age … from 27 to 25": an age in years
    return q


# Counts in prose stay far below a quadrillion; longer digit runs are identifiers.
_MAX_DIGITS = 15


def _not_a_quantity(text: str, s: int, e: int, digits: str) -> bool:
    before = text[s - 1] if s > 0 else ""
    if before and (before.isalpha() or before.isdigit() or before in "/#_.:"):
        return True
    if (
        before in "-,"
        and s > 1
        and (text[s - 2].isalpha() or (before == "," and text[s - 2].isdigit()))
    ):
        return True  # "F-16", "COVID-19", "mid-1990s"
    if len(digits) > 1 and digits[0] == "0" and not digits.startswith("0."):
        return True  # "02124": a postcode or an identifier
    if len(digits.split(".")[0].replace(",", "")) > _MAX_DIGITS:
        return True  # a serial number, not a count (and past float range, or int()'s limit)
    if _NOT_AFTER.match(text, e):
        return True  # "10:30", "5 p.m.", "24/7", "17-year-old", "1990's"
    if _REFERENCE_BEFORE.search(text, max(0, s - 14), s):
        return True  # "Article 5", "Resolution 2231"
    return bool(_LIST_MARK.match(text, e)) and _opens_line(text, s)  # "1. First point"


def _opens_line(text: str, s: int) -> bool:
    """Only spaces, or an opening bracket, stand between the line's start and `s` (read
    backwards from `s`: searching for the line's start read back through a long line)."""
    i = _skip_spaces_back(text, s)
    if i > 0 and text[i - 1] == "(":
        i = _skip_spaces_back(text, i - 1)
    return i == 0 or text[i - 1] == "\n"


def _skip_spaces_back(text: str, i: int) -> int:
    while i > 0 and text[i - 1] != "\n" and text[i - 1].isspace():
        i -= 1
    return i


def _looks_like_year(digits: str, q: _Quantity) -> bool:
    if len(digits) != 4 or not digits.isdigit() or q.scaled or q.unit is not None:
        return False
    return 1000 <= int(digits) <= 2100


def _is_date_day(text: str, s: int, e: int, digits: str) -> bool:
    if not digits.isdigit() or not 1 <= int(digits) <= 31:
        return False
    return bool(_MONTH_BEFORE.search(text, max(0, s - 12), s) or _MONTH_AFTER.match(text, e))


def _after_hyphen(text: str, s: int) -> bool:
    return s > 1 and text[s - 1] == "-" and text[s - 2].isalpha()


def _attach_unit(text: str, q: _Quantity, *, allow_of: bool) -> None:
    """The unit after the number: a percent sign, a currency, an area, or the counted noun
    ("1,262 Russian soldiers" → "soldier"); the span grows to cover it."""
    m = _UNIT_AFTER.match(text, q.end)
    if m:
        q.unit, q.end = _unit_name(m), m.end()
        return
    if q.unit is None:
        noun = _counted_noun(text, q.end, allow_of=allow_of)
        if noun is not None:
            q.unit, q.end = noun


def _unit_name(m: re.Match[str]) -> str:
    if m["pct"]:
        return "percent"
    if m["pp"]:
        return "percentage point"
    if m["curw"]:
        word = m["curw"].lower().split()[-1]
        return _CURRENCY_WORDS.get(word.rstrip("s"), _CURRENCY_WORDS.get(word, "USD"))
    if m["iso"]:
        return m["iso"]
    if m["area"]:
        return "km2"
    if m["sqmi"]:
        return "mi2"
    return "km" if m["km"] else "mile" if m["mile"] else "tonne"


_WORD_AFTER = re.compile(r"[ \t]+([^\W\d_][\w’'-]*)")


def _counted_noun(text: str, pos: int, *, allow_of: bool) -> tuple[str, int] | None:
    """The head noun of "20,000 new soldiers", "hundreds of Yemeni mercenaries"; modifiers
    are skipped, a function word, verb form or punctuation ends the search."""
    modifiers = 0
    while modifiers <= 3:
        m = _WORD_AFTER.match(text, pos)
        if m is None:
            return None
        word, low = m.group(1), m.group(1).lower()
        pos = m.end()
        if low == "of" and allow_of and modifiers == 0:
            allow_of = False
            continue
        if low in _STOP:
            return None
        lemma = _noun_lemma(word)
        if lemma is not None:
            return lemma, pos
        if low.endswith(("ed", "ing", "ly")):
            return None  # "500,000 wounded", "seriously"
        modifiers += 1
    return None


def _noun_lemma(word: str) -> str | None:
    low = word.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if len(low) < 4 or not low.endswith("s") or low.endswith(("ss", "us", "is", "'s", "’s")):
        return None
    if low in _NON_NOUNS or "-" in low:
        return None
    stem = word[:-3] + "y" if low.endswith("ies") else word[:-1]
    if low.endswith(("ches", "shes", "sses", "xes")):
        stem = word[:-2]
    return stem if word[0].isupper() and not word.isupper() and stem[1:].islower() else stem.lower()


def _combine(text: str, quantities: list[_Quantity]) -> list[_Draft]:
    drafts: list[_Draft] = []
    i = 0
    while i < len(quantities):
        a = quantities[i]
        joined = _join(text, a, quantities[i + 1]) if i + 1 < len(quantities) else None
        if joined is not None:
            drafts.append(joined)
            i += 2
        else:
            value = a.high if a.exact else None
            drafts.append(_qualify(text, _Draft(a.start, a.end, value, a.low, a.high, a.unit)))
            i += 1
    return drafts


def _inherit_units(text: str, drafts: list[_Draft]) -> list[_Draft]:
    """ "115,000 to 160,000 Russian troops have died, with another 500,000 wounded": the
    second figure counts the same thing."""
    last_unit = None
    for d in drafts:
        if d.unit is None and last_unit and _ANOTHER.search(text, max(0, d.start - 20), d.start):
            d.unit = last_unit
        last_unit = d.unit or last_unit
    return drafts


def _join(text: str, a: _Quantity, b: _Quantity) -> _Draft | None:
    connector = _RANGE_CONNECTOR.fullmatch(text, a.end, b.start)
    if connector is None:
        return None
    opener = _RANGE_OPENER.search(text, max(0, a.start - 12), a.start)
    opening = opener.group(1).lower() if opener else ""
    word = (connector["w"] or "").lower()
    if word == "and" and opening != "between":
        return None
    if connector["dash"] and not (a.exact and b.exact):
        return None
    if a.unit and b.unit and a.unit != b.unit:
        return None
    if not a.scaled and b.scaled and a.exact and b.exact and a.raw <= b.raw:
        a.low = a.high = a.raw * (b.high / b.raw if b.raw else 1.0)  # "5 to 10 million"
    start = opener.start() if opener else a.start
    unit = b.unit or a.unit
    if opening == "from" and _is_change(text, start, a, b):
        value = b.high if b.exact else None
        return _qualify(text, _Draft(start, b.end, value, b.low, b.high, unit, previous=a.high))
    low, high = min(a.low, b.low), max(a.high, b.high)
    return _qualify(text, _Draft(start, b.end, None, low, high, unit))


def _is_change(text: str, from_at: int, a: _Quantity, b: _Quantity) -> bool:
    """ "raised from 16 to 18 percent", "lowered the age … from 27 to 25": a change, not a
    range; the figure is the new value and `previous` the old one."""
    return a.high > b.low or bool(_CHANGE_VERB.search(text, max(0, from_at - 60), from_at))


def _qualify(text: str, d: _Draft) -> _Draft:
    m = _QUALIFIER_BEFORE.search(text, max(0, d.start - 40), d.start)
    if m is None:
        return d
    qualifier = " ".join(m["q"].lower().split())
    d.qualifier, d.start = qualifier, m.start("q")
    if d.value is not None and d.previous is None and d.low == d.high:
        core = _INTENSIFIERS.sub("", qualifier)
        if _UPPER_BOUND.match(core) or core.startswith("no more"):
            d.low = None
        elif _LOWER_BOUND.match(core):
            d.high = None
    return d


def _situate(text: str, d: _Draft, where: _Surroundings, base: int) -> Figure:
    sent_start, sent_end = where.sentence(d.start)
    following = where.next_figure(d.start)
    after_end = min(sent_end, d.end + 90, following if following is not None else sent_end)
    # A rate before the figure ("Every month, 20,000 …") only when no figure comes between.
    first_in_sentence = not where.figure_ends_within(sent_start, d.start)
    period = _find_period(text, d.end, after_end)
    if period is None and first_in_sentence:
        period = _find_period(text, sent_start, d.start)
    return Figure(
        text=text[d.start : d.end],
        start=d.start + base,
        end=d.end + base,
        value=d.value,
        low=d.low,
        high=d.high,
        unit=d.unit,
        period=period,
        qualifier=d.qualifier,
        scope=where.scope((sent_start, sent_end), d),
        previous=d.previous,
    )


def _find_period(text: str, start: int, end: int) -> str | None:
    if start >= end:
        return None
    m = _PERIOD.search(text, start, end)
    if m is None:
        return None
    if m["adv"]:
        adverb = m["adv"].lower()
        return _ADVERB_PERIODS.get(adverb, "year")
    return (m["p1"] or m["p2"] or m["p3"]).lower()


def _scope_phrases(text: str, start: int, end: int) -> tuple[list[int], list[int], list[str]]:
    """Starts, ends and texts of the scope phrases in text[start:end], in order."""
    starts, ends, names = [], [], []
    for m in _SCOPE.finditer(text, start, end):
        name = "s1" if m["s1"] else "s2" if m["s2"] else "s3"
        starts.append(m.start(name))
        ends.append(m.end(name))
        names.append(" ".join(m[name].split()))
    return starts, ends, names
