"""Service settings: one pydantic-settings class read from `SYNDET_*` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shingling import EngineConfig
from shingling.stopwords import read_word_list, weak_words_with

MEGABYTE = 1024 * 1024


class Settings(BaseSettings):
    """Everything the service can be told; every field has a safe default.

    Engine parameters left at `None` take the library's defaults, so a deployment only
    pins the ones it means to change (and a change is refused against an existing database).
    """

    model_config = SettingsConfigDict(env_prefix="SYNDET_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///syndet.db",
        description="Any SQLAlchemy URL; the default is a SQLite file in the working directory.",
    )
    database_echo: bool = Field(default=False, description="Log every SQL statement (debugging only).")
    migrate_on_start: bool = Field(
        default=True,
        description="Apply pending schema migrations at start-up; when off, an outdated schema is refused "
        "with a message (run `syndet db upgrade`).",
    )
    index_backend: Literal["memory", "redis"] = Field(
        default="memory",
        description="Where the passage index lives: `memory` (this process; one worker) or `redis` (shared by "
        "every worker and host; needs SYNDET_REDIS_URL).",
    )
    redis_url: str = Field(default="redis://127.0.0.1:6379/0", description="Redis for the shared index.")
    redis_prefix: str = Field(
        default="syndet",
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="First part of every Redis key this service writes.",
    )
    corpus: str = Field(
        default="default",
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="Name of this article collection in Redis; deployments sharing one Redis need different names.",
    )
    max_article_bytes: int = Field(
        default=MEGABYTE // 2,
        gt=0,
        description="Largest accepted article text (posted `text`, or the text extracted from `html`), in UTF-8 "
        "bytes (413 above); 512 KiB is ~85,000 words, far beyond any news article.",
    )
    max_html_bytes: int = Field(
        default=5 * MEGABYTE,
        gt=0,
        description="Largest accepted `html` page, in UTF-8 bytes (413 above); pages carry markup and scripts.",
    )
    max_paragraphs: int = Field(
        default=10_000,
        gt=0,
        description="Most lines holding text an article may have (413 above): bounds the passages per article.",
    )
    request_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds a request may take before it is answered 503 (its work finishes in the background).",
    )
    rate_limit: float = Field(
        default=50.0,
        ge=0,
        description="Requests per second allowed per API key (or per client address without one); 0: no limit.",
    )
    rate_burst: int = Field(default=100, ge=1, description="Requests a caller may send at once above the rate.")
    read_access: Literal["open", "keyed"] = Field(
        default="open",
        description="`open`: anyone may read and check; `keyed`: reads need an API key too (once one exists).",
    )
    log_format: Literal["json", "text"] = Field(default="json", description="Server logs as JSON lines or text.")
    max_body_bytes: int = Field(
        default=12 * MEGABYTE,
        gt=0,
        description="Largest accepted HTTP request body (413 above); leaves room for JSON escaping.",
    )
    document_cache_size: int = Field(
        default=4096,
        ge=0,
        description="Prepared stored articles kept in memory (LRU, ~135 KB each for a 5 KB article once compared).",
    )
    document_cache_mb: int = Field(
        default=1024,
        ge=0,
        description="Memory the prepared stored articles may take in all (estimated from their words), MiB.",
    )
    max_candidates: int = Field(
        default=1000,
        gt=0,
        description="Most stored articles compared per request (those with the most LSH hits).",
    )
    boilerplate_min_others: int = Field(
        default=2,
        ge=1,
        description="A line of an article is its source's boilerplate (never reuse) when it stands in at least this "
        "many other stored articles of the same source.",
    )
    wires_file: Path | None = Field(
        default=None,
        description="JSON file of more wire agencies, added to the built-in ones (or more names for known ones): "
        '`{"nampa": {"name": "Namibia Press Agency", "aliases": ["NAMPA"]}}`.',
    )
    weak_words_file: Path | None = Field(
        default=None,
        description="File of the function words of the stored articles' language (any number a line, # starts a "
        "comment), for languages without a stopword list here (English has one, Urdu's are built in): matched, "
        "but no evidence of reuse. Alignment only: stored signatures stay valid.",
    )
    num_perm: int | None = Field(default=None, gt=0, description="MinHash permutations (unset: engine's).")
    seed: int | None = Field(default=None, description="MinHash seed (unset: engine's).")
    shingle_size: int | None = Field(default=None, gt=0, description="Words per shingle (unset: engine's).")
    query_window_words: int | None = Field(
        default=None,
        ge=0,
        description="A checked text also queries the index with windows of this many words across its paragraph "
        "breaks (unset: engine's, 40; 0: its paragraphs only, fewer candidates and lower recall of rewritten reuse).",
    )
    query_window_stride: int | None = Field(
        default=None, gt=0, description="Words between the starts of two query windows (unset: engine's, 25)."
    )
    screen_min_chars: int | None = Field(
        default=None,
        ge=0,
        description="A stored article longer than this (characters) is aligned whole only if the checked text "
        "shares a seed chain with the passages the index hit (unset: engine's, 20000; 0: never "
        "screened, slower checks at a million passages).",
    )

    @field_validator("weak_words_file")
    @classmethod
    def _weak_words_readable(cls, value: Path | None) -> Path | None:
        """A bad word list stops the start with its reason."""
        if value is not None:
            read_word_list(value)
        return value

    @field_validator("wires_file")
    @classmethod
    def _wires_readable(cls, value: Path | None) -> Path | None:
        """A bad agencies file stops the start with its reason, instead of failing on the first request."""
        from service.wires import load

        load(value)
        return value

    def engine_config(self) -> EngineConfig:
        """The engine configuration these settings describe."""
        overrides: dict[str, Any] = {
            name: value
            for name, value in (
                ("num_perm", self.num_perm),
                ("seed", self.seed),
                ("shingle_size", self.shingle_size),
                ("query_window_words", self.query_window_words),
                ("query_window_stride", self.query_window_stride),
                ("screen_min_chars", self.screen_min_chars),
            )
            if value is not None
        }
        if self.weak_words_file is not None:
            overrides["weak_words"] = weak_words_with(self.weak_words_file)
        return EngineConfig(**overrides)
