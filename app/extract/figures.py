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

from app.extract import units
from app.extract.sentences import Sentence, split_sentences
from app.words import MONTHS as _MONTHS


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
# "nearly doubled", "twice as high": a multiple, the factor is the figure.
_MULTIPLE = r"doubled|tripled|trebled|quadrupled|twice|thrice"
_MULTIPLES = {"doubled": 2, "tripled": 3, "trebled": 3, "quadrupled": 4, "twice": 2, "thrice": 3}
# Every figure starts a token, with a digit or one of these letters: checking that first
# makes the scan several times faster than trying every alternative at every position.
_CORE = re.compile(
    r"(?<!\w)(?=[\daotfsendhmbq])"
    rf"\b(?:(?P<frac>{_FRACTION})|(?P<mult>{_MULTIPLE})|(?P<vague>{_VAGUE})|(?P<words>{_WORDS}))\b"
    rf"|(?P<num>{_NUM})",
    re.IGNORECASE,
)
_NUMERATORS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "quarter": 4, "fifth": 5}

_SCALE_AFTER = re.compile(
    r"\s+(?P<big>thousand|million|billion|trillion)\b"
    r"|\s?(?P<abbr>mln|mn|bn|tn)(?![A-Za-z])|(?P<mb>[mb])(?![A-Za-z])|(?P<k>[kK])(?![A-Za-z])",
    re.IGNORECASE,
)
_GLUED_LETTER = re.compile(r"[^\W\d_]")
_UNIT_GLUED = re.compile(
    r"(?:k|m|b|bn|mn|mln|tn|km2|km|kg|pct|gt|mt|kt|ppm)(?![^\W\d_])|[Âآ]°", re.IGNORECASE
)
_NOT_AFTER = re.compile(
    r":\d|\s?(?:[ap]\.m\.?|[ap]m\b|GMT\b|UTC\b)|/\d|-(?!percent\b|per\s?cent\b)[^\W\d_]"
    r"|['’]s\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\b\d{3}[-.]\d{3}[-.]\d{4}\b")
_HYPHEN_COMPOUND = re.compile(r"-(?!percent\b)[^\W\d_]")
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
_MINUS_WORD = re.compile(r"\bminus\s+$", re.IGNORECASE)
_OF_NOUN_AFTER = re.compile(r"\s+of\s+[^\W\d_]")
_NAME_COMMA_BEFORE = re.compile(r"\b[A-Z][\w’'.-]+,\s*$")
_MEASURES = frozenset(
    {"percent", "percentage point", "celsius", "fahrenheit", "km", "km2", "mile", "mile2",
     "tonne", "kg", "ppm"}
)  # fmt: skip
_AGE_BEFORE = re.compile(r"\b(?:age[sd]?|aged)\b[^.;\d]*$", re.IGNORECASE)

_RANGE_CONNECTOR = re.compile(r"\s*(?P<dash>[-–—])\s*|\s+(?P<w>to|and|through)\s+", re.I)
_BY_BEFORE = re.compile(r"\bby\s+(?:(?:roughly|about|around|nearly|almost|some|over)\s+)?$")
_OF_AFTER = re.compile(r"\s*of")
# Phrases read before a number ("fell by roughly", "Article") are short: they are looked for
# in this many characters, not from the start of the text for every number.
_REACH_BACK = 40


def _back(pos: int) -> int:
    return max(0, pos - _REACH_BACK)


