"""Start `syndet serve` in a subprocess on port 0 and wait until /readyz answers 200."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Running:
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def workers(self) -> list[int]:
        """Pids of uvicorn's worker processes (children running multiprocessing's spawn entry point)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                cmdline = (stat.parent / "cmdline").read_bytes()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid and b"spawn_main" in cmdline:
                found.append(int(stat.parent.name))
        return sorted(found)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@contextmanager
def serve(
    env: dict[str, str],
    tmp_path: Path,
    args: Sequence[str] = (),
    command: Sequence[str] | None = None,
    cwd: Path | None = None,
    timeout: float = 90,
) -> Iterator[Running]:
    """`syndet serve --port 0 ARGS` (or `command` ARGS) with `env` added to this environment, in `cwd`
    (default: the repository); stopped (SIGTERM) on exit."""
    log_file = tempfile.NamedTemporaryFile("w+", dir=tmp_path, prefix="server-", suffix=".log", delete=False)  # noqa: SIM115
    if command is None:
        command = [
            sys.executable,
            "-m",
            "service.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-access-log",
        ]
    process = subprocess.Popen(
        [*command, *args], cwd=cwd or ROOT, env={**os.environ, **env}, stdout=log_file, stderr=subprocess.STDOUT
    )
    log = Path(log_file.name)
    try:
        deadline = time.monotonic() + timeout
        base: str | None = None
        while True:
            output = log.read_text(errors="replace")
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"server did not become ready:\n{output}")
            if base is None and (match := re.search(r"Uvicorn running on (http://\S+)", output)):
                base = match.group(1)
            if base is not None and ready(base):
                break
            time.sleep(0.2)
        try:
            yield Running(base, process, log)
        except BaseException:
            sys.stderr.write(f"--- server log ---\n{log.read_text(errors='replace')}")
            raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_file.close()
