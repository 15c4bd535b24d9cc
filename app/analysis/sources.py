"""Sources, not copies: what counts once when articles are counted.

    source_of(article_id, group_first)       -> the article's independent source (an id)
    relayed_from(attribution, label)         -> the named report a claim relays, or None
    count_sources(carriers)                  -> Sources(articles, independent, relayed)
    conflict_key(kind, (source, figure), (source, figure))
                                             -> the one disagreement a claim pair is part of

An article's *source* is its provenance group, named by the group's first article (the
smallest id: copies added later keep the key, so stored conflicts survive a new copy), or
the article itself when it is in no group. Articles that relay one named report ("according
to the Financial Times") count that report once, whatever groups they are in: the report is
the source, the articles are its carriers.

A *conflict* is one disagreement between two sources about one quantity: every claim pair
whose figures disagree between the same two sources, with the same two values, is one
conflict, however many copies carry each side.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.analysis.conflicts import period_class, unit_class
from app.analysis.matching import value_key
from app.analysis.text import normalise
from app.extract.figures import Figure

# Who can be relayed: a named organisation (a newspaper, an agency, a ministry) or person.
# A place or a nationality ("Russian media") names no single report.
RELAYED_LABELS = frozenset({"ORG", "PERSON"})


def source_of(article_id: int, group_first: int | None) -> int:
    """The independent source an article belongs to: the first article of its provenance
    group, else the article itself."""
    return article_id if group_first is None else group_first


def relayed_from(attribution: str | None, label: str | None) -> str | None:
    """The report a claim relays: its attribution when that names an organisation or a
    person ("the Financial Times", "Dalhaug"); None for anonymous or collective sources."""
    if not attribution or label not in RELAYED_LABELS:
        return None
    name = " ".join(attribution.split())
    return name or None


@dataclass(frozen=True)
class Carrier:
    """An article carrying a claim: its provenance group (any stable id, None when alone)
    and the named report the claim relays there (None when it names none)."""

    article_id: int
    group: int | None = None
    relayed: str | None = None


@dataclass(frozen=True)
class Sources:
    articles: int
    independent: int
    relayed: tuple[str, ...]  # reports relayed by more than one independent article


def _report_key(name: str) -> str:
    key = normalise(name).strip()
    return key.removeprefix("the ").strip()


def count_sources(carriers: Iterable[Carrier]) -> Sources:
    """Articles counted as sources: one provenance group counts once, and so does one named
    report relayed by several articles (union-find over articles, groups and reports)."""
    parent: dict[tuple[str, object], tuple[str, object]] = {}

    def find(x: tuple[str, object]) -> tuple[str, object]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(x: tuple[str, object], y: tuple[str, object]) -> None:
        parent[find(x)] = find(y)

    articles: set[int] = set()
    carried_by: dict[str, set[tuple[str, int]]] = {}
    names: dict[str, str] = {}
    for c in carriers:
        node: tuple[str, object] = ("article", c.article_id)
        find(node)
        articles.add(c.article_id)
        alone = ("group", c.group) if c.group is not None else ("article", c.article_id)
        if c.group is not None:
            join(node, alone)
        if c.relayed:
            key = _report_key(c.relayed)
            # The fullest spelling names it: "the Financial Times" over "Financial Times".
            if len(c.relayed) > len(names.get(key, "")):
                names[key] = c.relayed
            carried_by.setdefault(key, set()).add(alone)
            join(node, ("report", key))
    roots = {find(("article", a)) for a in articles}
    # Named where it made otherwise independent articles one source.
    relayed = tuple(names[k] for k, by in sorted(carried_by.items()) if len(by) > 1)
    return Sources(len(articles), len(roots), relayed)


def independent_sources(article_ids: Iterable[int], group_of: Mapping[int, int | None]) -> int:
    """How many independent sources the articles are, counting provenance groups once."""
    return count_sources(Carrier(a, group_of.get(a)) for a in article_ids).independent


def conflict_key(kind: str, a: tuple[int, Figure], b: tuple[int, Figure]) -> str | None:
    """The disagreement a claim pair is part of, from each side's (source, figure): the
    kind, the quantity (unit classes and period) and each source with its stated value.
    None when both claims come from one source: a copy that changed a figure is a
    rewrite's change (the compare view shows it), not a disagreement between sources."""
    (sa, fa), (sb, fb) = a, b
    if sa == sb:
        return None
    units = "/".join(sorted({unit_class(fa.unit) or "?", unit_class(fb.unit) or "?"}))
    period = period_class(fa.period) or period_class(fb.period) or "-"
    sides = sorted([(sa, value_key(fa) or "?"), (sb, value_key(fb) or "?")])
    key = f"{kind}|{units}:{period}|" + "|".join(f"{s}={v}" for s, v in sides)
    return key[:300]
