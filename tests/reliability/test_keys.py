"""API keys: made and revoked with `syndet keys`, stored hashed, required for writes once one exists."""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from service.api.security import KeyRing
from service.cli import app as cli
from service.commands.serve import open_writes_warning
from tests.reliability.conftest import API, OpenClient

WORDS = "The harbour master said the ferry would resume on Monday after the storm had passed."
runner = CliRunner()


def keys(db_url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["keys", *args, "--database-url", db_url])
    return result.exit_code, result.stdout, result.stderr


def test_no_key_means_open_writes_and_a_loud_warning(open_client: OpenClient, caplog: pytest.LogCaptureFixture) -> None:
    with open_client() as client:
        assert client.post(f"{API}/articles", json={"text": WORDS}).status_code == 201
    assert any("NO API KEY EXISTS" in r.getMessage() for r in caplog.records)
    assert "writes are OPEN" in open_writes_warning("127.0.0.1")
    assert "ANYONE WHO CAN REACH 0.0.0.0" in open_writes_warning("0.0.0.0")


def test_writes_need_a_key_once_one_exists(open_client: OpenClient, db_url: str) -> None:
    with open_client() as client:  # creates the schema
        created = client.post(f"{API}/articles", json={"text": WORDS}).json()["article"]["id"]
    code, key, message = keys(db_url, "create", "wire-desk")
    key = key.strip()
    assert code == 0 and key.startswith("syndet_") and len(key) > 40 and "shown only now" in message

    with open_client() as client:
        refused = client.post(f"{API}/articles", json={"text": WORDS + " Again."})
        assert refused.status_code == 401 and "X-API-Key" in refused.json()["detail"]
        assert refused.headers["www-authenticate"] == "X-API-Key"
        assert client.delete(f"{API}/articles/{created}").status_code == 401
        wrong = client.delete(f"{API}/articles/{created}", headers={"X-API-Key": key[:-1] + "x"})
        assert wrong.status_code == 401 and "not hold an active API key" in wrong.json()["detail"]
        # reads and checks stay open by default
        assert client.get(f"{API}/articles/{created}").status_code == 200
        assert client.post(f"{API}/check", json={"text": WORDS}).status_code == 200
        assert client.get("/metrics").status_code == 200

        keyed = {"X-API-Key": key}
        assert client.post(f"{API}/articles", json={"text": WORDS + " Again."}, headers=keyed).status_code == 201
        assert client.delete(f"{API}/articles/{created}", headers=keyed).status_code == 204


def test_keys_are_stored_hashed_listed_without_secrets_and_revoked(open_client: OpenClient, db_url: str) -> None:
    with open_client():
        pass
    _, first, _ = keys(db_url, "create", "first")
    _, second, _ = keys(db_url, "create", "second")
    first, second = first.strip(), second.strip()
    path = make_url(db_url).database
    assert path is not None
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name, key_hash, prefix FROM api_keys ORDER BY id").fetchall()
        dump = "\n".join(db.iterdump())
    assert [r[1] for r in rows] == [hashlib.sha256(k.encode()).hexdigest() for k in (first, second)]
    assert first not in dump and second not in dump and all(len(r[2]) < 16 for r in rows)

    code, listing, _ = keys(db_url, "list", "--json")
    listed = json.loads(listing)
    assert code == 0 and [k["name"] for k in listed] == ["first", "second"]
    assert first not in listing and rows[0][1] not in listing

    code, _, message = keys(db_url, "revoke", str(listed[0]["id"]))
    assert code == 0 and "1 active key(s) left" in message
    with open_client() as client:
        assert client.post(f"{API}/articles", json={"text": WORDS}, headers={"X-API-Key": first}).status_code == 401
        assert client.post(f"{API}/articles", json={"text": WORDS}, headers={"X-API-Key": second}).status_code == 201

    code, _, message = keys(db_url, "revoke", str(listed[1]["id"]))
    assert code == 0 and "nobody can write" in message
    with open_client() as client:  # revoking every key closes writes; it does not reopen them
        assert client.post(f"{API}/articles", json={"text": WORDS + " More."}).status_code == 401

    assert keys(db_url, "revoke", "99")[0] == 1
    assert keys(db_url, "create", " ")[0] == 2


def test_a_revoked_key_stops_working_in_a_running_server(open_client: OpenClient, db_url: str) -> None:
    with open_client() as client:
        client.app.state.keys.ttl = 0  # re-read keys on every request
        _, key, _ = keys(db_url, "create", "temp")
        keyed = {"X-API-Key": key.strip()}
        assert client.post(f"{API}/articles", json={"text": WORDS}, headers=keyed).status_code == 201
        keys(db_url, "revoke", "1")
        assert client.post(f"{API}/articles", json={"text": WORDS + " Two."}, headers=keyed).status_code == 401


def test_keys_are_reread_in_a_worker_thread_never_on_the_event_loop(
    open_client: OpenClient, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The access check runs on the event loop (no thread hop a request); the database read of the keys, when
    due, must not: it would hold up every other request."""
    where: list[str] = []
    reread = KeyRing.refresh

    def spy(ring: KeyRing) -> None:
        try:
            asyncio.get_running_loop()
            where.append("event loop")
        except RuntimeError:
            where.append("worker thread")
        reread(ring)

    with open_client():
        pass
    _, key, _ = keys(db_url, "create", "desk")
    monkeypatch.setattr(KeyRing, "refresh", spy)
    with open_client(read_access="keyed") as client:
        client.app.state.keys.ttl = 0  # due on every request
        where.clear()  # start-up's own read (before any request is served) aside
        keyed = {"X-API-Key": key.strip()}
        assert client.post(f"{API}/articles", json={"text": WORDS}, headers=keyed).status_code == 201
        assert client.post(f"{API}/check", json={"text": WORDS}, headers=keyed).status_code == 200
        assert client.get(f"{API}/articles/1", headers=keyed).status_code == 200
        assert client.post(f"{API}/check", json={"text": WORDS}).status_code == 401
    assert len(where) >= 4 and set(where) == {"worker thread"}


def test_keyed_reads(open_client: OpenClient, db_url: str) -> None:
    with open_client():
        pass
    _, key, _ = keys(db_url, "create", "reader")
    with open_client(read_access="keyed") as client:
        for method, path in [("GET", "/articles"), ("GET", "/articles/1"), ("GET", "/articles/1/overlaps"),
                             ("GET", "/metrics")]:
            assert client.request(method, f"{API}{path}" if path != "/metrics" else path).status_code == 401
        assert client.post(f"{API}/check", json={"text": WORDS}).status_code == 401
        assert client.get("/healthz").status_code == 200 and client.get("/readyz").status_code == 200
        keyed = {"X-API-Key": key.strip()}
        assert client.get(f"{API}/articles", headers=keyed).status_code == 200
        assert client.post(f"{API}/check", json={"text": WORDS}, headers=keyed).status_code == 200


def test_keys_command_on_a_database_without_the_table(tmp_path: Path) -> None:
    code, _, message = keys(f"sqlite:///{tmp_path / 'empty.db'}", "list")
    assert code == 1 and "no API key table" in message and "Traceback" not in message


def test_openapi_declares_the_key_header(open_client: OpenClient) -> None:
    with open_client() as client:
        schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["APIKey"] == {
        "type": "apiKey", "in": "header", "name": "X-API-Key",
        "description": "An API key made with `syndet keys create`. Needed for writes once any key exists.",
    }
    assert schema["paths"]["/api/v1/articles"]["post"]["security"] == [{"APIKey": []}]
