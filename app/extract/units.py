"""What a figure counts or measures, in one spelling per unit.

Conflict detection compares figures of the same unit, so every way of writing one unit
ends in one name: percent signs and words → `percent`; currency signs, codes and words
("17.41 billion U.S. dollars", "Danish crowns", "7 cents") → an ISO code; temperatures →
`celsius` / `fahrenheit`; areas, lengths and masses → `km2`, `km`, `mile`, `mile2`,
`tonne`, `ppm`; anything else is the counted noun, singular, with synonyms merged (deaths,
fatalities, people killed → `death`; troops, soldiers, forces → `soldier`). The choices
are recorded in docs/decisions/0023-figures-and-units.md, after the real-news gold set's
conventions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.words import wordset

ISO_CODES = (
    "USD|EUR|GBP|NOK|RUB|UAH|CNY|JPY|SEK|DKK|CHF|INR|CAD|AUD|HKD|NZD|SGD|KRW|TRY|ZAR|MXN"
    "|BRL|CZK|PLN"
)
SIGNS = {
    "$": "USD", "US$": "USD", "C$": "CAD", "A$": "AUD", "HK$": "HKD", "NZ$": "NZD",
    "€": "EUR", "£": "GBP", "₽": "RUB", "¥": "JPY", "₴": "UAH", "₹": "INR", "Rs": "INR",
    "Rs.": "INR",
}  # fmt: skip
CURRENCY_BEFORE = re.compile(
    rf"(?P<cur>(?:US|C|A|HK|NZ)\$|\$|€|£|₽|¥|₴|₹|\bRs\.?|\b(?:{ISO_CODES}))\s?(?P<neg>\()?$"
)
# The currency a word names; a nationality before it can make it another one.
_CURRENCY_NAMES = {
    "dollar": "USD", "euro": "EUR", "pound": "GBP", "ruble": "RUB", "rouble": "RUB",
    "hryvnia": "UAH", "yuan": "CNY", "renminbi": "CNY", "yen": "JPY", "rupee": "INR",
    "franc": "CHF", "krone": "NOK", "kroner": "NOK", "krona": "SEK", "kronor": "SEK",
    "lira": "TRY", "rand": "ZAR", "peso": "MXN", "real": "BRL", "reais": "BRL",
    "zloty": "PLN", "won": "KRW",
}  # fmt: skip
_NATIONAL_CURRENCIES = {
    ("u.s.", "dollar"): "USD", ("us", "dollar"): "USD", ("american", "dollar"): "USD",
    ("canadian", "dollar"): "CAD", ("australian", "dollar"): "AUD",
    ("hong kong", "dollar"): "HKD", ("new zealand", "dollar"): "NZD",
    ("singapore", "dollar"): "SGD", ("danish", "crown"): "DKK", ("danish", "krone"): "DKK",
    ("swedish", "crown"): "SEK", ("norwegian", "crown"): "NOK", ("czech", "crown"): "CZK",
    ("swiss", "franc"): "CHF", ("turkish", "lira"): "TRY", ("south african", "rand"): "ZAR",
    ("mexican", "peso"): "MXN", ("indian", "rupee"): "INR", ("russian", "ruble"): "RUB",
    ("russian", "rouble"): "RUB", ("chinese", "yuan"): "CNY", ("japanese", "yen"): "JPY",
    ("british", "pound"): "GBP", ("egyptian", "pound"): "EGP",
}  # fmt: skip
# Hundredths of a currency: "7 cents" is 0.07 USD.
_SUBUNITS = {"cent": "USD", "pence": "GBP", "penny": "GBP", "kopeck": "RUB", "paise": "INR"}
_NATION = (
    r"U\.S\.|US|American|Canadian|Australian|Hong\s+Kong|New\s+Zealand|Singapore|Danish"
    r"|Swedish|Norwegian|Czech|Swiss|Turkish|South\s+African|Mexican|Indian|Russian|Chinese"
    r"|Japanese|British|Egyptian"
)
# "won" is a currency only after a scale word ("3 trillion won"); "pound" only in plural.
_CURRENCY_WORD = (
    r"dollars?|euros?|pounds(?:\s+sterling)?|rubles?|roubles?|hryvnias?|yuan|renminbi|yen"
    r"|rupees?|francs?|kroner|krone|kronor|krona|crowns?|liras?|rand|pesos?|reais|zloty"
    r"|cents?|pence|pennies|kopecks?|paise"
)

UNIT_AFTER = re.compile(
    r"\s?(?P<pct>%|-?(?i:percent|per\s?cent|pct)(?!\w))"
    r"|\s(?P<pp>(?i:percentage\s+points?)(?!\w))"
    rf"|\s(?:(?P<nation>{_NATION})\s+)?(?P<curw>(?i:{_CURRENCY_WORD}))(?!\w)"
    rf"|\s(?P<iso>(?:{ISO_CODES})(?!\w))"
    r"|\s?(?:[Âآ]?°|º|˚)\s?(?P<deg>[CF])(?![a-z])"  # "Â°", "آ°": a degree sign mis-decoded
    r"|\s?(?:[Âآ]?°|º|˚)(?P<bare>)"
    r"|\s(?i:degrees?)(?:\s+(?P<scale>(?i:Celsius|Fahrenheit|centigrade)|[CF](?![a-z])))?"
    r"(?P<degrees>)(?!\w)"
    r"|\s?(?P<area>(?i:km2|km²|sq\.?\s?km|square\s+(?:kilometers|kilometres|km))(?![\w²]))"
    r"|\s?(?P<sqmi>(?i:sq\.?\s?mi(?:les)?|square\s+miles)(?!\w))"
    r"|\s?(?P<km>(?i:km|kilometers|kilometres)(?!\w))"
    r"|\s(?P<mile>(?i:miles?)(?!\w))"
    r"|\s?(?P<gt>Gt|Mt|kt)(?![A-Za-z])"
    r"|\s(?P<tonne>(?i:(?:metric\s+)?(?:tons|tonnes))(?!\w))"
    r"|\s?(?P<kg>(?i:kg|kilograms?|kilogrammes?)(?!\w))"
    r"|\s?(?P<ppm>ppm\b|(?i:parts\s+per\s+million)(?!\w))"
)
_MASS = {"Gt": 1e9, "Mt": 1e6, "kt": 1e3}
_CROWN_NATIONS = (
    ("SEK", re.compile(r"\b(?:Swed(?:en|ish)|Stockholm)\b")),
    ("DKK", re.compile(r"\b(?:Denmark|Danish|Copenhagen)\b")),
    ("NOK", re.compile(r"\b(?:Norw(?:ay|egian)|Oslo)\b")),
    ("CZK", re.compile(r"\b(?:Czech|Prague)\b")),
)


@dataclass(frozen=True)
class TextDefaults:
    """What a text leaves unsaid about its units, read once from the whole article."""

    degrees: str = "celsius"  # the scale of "degrees" alone
    crown: str | None = None  # the currency of "crowns" alone


# Countries whose texts give temperatures in Fahrenheit when they say only "degrees".
_FAHRENHEIT_TEXT = re.compile(
    r"\b(?:U\.S\.|United States|Americans?|[A-Z][a-z]+,\s+(?:Ala|Ariz|Ark|Calif|Colo|Conn"
    r"|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|Okla|Ore|Pa|Tenn"
    r"|Tex|Va|Wash|Wis|Wyo)\.)"
)


def temperature_scale(text: str) -> str:
    """The scale of a temperature the article gives only in "degrees": the one it names
    elsewhere, else Fahrenheit in an American text, else Celsius."""
    if re.search(r"°\s?F\b|Fahrenheit", text):
        return "fahrenheit"
    if re.search(r"°\s?C\b|Celsius|centigrade", text):
        return "celsius"
    return "fahrenheit" if _FAHRENHEIT_TEXT.search(text) else "celsius"


def text_defaults(text: str, degrees: str | None = None) -> TextDefaults:
    """The defaults of a whole article; `degrees` overrides its temperature scale."""
    return TextDefaults(degrees or temperature_scale(text), crown_of(text))


def crown_of(text: str) -> str | None:
    """ "3.2 billion crowns" in a text about a Swedish company are Swedish crowns: the one
    crown country the text names; none when it names none or several."""
    named = [code for code, nation in _CROWN_NATIONS if nation.search(text)]
    return named[0] if len(named) == 1 else None


@dataclass(frozen=True)
class Unit:
    name: str | None  # None: a temperature whose scale the caller decides
    end: int
    factor: float = 1.0  # "7 cents" → 0.01 USD per cent; "4.2Gt" → 1e9 tonnes per Gt
    temperature: bool = False


def unit_after(text: str, pos: int, crown: str | None = None) -> Unit | None:
    """The unit written right after a number ending at `pos`, if any; `crown` is the
    currency of "crowns" that name no nation."""
    m = UNIT_AFTER.match(text, pos)
    if m is None:
        return None
    if m["pct"]:
        return Unit("percent", m.end())
    if m["pp"]:
        return Unit("percentage point", m.end())
    if m["curw"]:
        return _currency(m, crown)
    if m["iso"]:
        return Unit(m["iso"], m.end())
    if m["deg"]:
        return Unit("celsius" if m["deg"] == "C" else "fahrenheit", m.end(), temperature=True)
    if m["bare"] is not None or m["degrees"] is not None:
        scale = (m["scale"] or "").lower()
        if scale:
            name = "fahrenheit" if scale[0] == "f" else "celsius"
            return Unit(name, m.end(), temperature=True)
        return Unit(None, m.end(), temperature=True)
    if m["gt"]:
        return Unit("tonne", m.end(), _MASS[m["gt"]])
    for group, name in (("area", "km2"), ("sqmi", "mile2"), ("km", "km"), ("mile", "mile"),
                        ("tonne", "tonne"), ("kg", "kg"), ("ppm", "ppm")):  # fmt: skip
        if m[group]:
            return Unit(name, m.end())
    return None


def _currency(m: re.Match[str], crown: str | None) -> Unit | None:
    word = m["curw"].lower().split()[0]
    singular = word[:-1] if word.endswith("s") and word not in ("reais", "pence") else word
    singular = {"pennie": "penny"}.get(singular, singular)
    if singular in _SUBUNITS:
        return Unit(_SUBUNITS[singular], m.end(), 0.01)
    nation = " ".join((m["nation"] or "").lower().split())
    code = _NATIONAL_CURRENCIES.get((nation, singular)) or _CURRENCY_NAMES.get(singular)
    if code is None and singular == "crown" and not nation:
        code = crown  # "crowns" alone: the crown of the country the text is about
    if code is None:
        return None
    return Unit(code, m.end())


# --- counted nouns ---------------------------------------------------------------------------

STOP = wordset(
    """of to in on at for with from by as than and or but each every per a an the this that
    these those have has had were was is are be been being will would could can may might
    must shall should who which whom whose its their his her our my your it they he she we
    i you less fewer over under about into onto since until during after before while when
    where if so not no also only just there here all both such whether because though
    although"""
)
_IRREGULAR = {
    "people": "person", "persons": "person", "men": "man", "women": "woman",
    "children": "child", "personnel": "soldier", "staff": "staff", "police": "police",
    "aircraft": "aircraft", "civilians": "civilian", "dead": "death",
    "servicemen": "soldier", "measles": None, "news": None, "series": None, "times": None,
}  # fmt: skip
# One name for one quantity, so that figures compare across articles.
_SYNONYMS = {
    "troop": "soldier", "force": "soldier", "serviceman": "soldier", "fatality": "death",
}  # fmt: skip
TIME_UNITS = wordset("second minute hour day week month year decade century")
_NON_NOUNS = wordset(
    """this thus has was is its his hers ours yours theirs as us yes always perhaps besides
    towards afterwards whereas sometimes various numerous less unless across does goes says
    news series times"""
)
_WORD_AFTER = re.compile(r"[ \t]+([^\W\d_][\w’'-]*)")
_PER_POPULATION = re.compile(
    r"\s+per\s+(\d{1,3}(?:,\d{3})+|\d+)(?![\d,.])(?:\s+(?:people|residents|inhabitants|population))?"
)
# "1,800 people died", "325,000 killed", "1.2 million forces killed, wounded or missing"
_FATE = re.compile(
    r"(?:\s+(?:worldwide|globally|nationwide|overall|so\s+far|in\s+total))?"
    r"\s+(?:(?:have|has|had|were|was|are|is)\s+(?:been\s+)?(?:reported\s+)?)?"
    r"(?:(?P<death>killed|died|dead|perished)|(?P<hurt>wounded|injured))\b"
    r"(?P<more>,?\s+(?:(?:or|and)\s+)?(?:wounded|injured|missing|killed))?"
)


def counted_noun(text: str, pos: int, *, allow_of: bool) -> tuple[str, int] | None:
    """The head noun of "20,000 new soldiers", "hundreds of Yemeni mercenaries", "23
    measles cases"; modifiers are skipped, a function word, verb form or punctuation ends
    the search. The noun's fate ("people died") and a rate per population ("deaths per
    100,000") are part of the unit."""
    fate = _FATE.match(text, pos)
    if fate and not _noun_follows(text, fate.end()):
        return _fate(fate), fate.end()  # "325,000 killed"; but "two wounded soldiers"
    modifiers = 0
    while modifiers <= 3:
        m = _WORD_AFTER.match(text, pos)
        if m is None:
            return None
        word, low = m.group(1), m.group(1).lower()
        if low == "of" and allow_of and modifiers == 0:
            allow_of = False
            pos = m.end()
            continue
        if low in STOP:
            return None
        lemma = noun_lemma(word)
        if lemma is not None:
            nxt = _WORD_AFTER.match(text, m.end())
            if nxt is not None and noun_lemma(nxt.group(1)) is not None:
                modifiers += 1  # "measles cases": the last plural is the head
                pos = m.end()
                continue
            return _qualified(text, lemma, m.end())
        if low.endswith(("ing", "ly")) or (low.endswith("ed") and modifiers > 0):
            return None  # "500,000 wounded", "seriously"
        pos = m.end()
        modifiers += 1
    return None


def _noun_follows(text: str, pos: int) -> bool:
    """ "two wounded North Korean soldiers": the participle describes the noun after it."""
    m = _WORD_AFTER.match(text, pos)
    return m is not None and m.group(1).lower() not in STOP


def _fate(m: re.Match[str]) -> str:
    if m["more"]:
        return "casualty"  # killed and wounded (and missing) together
    return "death" if m["death"] else "wounded"


def _qualified(text: str, lemma: str, end: int) -> tuple[str, int]:
    fate = _FATE.match(text, end)
    if fate:
        return _fate(fate), fate.end()
    per = _PER_POPULATION.match(text, end)
    if per:
        return f"{lemma} per {per.group(1)}", per.end()
    return lemma, end


def noun_lemma(word: str) -> str | None:
    """The singular of a plural noun, in its one spelling; None for anything else."""
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
    if word[0].isupper() and not word.isupper() and stem[1:].islower():
        return stem  # "Russians": a people keeps its capital
    stem = stem.lower()
    return _SYNONYMS.get(stem, stem)
