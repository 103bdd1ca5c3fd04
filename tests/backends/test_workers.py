"""Several workers on PostgreSQL + Redis serve one corpus: what one acknowledges, every other sees."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.backends.server import ROOT, cpu_seconds, serve
from tests.backends.support import Backend
from tests.helpers import seeds

API = "/api/v1"


def _fresh_check(base: str, text: str) -> set[int]:
    """Ids a check reports, through a connection of its own (so any worker may answer it)."""
    with httpx.Client(base_url=base, timeout=120) as http:
        response = http.post(f"{API}/check", json={"text": text})
        assert response.status_code == 200, response.text
        return {o["article"]["id"] for o in response.json()["overlaps"]}


def test_two_workers_see_every_acknowledged_article(pg_redis: Backend, tmp_path: Path) -> None:
    texts = seeds()
    story = ["000", "001", "002"]  # one story: each shares passages with the others
    variants = [f"{texts[stem]}\n\nUpdate {n}: filed again by desk {n}." for n in range(2) for stem in story]
    with serve(pg_redis.env, tmp_path, ["--workers", "2"]) as server:
        workers = server.workers()
        assert len(workers) == 2, workers
        before = {pid: cpu_seconds(pid) for pid in workers}
        acknowledged: list[int] = []
        with httpx.Client(base_url=server.base, timeout=120) as writer:  # one connection for every write
            for text in variants:
                response = writer.post(f"{API}/articles", json={"text": text})
                assert response.status_code == 201, response.text
                acknowledged.append(response.json()["article"]["id"])
                seen = _fresh_check(server.base, text)
                assert set(acknowledged) <= seen, "a check right after the POST returned sees every article so far"

            with ThreadPoolExecutor(max_workers=6) as pool:
                reports = list(pool.map(lambda t: _fresh_check(server.base, t), variants))
            assert all(set(acknowledged) <= report for report in reports)

            gone = acknowledged.pop(0)
            assert writer.delete(f"{API}/articles/{gone}").status_code == 204
            with ThreadPoolExecutor(max_workers=6) as pool:
                reports = list(pool.map(lambda t: _fresh_check(server.base, t), variants[1:]))
            assert all(gone not in report and set(acknowledged) <= report for report in reports)

        used = {pid: cpu_seconds(pid) - before[pid] for pid in workers}
        assert all(seconds > 0.05 for seconds in used.values()), f"both workers answered checks: {used}"
        counts = {httpx.get(f"{server.base}/readyz").json()["articles"] for _ in range(6)}
        assert counts == {len(acknowledged)}


def test_in_process_index_refuses_several_workers(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'x.db'}"
    command = [sys.executable, "-m", "service.cli", "serve", "--workers", "2", "--database-url", database]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "SYNDET_INDEX_BACKEND=redis" in result.stderr and "Traceback" not in result.stderr
