"""The real `syndet` entry point: results on stdout, progress bars on stderr only when it is a terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.cli.conftest import PHRASE, read

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "service.cli", "scan"]


def run_with_tty_stderr(*args: str) -> tuple[str, str, int]:
    """Run `syndet scan` with stderr on a pseudo-terminal (as in a shell) and stdout on a pipe."""
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO once the child closed the terminal
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        proc = subprocess.run(
            [*COMMAND, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=slave, timeout=120, check=False
        )
    finally:
        os.close(slave)
        reader.join(timeout=10)
        os.close(master)
    return proc.stdout.decode("utf-8"), b"".join(chunks).decode("utf-8", "replace"), proc.returncode


def test_progress_bars_draw_on_a_terminal(seeds_dir: Path) -> None:
    stdout, stderr, code = run_with_tty_stderr(str(seeds_dir))
    assert code == 0, stderr
    assert "reading" in stderr and "querying" in stderr and "comparing" in stderr
    assert "\x1b[" in stderr, "a live bar redraws with terminal control codes"
    report = json.loads(stdout)
    found = next(p for p in report["pairs"] if (p["a"], p["b"]) == ("000.txt", "001.txt"))
    a, b = read(seeds_dir / "000.txt"), read(seeds_dir / "001.txt")
    assert any(PHRASE in a[p["a"]["start"] : p["a"]["end"]] for p in found["passages"])
    assert any(PHRASE in b[p["b"]["start"] : p["b"]["end"]] for p in found["passages"])


def test_quiet_draws_nothing_even_on_a_terminal(seeds_dir: Path) -> None:
    stdout, stderr, code = run_with_tty_stderr(str(seeds_dir), "--quiet")
    assert code == 0
    assert stderr == ""
    assert len(json.loads(stdout)["documents"]) == 5


def test_no_bars_when_stderr_is_a_pipe(seeds_dir: Path) -> None:
    (seeds_dir / "empty.txt").write_bytes(b"")
    proc = subprocess.run(
        [*COMMAND, str(seeds_dir), "--format", "jsonl"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0
    notices = proc.stderr.splitlines()
    assert len(notices) == 2
    assert notices[0] == "syndet: skipped empty.txt: empty file"
    assert notices[1].startswith("syndet: 5 document(s), 1 skipped, ")
    assert "\x1b[" not in proc.stderr and "reading" not in proc.stderr
    lines = proc.stdout.splitlines()
    assert json.loads(lines[0])["skipped"] == [{"path": "empty.txt", "reason": "empty file"}]


@pytest.mark.parametrize("args", [["/definitely/not/here"], ["--format", "xml", "."]])
def test_argument_errors_exit_2_without_a_traceback(args: list[str]) -> None:
    proc = subprocess.run([*COMMAND, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_a_reader_that_stops_early_is_not_an_error(seeds_dir: Path) -> None:
    proc = subprocess.Popen(
        [*COMMAND, str(seeds_dir), "--format", "jsonl"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head -0`: the first write meets a closed pipe
    stderr = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 0
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr
