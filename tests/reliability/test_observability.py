"""`/metrics` in Prometheus format, request ids echoed as X-Request-ID, JSON log lines without text or keys."""

from __future__ import annotations

import json
import re

import httpx
from prometheus_client.parser import text_string_to_metric_families
from typer.testing import CliRunner

from service.cli import app as cli
from tests.helpers import article
from tests.reliability.conftest import API, OpenClient, StartServer


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_metrics_count_requests_latency_articles_passages_index_and_candidates(open_client: OpenClient) -> None:
    with open_client() as client:
        for name in ("harbour", "orchard"):
            assert client.post(f"{API}/articles", json={"text": article(name)}).status_code == 201
        client.post(f"{API}/check", json={"text": article("harbour")})
        client.get(f"{API}/articles/999")
        client.get("/nowhere/at/all")
        response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)
    assert found[("syndet_http_requests_total", (("method", "POST"), ("route", "/api/v1/articles"),
                                                 ("status", "201")))] == 2
    assert found[("syndet_http_requests_total", (("method", "GET"), ("route", "/api/v1/articles/{article_id}"),
                                                 ("status", "404")))] == 1
    assert found[("syndet_http_requests_total", (("method", "GET"), ("route", "unmatched"), ("status", "404")))] == 1
    assert found[("syndet_http_request_duration_seconds_count", (("method", "POST"),
                                                                 ("route", "/api/v1/check")))] == 1
    assert found[("syndet_articles_stored", ())] == 2
    assert found[("syndet_index_articles", ())] == 2
    assert found[("syndet_passages_stored", ())] >= 2
    assert found[("syndet_index_ready", ())] == 1
    assert found[("syndet_articles_ingested_total", ())] == 2
    assert found[("syndet_candidates_per_query_count", ())] == 3
    assert found[("syndet_candidates_per_query_sum", ())] >= 1  # the check finds at least the harbour article


def test_request_id_is_echoed_or_made(open_client: OpenClient) -> None:
    with open_client() as client:
        given = client.get("/healthz", headers={"X-Request-ID": "newsroom-42.a:b"})
        assert given.headers["x-request-id"] == "newsroom-42.a:b"
        made = client.get("/healthz")
        assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
        hostile = client.get("/healthz", headers={"X-Request-ID": "x" * 500})
        assert re.fullmatch(r"[0-9a-f]{32}", hostile.headers["x-request-id"])
        error = client.post(f"{API}/check", json={}, headers={"X-Request-ID": "bad-1"})
        assert error.status_code == 422 and error.headers["x-request-id"] == "bad-1"


def test_server_logs_are_json_lines_with_request_ids_and_no_text_or_keys(start_server: StartServer) -> None:
    server = start_server()
    db_url = server.env["SYNDET_DATABASE_URL"]
    key = CliRunner().invoke(cli, ["keys", "create", "logger", "--database-url", db_url]).stdout.strip()
    marker = "Zyxwvutsrqmarker"
    text = f"{article('harbour')}\n\nThe {marker} paragraph is secret until published."
    wrong_key = "syndet_" + "w" * 43
    with httpx.Client(base_url=server.base, timeout=30) as http:
        http.get("/readyz")
        import time

        time.sleep(2.2)  # the running server re-reads keys every 2 s
        keyed = {"X-API-Key": key, "X-Request-ID": "post-1"}
        assert http.post(f"{API}/articles", json={"text": text, "title": marker}, headers=keyed).status_code == 201
        assert http.post(f"{API}/articles", json={"text": text}, headers={"X-API-Key": wrong_key}).status_code == 401
        assert http.post(f"{API}/check", json={"text": marker, "tags": [marker]}).status_code == 422
        assert http.post(f"{API}/check", content=f'{{"text": "{marker}'.encode(),
                         headers={"content-type": "application/json"}).status_code == 422
        assert http.post(f"{API}/check", json={"text": text}).status_code == 200
    server.stop()
    log = server.log()
    assert marker not in log and key not in log and wrong_key not in log
    lines = [line for line in log.splitlines() if line.startswith("{")]
    entries = [json.loads(line) for line in lines]
    requests = [e for e in entries if e["logger"] == "syndet.access"]
    assert len(requests) >= 6 and all(re.fullmatch(r"[\w.:-]+", e["request_id"]) for e in requests)
    posted = next(e for e in requests if e["request_id"] == "post-1")
    assert posted["status"] == 201 and posted["route"] == "/api/v1/articles" and posted["key"] == "logger"
    assert posted["duration_ms"] > 0
