"""Line-level judgements: is this line a headline, a heading, a byline, a bio, a site name?

Each function looks at one stripped line; where a line sits in the article is decided by
the caller (app.ingest.layout).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from app.ingest.model import count_words
from app.words import wordset as _wordset

TITLE_LIMIT = 90  # a derived title is the lead's first sentence cut to this many characters


_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’][^\W_]+)*")
_TERMINAL = ".!…:;,"
_QUOTES = "\"“”‘’'«»"
# Words that Title Case leaves lowercase.
_MINOR = _wordset(
    "a an the and or nor but for so yet of in on at to by with from as into onto over per "
    "via vs than up"
)
_SITE_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ", " · ", " • ")
_DOMAIN = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)+/?", re.I)
_KICKERS = _wordset(
    "BREAKING|BREAKING NEWS|EXCLUSIVE|OPINION|ANALYSIS|UPDATE|UPDATED|LIVE|COMMENTARY|"
    "EDITORIAL|INTERVIEW|NEWS|WORLD|POLITICS|SPONSORED|ADVERTISEMENT",
    "|",
)
_HONORIFIC = re.compile(
    r"^(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx|Sir|Dame|Ambassador|Amb|Gen|Col|Maj|Capt|Lt)\.?\s+"
)
_PARTICLES = _wordset("de da di del della der den du dos van von la le bin ibn al el y")
_BYLINE = re.compile(
    r"^(?:by|written by|words by|reporting by|story by)\s+(?P<names>.+)$", re.IGNORECASE
)
_BYLINE_TAIL = re.compile(
    r"\s+(?:[|•·—–-]|on|updated|published|posted)\s+.*$|,\s*(?:[A-Z][a-z]{2,8}\.? \d|\d).*$"
)
_NAME_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_BIO = re.compile(
    r"^(?P<name>.+?)\s+(?:is|was|has been|serves as|works as)\s+"
    r"(?:(?:a|an|the|currently|also|now|formerly|previously)\s+)+(?P<role>.+)$"
)
# Words that say a "<Name> is a …" sentence describes the writer's job.
_ROLES = _wordset(
    """professor lecturer researcher research fellow scholar analyst journalist correspondent
    reporter editor writer author columnist contributor contributing director assistant
    associate student candidate expert founder co-founder chair chairman head manager
    specialist consultant economist historian scientist lawyer attorney member intern adviser
    advisor producer commentator blogger freelance freelancer teacher instructor coordinator
    partner program programme nonresident non-resident visiting phd doctoral postdoctoral
    dean"""
)
# From the first mark of a run only, without backtracking (see app.extract.sentences).
_SENTENCE_BREAK = re.compile(r"((?<![.!?…])[.!?…]++[\"”’)]*+)\s+(?=[\"“‘(]?[A-Z0-9])")
_LOOKBACK = 32  # an abbreviation or initialism before a full stop is shorter than this
_JOB_WORDS = _ROLES | _wordset("staff senior chief special")
_ABBREVIATIONS = _wordset(
    "mr mrs ms dr prof st sr jr gen col lt maj capt sgt rev gov sen rep pres vs etc inc ltd "
    "co corp no vol fig approx est jan feb mar apr jun jul aug sep sept oct nov dec"
)
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?$|[A-Z]$")


def words(line: str) -> list[str]:
    return _WORD.findall(line)


def ends_sentence(line: str) -> bool:
    return line.rstrip(_QUOTES + ")").endswith((".", "!", "?", "…"))


def is_body(line: str) -> bool:
    """Running text, as opposed to a label: a long line or a finished sentence."""
    return count_words(line) >= 12 or ends_sentence(line)


def is_title_case(line: str) -> bool:
    tokens = words(line)
    if not tokens or not tokens[0][0].isupper():
        return False
    major = [t for t in tokens if t.lower() not in _MINOR]
    if not major:
        return False
    capitalised = sum(1 for t in major if t[0].isupper())
    return capitalised / len(major) >= 0.75


def is_all_caps(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def split_site_suffix(line: str) -> tuple[str, str | None]:
    """'Headline - site.name' → ('Headline', 'site.name'); other lines unchanged."""
    for separator in _SITE_SEPARATORS:
        cut = line.rfind(separator)
        if cut <= 0:
            continue
        head, site = line[:cut].strip(), line[cut + len(separator) :].strip()
        if len(words(head)) >= 3 and _looks_like_site(site, loose=separator == " | "):
            return head, site
    return line, None


def _looks_like_site(text: str, *, loose: bool) -> bool:
    if not text or len(text) > 40 or text[-1] in _TERMINAL + "?":
        return False
    if _DOMAIN.fullmatch(text):
        return True
    tokens = text.split()
    if loose:
        return len(tokens) <= 6
    return len(tokens) <= 4 and all(t[0].isupper() or t[0].isdigit() for t in tokens)


def looks_like_headline(line: str) -> bool:
    """A first line that reads as a headline: short, no full stop at the end."""
    title, _ = split_site_suffix(line)
    count = len(words(title))
    if not 3 <= count <= 25 or len(title) > 200:
        return False
    if title[-1] in _TERMINAL or byline_author(title) is not None:
        return False
    return title[0].isupper() or title[0].isdigit() or title[0] in _QUOTES


def is_publisher_line(line: str) -> bool:
    """A short all-caps name near the top, such as 'RKS NEWS'."""
    return (
        is_all_caps(line)
        and len(line.split()) <= 5
        and len(line) <= 40
        and line[-1] not in _TERMINAL + "?"
        and line.strip() not in _KICKERS
    )


def looks_like_heading(line: str) -> bool:
    """Short and unpunctuated, in Title Case or asking a question."""
    tokens = words(line)
    if not 1 <= len(tokens) <= 14 or len(line) > 110:
        return False
    if line[-1] in _TERMINAL or line[0] in _QUOTES:
        return False
    if not (line[0].isupper() or line[0].isdigit()):
        return False
    if line.endswith("?"):
        return len(tokens) <= 12
    return is_title_case(line)


def is_title_repeat(line: str, title: str) -> bool:
    """The headline again (sites print it in several places, sometimes reworded)."""
    candidate, _ = split_site_suffix(line)
    if ends_sentence(candidate) and not candidate.endswith("?"):
        return False
    if len(candidate) > 2 * len(title) + 20:
        return False
    return fuzz.ratio(candidate.casefold(), title.casefold()) >= 85


def is_person_name(text: str) -> bool:
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or tokens[0] in _PARTICLES or tokens[-1] in _PARTICLES:
        return False
    for token in tokens:
        if token in _PARTICLES:
            continue
        if not token[0].isupper() or not all(ch.isalpha() or ch in "’'-." for ch in token):
            return False
        if token.isupper() and len(token) > 2:
            return False  # acronyms (NATO, RFE) are not names
    return True


def byline_author(line: str) -> str | None:
    """'By Jane Doe and John Roe | 3 May' → 'Jane Doe and John Roe'."""
    match = _BYLINE.match(line)
    if not match or count_words(line) > 16:
        return None
    names_text = _BYLINE_TAIL.sub("", match.group("names")).strip()
    if is_all_caps(names_text):
        names_text = names_text.title()
    names: list[str] = []
    for part in _NAME_SPLIT.split(names_text):
        name = without_job_title(_HONORIFIC.sub("", part).strip())
        if not is_person_name(name):
            break  # "By Jane Doe, Reuters": the agency is not an author
        names.append(name)
    return join_names(names)


def without_job_title(name: str) -> str:
    """'Kevin Osei Staff Writer' → 'Kevin Osei'; 'Gazette Staff Writer' → 'Gazette'."""
    tokens = name.split()
    for i, token in enumerate(tokens):
        if token.lower() in _JOB_WORDS:
            return " ".join(tokens[:i])
    return name


def join_names(names: list[str]) -> str | None:
    """['A', 'B', 'C'] → 'A, B and C', the form bylines are stored in."""
    if not names:
        return None
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def bio_author(line: str) -> str | None:
    """'Natasha Lindstaedt is a professor in …' → 'Natasha Lindstaedt'."""
    if count_words(line) > 80:
        return None
    match = _BIO.match(line)
    if not match:
        return None
    name = _HONORIFIC.sub("", match.group("name")).strip()
    role_words = {w.lower() for w in words(match.group("role"))[:8]}
    if not is_person_name(name) or not role_words & _ROLES:
        return None
    return name


def first_sentence(text: str) -> str:
    for match in _SENTENCE_BREAK.finditer(text):
        before = text[max(0, match.start() - _LOOKBACK) : match.start()].rsplit(maxsplit=1)
        previous = before[-1].rstrip(".") if before else ""
        if match.group(1) == "." and (
            previous.lower() in _ABBREVIATIONS or _INITIALISM.fullmatch(previous)
        ):
            continue
        return text[: match.end(1)]
    return text


def derive_title(lead: str) -> str:
    """The lead's first sentence, cut at a word boundary to at most TITLE_LIMIT characters."""
    sentence = " ".join(first_sentence(lead).split())
    if sentence.endswith(".") and not sentence.endswith("..") and len(sentence) > 1:
        sentence = sentence[:-1]
    if len(sentence) <= TITLE_LIMIT:
        return sentence
    cut = sentence[: TITLE_LIMIT - 1]
    if not sentence[TITLE_LIMIT - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:—–-([{“\"‘'") + "…"
