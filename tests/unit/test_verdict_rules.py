"""The standing verdict of a claim (app/verdicts.py): what stands, the team's tally, and a
claim's verdict history read as changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.verdicts import NOT_JUDGED, changes, standing

T = datetime(2024, 5, 1, tzinfo=UTC)


def test_what_stands_and_the_tally() -> None:
    agreed = standing({"Ana": "disputed", "Ben": "disputed"})
    assert (agreed.verdict, agreed.tally) == ("disputed", "2 disputed → disputed")
    split = standing({"Cy": "corroborated", "Ana": "disputed", "Ben": "disputed"})
    assert split.verdict == "contested"
    assert split.tally == "2 disputed · 1 corroborated → contested"
    assert list(split.by) == ["Ana", "Ben", "Cy"]
    # a tie is counted in the vocabulary's order
    assert standing({"Ana": "false", "Ben": "corroborated"}).counts == [
        (1, "corroborated"), (1, "false")
    ]  # fmt: skip
    assert (NOT_JUDGED.verdict, NOT_JUDGED.tally, NOT_JUDGED.counts) == (None, "", [])


@dataclass
class Event:
    analyst: str
    verdict: str
    withdrawn: bool = False
    at: datetime = T


def test_history_reads_as_changes() -> None:
    events = [Event("Ana", "disputed"), Event("Ben", "false"), Event("Ana", "corroborated"),
              Event("Ana", "corroborated", withdrawn=True)]  # fmt: skip
    found = changes(events)
    assert [(c.analyst, c.before, c.after) for c in found] == [
        ("Ana", None, "disputed"),
        ("Ben", None, "false"),
        ("Ana", "disputed", "corroborated"),
        ("Ana", "corroborated", None),
    ]
