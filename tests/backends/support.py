"""Where the test suite finds PostgreSQL and Redis, and throwaway places in them for one test.

`SYNDET_TEST_BACKEND=postgres-redis` runs the service suite on PostgreSQL + Redis instead of SQLite + the
in-process index (CI runs it both ways). Each test gets a PostgreSQL schema and a Redis key prefix of its
own, removed afterwards. Where the services are absent such tests are skipped with the reason, except in
CI (`CI=true`), where absence is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("SYNDET_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("SYNDET_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
BACKENDS = ("sqlite", "postgres-redis")
SELECTED = os.environ.get("SYNDET_TEST_BACKEND", "sqlite")
TEST_PREFIX = "syndet-test"


@dataclass
class Backend:
    """One test's store: a database URL, the settings that select the index, and the same as env vars."""

    database_url: str
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        """The environment a `syndet` subprocess needs to use this backend."""
        return {"SYNDET_DATABASE_URL": self.database_url} | {
            f"SYNDET_{name.upper()}": str(value) for name, value in self.settings.items()
        }


def selected_backend() -> str:
    if SELECTED not in BACKENDS:
        raise pytest.UsageError(f"SYNDET_TEST_BACKEND={SELECTED!r}: expected one of {', '.join(BACKENDS)}")
    return SELECTED


def require_services() -> None:
    """Skip (fail in CI) unless PostgreSQL and Redis answer."""
    missing = _missing_services()
    if not missing:
        return
    message = f"{' and '.join(missing)} not reachable (SYNDET_TEST_POSTGRES_URL / SYNDET_TEST_REDIS_URL)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI needs PostgreSQL and Redis: {message}", pytrace=False)
    pytest.skip(message)


_service_state: list[str] | None = None


def _missing_services() -> list[str]:
    global _service_state
    if _service_state is None:
        _service_state = []
        try:
            engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            engine.dispose()
        except Exception as exc:  # noqa: BLE001 - any failure means "not usable here"
            _service_state.append(f"PostgreSQL at {_hide(POSTGRES_URL)} ({type(exc).__name__})")
        try:
            import redis

            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
        except Exception as exc:  # noqa: BLE001
            _service_state.append(f"Redis at {REDIS_URL} ({type(exc).__name__})")
    return _service_state


def _hide(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def unique_name() -> str:
    return f"{TEST_PREFIX.replace('-', '_')}_{uuid.uuid4().hex[:12]}"


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL whose connections work in a new, empty schema; the schema is dropped afterwards."""
    require_services()
    name = unique_name()
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
        url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={name}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


@contextmanager
def redis_prefix() -> Iterator[str]:
    """A Redis key prefix of this test's own; every key under it is deleted afterwards."""
    require_services()

    prefix = f"{TEST_PREFIX}:{uuid.uuid4().hex[:12]}"
    try:
        yield prefix
    finally:
        forget_index(Backend("", {"redis_prefix": prefix}))


def forget_index(backend: Backend) -> None:
    """Delete a shared index's keys (as a Redis flush would); nothing to do for an in-process one."""
    prefix = backend.settings.get("redis_prefix")
    if prefix is None:
        return
    import redis

    client = redis.Redis.from_url(backend.settings.get("redis_url", REDIS_URL))
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        for start in range(0, len(keys), 500):
            client.unlink(*keys[start : start + 500])
    finally:
        client.close()


@contextmanager
def postgres_redis() -> Iterator[Backend]:
    with postgres_schema() as url, redis_prefix() as prefix:
        yield Backend(url, {"index_backend": "redis", "redis_url": REDIS_URL, "redis_prefix": prefix})
