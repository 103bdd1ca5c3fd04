"""An index of each article's id and content hash, for reading a check's candidate versions without the text.

Every check reads the content hash of each candidate (what the document cache is keyed by). SQLite stores a
row's columns in order, and the text comes before the content hash: reading the hash walked the text's
overflow pages, about 4 us a candidate at 100k passages. This index answers that read alone (the query names
it on SQLite, `repository.article_versions`): 0.2-0.3 -> 0.06 ms for 65 candidates. PostgreSQL keeps long
texts out of line and needs no help, but gets the same index so both schemas stay one.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_articles_id_content_hash", "articles", ["id", "content_hash"])


def downgrade() -> None:
    op.drop_index("ix_articles_id_content_hash", table_name="articles")
