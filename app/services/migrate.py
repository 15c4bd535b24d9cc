"""Move a whole reading room to another database (SQLite → PostgreSQL for a team), table
by table in foreign-key order, in one transaction on the target."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from app.db import upgrade_to_head
from app.models import Article

BATCH = 1_000


class TargetNotEmpty(RuntimeError):
    pass


def copy_database(
    source: Engine, target: Engine, on_table: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Copy every row of `source` into `target` (migrated to head, and empty); returns
    rows per table. The target's full-text index is filled by its own triggers/index."""
    upgrade_to_head(source)
    upgrade_to_head(target)
    tables = SQLModel.metadata.sorted_tables
    with target.connect() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(Article)).scalar():
            raise TargetNotEmpty("the target database already holds a reading room")
    counts: dict[str, int] = {}
    with source.connect() as src, target.begin() as dst:
        for table in tables:
            order = [c for c in table.primary_key.columns]
            copied = 0
            result = src.execution_options(yield_per=BATCH).execute(
                sa.select(table).order_by(*order)
            )
            for chunk in result.mappings().partitions(BATCH):
                dst.execute(table.insert(), [dict(row) for row in chunk])
                copied += len(chunk)
            counts[table.name] = copied
            if on_table:
                on_table(table.name, copied)
        if target.dialect.name == "postgresql":
            for table in tables:
                if "id" in table.c and table.c.id.autoincrement is not False:
                    dst.execute(
                        sa.text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                        )
                    )
    return counts
