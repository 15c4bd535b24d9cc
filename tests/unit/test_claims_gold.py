"""Claim extraction measured against hand-marked gold.

The five seeds' gold (tests/golden/claims/) was marked by reading the articles; the rules
were developed on the same articles, so their scores are development scores. The held-out
passage below was written and marked before the extractor was run on it, and keeps the
rules honest about prose they were not tuned on.

The seeds' gold lists the claims that carry a figure, a source or a date: it was marked
before a claim also meant any checkable statement of fact, so it is not every claim of the
article, and precision is measured on the real-news gold set instead
(tests/unit/test_realnews_gold.py). Its units and shares follow the real-news conventions
(tests/golden/realnews/README.md).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.extract.claims import ClaimDraft, extract_claims
from app.extract.figures import Figure

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "golden" / "claims"
SEED_STEMS = sorted(p.stem for p in GOLD.glob("*.json"))

# Floors sit under the measured scores (1.0 everywhere today; the first runs on the
# held-out passages, the honest estimate, are in docs/decisions/0004-claims-and-figures.md),
# so a regression fails but one changed rule on a borderline sentence does not.
SEED_RECALL = 0.9
SEED_ATTRIBUTION = 0.9
SEED_FIGURES = 0.9
HELDOUT_RECALL = 0.9
HELDOUT_ATTRIBUTION = 0.8
HELDOUT_FIGURES = 0.8


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    attribution: float
    figures: float
    kinds: float


def content_spans(name: str, data: bytes) -> tuple[str, list[tuple[int, int]]]:
    """The paragraph blocks as ingest lays them out; a plain line split if ingest is absent."""
    try:
        from app.ingest import read_document
    except ImportError:  # pragma: no cover - only while ingest is being built
        return _line_spans(data.decode("utf-8"))
    draft = read_document(name, data)
    return draft.text, [(b.start, b.end) for b in draft.blocks if b.kind == "paragraph"]


def _line_spans(text: str) -> tuple[str, list[tuple[int, int]]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if len(stripped.split()) > 12 and stripped[-1:] in '.”"’!':
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return text, spans


def _norm(name: str | None) -> str | None:
    if name is None:
        return None
    name = " ".join(name.replace("’", "'").split()).casefold()
    return name.removeprefix("the ")


def _same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-6)


def _figure_ok(pred: Figure, gold: dict[str, Any]) -> bool:
    unit = gold.get("unit")
    return (
        all(_same_number(getattr(pred, k), gold.get(k)) for k in ("value", "low", "high"))
        and _norm(pred.unit) == _norm(unit if isinstance(unit, str) else None)
        and pred.period == gold.get("period")
        and ("scope" not in gold or pred.scope == gold["scope"])
    )


def score(text: str, predicted: Sequence[ClaimDraft], gold: Sequence[dict[str, Any]]) -> Scores:
    spans = []
    for g in gold:
        at = text.find(str(g["text"]))
        assert at >= 0, f"gold claim not in the text: {g['text']!r}"
        spans.append((at, at + len(str(g["text"]))))
    used: set[int] = set()
    pairs: list[tuple[ClaimDraft, dict[str, Any]]] = []
    for (gs, ge), g in zip(spans, gold, strict=True):
        for i, p in enumerate(predicted):
            overlap = min(ge, p.end) - max(gs, p.start)
            if i not in used and overlap >= 0.5 * min(ge - gs, p.end - p.start):
                used.add(i)
                pairs.append((p, g))
                break
    attribution_ok = kinds_ok = figures_ok = figures_total = 0
    for p, g in pairs:
        accepted = {_norm(a) for a in g.get("attribution_alternatives", [])}
        accepted.add(_norm(g["attribution"]))
        attribution_ok += _norm(p.attribution.text if p.attribution else None) in accepted
        kinds_ok += p.kind == g["kind"]
        gold_figures: list[dict[str, Any]] = g["figures"]
        figures_total += max(len(gold_figures), len(p.figures))
        free = list(p.figures)
        for gf in gold_figures:
            hit = next((f for f in free if _figure_ok(f, gf)), None)
            if hit is not None:
                free.remove(hit)
                figures_ok += 1
    matched = len(pairs)
    return Scores(
        precision=matched / len(predicted) if predicted else 1.0,
        recall=matched / len(gold) if gold else 1.0,
        attribution=attribution_ok / matched if matched else 1.0,
        figures=figures_ok / figures_total if figures_total else 1.0,
        kinds=kinds_ok / matched if matched else 1.0,
    )


def seed_scores(stem: str) -> Scores:
    gold = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
    path = ROOT / gold["source"]
    text, spans = content_spans(path.name, path.read_bytes())
    return score(text, extract_claims(text, spans), gold["claims"])


def test_there_is_gold_for_every_seed() -> None:
    assert sorted(p.stem for p in SEEDS.glob("*.txt")) == SEED_STEMS


@pytest.mark.parametrize("stem", SEED_STEMS)
def test_seed_claims_match_the_gold(stem: str) -> None:
    s = seed_scores(stem)
    assert s.recall >= SEED_RECALL, s
    assert s.attribution >= SEED_ATTRIBUTION, s
    assert s.figures >= SEED_FIGURES, s


# Written and marked before the extractor first saw it (round 1 was then used to fix
# generic bugs; round 2 was written after that and is still unseen by the rules' author).
HELDOUT_1 = [
    "Ukraine’s military intelligence said on Tuesday that Russia had lost more than 3,400 "
    "tanks since February 2022. The figure could not be independently verified.",
    "“We are seeing fewer volunteers every week,” a senior NATO official told reporters in "
    "Brussels. The official, who spoke on condition of anonymity, added that Moscow now "
    "spends roughly 6% of its GDP on defence.",
    "Is the Kremlin running out of men? Analysts disagree.",
    "The Institute for the Study of War estimates that Russian forces advanced 2,356 square "
    "kilometres in 2024, up from about 500 square kilometres a year earlier.",
    "Prices rose sharply after the central bank’s decision. In December, inflation reached "
    "9.5 percent, according to Rosstat.",
    "Mr. Peskov denied the reports on Wednesday, calling them “absurd.”",
    "The war has become a grinding contest of attrition. Neither side appears able to break "
    "through.",
    "Kyiv plans to draft 160,000 more soldiers, Defence Minister Rustem Umerov said last month.",
    "According to a poll by the Levada Center, 58 percent of Russians support peace talks.",
    "On 3 March, drones struck an oil refinery in Ryazan.",
    "Officials in Moscow have repeatedly claimed that the mobilisation is over, but rights "
    "groups say recruitment continues.",
    "The salary, which starts at 210,000 rubles a month, is about five times the regional average.",
    "Ukraine’s army chief says some 45,000 troops are needed each month to replace losses.",
    "Between 2022 and 2024, the number of Russian prisoners fell by roughly a third.",
    "He did not say how many.",
]


def _fig(value: float | None, low: float | None, high: float | None, unit: str | None,
         period: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {"value": value, "low": low, "high": high, "unit": unit, "period": period}


GOLD_1: list[dict[str, Any]] = [
    {
        "text": "Ukraine’s military intelligence said on Tuesday that Russia had lost more than "
        "3,400 tanks since February 2022.",
        "kind": "statistic",
        "attribution": "Ukraine’s military intelligence",
        "figures": [_fig(3400, 3400, None, "tank")],
    },
    {
        "text": "“We are seeing fewer volunteers every week,” a senior NATO official told "
        "reporters in Brussels.",
        "kind": "quotation",
        "attribution": "a senior NATO official",
        "figures": [],
    },
    {
        "text": "The official, who spoke on condition of anonymity, added that Moscow now spends "
        "roughly 6% of its GDP on defence.",
        "kind": "statistic",
        "attribution": "The official",
        "figures": [_fig(6, 6, 6, "percent")],
    },
    {
        "text": "The Institute for the Study of War estimates that Russian forces advanced 2,356 "
        "square kilometres in 2024, up from about 500 square kilometres a year earlier.",
        "kind": "statistic",
        "attribution": "The Institute for the Study of War",
        "figures": [_fig(2356, 2356, 2356, "km2"), _fig(500, 500, 500, "km2")],
    },
    {
        "text": "In December, inflation reached 9.5 percent, according to Rosstat.",
        "kind": "statistic",
        "attribution": "Rosstat",
        "figures": [_fig(9.5, 9.5, 9.5, "percent")],
    },
    {
        "text": "Mr. Peskov denied the reports on Wednesday, calling them “absurd.”",
        "kind": "attributed",
        "attribution": "Peskov",
        "attribution_alternatives": ["Mr. Peskov"],
        "figures": [],
    },
    {
        "text": "Kyiv plans to draft 160,000 more soldiers, Defence Minister Rustem Umerov said "
        "last month.",
        "kind": "statistic",
        "attribution": "Rustem Umerov",
        "attribution_alternatives": ["Defence Minister Rustem Umerov"],
        "figures": [_fig(160000, 160000, 160000, "soldier")],
    },
    {
        "text": "According to a poll by the Levada Center, 58 percent of Russians support peace "
        "talks.",
        "kind": "statistic",
        "attribution": "the Levada Center",
        "attribution_alternatives": ["a poll by the Levada Center"],
        "figures": [_fig(58, 58, 58, "percent")],
    },
    {
        "text": "On 3 March, drones struck an oil refinery in Ryazan.",
        "kind": "event",
        "attribution": None,
        "figures": [],
    },
    {
        "text": "Officials in Moscow have repeatedly claimed that the mobilisation is over, but "
        "rights groups say recruitment continues.",
        "kind": "attributed",
        "attribution": "Officials in Moscow",
        "attribution_alternatives": ["Officials"],
        "figures": [],
    },
    {
        "text": "The salary, which starts at 210,000 rubles a month, is about five times the "
        "regional average.",
        "kind": "statistic",
        "attribution": None,
        "figures": [_fig(210000, 210000, 210000, "RUB", "month")],
    },
    {
        "text": "Ukraine’s army chief says some 45,000 troops are needed each month to replace "
        "losses.",
        "kind": "statistic",
        "attribution": "Ukraine’s army chief",
        "figures": [_fig(45000, 45000, 45000, "soldier", "month")],
    },
    {
        "text": "Between 2022 and 2024, the number of Russian prisoners fell by roughly a third.",
        "kind": "statistic",
        "attribution": None,
        "figures": [_fig(1 / 3, 1 / 3, 1 / 3, None)],
    },
]


HELDOUT_2 = [
    "The Pentagon estimated in October that about 600,000 Russian soldiers had been killed or "
    "wounded since the start of the invasion.",
    "“This is a war of attrition, and Russia is betting that the West will tire first,” said "
    "Dara Massicot, a senior fellow at the Carnegie Endowment.",
    "Some 1,500 North Korean special forces have already arrived in Vladivostok, according to "
    "South Korea’s National Intelligence Service.",
    "Russia’s defence budget for 2025 is set at 13.5 trillion rubles ($145 billion), the "
    "highest since the Soviet era. What happens next is anyone’s guess.",
    "Last year, the government paid out more than 1 million rubles in sign-up bonuses in some "
    "regions, Mediazona reported.",
    "Dmitry Medvedev, the deputy chairman of Russia’s Security Council, claimed in January that "
    "450,000 people had signed contracts with the army in 2024. The claim could not be "
    "verified, and independent analysts consider it inflated.",
    "Ukraine’s parliament passed the mobilisation law on April 11, 2024, after months of "
    "debate. The law lowered the conscription age and introduced electronic registration.",
    "Between 10 and 15 percent of those mobilised in 2022 have since been discharged, the "
    "ministry said.",
    "Roughly two-thirds of Ukrainians oppose territorial concessions, a Kyiv International "
    "Institute of Sociology survey found in December.",
    "In a statement, the ministry said the figures were “deliberately exaggerated.”",
]

GOLD_2: list[dict[str, Any]] = [
    {
        "text": HELDOUT_2[0],
        "kind": "statistic",
        "attribution": "The Pentagon",
        "figures": [_fig(600000, 600000, 600000, "casualty")],
    },
    {
        "text": HELDOUT_2[1],
        "kind": "quotation",
        "attribution": "Dara Massicot",
        "figures": [],
    },
    {
        "text": HELDOUT_2[2],
        "kind": "statistic",
        "attribution": "South Korea’s National Intelligence Service",
        "figures": [_fig(1500, 1500, 1500, "soldier")],
    },
    {
        "text": "Russia’s defence budget for 2025 is set at 13.5 trillion rubles ($145 billion), "
        "the highest since the Soviet era.",
        "kind": "statistic",
        "attribution": None,
        "figures": [_fig(13.5e12, 13.5e12, 13.5e12, "RUB"), _fig(145e9, 145e9, 145e9, "USD")],
    },
    {
        "text": HELDOUT_2[4],
        "kind": "statistic",
        "attribution": "Mediazona",
        "figures": [_fig(1e6, 1e6, None, "RUB")],
    },
    {
        "text": "Dmitry Medvedev, the deputy chairman of Russia’s Security Council, claimed in "
        "January that 450,000 people had signed contracts with the army in 2024.",
        "kind": "statistic",
        "attribution": "Dmitry Medvedev",
        "figures": [_fig(450000, 450000, 450000, "person")],
    },
    {
        "text": "The claim could not be verified, and independent analysts consider it inflated.",
        "kind": "attributed",
        "attribution": "independent analysts",
        "figures": [],
    },
    {
        "text": "Ukraine’s parliament passed the mobilisation law on April 11, 2024, after months "
        "of debate.",
        "kind": "event",
        "attribution": None,
        "figures": [],
    },
    {
        "text": HELDOUT_2[7],
        "kind": "statistic",
        "attribution": "the ministry",
        "figures": [_fig(None, 10, 15, "percent")],
    },
    {
        "text": HELDOUT_2[8],
        "kind": "statistic",
        "attribution": "Kyiv International Institute of Sociology",
        "attribution_alternatives": ["a Kyiv International Institute of Sociology survey"],
        "figures": [_fig(2 / 3, 2 / 3, 2 / 3, None)],
    },
    {
        "text": HELDOUT_2[9],
        "kind": "attributed",
        "attribution": "the ministry",
        "figures": [],
    },
]


def heldout_scores(paragraphs: Sequence[str], gold: Sequence[dict[str, Any]]) -> Scores:
    text = "\n\n".join(paragraphs)
    spans, pos = [], 0
    for para in paragraphs:
        spans.append((pos, pos + len(para)))
        pos += len(para) + 2
    return score(text, extract_claims(text, spans), gold)


@pytest.mark.parametrize(("paragraphs", "gold"), [(HELDOUT_1, GOLD_1), (HELDOUT_2, GOLD_2)])
def test_heldout_claims_match_the_gold(
    paragraphs: Sequence[str], gold: Sequence[dict[str, Any]]
) -> None:
    s = heldout_scores(paragraphs, gold)
    assert s.recall >= HELDOUT_RECALL, s
    assert s.attribution >= HELDOUT_ATTRIBUTION, s
    assert s.figures >= HELDOUT_FIGURES, s
