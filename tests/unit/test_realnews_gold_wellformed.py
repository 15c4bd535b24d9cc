"""The real-news gold set follows its own conventions (tests/golden/realnews/README.md).

These checks never change an annotation; they fail when one breaks a rule that can be
checked mechanically: verbatim quotes starting where their sentence starts, figures inside
their claim with coherent bounds and the agreed unit spellings, entity texts present,
sources that are neither numbers, dates, bare nationalities nor pronouns, and the
collection's minimums."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

GOLD = Path(__file__).resolve().parents[1] / "golden" / "realnews"
IDS = sorted(p.stem for p in GOLD.glob("*.json"))

TOPICS = {"economy", "health", "climate", "elections", "business", "courts", "science", "war"}
SHAPES = {
    "wire", "news", "interview", "opinion", "press_release", "live_blog", "think_tank",
    "scraped", "report",
}  # fmt: skip
KINDS = {"statistic", "quotation", "attributed", "event"}
WHYS = {
    "opinion", "forecast", "question", "headline", "caption", "byline", "navigation", "bio",
    "promo", "truncated",
}  # fmt: skip
LABELS = {
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART",
    "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL",
}  # fmt: skip
PUBLISHED_SOURCES = {"dateline", "byline", "page metadata"}
PERIODS = {None, "day", "week", "month", "quarter", "year"}
TOP_KEYS = [
    "id", "source_url", "outlet", "topic", "shape", "published", "published_source", "title",
    "claims", "not_claims", "entities", "notes",
]  # fmt: skip
CLAIM_KEYS = {
    "quote", "kind", "attribution", "attribution_alternatives", "attribution_entity", "figures",
}  # fmt: skip
FIGURE_KEYS = {"text", "value", "low", "high", "unit", "period"}
ID = re.compile(r"[a-z]+-[a-z0-9]+(-[a-z0-9]+)+-\d{4}")
ISO_CODE = re.compile(r"[A-Z]{3}")
# The one spelling of each unit (convention 8): these others are refused.
REFUSED_UNITS = {
    "%", "per cent", "pct", "percentage points", "square kilometer", "square kilometre",
    "sq km", "km²", "square mile", "sq mi", "mi2", "people", "fatality", "dead", "killed",
    "troop", "force", "degree", "parts per million", "ton (metric)",
}  # fmt: skip
PLURAL_UNITS = {"seats", "votes", "cases", "jobs", "deaths"}
PRONOUNS = {
    "he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "his", "its", "their",
}  # fmt: skip
APPROXIMATE = re.compile(
    r"^(about|around|approximately|roughly|some|nearly|almost|close to|an estimated)\b", re.I
)
LOWER_BOUND = re.compile(
    r"^(more than|over|above|at least|well north of|just over|upwards of)\b", re.I
)
UPPER_BOUND = re.compile(
    r"^(up to|as many as|at most|no more than|less than|fewer than|under|below)\b", re.I
)
# Where a sentence may start: the text's start, a line start, after sentence punctuation,
# or after a list marker (which is not part of the quote).
SENTENCE_START = re.compile(r"(?:^|\n|[.!?…\"”’)\]:;]\s+|(?:^|\n)\s*(?:[-•*]|\d+[.)])\s+)$")
WEEKDAY = re.compile(
    r"(on |last |this )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today"
    r"|yesterday)"
)


def load(stem: str) -> tuple[dict[str, Any], str]:
    doc = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
    return doc, (GOLD / f"{stem}.txt").read_text(encoding="utf-8")


def is_number(x: object) -> bool:
    return x is None or (isinstance(x, int | float) and not isinstance(x, bool))


def figure_errors(f: dict[str, Any], quote: str) -> list[str]:
    if not FIGURE_KEYS.issubset(f) or not set(f) <= FIGURE_KEYS | {"from"}:
        return [f"figure keys {sorted(f)}"]
    text, value, low, high = f["text"], f["value"], f["low"], f["high"]
    if not all(is_number(x) for x in (value, low, high, f.get("from"))):
        return [f"{text!r}: value, low, high and from are numbers or null"]
    errors = []
    if not text or text not in quote:
        errors.append(f"{text!r} is not inside its claim's quote")
    if value is None and (low is None or high is None):
        errors.append(f"{text!r}: a range needs low and high")
    if value is not None and low is None and high is None:
        errors.append(f"{text!r}: a single value needs low or high")
    if value is not None and any(b is not None and b != value for b in (low, high)):
        errors.append(f"{text!r}: single value {value} but bounds {low}/{high}")
    if low is not None and high is not None and low > high:
        errors.append(f"{text!r}: low > high")
    if value is not None and APPROXIMATE.match(text) and (low != value or high != value):
        errors.append(f"{text!r}: an approximate figure has low = high = value")
    if value is not None and LOWER_BOUND.match(text) and (low != value or high is not None):
        errors.append(f"{text!r}: a lower bound has low = value and no high")
    if value is not None and UPPER_BOUND.match(text) and (high != value or low is not None):
        errors.append(f"{text!r}: an upper bound has high = value and no low")
    if re.fullmatch(r"(1[5-9]|20)\d\d", text.strip()):
        errors.append(f"{text!r} looks like a year")
    errors += unit_errors(text, f["unit"])
    if f["period"] not in PERIODS:
        errors.append(f"{text!r}: period {f['period']!r}")
    return errors


def unit_errors(text: str, unit: object) -> list[str]:
    if unit is None:
        return []
    if not isinstance(unit, str) or (unit != unit.lower() and not ISO_CODE.fullmatch(unit)):
        return [f"{text!r}: unit {unit!r} is neither a lowercase noun nor an ISO code"]
    if unit in REFUSED_UNITS or unit in PLURAL_UNITS:
        return [f"{text!r}: unit {unit!r} is not the agreed spelling"]
    if unit == "percent" and not re.search(r"%|percent|per cent|pct", text.lower()):
        return [f"{text!r}: unit percent without a percent sign or word"]
    if unit in ("celsius", "fahrenheit") and not re.search(r"°|degree|deg", text.lower()):
        return [f"{text!r}: a temperature without degrees"]
    return []


def article_errors(doc: dict[str, Any], txt: str, stem: str) -> list[str]:
    errors = []
    if list(doc) != TOP_KEYS:
        errors.append(f"top-level keys {list(doc)}")
    if doc["id"] != stem or not ID.fullmatch(stem):
        errors.append(f"id {doc['id']!r}")
    if doc["topic"] not in TOPICS or not stem.startswith(f"{doc['topic']}-"):
        errors.append(f"topic {doc['topic']!r}")
    if doc["shape"] not in SHAPES:
        errors.append(f"shape {doc['shape']!r}")
    if not str(doc["source_url"]).startswith(("http://", "https://")) or not doc["outlet"]:
        errors.append("source_url or outlet")
    published, source = doc["published"], doc["published_source"]
    if published is not None and not re.fullmatch(r"(199\d|20[0-3]\d)-[01]\d-[0-3]\d", published):
        errors.append(f"published {published!r}")
    if (published is None) != (source is None) or source not in PUBLISHED_SOURCES | {None}:
        errors.append(f"published_source {source!r}")
    if doc["title"] is not None and doc["title"] not in txt.split("\n"):
        errors.append(f"title is not a line of the text: {doc['title']!r}")
    if re.match(r"\s*date \d{4}-\d{2}-\d{2}", txt) or len(txt) < 800:
        errors.append("text keeps a metadata prefix or is shorter than 800 characters")
    if not str(doc["notes"]).strip():
        errors.append("notes are empty")
    return errors


def entity_errors(doc: dict[str, Any], txt: str) -> list[str]:
    errors, seen = [], set()
    for e in doc["entities"]:
        text, label = e.get("text"), e.get("label")
        if set(e) != {"text", "label"} or label not in LABELS:
            errors.append(f"entity {e}")
        if not text or text not in txt:
            errors.append(f"entity not in the text: {text!r}")
        if (text, label) in seen:
            errors.append(f"entity listed twice: {text!r} {label}")
        seen.add((text, label))
    return errors


def claim_errors(doc: dict[str, Any], txt: str) -> list[str]:
    labels = {e["text"]: e["label"] for e in reversed(doc["entities"])}
    errors, quotes = [], []
    for n, c in enumerate(doc["claims"], 1):
        q = c.get("quote", "")
        where = f"claim {n} {q[:50]!r}"
        if set(c) != CLAIM_KEYS:
            errors.append(f"{where}: keys {sorted(c)}")
        if not q or q not in txt:
            errors.append(f"{where}: not found verbatim")
            continue
        if q in quotes:
            errors.append(f"{where}: listed twice")
        quotes.append(q)
        pos = txt.find(q)
        if not SENTENCE_START.search(txt[max(0, pos - 4) : pos]):
            errors.append(f"{where}: does not start where its sentence starts")
        if c["kind"] not in KINDS or (c["kind"] == "statistic") != bool(c["figures"]):
            errors.append(f"{where}: kind {c['kind']} with {len(c['figures'])} figure(s)")
        errors += [f"{where}: {e}" for e in source_errors(c, labels)]
        for f in c["figures"]:
            errors += [f"{where}: {e}" for e in figure_errors(f, q)]
    for n in doc["not_claims"]:
        q = n.get("quote", "")
        if not {"quote", "why"} <= set(n) or not set(n) <= {"quote", "why", "note"}:
            errors.append(f"not-claim keys {sorted(n)}")
        if "note" in n and not str(n["note"]).strip():
            errors.append(f"not-claim {q[:50]!r}: empty note")
        if not q or q not in txt or n.get("why") not in WHYS or q in quotes:
            errors.append(f"not-claim {q[:50]!r}: not verbatim, unknown why, or also a claim")
    return errors + truncation_errors(doc, txt)


def source_errors(c: dict[str, Any], labels: dict[str, str]) -> list[str]:
    source, alternatives, entity = (
        c["attribution"],
        c["attribution_alternatives"],
        c["attribution_entity"],
    )
    errors = []
    if source is None:
        if alternatives or entity is not None:
            errors.append("alternatives or an entity without a source")
        if c["kind"] in ("quotation", "attributed"):
            errors.append(f"kind {c['kind']} needs a source")
    elif not str(source).strip():
        errors.append("empty source")
    elif re.fullmatch(r"[\d\s.,%$-]+", source) or WEEKDAY.fullmatch(source.strip().lower()):
        errors.append(f"the source is a number or a date: {source!r}")
    elif labels.get(source) == "NORP":
        errors.append(f"the source is a bare nationality or group adjective: {source!r}")
    for a in alternatives:
        if not str(a).strip() or a.strip().lower() in PRONOUNS:
            errors.append(f"alternative {a!r} is empty or a pronoun")
    if entity is not None and entity not in labels:
        errors.append(f"attribution_entity {entity!r} is not an entity's text")
    return errors


def truncation_errors(doc: dict[str, Any], txt: str) -> list[str]:
    """A sentence cut by the excerpt's end is `truncated`, not an opinion or a forecast."""
    tail = txt.rstrip()
    return [
        f"cut not-claim has why {n['why']!r}: {n['quote'][-40:]!r}"
        for n in doc["not_claims"]
        if tail.endswith(n["quote"].rstrip())
        and n["why"] in ("opinion", "forecast")
        and not re.search(r"[.!?\"”’)]\s*$", n["quote"])
    ]


