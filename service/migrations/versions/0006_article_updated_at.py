"""When a stored article was last replaced (`PUT /api/v1/articles/{id}`): null for articles never replaced.

A corrected story keeps its id and creation time; this says which version a report's offsets point into.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("updated_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:  # SQLite drops a column by copying the table
        batch.drop_column("updated_at")
