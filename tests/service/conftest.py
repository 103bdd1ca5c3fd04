"""Fixtures for the overlap service: the real app on a fresh store, and the seed articles.

The store is a temporary SQLite file with the in-process index, or with `SYNDET_TEST_BACKEND=postgres-redis`
a PostgreSQL schema and a Redis key prefix of the test's own (see tests/backends/support.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.core.config import Settings
from service.main import create_app
from tests.backends.support import Backend, postgres_redis, selected_backend
from tests.helpers import seeds

PHRASE = "become a distraction in its foreign policy"
"""Quoted in seeds 000 and 001: a reused passage must contain it on both sides."""

OpenClient = Callable[..., AbstractContextManager[TestClient]]


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """The five seed articles by stem ('000'..'004'); skips where ../shared/seeds is absent."""
    return seeds()


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    """The test's own store on the backend this run tests."""
    if selected_backend() == "sqlite":
        yield Backend(f"sqlite:///{tmp_path / 'syndet.db'}")
        return
    with postgres_redis() as store:
        yield store


@pytest.fixture
def db_url(backend: Backend) -> str:
    return backend.database_url


@pytest.fixture
def open_client(backend: Backend) -> OpenClient:
    """Open the real app on the test's database (again, to simulate a restart); settings may be overridden."""

    @contextmanager
    def _open(**overrides: Any) -> Iterator[TestClient]:
        settings = Settings(**{"database_url": backend.database_url, **backend.settings, **overrides})
        app = create_app(settings)
        with TestClient(app) as client:
            assert app.state.detector.wait_ready(30), app.state.detector.load_error
            yield client

    return _open


@pytest.fixture
def client(open_client: OpenClient) -> Iterator[TestClient]:
    with open_client() as c:
        yield c


def post_seeds(client: TestClient, seed_texts: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Post the seeds in order ('000' first); returns each response body by seed stem."""
    reports = {}
    for stem, text in seed_texts.items():
        response = client.post("/api/v1/articles", json={"text": text, "external_id": f"seed-{stem}"})
        assert response.status_code == 201, response.text
        reports[stem] = response.json()
    return reports


@pytest.fixture
def seeded(client: TestClient, seed_texts: dict[str, str]) -> dict[str, dict[str, Any]]:
    return post_seeds(client, seed_texts)
