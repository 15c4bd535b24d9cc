"""lsh keys: same-claim and provenance candidates meet in MinHash LSH bands from a library

Claims worded alike now meet in LSH bands of their stems and names (`b<band>:` keys of
`claim_key`, in place of the six longest stems, `w:`), figures by their quantity and the
claim's subjects (`s:` keys), and every signature, the articles'
included (`article_band`), is computed by rensa with a fixed seed instead of by hand. The
stored keys of every live claim and the bands of every article are computed again from
their stored text, figures, entities and blocks. No schema change.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 10:00:00.000000
"""

import dataclasses
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import MISSING, fields
from typing import Any

import sqlalchemy as sa
from alembic import op

from app.analysis.matching import ClaimRef, claim_keys
from app.analysis.subjects import claim_subjects
from app.analysis.provenance import article_shingles, lsh_bands, minhash_signature
from app.extract.figures import Figure

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2_000
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


def _insert(conn: sa.Connection, statement: str, rows: Iterator[dict[str, Any]]) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            conn.execute(sa.text(statement), batch)
            batch = []
    if batch:
        conn.execute(sa.text(statement), batch)


def _claim_keys(conn: sa.Connection) -> Iterator[dict[str, Any]]:
    named: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for claim_id, name, label in conn.execute(
        sa.text(
            "SELECT ce.claim_id, e.name, e.label FROM claim_entity ce "
            "JOIN entity e ON e.id = ce.entity_id"
        )
    ):
        named[claim_id].add((name, label))
    claims = conn.execute(
        sa.text(
            "SELECT id, article_id, text, figures, attribution_text, start FROM claim "
            "WHERE retired_at IS NULL ORDER BY id"
        )
    ).all()
    for cid, article_id, text, figures, attribution, start in claims:
        ref = ClaimRef(cid, article_id, text or "", _figures(figures),
                       frozenset(name for name, _ in named[cid]), attribution, start or 0,
                       subjects=claim_subjects(named[cid]))  # fmt: skip
        try:
            keys = claim_keys(ref)
        except (ValueError, TypeError, IndexError):  # stored figures that do not fit the claim
            keys = claim_keys(dataclasses.replace(ref, figures=()))
        yield from ({"key": k, "claim_id": cid} for k in sorted(keys))


def _article_bands(conn: sa.Connection) -> Iterator[dict[str, Any]]:
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for article_id, start, end in conn.execute(
        sa.text(
            "SELECT article_id, start, \"end\" FROM block WHERE kind = 'paragraph' "
            "ORDER BY article_id, position"
        )
    ):
        spans[article_id].append((start, end))
    ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM article ORDER BY id"))]
    for at in range(0, len(ids), 200):
        chunk = ids[at : at + 200]
        texts = conn.execute(
            sa.text("SELECT id, text FROM article WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": chunk},
        ).all()
        for article_id, text in texts:
            signature = minhash_signature(article_shingles(text or "", spans[article_id]))
            bands = sorted(set(lsh_bands(signature)))
            yield from ({"band": b, "article_id": article_id} for b in bands)


def upgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM claim_key"))
    _insert(conn, "INSERT INTO claim_key (key, claim_id) VALUES (:key, :claim_id)",
            _claim_keys(conn))  # fmt: skip
    conn.execute(sa.text("DELETE FROM article_band"))
    _insert(conn, "INSERT INTO article_band (band, article_id) VALUES (:band, :article_id)",
            _article_bands(conn))  # fmt: skip


def downgrade() -> None:
    """The keys stay as they are: they are derived data, and the code that wrote the old
    ones is gone."""
