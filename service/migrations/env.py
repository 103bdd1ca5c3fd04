"""Alembic environment: migrations run on the connection `service.core.db.upgrade` hands over, or on
`SYNDET_DATABASE_URL` when the `alembic` command is used directly (e.g. `alembic revision --autogenerate`)."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from service.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(**kwargs: Any) -> None:
    # render_as_batch: SQLite cannot ALTER most things, so changes are made by copying the table.
    context.configure(target_metadata=target_metadata, render_as_batch=True, compare_type=True, **kwargs)


def run_offline() -> None:
    """Print the SQL instead of running it (`alembic upgrade head --sql`)."""
    _configure(url=_database_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection: Connection | None = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from service.core.db import make_engine

    engine = make_engine(_database_url())
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


def _run(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


def _database_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from service.core.config import Settings

    return Settings().database_url


if context.is_offline_mode():
    run_offline()
else:
    run_online()
