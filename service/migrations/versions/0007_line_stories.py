"""Stories in `article_lines`: boilerplate counts a line once per story of a source, not once per article.

Versions of one story stored as separate articles (an update with an "Updated at" line, an added paragraph)
made the story's paragraphs the source's boilerplate once there were three of them, and its reuse elsewhere
went unreported. Each line row now carries the story of its article (`story_id`: the first stored version's
id) and its number of words, by which a new article is matched to the stored versions of its story
(`service.repository.story_of`). Existing rows become stories of their own, with no word counts: they are
not matched as versions (the rule before this migration) until their article is replaced or re-signed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("article_lines", sa.Column("story_id", sa.Integer(), nullable=True))
    op.add_column("article_lines", sa.Column("words", sa.Integer(), nullable=True))
    op.execute("UPDATE article_lines SET story_id = article_id")
    with op.batch_alter_table("article_lines") as batch:  # SQLite changes a column by copying the table
        batch.alter_column("story_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_index("ix_article_lines_source_line_key")
        batch.create_index("ix_article_lines_source_line_key_story", ["source", "line_key", "story_id"])


def downgrade() -> None:
    with op.batch_alter_table("article_lines") as batch:
        batch.drop_index("ix_article_lines_source_line_key_story")
        batch.create_index("ix_article_lines_source_line_key", ["source", "line_key"])
        batch.drop_column("words")
        batch.drop_column("story_id")
