"""Bad input gets a 4xx with a `detail` that says what is wrong, and leaves the stored corpus as it was."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from service.commands.serve import serve
from service.core.config import Settings
from service.core.db import make_engine
from service.main import create_app
from shingling import EngineConfig, ParameterMismatchError
from tests.backends.support import Backend, forget_index
from tests.service.conftest import OpenClient, post_seeds

API = "/api/v1"
ARTICLE = "The harbour master said the ferry would resume on Monday after the storm had passed."


def snapshot(client: TestClient) -> dict[str, Any]:
    return client.get(f"{API}/articles?limit=500").json()


def detail_text(response: Any) -> str:
    detail = response.json()["detail"]
    return detail if isinstance(detail, str) else " ".join(f"{e['loc']} {e['msg']}" for e in detail)


BAD_BODIES = [
    pytest.param({}, 422, "exactly one of `text` or `html`", id="neither-text-nor-html"),
    pytest.param({"text": ARTICLE, "html": "<p>x</p>"}, 422, "exactly one of `text` or `html`", id="both"),
    pytest.param({"text": ""}, 422, "at least 1 character", id="empty-text"),
    pytest.param({"text": " \n ... -- !! \n"}, 422, "no words", id="no-words"),
    pytest.param({"html": "<html><body><script>x()</script></body></html>"}, 422, "no article text", id="empty-html"),
    pytest.param({"text": 42}, 422, "valid string", id="text-not-a-string"),
    pytest.param({"text": ARTICLE, "published_at": "last tuesday"}, 422, "published_at", id="bad-date"),
    pytest.param({"text": ARTICLE, "published_at": 1700000000}, 422, "ISO 8601", id="date-as-number"),
    # a string of digits is no Unix timestamp ("20150227" is ISO's basic form of a date, and is accepted)
    pytest.param({"text": ARTICLE, "published_at": "1700000000"}, 422, "ISO 8601", id="date-as-digit-string"),
    pytest.param({"text": ARTICLE, "external_id": ""}, 422, "external_id", id="empty-external-id"),
    pytest.param({"text": ARTICLE, "title": "a\u0000b"}, 422, "NUL", id="nul-in-title"),
    pytest.param({"text": ARTICLE, "external_id": "x\u0000"}, 422, "NUL", id="nul-in-external-id"),
    pytest.param({"text": ARTICLE, "tags": ["x"]}, 422, "Extra inputs are not permitted", id="unknown-field"),
    pytest.param([ARTICLE], 422, "valid dictionary", id="json-array"),
]


@pytest.fixture
def seeded_client(client: TestClient, seed_texts: dict[str, str]) -> Iterator[TestClient]:
    post_seeds(client, seed_texts)
    yield client


@pytest.mark.parametrize("endpoint", ["articles", "check"])
@pytest.mark.parametrize(("body", "status", "says"), BAD_BODIES)
def test_bad_body(seeded_client: TestClient, endpoint: str, body: Any, status: int, says: str) -> None:
    before = snapshot(seeded_client)
    response = seeded_client.post(f"{API}/{endpoint}", json=body)
    assert response.status_code == status, response.text
    assert says in detail_text(response)
    if isinstance(response.json()["detail"], list):  # validation errors do not echo the (maybe huge) input back
        assert all(set(error) == {"type", "loc", "msg"} for error in response.json()["detail"])
        # our validators' messages as written, without pydantic's "Value error, " in front
        assert not any(error["msg"].startswith("Value error") for error in response.json()["detail"])
    assert snapshot(seeded_client) == before


@pytest.mark.parametrize(
    ("content", "says"),
    [
        pytest.param(b'{"text": "unterminated', "JSON decode error", id="malformed"),
        pytest.param(b"", "Field required", id="empty-body"),
        pytest.param(b"text=hello", "JSON decode error", id="form-encoded-as-json"),
    ],
)
def test_malformed_json(seeded_client: TestClient, content: bytes, says: str) -> None:
    before = snapshot(seeded_client)
    response = seeded_client.post(f"{API}/articles", content=content, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert says in detail_text(response)
    assert snapshot(seeded_client) == before


def test_unknown_and_malformed_ids(seeded_client: TestClient) -> None:
    for method, path in [("GET", "/articles/999"), ("DELETE", "/articles/999"), ("GET", "/articles/999/overlaps")]:
        response = seeded_client.request(method, f"{API}{path}")
        assert response.status_code == 404
        assert response.json() == {"detail": "no article with id 999"}
    response = seeded_client.get(f"{API}/articles/first")
    assert response.status_code == 422 and "valid integer" in detail_text(response)


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 501}, {"offset": -1}, {"limit": "many"}])
def test_bad_paging(seeded_client: TestClient, query: dict[str, Any]) -> None:
    response = seeded_client.get(f"{API}/articles", params=query)
    assert response.status_code == 422
    assert next(iter(query)) in detail_text(response)


def test_article_larger_than_the_maximum(open_client: OpenClient) -> None:
    with open_client(max_article_bytes=200, max_html_bytes=200) as client:
        response = client.post(f"{API}/articles", json={"text": ARTICLE * 3})
        assert response.status_code == 413
        assert "SYNDET_MAX_ARTICLE_BYTES" in response.json()["detail"]
        response = client.post(f"{API}/check", json={"html": f"<p>{ARTICLE * 3}</p>"})
        assert response.status_code == 413 and "`html`" in response.json()["detail"]
        assert "SYNDET_MAX_HTML_BYTES" in response.json()["detail"]
        assert client.post(f"{API}/articles", json={"text": ARTICLE}).status_code == 201
        assert snapshot(client)["count"] == 1


def test_request_body_larger_than_the_maximum(open_client: OpenClient) -> None:
    with open_client(max_body_bytes=1000) as client:
        declared = client.post(f"{API}/articles", json={"text": ARTICLE * 20})
        assert declared.status_code == 413
        assert "SYNDET_MAX_BODY_BYTES" in declared.json()["detail"]

        def chunks() -> Iterator[bytes]:
            yield b'{"text": "'
            for _ in range(20):
                yield ARTICLE.encode()
            yield b'"}'

        streamed = client.post(f"{API}/articles", content=chunks(), headers={"content-type": "application/json"})
        assert streamed.status_code == 413
        assert "SYNDET_MAX_BODY_BYTES" in streamed.json()["detail"]
        assert snapshot(client)["count"] == 0


def test_parameter_mismatch_is_refused_at_start(open_client: OpenClient, seed_texts: dict[str, str]) -> None:
    with open_client() as client:
        post_seeds(client, seed_texts)
    with pytest.raises(ParameterMismatchError, match="num_perm: stored 128, running 64"), open_client(num_perm=64):
        pass
    with pytest.raises(ParameterMismatchError, match="shingle_size"), open_client(shingle_size=4):
        pass
    with open_client() as client:
        assert snapshot(client)["count"] == 5


def test_empty_database_accepts_other_parameters(open_client: OpenClient, seed_texts: dict[str, str]) -> None:
    with open_client(num_perm=64) as client:
        post_seeds(client, seed_texts)
        assert client.get("/readyz").json()["articles"] == 5
    with pytest.raises(ParameterMismatchError), open_client():
        pass


def test_unreadable_signatures_make_the_service_unready(
    open_client: OpenClient, backend: Backend, seed_texts: dict[str, str]
) -> None:
    with open_client() as client:
        post_seeds(client, seed_texts)
    engine = make_engine(backend.database_url)
    with engine.begin() as db:
        db.execute(
            text("UPDATE passages SET signature = :bad WHERE id = (SELECT min(id) FROM passages)"),
            {"bad": b"\x00\xff"},
        )
    engine.dispose()
    forget_index(backend)  # a shared index would otherwise still be current: start-up must read the signatures
    app = create_app(Settings(database_url=backend.database_url, **backend.settings))
    with TestClient(app) as client:
        app.state.detector.wait_ready(5)
        ready = client.get("/readyz")
        assert ready.status_code == 503 and "ValueError" in ready.json()["detail"]
        refused = client.post(f"{API}/check", json={"text": ARTICLE})
        assert refused.status_code == 503 and "not ready" in refused.json()["detail"]
        assert client.get("/healthz").status_code == 200


def test_serve_refuses_a_mismatched_database_with_a_message(
    open_client: OpenClient, db_url: str, seed_texts: dict[str, str]
) -> None:
    with open_client() as client:
        post_seeds(client, seed_texts)
    app = typer.Typer()
    app.command()(serve)
    result = CliRunner(env={"COLUMNS": "300"}).invoke(app, ["--database-url", db_url], env={"SYNDET_NUM_PERM": "64"})
    assert result.exit_code == 1
    assert "num_perm: stored 128, running 64" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("command", "variable", "value", "says"),
    [
        (["serve"], "SYNDET_MAX_CANDIDATES", "-1", "greater than 0"),
        (["index", "verify"], "SYNDET_INDEX_BACKEND", "mongo", "'memory' or 'redis'"),
        (["db", "resign"], "SYNDET_NUM_PERM", "many", "valid integer"),
    ],
)
def test_a_bad_setting_is_named_not_a_traceback(command: list[str], variable: str, value: str, says: str) -> None:
    from service.cli import app as cli

    result = CliRunner(env={"COLUMNS": "300"}).invoke(cli, command, env={variable: value})
    assert result.exit_code == 2
    assert f"{variable}: " in result.output and says in result.output and "Traceback" not in result.output


def test_a_query_parameter_given_twice_is_refused(client: TestClient, seed_texts: dict[str, str]) -> None:
    """The last of several values would silently win; the client learns instead which parameter it repeated."""
    checked = client.post("/api/v1/check?within_days=1&within_days=2", json={"text": seed_texts["000"]})
    assert checked.status_code == 422 and "`within_days`" in checked.json()["detail"]
    listed = client.get("/api/v1/articles?limit=1&limit=2&offset=0")
    assert listed.status_code == 422
    assert "`limit`" in listed.json()["detail"] and "offset" not in listed.json()["detail"]
    assert client.get("/api/v1/articles?limit=1&offset=0").status_code == 200


def test_an_unknown_query_parameter_is_refused_with_the_known_ones(client: TestClient) -> None:
    """A misspelt filter (`within_day`) must not be silently ignored."""
    response = client.post("/api/v1/check?within_day=3", json={"text": "The harbour opens on Monday morning."})
    assert response.status_code == 422
    assert "`within_day`" in response.json()["detail"] and "`within_days`" in response.json()["detail"]


def test_query_windows_are_a_setting() -> None:
    from service.core.config import Settings

    assert Settings().engine_config().query_window_words == EngineConfig().query_window_words == 40
    assert Settings(query_window_words=0).engine_config().query_window_words == 0
    assert Settings(query_window_words=80, query_window_stride=40).engine_config().query_window_stride == 40
    with pytest.raises(ValueError, match="query_window_stride"):
        Settings(query_window_stride=0)


def test_screening_is_a_setting() -> None:
    from service.core.config import Settings

    assert Settings().engine_config().screen_min_chars == 20_000
    assert Settings(screen_min_chars=0).engine_config().screen_min_chars == 0
    with pytest.raises(ValueError, match="screen_min_chars"):
        Settings(screen_min_chars=-1)
