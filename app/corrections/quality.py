"""How often the machine was wrong or missed something, read from analysts' standing
corrections: per kind of output, per article and overall."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.corrections import MEASURE, Entry

# Corrections that say the machine missed something; the others say it was wrong.
MISSED = frozenset({"mention_add", "claim_add", "provenance_join"})


@dataclass(frozen=True)
class Rate:
    name: str
    wrong: int
    missed: int
    total: int  # what the machine output of this kind (the denominator)

    @property
    def rate(self) -> float:
        return round((self.wrong + self.missed) / self.total, 4) if self.total else 0.0


@dataclass(frozen=True)
class Quality:
    by_kind: tuple[Rate, ...]
    by_label: tuple[Rate, ...]  # entity corrections by the label the machine gave
    by_article: tuple[Rate, ...]
    overall: Rate


def measure(
    corrections: Iterable[Entry],
    totals: Mapping[str, int],
    label_totals: Mapping[str, int],
    machine_labels: Mapping[int, str],
    article_totals: Mapping[int, tuple[str, int]],
) -> Quality:
    """`totals`: outputs per measure (entities, claims, attributions, metadata, provenance);
    `machine_labels`: the machine's label per entity correction id; `article_totals`: each
    article's title and its number of outputs."""
    wrong: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    by_label: Counter[tuple[str, bool]] = Counter()
    by_article: Counter[tuple[int, bool]] = Counter()
    for e in corrections:
        group = MEASURE[e.kind]
        is_missed = e.kind in MISSED
        (missed if is_missed else wrong)[group] += 1
        if group == "entities":
            by_label[(machine_labels.get(e.id, "?"), is_missed)] += 1
        if e.article_id is not None:
            by_article[(e.article_id, is_missed)] += 1
    kinds = tuple(
        Rate(name, wrong[name], missed[name], totals.get(name, 0))
        for name in ("entities", "claims", "attributions", "metadata", "provenance")
    )
    labels = tuple(
        Rate(label, by_label[(label, False)], by_label[(label, True)], label_totals.get(label, 0))
        for label in sorted({label for label, _ in by_label})
    )
    articles = tuple(
        Rate(title, by_article[(i, False)], by_article[(i, True)], n)
        for i, (title, n) in sorted(article_totals.items())
        if by_article[(i, False)] or by_article[(i, True)]
    )
    overall = Rate("overall", sum(wrong.values()), sum(missed.values()), sum(totals.values()))
    return Quality(kinds, labels, articles, overall)
