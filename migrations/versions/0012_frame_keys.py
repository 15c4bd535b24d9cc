"""frame keys: figures of claims that name nothing meet by the words of their clause

Figure conflicts between claims that name no subject compare what the figures count in
their clauses' words ("vessels detained in the strait"); such figures find each other by
`f:<unit>:<period>:<word>` keys of `claim_key`. The frame keys of every live claim are
computed from its stored text, figures and entities, as 0010 computes every key; the
other keys are left as they are. No schema change.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 10:00:00.000000
"""

import importlib.util
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rekeying() -> ModuleType:
    """Migration 0010, whose reading of stored claims into keys this one reuses."""
    spec = importlib.util.spec_from_file_location(
        "rekeying_0010", Path(__file__).with_name("0010_lsh_keys.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _frame_keys(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    return (row for row in rows if row["key"].startswith("f:"))


def upgrade() -> None:
    conn = op.get_bind()
    rekeying = _rekeying()
    conn.execute(sa.text("DELETE FROM claim_key WHERE key LIKE 'f:%'"))
    rekeying._insert(
        conn,
        "INSERT INTO claim_key (key, claim_id) VALUES (:key, :claim_id)",
        _frame_keys(rekeying._claim_keys(conn)),
    )


def downgrade() -> None:
    """The frame keys stay: they are derived data that the code before them ignores."""
