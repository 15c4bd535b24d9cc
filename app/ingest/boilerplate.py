"""Scraper and site noise: what a page template adds around an article.

Two kinds of evidence, see docs/decisions/0003-ingest-boilerplate.md:
- PATTERNS: phrases that templates, widgets and comment forms print, each a regex over one
  whole line, limited to short lines so that an article *about* newsletters is untouched;
- structural rules, applied by app.ingest.layout, for noise no phrase list can enumerate
  (everything after the author's closing bio, a trailing emoji comment, dangling labels).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.ingest.model import count_words


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: re.Pattern[str]
    max_words: int  # a longer line is prose that happens to contain the phrase


def _p(name: str, regex: str, max_words: int = 12) -> Pattern:
    return Pattern(name, re.compile(regex, re.IGNORECASE), max_words)


_STREET = r"(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Ln|Lane|Dr|Drive|Way|Ct|Court|Pl|Place)"

PATTERNS: tuple[Pattern, ...] = (
    # comment forms
    _p("comment form", r"^(?:leave a (?:reply|comment)|post a comment|cancel reply)\W*$"),
    _p("comment form", r"your email address will not be published", 30),
    _p("comment form", r"required fields are marked", 30),
    _p("comment form", r"^save my name,? email,? and website\b", 30),
    _p("comment form", r"^(?:name|email|e-mail|website|comment|submit|post comment)\s*\*?:?$"),
    _p("comment form", r"^you must be logged in to post a comment", 20),
    _p("comment form", r"^(?:\d+|no) (?:comments?|responses?|replies)$"),
    # sharing and following
    _p("share widget", r"^share (?:this|the) (?:post|article|story|page)\W*$"),
    _p("share widget", r"^share (?:on|via) \w+$|^share:?$|^tweet$|^print$"),
    _p("follow widget", r"^follow us\b", 10),
    _p("follow widget", r"\bsupport (?:our|us|independent) (?:work|journalism)\b", 10),
    # teasers and related-content widgets
    _p(
        "teaser",
        r"^(?:read(?: more| also| next)?|also read|see also|related|watch)\s*[:：»]\s*\S",
        25,
    ),
    _p("related widget", r"^(?:additional|further|recommended|related|suggested) reading$"),
    _p("related widget", r"^(?:related|recent|latest|popular|more) (?:posts|articles|stories)$"),
    _p("related widget", r"^(?:you may also like|recommended for you|most (?:read|popular))$"),
    _p(
        "events widget",
        r"^(?:upcoming |latest |recent )?events (?:of|at|from|by) (?:the )?(?-i:[A-Z])[^.!?]*$",
    ),
    # newsletter promotion
    _p("newsletter", r"^(?:stay (?:updated|informed|in the loop)|subscribe(?: now| today)?)\W*$"),
    _p("newsletter", r"^sign up\b.*\bnewsletter\b"),
    _p("newsletter", r"\b(?:delivers?|sends?|sent|straight|directly)\b.{0,120}\byour inbox\b", 60),
    # theme placeholders: a postal address block
    _p("address block", r"^(?:physical|mailing|postal) address:?$"),
    _p("address block", rf"^\d{{1,6}} (?-i:(?:[NSEW]\.? )?(?:[A-Z][\w'’-]* ){{1,4}}{_STREET})\.?$"),
    _p("address block", r"^(?-i:[A-Z][\w .'’-]*, [A-Z]{2}) \d{5}(?:-\d{4})?$"),
    # disclaimers and mission statements
    _p("disclaimer", r"^the (?:views|opinions) expressed (?:in|here|herein|on|by)\b", 60),
    _p("disclaimer", r"\bdo(?:es)? not necessarily reflect the (?:views|opinions)\b", 60),
    _p("mission statement", r"^(?:our|the(?: (?-i:[A-Z])[\w'’-]*)+(?:['’]s)?) mission is\b", 60),
    _p("copyright", r"^(?:©|\(c\)|copyright\b)|\ball rights reserved\b", 25),
    # captions and credits
    _p(
        "caption",
        r"^(?:featured |cover |header |top |file )?(?:image|photo|photograph|picture|"
        r"illustration|graphic|caption|credit)(?: credit)?\s*[:：|]\s*\S",
        80,
    ),
    _p("source credit", r"^(?:source(?: link)?|via)(?:\s*:\s*\S.*)?$", 8),
    # page furniture
    _p("tags", r"^(?:tags|tagged|filed under|categories|topics)\s*[:：]", 30),
    _p("advert", r"^(?:advertisement|sponsored(?: content)?|ad)$"),
    _p("navigation", r"^(?:skip to (?:main )?content|back to top|click here\b.*|loading\W*)$"),
    _p("navigation", r"^(?:previous|next) (?:post|article|story)\b", 20),
)


def match_pattern(line: str) -> str | None:
    """The name of the first pattern that explains this line as boilerplate, or None."""
    text = line.strip()
    words = count_words(text)
    for pattern in PATTERNS:
        if words <= pattern.max_words and pattern.regex.search(text):
            return pattern.name
    return None


def has_emoji(line: str) -> bool:
    return any(unicodedata.category(ch) == "So" and ord(ch) > 0x2000 for ch in line)


def is_signoff(line: str) -> bool:
    """A trailing comment or signature: short, with emoji or an unfinished lowercase line."""
    text = line.strip()
    if not text or count_words(text) > 25:
        return False
    return has_emoji(text) or (text[0].islower() and not text.endswith((".", "!", "?")))
