"""Crash safety: clients post and replace articles concurrently, the server is killed with SIGKILL mid-stream and
restarted; every acknowledged article (and replacement) is stored whole, nothing half-written is visible, and
index and database agree.

Agreement is checked through the API (every stored article is found by checking its own text, and
`/readyz` counts as many indexed articles as the database lists) and, for the shared Redis index, which
outlives the server, with `syndet index verify` as well."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from tests.helpers import article
from tests.reliability.conftest import API, ROOT, Server, StartServer

CLIENTS = 4
KILL_AFTER_ACKS = 20


@dataclass
class Ledger:
    """What the clients were told: acknowledged articles (by external id) and those left in doubt."""

    acked: dict[str, tuple[int, str]] = field(default_factory=dict)  # external id -> (article id, text)
    in_doubt: dict[str, str] = field(default_factory=dict)  # sent, no answer (the server died)
    replacing: dict[str, str] = field(default_factory=dict)  # a replacement sent, no answer: the text it sent
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def unique_article(client: int, n: int) -> str:
    """A distinct article: real paragraphs re-ordered per writer, plus a dateline of its own."""
    paragraphs = [p for name in ("harbour", "orchard") for p in article(name).split("\n\n") if p.strip()]
    shift = (client * 7 + n) % len(paragraphs)
    body = paragraphs[shift:] + paragraphs[:shift]
    return f"Desk {client} filed update {n} at {time.time_ns()}.\n\n" + "\n\n".join(body[:6])


def writer(base: str, client: int, ledger: Ledger, stop: threading.Event) -> None:
    """Posts new articles; every third step instead replaces (PUT) the writer's last acknowledged one."""
    with httpx.Client(base_url=base, timeout=30) as http:
        n = 0
        last: str | None = None
        while not stop.is_set():
            external_id = f"c{client}-n{n}"
            text = unique_article(client, n)
            n += 1
            if last is not None and n % 3 == 0:
                if not replace(http, last, text + "\n\nCorrected.", ledger):
                    return  # the server is gone
                continue
            try:
                response = http.post(f"{API}/articles", json={"text": text, "external_id": external_id})
            except httpx.TransportError:
                with ledger.lock:
                    ledger.in_doubt[external_id] = text
                return  # the server is gone
            with ledger.lock:
                if response.status_code == 201:
                    ledger.acked[external_id] = (response.json()["article"]["id"], text)
                    last = external_id
                else:
                    ledger.errors.append(f"{external_id}: {response.status_code} {response.text[:200]}")


def replace(http: httpx.Client, external_id: str, text: str, ledger: Ledger) -> bool:
    """PUT a new text for an acknowledged article; False when the server is gone (the replacement in doubt)."""
    article_id = ledger.acked[external_id][0]
    try:
        response = http.put(f"{API}/articles/{article_id}", json={"text": text}, params={"compare": "false"})
    except httpx.TransportError:
        with ledger.lock:
            ledger.replacing[external_id] = text
        return False
    with ledger.lock:
        if response.status_code == 200:
            ledger.acked[external_id] = (article_id, text)
        else:
            ledger.errors.append(f"replace {external_id}: {response.status_code} {response.text[:200]}")
    return True


def run_and_kill(server: Server) -> Ledger:
    ledger, stop = Ledger(), threading.Event()
    threads = [threading.Thread(target=writer, args=(server.base, c, ledger, stop)) for c in range(CLIENTS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(ledger.acked) < KILL_AFTER_ACKS and time.monotonic() < deadline:
        time.sleep(0.02)
    server.kill()  # mid-stream: other writers have requests in flight
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return ledger


def verify_after_restart(base: str, ledger: Ledger) -> None:
    with httpx.Client(base_url=base, timeout=60) as http:
        listing = http.get(f"{API}/articles", params={"limit": 500}).json()
        stored = {a["external_id"]: a for a in listing["data"]}
        assert listing["count"] == len(stored)

        lost = [e for e in ledger.acked if e not in stored]
        assert not lost, f"acknowledged but not stored: {lost}"
        for external_id, (article_id, _text) in ledger.acked.items():
            assert stored[external_id]["id"] == article_id
        unexpected = set(stored) - set(ledger.acked) - set(ledger.in_doubt)
        assert not unexpected, f"stored but never sent: {unexpected}"

        for external_id, entry in stored.items():  # whole or absent: text, hash and passages all there
            text = ledger.acked.get(external_id, (0, ledger.in_doubt.get(external_id, "")))[1]
            body = http.get(f"{API}/articles/{entry['id']}").json()
            # a replacement in flight when the server died took effect whole or not at all
            assert body["text"] in (text, ledger.replacing.get(external_id))
            text = body["text"]
            assert body["content_hash"] == hashlib.sha256(text.encode()).hexdigest()
            report = http.post(f"{API}/check", json={"text": text}).json()
            found = {o["article"]["id"]: o["kind"] for o in report["overlaps"]}
            assert found.get(entry["id"]) == "duplicate", "stored but not indexed with its text"

        assert http.get("/readyz").json()["articles"] == listing["count"]
        # the in-doubt articles can simply be posted again: stored once, whatever happened to the first try
        for external_id, text in ledger.in_doubt.items():
            again = http.post(f"{API}/articles", json={"text": text, "external_id": external_id})
            assert again.status_code == (200 if external_id in stored else 201), again.text
        assert http.get(f"{API}/articles").json()["count"] == len(stored | ledger.in_doubt)


def index_verify(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "service.cli", "index", "verify"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(params=["sqlite", "postgres-redis"])
def backend_env(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    if request.param == "sqlite":
        yield {}
        return
    from tests.backends.support import postgres_redis

    with postgres_redis() as backend:
        yield backend.env


def test_sigkill_mid_stream_loses_no_acknowledged_article(
    start_server: StartServer, backend_env: dict[str, str]
) -> None:
    server = start_server(**backend_env)
    ledger = run_and_kill(server)
    assert not ledger.errors, ledger.errors
    in_flight = ledger.in_doubt or ledger.replacing
    assert len(ledger.acked) >= KILL_AFTER_ACKS and in_flight, "the kill should catch requests in flight"
    assert any(text.endswith("Corrected.") for _, text in ledger.acked.values()), "no replacement was acknowledged"

    restarted = start_server(**backend_env)
    verify_after_restart(restarted.base, ledger)
    restarted.stop()
    if backend_env.get("SYNDET_INDEX_BACKEND") == "redis":  # a shared index outlives the server: check it too
        verified = index_verify(restarted.env)
        assert verified.returncode == 0, verified.stdout + verified.stderr
