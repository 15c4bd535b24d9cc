"""rekey claims: same-claim candidates are found by words stemmed with Snowball now

The claim keys of stored claims (`claim_key`) include content-word stems; the stemmer
changed from a hand-written one to Snowball, so keys written before would no longer meet
the keys of new articles. Every live claim's keys are computed again from its stored text,
figures, attribution and entities. No schema change; the data the keys come from is kept.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 12:00:00.000000
"""

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import MISSING, fields
from typing import Any

import sqlalchemy as sa
from alembic import op

from app.analysis.matching import ClaimRef, claim_keys
from app.extract.figures import Figure

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500
_FIGURE_FIELDS = {f.name for f in fields(Figure)}
_REQUIRED = {f.name for f in fields(Figure) if f.default is MISSING}


def _figures(raw: Any) -> tuple[Figure, ...]:
    """The stored figures as the core's Figure; anything that is not one is left out."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return ()
    found = []
    for item in raw if isinstance(raw, list) else ():
        if isinstance(item, dict) and _REQUIRED <= item.keys():
            try:
                found.append(Figure(**{k: v for k, v in item.items() if k in _FIGURE_FIELDS}))
            except TypeError:
                continue
    return tuple(found)


def upgrade() -> None:
    conn = op.get_bind()
    names: dict[int, set[str]] = defaultdict(set)
    for claim_id, name in conn.execute(
        sa.text(
            "SELECT ce.claim_id, e.name FROM claim_entity ce JOIN entity e ON e.id = ce.entity_id"
        )
    ):
        names[claim_id].add(name)
    claims = conn.execute(
        sa.text(
            "SELECT id, article_id, text, figures, attribution_text, start FROM claim "
            "WHERE retired_at IS NULL ORDER BY id"
        )
    ).all()
    conn.execute(sa.text("DELETE FROM claim_key"))
    rows: list[dict[str, Any]] = []
    insert = sa.text("INSERT INTO claim_key (key, claim_id) VALUES (:key, :claim_id)")
    for cid, article_id, text, figures, attribution, start in claims:
        ref = ClaimRef(cid, article_id, text or "", _figures(figures), frozenset(names[cid]),
                       attribution, start or 0)  # fmt: skip
        try:
            keys = claim_keys(ref)
        except (ValueError, TypeError, IndexError):  # a claim whose stored figures do not fit it
            keys = claim_keys(ClaimRef(cid, article_id, text or "", (), ref.entities,
                                       attribution, start or 0))  # fmt: skip
        rows += [{"key": k, "claim_id": cid} for k in sorted(keys)]
        if len(rows) >= BATCH:
            conn.execute(insert, rows)
            rows = []
    if rows:
        conn.execute(insert, rows)


def downgrade() -> None:
    """The keys stay as they are: they are derived data, and the stemmer that wrote the old
    ones is gone."""
