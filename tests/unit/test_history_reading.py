"""A note's history as a reader follows it: word-level diffs (app/render/diff.py) and the
steps of app/render/history.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.render.diff import word_diff
from app.render.history import steps


def pieces(old: str, new: str) -> list[tuple[str, str]]:
    return [(p.kind, p.text) for p in word_diff(old, new)]


def test_a_changed_word_is_struck_and_the_new_one_inserted() -> None:
    assert pieces("The quick fox\n\njumps.", "The slow fox\n\njumps.") == [
        ("same", "The "), ("removed", "quick"), ("added", "slow"), ("same", " fox\n\njumps."),
    ]  # fmt: skip


def test_the_rest_of_the_note_stays_as_it_was() -> None:
    old = "Western estimates say 20,000. " * 30
    new = old + "The MoD says more."
    assert pieces(old, new) == [("same", old), ("added", "The MoD says more.")]
    assert pieces("", "x y") == [("added", "x y")] and pieces("x y", "") == [("removed", "x y")]
    assert pieces("same", "same") == [("same", "same")]


def test_a_rewritten_sentence_reads_as_one_replacement() -> None:
    found = pieces("It was said by a spokesman on Monday.", "A minister denied it on Monday.")
    assert ("same", " on Monday.") in found
    removed = "".join(t for k, t in found if k == "removed")
    added = "".join(t for k, t in found if k == "added")
    assert removed == "It was said by a spokesman" and added == "A minister denied it"


def test_joining_the_pieces_gives_back_both_texts() -> None:
    old, new = "a b c d e f g", "a x c y e f z g h"
    found = word_diff(old, new)
    assert "".join(p.text for p in found if p.kind != "added") == old
    assert "".join(p.text for p in found if p.kind != "removed") == new


@dataclass
class Revision:
    version: int
    action: str
    change: dict[str, Any] = field(default_factory=dict)
    analyst: str = "Ana"
    at: datetime = datetime(2024, 5, 1, tzinfo=UTC)


def test_each_step_in_words() -> None:
    created, edited, moved = steps([
        Revision(1, "create", {"body": "**Check** it", "verdict": None, "tags": ["uk"]}),
        Revision(2, "edit", {"body": {"from": "**Check** it", "to": "**Checked**: false"},
                             "tags": {"from": ["uk"], "to": ["uk", "mod"]},
                             "verdict": {"from": "disputed", "to": "corroborated"}}),
        Revision(3, "verdict_moved", {"verdict": {"from": "false", "to": None}, "deleted": True}),
    ])  # fmt: skip
    assert created.action == "wrote it" and created.tags_added == ["uk"]
    assert [(p.kind, p.text) for p in created.words] == [("added", "**Check** it")]
    assert edited.action == "edited it" and edited.verdict == ("disputed", "corroborated")
    assert (edited.tags_added, edited.tags_removed, edited.tags_kept) == (["mod"], [], ["uk"])
    assert str(edited.before_html) == "<p><strong>Check</strong> it</p>\n"
    assert "<strong>Checked</strong>" in str(edited.after_html)
    assert moved.verdict == ("false", None) and "deleted" in moved.note