@pytest.mark.parametrize("stem", IDS)
def test_article_follows_the_conventions(stem: str) -> None:
    doc, txt = load(stem)
    errors = article_errors(doc, txt, stem) + entity_errors(doc, txt) + claim_errors(doc, txt)
    assert not errors, "\n".join(errors)


def test_collection_minimums() -> None:
    docs = [load(stem)[0] for stem in IDS]
    assert len(docs) >= 30
    outlets = {re.sub(r"\s*\(.*\)$", "", d["outlet"]).strip().lower() for d in docs}
    assert len(outlets) >= 15
    assert {d["topic"] for d in docs} == TOPICS
    assert len({d["shape"] for d in docs}) >= 5
    assert all(n == 1 for n in Counter(d["source_url"] for d in docs).values())
    assert sorted(p.stem for p in GOLD.glob("*.txt")) == IDS


def test_the_set_keeps_the_cases_it_was_collected_for() -> None:
    """The CDC by acronym and long form in one health text; a climate text with "warmest
    year" and a temperature; a science press release."""
    docs = [load(stem) for stem in IDS]
    assert any(
        d["topic"] == "health"
        and "Centers for Disease Control and Prevention" in txt
        and re.search(r"\bCDC\b", txt)
        for d, txt in docs
    )
    assert any(
        d["topic"] == "climate"
        and "warmest year" in txt
        and any(f["unit"] in ("celsius", "fahrenheit") for c in d["claims"] for f in c["figures"])
        for d, txt in docs
    )
    assert any(d["topic"] == "science" and d["shape"] == "press_release" for d, _ in docs)


def test_held_out_articles_are_in_the_set() -> None:
    listing = (GOLD / "held_out.ids").read_text(encoding="utf-8").splitlines()
    held_out = [line for line in listing if line.strip() and not line.startswith("#")]
    assert len(held_out) == 8 and set(held_out) <= set(IDS)
    assert len({stem.split("-")[0] for stem in held_out}) == 8  # one per topic
