"""Article text stored as UTF-8 bytes, so texts with NUL characters fit PostgreSQL too.

PostgreSQL refuses NUL in text columns; real corpora contain them and every reported offset must
point into the text exactly as posted, so the text is kept as its UTF-8 encoding on every backend.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEEP = {"sqlite_autoincrement": True}  # SQLite rebuilds the table: keep ids never reused


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # SQLite keeps each value's storage class: turn the stored TEXT values into BLOBs in place.
        op.execute("UPDATE articles SET text = CAST(text AS BLOB)")
    last_id = _last_id() if sqlite else None
    with op.batch_alter_table("articles", table_kwargs=KEEP) as batch:
        batch.alter_column(
            "text",
            type_=sa.LargeBinary(),
            existing_type=sa.Text(),
            existing_nullable=False,
            postgresql_using="convert_to(text, 'UTF8')",
        )
    if sqlite:
        _restore_last_id(last_id)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("UPDATE articles SET text = CAST(text AS TEXT)")
    last_id = _last_id() if sqlite else None
    # On PostgreSQL this fails for a text holding NUL, which a text column cannot keep.
    with op.batch_alter_table("articles", table_kwargs=KEEP) as batch:
        batch.alter_column(
            "text",
            type_=sa.Text(),
            existing_type=sa.LargeBinary(),
            existing_nullable=False,
            postgresql_using="convert_from(text, 'UTF8')",
        )
    if sqlite:
        _restore_last_id(last_id)


def _last_id() -> int:
    """The highest article id ever handed out (SQLite forgets it when the table is rebuilt)."""
    found = op.get_bind().exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = 'articles'").scalar()
    return int(found or 0)


def _restore_last_id(last_id: int | None) -> None:
    bind = op.get_bind()
    bind.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = 'articles'")
    bind.exec_driver_sql(
        "INSERT INTO sqlite_sequence (name, seq) SELECT 'articles', max(?, coalesce(max(id), 0)) FROM articles",
        (last_id or 0,),
    )
