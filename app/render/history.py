"""A note's history as a reader follows it: for each version who did what and when, the
note's words as a word-level diff (with both versions' rendered Markdown on request), the
tags added and removed, and the verdict as "disputed → corroborated"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from markupsafe import Markup

from app.render.diff import Piece, word_diff
from app.render.markdown import render_note

ACTIONS = {
    "create": "wrote it",
    "edit": "edited it",
    "delete": "deleted it",
    "restore": "restored it",
    "import": "imported it",
    "verdict_moved": "moved its verdict to the claim",
}


@dataclass(frozen=True)
class Step:
    version: int
    analyst: str
    at: datetime
    action: str  # in words
    words: list[Piece] = field(default_factory=list)  # the note's words, diffed
    before_html: Markup | None = None
    after_html: Markup | None = None
    tags_added: list[str] = field(default_factory=list)
    tags_removed: list[str] = field(default_factory=list)
    tags_kept: list[str] = field(default_factory=list)
    verdict: tuple[str | None, str | None] | None = None  # (before, after)
    note: str = ""  # a remark of the step ("it held only a verdict, so it was deleted")


def steps(revisions: Iterable[Any]) -> list[Step]:
    """Revisions (`version`, `analyst`, `at`, `action`, `change`) as readable steps."""
    return [_step(r) for r in revisions]


def _step(r: Any) -> Step:
    change: dict[str, Any] = r.change or {}
    action = ACTIONS.get(r.action, r.action)
    fields: dict[str, Any] = {}
    if r.action == "create":
        body = change.get("body") or ""
        fields["words"] = [Piece("added", body)] if body.strip() else []
        fields["tags_added"] = list(change.get("tags") or [])
        if change.get("verdict"):
            fields["verdict"] = (None, change["verdict"])
    elif r.action in ("edit", "verdict_moved"):
        body = change.get("body")
        if isinstance(body, dict):
            old, new = body.get("from") or "", body.get("to") or ""
            fields["words"] = word_diff(old, new)
            fields["before_html"] = Markup(render_note(old))  # noqa: S704 (rendered safe)
            fields["after_html"] = Markup(render_note(new))  # noqa: S704
        tags = change.get("tags")
        if isinstance(tags, dict):
            old_tags, new_tags = list(tags.get("from") or []), list(tags.get("to") or [])
            fields["tags_removed"] = [t for t in old_tags if t not in new_tags]
            fields["tags_added"] = [t for t in new_tags if t not in old_tags]
            fields["tags_kept"] = [t for t in new_tags if t in old_tags]
        verdict = change.get("verdict")
        if isinstance(verdict, dict):
            fields["verdict"] = (verdict.get("from"), verdict.get("to"))
        if r.action == "verdict_moved":
            fields["note"] = "It became the analyst's standing verdict on the claim" + (
                "; the note held nothing else, so it was deleted." if change.get("deleted") else "."
            )
    elif r.action == "import":
        fields["note"] = f"From {change.get('from', 'another reading room')}."
    return Step(r.version, r.analyst, r.at, action, **fields)
