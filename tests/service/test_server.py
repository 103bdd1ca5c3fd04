"""The real server: `syndet serve` in a subprocess on 127.0.0.1, talked to with httpx and `syndet check`."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import pytest
import typer
from typer.testing import CliRunner

from service.commands.check import check
from tests.backends.support import Backend
from tests.service.conftest import PHRASE

ROOT = Path(__file__).resolve().parents[2]
Server = Callable[[], AbstractContextManager[str]]


def free_port() -> int:
    """A port nobody listens on (for the unreachable-server case)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture
def server(tmp_path: Path, backend: Backend) -> Server:
    """Start `syndet serve` on the test's database; yields its base URL once /readyz is 200.

    The server binds port 0 and the URL is read from its log, so two test runs never race for a port.
    """

    @contextmanager
    def _start() -> Iterator[str]:
        env = {**os.environ, **backend.env}
        log = tempfile.NamedTemporaryFile("w+", dir=tmp_path, prefix="server-", suffix=".log")  # noqa: SIM115
        command = [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1", "--port", "0"]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            base: str | None = None
            while True:
                log.seek(0)
                output = log.read()
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"server did not become ready:\n{output}")
                if base is None and (match := re.search(r"Uvicorn running on (http://\S+)", output)):
                    base = match.group(1)
                if base is not None and ready(base):
                    break
                time.sleep(0.1)
            try:
                yield base
            except BaseException:
                log.seek(0)
                sys.stderr.write(f"--- server log ---\n{log.read()}")
                raise
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()

    return _start


def test_post_check_get_delete(server: Server, seed_texts: dict[str, str]) -> None:
    with server() as base, httpx.Client(base_url=f"{base}/api/v1", timeout=30) as http:
        ids = {}
        for stem in ("000", "001", "003"):
            response = http.post("/articles", json={"text": seed_texts[stem], "external_id": stem, "source": "seeds"})
            assert response.status_code == 201
            ids[stem] = response.json()["article"]["id"]
        report = http.post("/articles", json={"text": seed_texts["001"]})
        assert report.status_code == 200
        overlap = next(o for o in report.json()["overlaps"] if o["article"]["id"] == ids["000"])
        stored = http.get(f"/articles/{ids['000']}").json()["text"]
        assert any(
            PHRASE in p["text"] and PHRASE in stored[p["existing"]["start"] : p["existing"]["end"]]
            for p in overlap["passages"]
        )
        checked = http.post("/check", json={"text": seed_texts["004"]})
        assert checked.status_code == 200
        assert [o["article"]["id"] for o in checked.json()["overlaps"]] == [ids["003"]]
        assert http.get("/articles").json()["count"] == 3
        assert http.delete(f"/articles/{ids['003']}").status_code == 204
        assert http.post("/check", json={"text": seed_texts["004"]}).json()["overlaps"] == []
        assert http.get(f"/articles/{ids['003']}").status_code == 404
        assert http.post("/check", json={"text": "..."}).status_code == 422


def test_concurrent_writes_and_reads_stay_consistent(server: Server, seed_texts: dict[str, str]) -> None:
    """Many clients posting, re-posting, checking and deleting at once: no lost write, index == database."""
    variants = [
        f"{text}\n\nUpdate {n}: this version was filed by desk {n}." for n in range(4) for text in seed_texts.values()
    ]
    with server() as base:

        def post(text: str) -> tuple[int, int]:
            with httpx.Client(base_url=f"{base}/api/v1", timeout=60) as http:
                response = http.post("/articles", json={"text": text})
                http.post("/check", json={"text": text})
                return response.status_code, response.json()["article"]["id"]

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(post, variants + variants[:6]))
        created = [article_id for status, article_id in results if status == 201]
        assert len(created) == len(set(created)) == len(variants)
        assert {article_id for _, article_id in results} == set(created)

        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(pool.map(lambda i: httpx.delete(f"{base}/api/v1/articles/{i}").status_code, created[:5]))
        assert statuses == [204] * 5
        ready = httpx.get(f"{base}/readyz").json()
        listing = httpx.get(f"{base}/api/v1/articles", params={"limit": 500}).json()
        assert ready["articles"] == listing["count"] == len(variants) - 5
        report = httpx.post(f"{base}/api/v1/check", json={"text": variants[-1]}, timeout=60).json()
        assert {o["article"]["id"] for o in report["overlaps"]} <= {a["id"] for a in listing["data"]}

    with server() as base:  # a restart rebuilds the same index from the database
        assert httpx.get(f"{base}/readyz").json()["articles"] == len(variants) - 5
        assert httpx.post(f"{base}/api/v1/check", json={"text": variants[-1]}, timeout=60).json() == report


def test_check_command(server: Server, seed_texts: dict[str, str], tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(check)
    runner = CliRunner(env={"COLUMNS": "200"})  # wide enough that rich does not wrap table cells
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text(seed_texts["000"], encoding="utf-8")
    second.write_text(seed_texts["001"], encoding="utf-8")
    with server() as base:
        stored = runner.invoke(app, [str(first), "--server", base, "--store", "--external-id", "moscow-times"])
        assert stored.exit_code == 0, stored.output
        assert "stored as article 1" in stored.output
        table = runner.invoke(app, [str(second), "--server", base])
        assert table.exit_code == 0, table.output
        assert "moscow-times" in table.output and "partial" in table.output
        # the syndication reading: the credited agency as a probable wire source, the likely origin, credits
        dated = ["--source", "The Independent", "--published-at", "2015-02-27T17:42:00Z", "--explain"]
        read = runner.invoke(app, [str(second), "--server", base, *dated])
        assert read.exit_code == 0, read.output
        assert "reuters?" in read.output and "Additional reporting by Reuters" in read.output
        assert "origin: " in read.output
        bad_date = runner.invoke(app, [str(second), "--server", base, "--published-at", "yesterday"])
        assert bad_date.exit_code == 1 and "published_at" in bad_date.output and "Traceback" not in bad_date.output
        as_json = runner.invoke(app, [str(second), "--server", base, "--json"])
        assert as_json.exit_code == 0
        report = json.loads(as_json.stdout)
        assert report["overlaps"][0]["article"]["external_id"] == "moscow-times"
        empty = tmp_path / "empty.txt"
        empty.write_text("... !!", encoding="utf-8")
        refused = runner.invoke(app, [str(empty), "--server", base])
        assert refused.exit_code == 1 and "no words" in refused.output and "Traceback" not in refused.output
        assert httpx.get(f"{base}/api/v1/articles").json()["count"] == 1
    down = runner.invoke(app, [str(second), "--server", f"http://127.0.0.1:{free_port()}"])
    assert down.exit_code == 2
    assert "cannot reach" in down.output and "Traceback" not in down.output
