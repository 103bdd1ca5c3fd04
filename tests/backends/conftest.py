"""Fixtures for backend tests: a fresh store on SQLite or PostgreSQL + Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backends.support import Backend, postgres_redis


@pytest.fixture(params=["sqlite", "postgres-redis"])
def any_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """Each test runs on both stores (the PostgreSQL one skipped where the services are absent, outside CI)."""
    if request.param == "sqlite":
        yield Backend(f"sqlite:///{tmp_path / 'syndet.db'}")
        return
    with postgres_redis() as backend:
        yield backend


@pytest.fixture
def pg_redis() -> Iterator[Backend]:
    with postgres_redis() as backend:
        yield backend
