"""Database engine, sessions and schema migrations; the only place that knows dialect-specific settings."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 10_000
MIGRATION_LOCK_KEY = 0x5359_4E44_4554  # "SYNDET": one PostgreSQL advisory lock serialises concurrent upgrades
FIRST_REVISION = "0001"


class SchemaError(RuntimeError):
    """The database schema is not the one this version of syndet needs; the message says what to run."""


def make_engine(database_url: str, echo: bool = False, foreign_keys: bool = True) -> Engine:
    """Create the engine for `database_url`; SQLite gets WAL, foreign keys and a busy timeout.

    WAL lets readers (checks, listings) run while one writer commits; foreign keys must be
    switched on per connection in SQLite, or passage rows would outlive their article.
    Migrations run with them off: SQLite alters a table by copying and dropping it, and dropping
    a parent table with foreign keys on would cascade into its children.
    """
    url = make_url(database_url)
    engine = create_engine(url, echo=echo, pool_pre_ping=True)
    if url.get_backend_name() == "sqlite":

        def pragmas(dbapi_connection: Any, _record: Any) -> None:
            _sqlite_pragmas(dbapi_connection, foreign_keys)

        event.listen(engine, "connect", pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, foreign_keys: bool) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not _is_memory(dbapi_connection):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _is_memory(dbapi_connection: Any) -> bool:
    cursor = dbapi_connection.cursor()
    try:
        rows = cursor.execute("PRAGMA database_list").fetchall()
    finally:
        cursor.close()
    return any(row[1] == "main" and not row[2] for row in rows)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded attributes after commit, so responses can be built from them."""
    return sessionmaker(bind=engine, expire_on_commit=False)


# -- migrations -------------------------------------------------------------------------------------


def alembic_config() -> Config:
    """Alembic's configuration for the migrations shipped inside the package (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(Path(str(files("service") / "migrations"))))
    return config


def head_revision() -> str:
    """The newest schema revision this version of syndet knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations found in service/migrations/versions"
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at; None for an empty database (or one made before migrations)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(database_url: str, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate the database to `revision`; returns (revision before, revision after).

    A database created before migrations existed (tables, no version) is first marked as the first
    revision. On PostgreSQL the whole upgrade runs in one transaction under an advisory lock, so
    several processes starting together apply it once.
    """
    engine = make_engine(database_url, foreign_keys=False)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            config.attributes["connection"] = connection
            before = _revision_or_legacy(connection, config)
            _check_known(before)
            command.upgrade(config, revision)
            after = MigrationContext.configure(connection).get_current_revision()
            if connection.dialect.name == "sqlite":
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise SchemaError(f"migration left {len(broken)} rows with dangling foreign keys; rolled back")
    except CommandError as exc:
        raise SchemaError(f"cannot migrate {_safe(database_url)}: {exc}") from None
    finally:
        engine.dispose()
    return before, after


def _revision_or_legacy(connection: Connection, config: Config) -> str | None:
    current = MigrationContext.configure(connection).get_current_revision()
    if current is None and inspect(connection).has_table("articles"):
        command.stamp(config, FIRST_REVISION)  # made by `create_all` before migrations: it is the first revision
        current = FIRST_REVISION
    return current


def _check_known(revision: str | None) -> None:
    if revision is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    try:
        script.get_revision(revision)
    except CommandError:
        raise SchemaError(
            f"the database schema is at revision {revision!r}, newer than this syndet knows "
            f"(newest {head_revision()!r}); upgrade syndet instead"
        ) from None


def require_current_schema(engine: Engine) -> None:
    """Raise SchemaError, saying what to run, unless the database is at the newest revision."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    if current is not None:
        _check_known(current)
    where = _safe(engine.url.render_as_string(hide_password=True))
    if current is not None:
        state = f"is at schema revision {current!r}"
    elif inspect(engine).has_table("articles"):
        state = "was made before schema migrations existed"
    else:
        state = "has no syndet schema"
    raise SchemaError(
        f"the database {where} {state}; this syndet needs {head!r}. Run `syndet db upgrade` "
        "(or start with SYNDET_MIGRATE_ON_START=true)"
    )


def _safe(database_url: str) -> str:
    return make_url(database_url).render_as_string(hide_password=True)
