"""Stored articles and their passage signatures (SQLAlchemy 2 typed ORM)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as naive UTC and read back as aware UTC, whatever the dialect keeps.

    SQLite drops time zones, so without this a restart would change what the API returns.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Utf8Text(TypeDecorator[str]):
    """Text stored as its UTF-8 bytes: PostgreSQL refuses NUL in text columns, real articles contain them,
    and every reported offset must point into the text exactly as posted (migration 0002)."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        return None if value is None else value.encode("utf-8")

    def process_result_value(self, value: bytes | str | None, dialect: Dialect) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return bytes(value).decode("utf-8")


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Article(Base):
    """One stored article: its text exactly as analysed, so every reported offset points into it."""

    __tablename__ = "articles"
    # AUTOINCREMENT keeps SQLite from reusing a deleted article's id (ids key the index and caches).
    # ix_articles_id_content_hash (migration 0005): a check reads its candidates' content hashes from it alone
    __table_args__: Any = (
        Index("ix_articles_source", "source"),
        Index("ix_articles_id_content_hash", "id", "content_hash"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    external_id: Mapped[str | None] = mapped_column(String(512), unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(512))
    title: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(Utf8Text(), deferred=True)
    extracted_from_html: Mapped[bool] = mapped_column(Boolean, default=False)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    signature_params: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last replaced (migration 0006)
    # What the client said (migration 0004): wire copy or not (None: inferred from the source), and whose.
    wire_flag: Mapped[bool | None] = mapped_column("wire", Boolean)
    wire_agency: Mapped[str | None] = mapped_column("agency", String(64))

    passages: Mapped[list[Passage]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Passage.position",
    )


class Passage(Base):
    """A passage of an article: char offsets into `Article.text` and its MinHash signature bytes."""

    __tablename__ = "passages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    signature: Mapped[bytes] = mapped_column(LargeBinary)

    article: Mapped[Article] = relationship(back_populates="passages")


class ArticleLine(Base):
    """One distinct line of a sourced article, keyed by its normalised words, to learn the source's boilerplate.

    `line_key` is `shingling.boilerplate.line_keys`' 64-bit xxhash as a signed integer; `source` repeats the
    article's, so counting in how many stories of a source a line stands is one indexed query. `story_id` is
    the id of the first stored version of the article's story (its own id when it has none; migration 0007),
    and `words` the line's number of words, which tells versions of one story apart from other stories
    (`shingling.boilerplate.same_story`; null on lines stored before 0007).
    """

    __tablename__ = "article_lines"
    __table_args__: Any = (Index("ix_article_lines_source_line_key_story", "source", "line_key", "story_id"),)

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    line_key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(512))
    story_id: Mapped[int] = mapped_column(Integer)
    words: Mapped[int | None] = mapped_column(Integer)


class ApiKey(Base):
    """An API key, stored as the sha256 of the key (never the key) with a short prefix to recognise it by."""

    __tablename__ = "api_keys"
    NAME_MAX = 128

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    prefix: Mapped[str] = mapped_column(String(32))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
