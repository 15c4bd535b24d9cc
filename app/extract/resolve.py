"""Corpus-wide entity resolution: which stored entity (if any) each extracted name denotes.

The rules, in order, for each distinct mention name:
1. exact key match on a known entity's name or alias (the name's, then its surface forms');
2. a one-word PERSON name that is the last word of exactly one known multi-word PERSON
   ("Putin" → "Vladimir Putin"), or the reverse: a multi-word PERSON whose last word is
   exactly one known one-word PERSON (which then gets the longer name);
3. a one-word ORG/NORP name (the model's usual mislabels for a surname) that is the last word
   of exactly one known PERSON becomes that PERSON; GPE is left alone because places and
   surnames collide too often (Jordan, Georgia, Chad);
4. otherwise a new entity.
The longer name always wins, so the entity set does not depend on ingest order."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from app.extract.entity_rules import TITLES, clean_spaces, fold

# The model's label for one name wavers between these ("Kharkiv" GPE or LOC, "Dagestan"
# GPE or NORP, "Kremlin" ORG or FAC), so they share a key; when two meet, the label earlier
# in _LABEL_PRIORITY wins whatever the ingest order.
_KEY_FAMILY = {"LOC": "GPE", "NORP": "GPE", "FAC": "ORG"}
_LABEL_PRIORITY = ("PERSON", "GPE", "ORG", "NORP", "LOC", "FAC", "EVENT")
_SURNAME_MISLABELS = frozenset({"ORG", "NORP"})


@dataclass(frozen=True)
class KnownEntity:
    id: int
    name: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolution:
    entity_id: int | None  # an existing entity, or None: create a new one
    name: str  # canonical name (may improve an existing entity's name)
    label: str
    aliases: tuple[str, ...]  # every surface form seen, to add to the entity's aliases


class NamedMention(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def name(self) -> str: ...


_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
_NUMBERS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})


def article_bound(name: str, label: str) -> bool:
    """A number, an amount or a date without a year ("7.9%", "last year", "Wednesday")
    means something only in its article: it is never one entity with another article's."""
    return label in _NUMBERS or (label == "DATE" and _YEAR.search(name) is None)


def entity_key(name: str, label: str) -> str:
    """Normalised lookup key: label family + folded name without a leading "the" or, for a
    PERSON, leading titles. "Putin" and "Vladimir Putin" get different keys; `resolve`
    joins them."""
    words = fold(name).split()
    while words and (words[0] == "the" or (label == "PERSON" and words[0] in _FOLDED_TITLES)):
        words = words[1:]
    family = _KEY_FAMILY.get(label, label)
    return f"{family}:{' '.join(words) or fold(name)}"


_FOLDED_TITLES = frozenset(t.replace(".", "") for t in TITLES)


def label_rank(label: str) -> int:
    return _LABEL_PRIORITY.index(label) if label in _LABEL_PRIORITY else len(_LABEL_PRIORITY)


def majority_label(labels: Iterable[str]) -> str:
    """The most frequent label; ties go to the more specific label (PERSON first)."""
    counts = Counter(labels)
    return min(counts, key=lambda lab: (-counts[lab], label_rank(lab), lab))


def _words(name: str) -> list[str]:
    return fold(entity_key(name, "PERSON").split(":", 1)[1]).split()


def _better_name(current: str, candidate: str) -> str:
    """More words, then more characters, then more capitals, then a fixed string order: a
    total order, so the name an entity ends with does not depend on ingest order."""

    def rank(n: str) -> tuple[int, int, int, str]:
        return (len(n.split()), len(n), sum(c.isupper() for c in n), n)

    return max(current, candidate, key=rank)


def _better_label(current: str, candidate: str) -> str:
    if _KEY_FAMILY.get(current, current) != _KEY_FAMILY.get(candidate, candidate):
        return current
    return min(current, candidate, key=label_rank)


class _Index:
    def __init__(self, known: Sequence[KnownEntity]) -> None:
        self.by_id = {e.id: e for e in known}
        self.by_key: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.by_surname: dict[str, set[int]] = defaultdict(set)
        self.one_word_person: dict[str, set[int]] = defaultdict(set)
        for e in known:
            self.by_key[entity_key(e.name, e.label)].append((0, e.id))
            for alias in e.aliases:
                self.by_key[entity_key(alias, e.label)].append((1, e.id))
            if e.label == "PERSON":
                words = _words(e.name)
                if len(words) > 1:
                    self.by_surname[words[-1]].add(e.id)
                elif words:
                    self.one_word_person[words[0]].add(e.id)

    def exact(self, name: str, label: str) -> KnownEntity | None:
        hits = self.by_key.get(entity_key(name, label))
        return self.by_id[min(hits)[1]] if hits else None

    def only(self, ids: set[int]) -> KnownEntity | None:
        return self.by_id[next(iter(ids))] if len(ids) == 1 else None


def resolve(
    mentions: Sequence[NamedMention], known: Sequence[KnownEntity]
) -> dict[str, Resolution]:
    """Map each mention name to an existing entity or a new one (see the module doc)."""
    labels: dict[str, list[str]] = defaultdict(list)
    surfaces: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        labels[m.name].append(m.label)
        surfaces[m.name].update({clean_spaces(m.text), m.name})
    index = _Index(known)
    out: dict[str, Resolution] = {}
    for name in sorted(labels, key=lambda n: (-len(n.split()), n)):
        label = majority_label(labels[name])
        entity = _match(index, name, label, surfaces[name])
        seen = set(surfaces[name])
        if entity is None:
            out[name] = Resolution(None, name, label, tuple(sorted(seen)))
            continue
        best = _better_name(entity.name, name) if label == entity.label else entity.name
        if best != entity.name:
            seen.add(entity.name)
        out[name] = Resolution(
            entity.id, best, _better_label(entity.label, label), tuple(sorted(seen))
        )
    return out


def _match(index: _Index, name: str, label: str, forms: set[str]) -> KnownEntity | None:
    if hit := index.exact(name, label):
        return hit
    by_form = {e.id: e for f in sorted(forms) if (e := index.exact(f, label))}
    if len(by_form) == 1:
        return next(iter(by_form.values()))
    words = _words(name)
    if not words:
        return None
    if label == "PERSON" and len(words) == 1:
        return index.only(index.by_surname.get(words[0], set()))
    if label == "PERSON":
        return index.only(index.one_word_person.get(words[-1], set()))
    if label in _SURNAME_MISLABELS and len(words) == 1 and not name.isupper():
        return index.only(index.by_surname.get(words[0], set())) or index.only(
            index.one_word_person.get(words[0], set())
        )
    return None
