"""Articles and their passage signatures (the schema the service created before migrations existed).

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("external_id", sa.String(512), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("source", sa.String(512), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("extracted_from_html", sa.Boolean(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("signature_params", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("external_id"),
        sa.UniqueConstraint("content_hash"),
        sqlite_autoincrement=True,  # never reuse a deleted article's id: ids key the index and caches
    )
    op.create_index("ix_articles_source", "articles", ["source"])
    op.create_table(
        "passages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_passages_article_id", "passages", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_passages_article_id", table_name="passages")
    op.drop_table("passages")
    op.drop_index("ix_articles_source", table_name="articles")
    op.drop_table("articles")
