"""What a refused form tells the analyst: the field as the form labels it and what to do, in
plain words. The JSON API keeps its precise wording (`tags.2: String should have at most 60
characters`), which scripts read; the pages show the same refusal through `for_analysts`."""

from __future__ import annotations

import re
from collections.abc import Callable

# Field names (the last name of a path such as `target.selector.exact`) → the form's label.
FIELD_LABELS = {
    "body": "Note",
    "tags": "Topic tags",
    "tag": "Tag",
    "verdict": "Verdict",
    "relation": "Relation",
    "target": "Claim to link to",
    "q": "Search",
    "note": "Note",
    "name": "Name",
    "url": "URL",
    "text": "Text",
    "title": "Title",
    "publisher": "Publisher",
    "author": "Author",
    "published": "Published",
    "reason": "Why",
    "label": "Type",
    "other": "Choice",
    "exact": "Selected text",
    "selector": "Selection",
    "start": "Selection",
    "end": "Selection",
    "start, end": "Selection",
    "version": "Version",
    "mode": "Reading mode",
    "colour": "Colour",
    "file": "File",
    "upload": "File",
    "article_id": "Article",
    "claim_id": "Claim",
    "entity_id": "Entity",
    "value": "Value",
    "decision": "Decision",
}
# What one item of a list field is called ("Topic tags (tag 3)").
ITEM_NAMES = {"tags": "tag"}

_PATH = re.compile(r"^(?:body\.|query\.|form\.)?([a-z_]+(?:\.\w+)*|start, end): (.+)$", re.S)


def _choices(m: re.Match[str]) -> str:
    options = re.findall(r"'([^']*)'", m.group(1))
    if not options:
        return f" is not valid: it should be {m.group(1)}"
    return f": choose one of {', '.join(options)}"


# Pydantic's messages → what is wrong and what to do, said after the field's label; the
# first that matches is used.
_PHRASES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^String should have at most (\d+) characters?$"),
     r" is too long: shorten it to at most \1 characters"),
    (re.compile(r"^String should have at least 1 characters?$"), " is empty: fill it in"),
    (re.compile(r"^String should have at least (\d+) characters?$"),
     r" is too short: write at least \1 characters"),
    (re.compile(r"^List should have at most (\d+) items?.*$"),
     r": too many, give at most \1"),
    (re.compile(r"^Field required$"), " is missing: fill it in"),
    (re.compile(r"^String should match pattern '\\S'$"), " is blank: write some words"),
    (re.compile(r"^Input should be a valid integer.*$"), " is not a whole number: give one"),
    (re.compile(r"^Input should be greater than or equal to (-?\d+)$"),
     r" is too small: give \1 or more"),
    (re.compile(r"^Input should be less than or equal to (-?\d+)$"),
     r" is too large: give \1 or less"),
    (re.compile(r"^Input should be a valid URL.*$"),
     " is not a web address: give one like https://…"),
    (re.compile(r"^Input should be (.+)$", re.S), _choices),
    (re.compile(r"^Extra inputs are not permitted$"), " is not a field of this form"),
    (re.compile(r"^Value error, (.+)$", re.S), r": \1"),
]  # fmt: skip


def _plain(problem: str) -> str:
    """What follows a label: a known phrase, else ": " and the service's own words."""
    for pattern, replacement in _PHRASES:
        m = pattern.match(problem)
        if m:
            return replacement(m) if callable(replacement) else m.expand(replacement)
    return f": {problem}"


def _label(path: str) -> str:
    """`tags.2` → "Topic tags (tag 3)"; `target.selector.exact` → "Selected text"."""
    parts = path.split(".")
    names = [p for p in parts if not p.isdigit()]
    name = names[-1] if names else path
    label = FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
    at = parts.index(name) if name in parts else -1
    if 0 <= at < len(parts) - 1 and parts[at + 1].isdigit():
        label += f" ({ITEM_NAMES.get(name, 'item')} {int(parts[at + 1]) + 1})"
    return label


def for_analysts(message: str) -> str:
    """A refusal as a page shows it: each "field.path: problem" (several are joined by "; ")
    as "Label is …: what to do"; a message in other words as it is."""
    said = []
    for one in message.split("; "):
        m = _PATH.match(one)
        said.append(_label(m.group(1)) + _plain(m.group(2)) if m else one)
    return "; ".join(said)
