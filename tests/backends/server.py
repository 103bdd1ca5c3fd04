"""Start `syndet serve` in a subprocess on port 0 and wait until /readyz answers 200."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

import bench.server
from bench.server import ROOT, ready

__all__ = ["ROOT", "Running", "cpu_seconds", "ready", "serve"]


class Running(bench.server.Running):
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
    (default: the repository); stopped (SIGTERM) on exit. The server's log is printed when the test fails."""
    log = Path(tempfile.mkstemp(dir=tmp_path, prefix="server-", suffix=".log")[1])
    try:
        with bench.server.serve(env, log, args, command, cwd, timeout, stop_timeout=20) as running:
            try:
                yield Running(running.base, running.process, running.log, running.ready_after)
            except BaseException:
                sys.stderr.write(f"--- server log ---\n{log.read_text(errors='replace')}")
                raise
    except bench.server.ServerDidNotStart as exc:
        pytest.fail(str(exc))
