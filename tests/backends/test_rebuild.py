"""The database is the source of truth: a flushed or damaged shared index is found and rebuilt, and the
reports afterwards are identical to the ones before."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from service.cli import app as cli
from service.core.config import Settings
from service.core.db import make_engine
from service.main import create_app
from tests.backends.support import Backend, forget_index
from tests.helpers import article, seeds

API = "/api/v1"


def _reports(client: TestClient, ids: list[int], probe: str) -> dict[str, Any]:
    reports: dict[str, Any] = {str(i): client.get(f"{API}/articles/{i}/overlaps").json() for i in ids}
    reports["check"] = client.post(f"{API}/check", json={"text": probe}).json()
    return reports


def _index(command: str, backend: Backend) -> Any:
    return CliRunner().invoke(cli, ["index", command], env=backend.env)


def test_flush_then_rebuild_gives_identical_reports(pg_redis: Backend) -> None:
    texts = [*seeds().values(), article("harbour"), article("orchard")]
    app = create_app(Settings(database_url=pg_redis.database_url, **pg_redis.settings))
    with TestClient(app) as client:
        assert app.state.detector.wait_ready(60), app.state.detector.load_error
        ids = [client.post(f"{API}/articles", json={"text": t}).json()["article"]["id"] for t in texts]
        before = _reports(client, ids, texts[1])
        assert sum(len(r["overlaps"]) for r in before.values()) > 0
        checked = _index("verify", pg_redis)
        assert checked.exit_code == 0, checked.output
        assert f"agrees with the database: {len(ids)} article(s)" in checked.output

        forget_index(pg_redis)  # what FLUSHALL or a Redis restart without persistence does to this corpus
        unready = client.get("/readyz")
        assert unready.status_code == 503 and "syndet index rebuild" in unready.json()["detail"]
        refused = client.post(f"{API}/check", json={"text": texts[0]})
        assert refused.status_code == 503 and "syndet index rebuild" in refused.json()["detail"]
        assert _index("verify", pg_redis).exit_code == 1

        rebuilt = _index("rebuild", pg_redis)
        assert rebuilt.exit_code == 0, rebuilt.output
        assert f"indexed {len(ids)} article(s)" in rebuilt.output
        assert client.get("/readyz").json()["articles"] == len(ids)
        assert _reports(client, ids, texts[1]) == before
        assert _index("verify", pg_redis).exit_code == 0


def test_verify_names_each_disagreement(pg_redis: Backend) -> None:
    app = create_app(Settings(database_url=pg_redis.database_url, **pg_redis.settings))
    with TestClient(app) as client:
        assert app.state.detector.wait_ready(60), app.state.detector.load_error
        texts = list(seeds().values())[:3]
        ids = [client.post(f"{API}/articles", json={"text": t}).json()["article"]["id"] for t in texts]
        engine = make_engine(pg_redis.database_url)
        with engine.begin() as db:  # behind the service's back, as a crash between commit and index would leave it
            db.execute(text("DELETE FROM passages WHERE article_id = :id"), {"id": ids[0]})
            db.execute(text("DELETE FROM articles WHERE id = :id"), {"id": ids[0]})
            db.execute(
                text("DELETE FROM passages WHERE id = (SELECT max(id) FROM passages WHERE article_id = :id)"),
                {"id": ids[1]},
            )
        engine.dispose()
        with app.state.detector.index.write_lock():
            app.state.detector.index.remove(str(ids[2]))

        found = _index("verify", pg_redis)
        assert found.exit_code == 1
        assert f"1 indexed article(s) not in the database: {ids[0]}" in found.output
        assert f"1 stored article(s) missing from the index: {ids[2]}" in found.output
        assert f"article {ids[1]}:" in found.output and "indexed" in found.output
        assert _index("rebuild", pg_redis).exit_code == 0
        assert _index("verify", pg_redis).exit_code == 0
        assert client.get("/readyz").json()["articles"] == 2
