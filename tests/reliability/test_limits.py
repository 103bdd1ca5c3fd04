"""Per-key rate limit (429 with Retry-After) and request timeouts (503; the work still lands exactly once)."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from service import repository
from service.api.limits import RateLimiter
from tests.helpers import article
from tests.reliability.conftest import API, OpenClient

WORDS = "The harbour master said the ferry would resume on Monday after the storm had passed."


def test_token_bucket_refills_at_the_rate() -> None:
    limiter = RateLimiter(rate=2.0, burst=3)
    assert [limiter.acquire("a", now=10.0) for _ in range(4)] == [0.0, 0.0, 0.0, 0.5]
    assert limiter.acquire("b", now=10.0) == 0.0  # callers have buckets of their own
    assert limiter.acquire("a", now=10.5) == 0.0
    assert limiter.acquire("a", now=10.5) == 0.5


def test_callers_are_bounded() -> None:
    limiter = RateLimiter(rate=1.0, burst=1, max_callers=100)
    for n in range(1000):
        limiter.acquire(f"client:{n}", now=0.0)
    assert len(limiter._buckets) == 100


def test_rate_limit_answers_429_with_retry_after(open_client: OpenClient) -> None:
    with open_client(rate_limit=0.5, rate_burst=3) as client:
        statuses = [client.post(f"{API}/check", json={"text": WORDS}).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = client.get(f"{API}/articles")
        assert refused.status_code == 429
        # one token a 2 s at 0.5/s: 2 s, or 1 when the first requests took over a second (compiling kernels)
        assert refused.headers["retry-after"] in ("1", "2")
        assert "rate limit exceeded" in refused.json()["detail"] and "SYNDET_RATE_LIMIT" in refused.json()["detail"]
        assert client.get("/healthz").status_code == 200  # health is never limited


def stored(client: TestClient) -> int:
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        return repository.count_articles(session)


def test_a_timed_out_post_is_answered_503_and_stored_once(open_client: OpenClient) -> None:
    text = "\n\n".join(article(name) for name in ("harbour", "orchard")) * 80  # well over 0.05 s of work
    with open_client(request_timeout=0.05) as client:
        started = time.monotonic()
        response = client.post(f"{API}/articles", json={"text": text, "external_id": "long"})
        assert response.status_code == 503, response.text
        assert "SYNDET_REQUEST_TIMEOUT" in response.json()["detail"] and response.headers["retry-after"] == "5"
        assert time.monotonic() - started < 5
        deadline = time.monotonic() + 30
        while stored(client) == 0 and time.monotonic() < deadline:
            time.sleep(0.1)  # the abandoned work finishes in the background
    with open_client(request_timeout=30) as client:
        again = client.post(f"{API}/articles", json={"text": text, "external_id": "long"})
        assert again.status_code == 200  # already stored: the retry adds no second copy
        assert client.get(f"{API}/articles").json()["count"] == 1