# "the death toll … to 34", "seats tally … at 240", "the number of seats … by 10"
_COUNTED_BEFORE = re.compile(
    r"\b(?:(?P<n1>[a-z]+s)\s+(?:tally|count|total)|(?P<n2>death|casualty)\s+(?:toll|count)"
    r"|(?:number|total|count|tally)\s+of\s+(?:the\s+)?(?P<n3>[a-z]+s))\b",
)
_DOWN_FROM = re.compile(r",?\s+(?:down|up)\s+from\s+", re.IGNORECASE)
_FROM = re.compile(r"\s+from\s+", re.IGNORECASE)
_TO_BEFORE = re.compile(r"\bto\s+$", re.IGNORECASE)
_LOOK_BACK = 120  # how far before a bare number its counted noun may stand
_PARTITIVE = re.compile(r"\s+of\s+(?:the|these|those)\s+")
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
    r"|exceeded|(?:well\s+)?north\s+of"
    r"|nearly|almost|approximately|approx\.|about|around|roughly|some|circa"
    r"|an\s+estimated|estimated|an\s+average\s+of|average\s+of|on\s+average|a\s+total\s+of"
    r"|a\s+maximum\s+of|a\s+minimum\s+of|exactly|precisely|only|just"
)
_QUALIFIER_BEFORE = re.compile(rf"\b(?P<q>{_QUALIFIERS})\s+$", re.IGNORECASE)
_INTENSIFIERS = re.compile(r"^(?:(?:only|just|slightly|well|far|much|somewhat|a little)\s+)+")
_LOWER_BOUND = re.compile(
    r"more|greater|higher|over|above|at least|no less|no fewer|upwards|in excess|minimum|exceeded"
    r"|(?:well )?north of"
    r"|as low as|as few as|as little as"
)
# "nearly 60,000" and "almost half" are approximate values, not bounds.
_UPPER_BOUND = re.compile(
    r"less|fewer|lower|under|below|at most|no more|not more|up to|as high as|as many as"
    r"|as much as|maximum"
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
    weak: bool = False  # a small number in words: a figure only if the sentence gives a unit
    negative: bool = False
    end_extra: int = 0  # the closing bracket of an accounting negative "$(0.03)"


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
    weak: bool = False
    share: bool = False  # a fraction or a multiple: unitless by design


def parse_figures(
    text: str, base: int = 0, *, degrees: str = "celsius", crown: str | None = None
) -> list[Figure]:
    """Every figure in `text`, in order; offsets are into `text` plus `base`. `degrees` is
    the scale of a temperature written only as "degrees" (the article's country's), `crown`
    the currency of "crowns" without a nation (`units.crown_of` the article)."""
    defaults = units.TextDefaults(degrees, crown)
    quantities: list[_Quantity] = []
    for m in _CORE.finditer(text):
        if quantities and m.start() < quantities[-1].end:
            continue  # inside the last figure: "deaths per 100,000", "$(0.03)"
        q = _quantity(text, m, defaults)
        if q is not None:
            quantities.append(q)
    if not quantities:
        return []
    sentences = split_sentences(text)
    drafts = _inherit_units(text, _combine(text, quantities), sentences)
    _changes_of_shares(text, drafts)
    drafts = [d for d in drafts if d.unit is not None or not d.weak]
    where = _Surroundings(text, sentences, drafts)
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


def _quantity(text: str, m: re.Match[str], defaults: units.TextDefaults) -> _Quantity | None:
    if m.group("frac"):
        return _fraction(text, m)
    if m.group("mult"):
        factor = float(_MULTIPLES[m.group("mult").lower()])
        return _Quantity(m.start(), m.end(), factor, factor, exact=True, raw=factor)
    if m.group("vague"):
        low, high = _vague_bounds(m.group("vague"))
        q = _Quantity(m.start(), m.end(), low, high, exact=False, raw=low)
        _attach_unit(text, q, defaults, allow_of=True)
        return q
    if m.group("words"):
        return _spelled(text, m, defaults)
    return _digits(text, m, defaults)


def _fraction(text: str, m: re.Match[str]) -> _Quantity | None:
    """ "two-thirds of Ukrainians", "fell by a third": a share, as a fraction of one."""
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
    value = numerator / denominator
    return _Quantity(m.start(), m.end(), value, value, exact=True, raw=value)


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


def _spelled(text: str, m: re.Match[str], defaults: units.TextDefaults) -> _Quantity | None:
    if _HYPHEN_COMPOUND.match(text, m.end()) or _after_hyphen(text, m.start()):
        return None  # "three-year mark"
    phrase = m.group("words")
    value = _words_value(phrase)
    last = phrase.lower().split()[-1]
    factor = _SCALES.get(last, 1.0)
    q = _Quantity(m.start(), m.end(), value, value, exact=True, raw=value / factor)
    q.scaled = factor > 1 or last in ("hundred", "dozen")
    _attach_unit(text, q, defaults, allow_of=q.scaled)
    if q.unit in units.TIME_UNITS:
        return None  # "two weeks", "twelve months": a period, not a figure
    if value < 10 and q.unit is None and not _RANGE_CONNECTOR.match(text, q.end):
        # "one notable tactic" is no figure; "winning only nine" of the seats just counted
        # may be: it stays only if the sentence gives it a unit.
        q.weak = True
    if value == 1 and q.unit is None:
        return None
    return q


def _digits(text: str, m: re.Match[str], defaults: units.TextDefaults) -> _Quantity | None:
    s, e = m.start(), m.end()
    digits = m.group("num")
    if _not_a_quantity(text, s, e, digits):
        return None
    value = float(digits.replace(",", ""))
    q = _Quantity(s, e, value, value, exact=True, raw=value)
    currency = units.CURRENCY_BEFORE.search(text, max(0, s - 6), s)
    if currency:
        q.start, q.unit = currency.start(), units.SIGNS.get(currency["cur"], currency["cur"])
        if currency["neg"] and text.startswith(")", e):
            q.negative, q.end_extra = True, 1  # "$(0.03)": accounts write a loss in brackets
    elif _minus_before(text, s) or _MINUS_WORD.search(text, max(0, s - 8), s):
        q.negative = True
        q.start = s - 1 if text[s - 1] in "-−" else q.start
    elif _minus_before(text, s, "+"):
        q.start = s - 1  # "+5.36%": the sign is part of what is written
    scale = _SCALE_AFTER.match(text, e)
    if scale and (scale["big"] or scale["abbr"] or scale["k"] or (scale["mb"] and q.unit)):
        word = (scale["big"] or scale["abbr"] or scale["mb"] or scale["k"]).lower()
        q.low = q.high = value * _SCALES.get(word, _ABBREVIATED_SCALES.get(word, 1.0))
        q.end, q.scaled = scale.end(), True
    elif _GLUED_LETTER.match(text, e) and not _UNIT_GLUED.match(text, e):
        return None  # "17th", "5G", "1990s"
    q.end += q.end_extra
    _attach_unit(text, q, defaults, allow_of=q.scaled)
    if _looks_like_year(text, digits, q) or _is_date_day(text, s, e, digits):
        return None
    if q.unit in units.TIME_UNITS and not _OF_NOUN_AFTER.match(text, q.end):
        return None  # "12 months", "over 20 years": a period (but "5,119 days of data")
    if q.unit is None and _AGE_BEFORE.search(text, max(0, s - 60), s):
        q.unit = "year"  # "lowered the age … from 27 to 25": an age in years
    elif q.unit is None and _is_age(text, q.start, q.end, digits):
        return None  # "Bannon, 68, was": an age describing someone
    if q.negative:
        q.low, q.high, q.raw = -q.high, -q.low, -q.raw
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
    if _PHONE.search(text, max(0, s - 8), min(len(text), e + 9)):
        return True  # "954-236-1067": a telephone number
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


def _minus_before(text: str, s: int, signs: str = "-−") -> bool:
    """ "(−26.1%)", "at -3.5%": a minus sign attached to the number, not a hyphen or a dash
    between two numbers."""
    return s > 0 and text[s - 1] in signs and (s == 1 or text[s - 2] in " \t\n([:")


def _looks_like_year(text: str, digits: str, q: _Quantity) -> bool:
    """ "in 2018", "2019 general elections", "2018 estimates": a year, unless money, a
    measure or a qualified count ("some 1500 troops")."""
    if len(digits) != 4 or not digits.isdigit() or q.scaled or not 1000 <= int(digits) <= 2100:
        return False
    if q.unit is not None and (q.unit in _MEASURES or q.unit.isupper()):
        return False
    return q.unit is None or _QUALIFIER_BEFORE.search(text, max(0, q.start - 40), q.start) is None


def _is_age(text: str, start: int, end: int, digits: str) -> bool:
    """ "Steve Bannon, 68, was": a number set off by commas right after a name."""
    if not digits.isdigit() or not 1 <= int(digits) <= 120:
        return False
    return bool(_NAME_COMMA_BEFORE.search(text, max(0, start - 40), start)) and text.startswith(
        ",", end
    )


def _is_date_day(text: str, s: int, e: int, digits: str) -> bool:
    if not digits.isdigit() or not 1 <= int(digits) <= 31:
        return False
    return bool(_MONTH_BEFORE.search(text, max(0, s - 12), s) or _MONTH_AFTER.match(text, e))


def _after_hyphen(text: str, s: int) -> bool:
    return s > 1 and text[s - 1] == "-" and text[s - 2].isalpha()


def _attach_unit(text: str, q: _Quantity, defaults: units.TextDefaults, *, allow_of: bool) -> None:
    """The unit after the number: a percent sign, a currency, a temperature, a measure, or
    the counted noun ("1,262 Russian soldiers" → "soldier"); the span grows to cover it."""
    if q.unit is not None:
        return  # a currency sign before the number said it
    found = units.unit_after(text, q.end, defaults.crown)
    if found is None and allow_of and (of := _OF_AFTER.match(text, q.end)) is not None:
        found = units.unit_after(text, of.end(), defaults.crown)  # "hundreds of square miles"
    if found is not None:
        q.unit = defaults.degrees if found.temperature and found.name is None else found.name
        q.end = found.end
        if found.factor != 1.0:
            q.low, q.high = q.low * found.factor, q.high * found.factor
        return
    noun = units.counted_noun(text, q.end, allow_of=allow_of)
    if noun is not None:
        q.unit, q.end = noun


def _combine(text: str, quantities: list[_Quantity]) -> list[_Draft]:
    drafts: list[_Draft] = []
    i = 0
    while i < len(quantities):
        a = quantities[i]
        b = quantities[i + 1] if i + 1 < len(quantities) else None
        if b is not None and _is_score(text, a, b):
            i += 2  # "decided 6-3": a vote split, not a range
            continue
        joined = (_change_back(text, a, b) or _join(text, a, b)) if b is not None else None
        if joined is not None:
            drafts.append(joined)
            i += 2
            continue
        value = a.high if a.exact else None
        draft = _Draft(a.start, a.end, value, a.low, a.high, a.unit, weak=a.weak)
        draft.share = a.unit is None and _is_share(text, a)
        drafts.append(_qualify(text, draft))
        i += 1
    return drafts


def _change_back(text: str, a: _Quantity, b: _Quantity) -> _Draft | None:
    """ "rose to 34 from 16", "21 seats, down from 26": the new value first, then the old."""
    if not (
        _DOWN_FROM.fullmatch(text, a.end, b.start)
        or (
            _FROM.fullmatch(text, a.end, b.start)
            and _TO_BEFORE.search(text, _back(a.start), a.start)
        )
    ):
        return None
    if a.unit and b.unit and a.unit != b.unit:
        return None
    value = a.high if a.exact else None
    draft = _Draft(a.start, b.end, value, a.low, a.high, a.unit or b.unit, previous=b.high)
    return _qualify(text, draft)


def _is_share(text: str, q: _Quantity) -> bool:
    word = text[q.start : q.end].lower()
    return (
        not word[:1].isdigit()
        and bool(re.search(r"half|third|quarter|fifth", word))
        or (word in _MULTIPLES)
    )


def _is_score(text: str, a: _Quantity, b: _Quantity) -> bool:
    return (
        text[a.end : b.start] == "-"
        and a.unit is None
        and b.unit is None
        and a.exact
        and b.exact
        and a.raw > b.raw
        and a.raw < 100
        and float(a.raw).is_integer()
        and float(b.raw).is_integer()
    )


def _inherit_units(text: str, drafts: list[_Draft], sentences: Sequence[Sentence]) -> list[_Draft]:
    """A bare number takes the unit the sentence gives it: "115,000 to 160,000 troops …,
    with another 500,000 wounded"; "the Congress won 13 seats, Shiv Sena won 9"; "sales
    of 19.74 billion crowns, compared with 19.31 billion forecast"; "the death toll rose
    to 34"; "two of the nine cases". One pass, each figure looking back a bounded way."""
    starts = [s.start for s in sentences]
    sentence, model = -1, None  # the last figure with a unit in the current sentence
    for i, d in enumerate(drafts):
        k = bisect_right(starts, d.start) - 1
        if k != sentence:
            sentence, model = k, None
        if d.unit is None and not d.share:
            floor = max(starts[k] if k >= 0 else 0, d.start - _LOOK_BACK)
            if model is not None and (
                _ANOTHER.search(text, max(0, d.start - 20), d.start) or _may_share_unit(model, d)
            ):
                d.unit = model.unit
            elif (head := _COUNTED_BEFORE.search(text, floor, d.start)) is not None:
                d.unit = head["n2"] or units.noun_lemma(head["n1"] or head["n3"])
            elif i + 1 < len(drafts) and _PARTITIVE.fullmatch(text, d.end, drafts[i + 1].start):
                d.unit = drafts[i + 1].unit
        if d.unit is not None and not _in_brackets(text, d):
            model = d
    return drafts


_SWING_AFTER = re.compile(r"\s+swing\b", re.IGNORECASE)


def _changes_of_shares(text: str, drafts: list[_Draft]) -> None:
    """ "55.54% (+5.36%)", "(4.90%, -14.25%)", "a 2.30% swing": a signed percentage right
    after a share, or a swing, is the change of that share, in percentage points."""
    for before, d in zip([None, *drafts], drafts, strict=False):
        if d.unit != "percent":
            continue
        after_share = (
            before is not None
            and before.unit == "percent"
            and text[d.start] in "+-−"
            and text[before.end : d.start].strip() in ",;("
        )
        if after_share or _SWING_AFTER.match(text, d.end):
            d.unit = "percentage point"


def _may_share_unit(model: _Draft, d: _Draft) -> bool:
    """A count follows a count; an amount with a scale word follows money."""
    if model.unit in _MEASURES:
        return False
    if model.unit is not None and model.unit.isupper():
        return d.value is not None and d.value >= 1000  # "19.31 billion" after money
    return d.value is not None and float(d.value).is_integer()


def _in_brackets(text: str, d: _Draft) -> bool:
    return text[max(0, d.start - 1) : d.start] == "(" or text[d.end : d.end + 1] == ")"


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
    if a.unit in _MEASURES and b.unit is None:
        return None  # "fell 77.84 percent to 3,783": a share and a count are no range
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
