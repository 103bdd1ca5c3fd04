"""Fixtures for reliability tests: the app in-process on a temporary database, and the real server in a
subprocess (so it can be killed with SIGKILL and restarted on the same database)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from service.core.config import Settings
from service.main import create_app

ROOT = Path(__file__).resolve().parents[2]
API = "/api/v1"

OpenClient = Callable[..., AbstractContextManager[TestClient]]


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'syndet.db'}"


@pytest.fixture
def open_client(db_url: str) -> OpenClient:
    """The real app on the test's database, in-process; settings may be overridden."""

    @contextmanager
    def _open(**overrides: Any) -> Iterator[TestClient]:
        app = create_app(Settings(**{"database_url": db_url, **overrides}))
        with TestClient(app) as client:
            assert app.state.detector.wait_ready(30), app.state.detector.load_error
            yield client

    return _open


@dataclass
class Server:
    """A `syndet serve` subprocess: its base URL, process and log."""

    process: subprocess.Popen[bytes]
    log_path: Path
    base: str = ""
    env: dict[str, str] = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no flush, no goodbye."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


StartServer = Callable[..., Server]


def ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[StartServer]:
    """Start `syndet serve` on 127.0.0.1, port 0, with SYNDET_* overrides; returns once /readyz is 200.

    Every server started is stopped at the end of the test. The database defaults to the test's SQLite file.
    """
    started: list[Server] = []

    def _start(**env_overrides: str) -> Server:
        env = {
            **os.environ,
            "SYNDET_DATABASE_URL": f"sqlite:///{tmp_path / 'server.db'}",
            **env_overrides,
        }
        log_path = tmp_path / f"server-{len(started)}.log"
        command = [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1", "--port", "0"]
        with open(log_path, "wb") as log:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        server = Server(process, log_path, env=env)
        started.append(server)
        deadline = time.monotonic() + 60
        while True:
            output = server.log()
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"server did not become ready:\n{output}")
            if not server.base and (match := re.search(r"Uvicorn running on (http://[0-9.]+:\d+)", output)):
                server.base = match.group(1)
            if server.base and ready(server.base):
                return server
            time.sleep(0.1)

    yield _start
    for server in started:
        server.stop()


def snapshot(client: TestClient | httpx.Client, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """What is stored: every listed article and the index size, to compare before and after."""
    listing = client.get(f"{API}/articles", params={"limit": 500}, headers=headers or {}).json()
    return {"listing": listing, "index": client.get("/readyz").json()}
