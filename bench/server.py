"""Run `syndet serve` in a subprocess on port 0 and wait until it is ready: for benchmarks and tests.

The server binds port 0 and its URL is read from its own log, so two runs never race for a port; it is
ready when /readyz answers 200 (the passage index is loaded), and always stopped (SIGTERM, then SIGKILL).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SERVE = (sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1", "--port", "0", "--no-access-log")
_URL = re.compile(r"Uvicorn running on (http://\S+)")


class ServerDidNotStart(RuntimeError):
    """The server exited or was not ready in time; the message holds its log."""


@dataclass
class Running:
    base: str
    process: subprocess.Popen[bytes]
    log: Path
    ready_after: float  # seconds from launch until /readyz said 200


def ready(base: str, timeout: float = 2) -> bool:
    """Whether /readyz answers 200 (the server is up and its passage index loaded)."""
    try:
        return httpx.get(f"{base}/readyz", timeout=timeout).status_code == 200
    except httpx.TransportError:
        return False


@contextmanager
def serve(
    env: Mapping[str, str],
    log: Path,
    args: Sequence[str] = (),
    command: Sequence[str] | None = None,
    cwd: Path | None = None,
    timeout: float = 90,
    stop_timeout: float = 30,
) -> Iterator[Running]:
    """`syndet serve` on 127.0.0.1:0 (or `command`) with ARGS, `env` added to this environment, output to `log`."""
    with open(log, "w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            [*(command or SERVE), *args], cwd=cwd or ROOT, env={**os.environ, **env}, stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base: str | None = None
            while base is None or not ready(base):
                if process.poll() is not None or time.perf_counter() - started > timeout:
                    raise ServerDidNotStart(f"the server did not become ready:\n{log.read_text(errors='replace')}")
                if base is None and (match := _URL.search(log.read_text(errors="replace"))):
                    base = match.group(1)
                time.sleep(0.1)
            yield Running(base, process, log, time.perf_counter() - started)
        finally:
            process.terminate()
            try:
                process.wait(timeout=stop_timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
