"""Load: N concurrent clients for M seconds against a real `syndet serve` on 127.0.0.1, posts and checks mixed.

    python bench/load.py [--clients N] [--seconds M] [--post-share P] [--corpus DIR] [--json OUT]

Starts the server on a temporary SQLite database (or the database and index that SYNDET_* variables name),
on a free loopback port, with one API key per client. Each client loops until the time is up: with
probability P it stores a new article (POST /api/v1/articles: real paragraphs re-ordered, with a line of
its own), else it checks one (POST /api/v1/check). Afterwards every acknowledged article is looked up:
one missing, or stored with other text, is a lost write. Prints throughput, p50/p99 latency per kind,
the error count (any answer but 200/201, or no answer) and the lost-write count, with the machine's load.
Bounded: at most 64 clients and 600 seconds, loopback only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import log, read_text  # noqa: E402
from bench.server import ServerDidNotStart, serve  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "seeds"
FALLBACK_CORPUS = ROOT / "tests" / "fixtures" / "articles"
MAX_CLIENTS = 64
MAX_SECONDS = 600


@dataclass
class Tally:
    """What the clients saw, merged under a lock."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {"post": [], "check": []})
    errors: dict[str, int] = field(default_factory=dict)
    acked: dict[str, str] = field(default_factory=dict)  # external id -> sha256 of the text sent
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


@dataclass
class Figures:
    clients: int
    seconds: float
    post_share: float
    requests: int
    requests_per_second: float
    posts: int
    posts_per_second: float
    checks: int
    checks_per_second: float
    post_p50_ms: float
    post_p99_ms: float
    check_p50_ms: float
    check_p99_ms: float
    errors: int
    error_kinds: dict[str, int]
    acknowledged: int
    lost_writes: int
    stored_after: int
    cpus: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def paragraphs(corpus: Path) -> list[str]:
    found = [
        p.strip()
        for path in sorted(corpus.glob("*.txt"))
        for p in read_text(path).split("\n\n")
        if len(p.split()) >= 12
    ]
    if len(found) < 8:
        raise SystemExit(f"{corpus} has too few paragraphs (need 8 of 12+ words)")
    return found


def make_article(pool: list[str], rng: random.Random, tag: str) -> str:
    chosen = rng.sample(pool, k=min(len(pool), rng.randint(4, 10)))
    return f"Update {tag}: filed for the load test.\n\n" + "\n\n".join(chosen)


@contextmanager
def server(env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`syndet serve` on 127.0.0.1:0; yields its base URL once /readyz is 200."""
    with tempfile.TemporaryDirectory(prefix="syndet-load-") as tmp:
        try:
            with serve(env, Path(tmp) / "server.log", timeout=120) as running:
                yield running.base, running.process
        except ServerDidNotStart as exc:
            raise SystemExit(str(exc)) from None


def client(base: str, key: str, number: int, until: float, share: float, pool: list[str], tally: Tally) -> None:
    rng = random.Random(number)
    with httpx.Client(base_url=f"{base}/api/v1", headers={"X-API-Key": key}, timeout=60) as http:
        n = 0
        while time.monotonic() < until:
            posting = rng.random() < share
            external_id = f"load-{number}-{n}"
            text = make_article(pool, rng, external_id)
            n += 1
            started = time.perf_counter()
            try:
                if posting:
                    response = http.post("/articles", json={"text": text, "external_id": external_id})
                else:
                    response = http.post("/check", json={"text": text})
            except httpx.HTTPError as exc:
                tally.error(type(exc).__name__)
                continue
            elapsed = time.perf_counter() - started
            if response.status_code not in (200, 201):
                tally.error(str(response.status_code))
                continue
            with tally.lock:
                tally.latencies["post" if posting else "check"].append(elapsed)
                if posting:
                    tally.acked[external_id] = hashlib.sha256(text.encode()).hexdigest()


def stored_hashes(base: str, key: str) -> dict[str, str]:
    """external id -> content hash of every stored article, paging through the listing."""
    found: dict[str, str] = {}
    with httpx.Client(base_url=f"{base}/api/v1", headers={"X-API-Key": key}, timeout=60) as http:
        offset = 0
        while True:
            page = http.get("/articles", params={"limit": 500, "offset": offset}).json()
            found.update({a["external_id"]: a["content_hash"] for a in page["data"] if a["external_id"]})
            offset += len(page["data"])
            if not page["data"] or offset >= page["count"]:
                return found


def create_keys(database_url: str, count: int) -> list[str]:
    from typer.testing import CliRunner

    from service.cli import app

    runner = CliRunner()
    keys = []
    for n in range(count):
        result = runner.invoke(app, ["keys", "create", f"load-{n}", "--database-url", database_url])
        if result.exit_code != 0:
            raise SystemExit(f"cannot create API keys: {result.output}")
        keys.append(result.stdout.strip())
    return keys


def run(clients: int, seconds: float, share: float, corpus: Path, env_overrides: dict[str, str]) -> Figures:
    pool = paragraphs(corpus)
    with tempfile.TemporaryDirectory(prefix="syndet-load-") as folder:
        env = {**os.environ, "SYNDET_DATABASE_URL": f"sqlite:///{folder}/load.db", **env_overrides}
        subprocess.run(
            [sys.executable, "-m", "service.cli", "db", "upgrade", "--database-url", env["SYNDET_DATABASE_URL"]],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )
        keys = create_keys(env["SYNDET_DATABASE_URL"], clients)
        with server(env) as (base, _):
            tally = Tally()
            load_before = os.getloadavg()
            log(f"{clients} clients for {seconds:g} s against {base} ({share:.0%} posts)")
            started = time.monotonic()
            until = started + seconds
            threads = [
                threading.Thread(target=client, args=(base, keys[n], n, until, share, pool, tally))
                for n in range(clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            load_after = os.getloadavg()
            stored = stored_hashes(base, keys[0])
    lost = sum(1 for external_id, digest in tally.acked.items() if stored.get(external_id) != digest)
    posts, checks = len(tally.latencies["post"]), len(tally.latencies["check"])
    return Figures(
        clients=clients,
        seconds=round(elapsed, 1),
        post_share=share,
        requests=posts + checks,
        requests_per_second=round((posts + checks) / elapsed, 1),
        posts=posts,
        posts_per_second=round(posts / elapsed, 1),
        checks=checks,
        checks_per_second=round(checks / elapsed, 1),
        post_p50_ms=round(percentile(tally.latencies["post"], 50) * 1000, 1),
        post_p99_ms=round(percentile(tally.latencies["post"], 99) * 1000, 1),
        check_p50_ms=round(percentile(tally.latencies["check"], 50) * 1000, 1),
        check_p99_ms=round(percentile(tally.latencies["check"], 99) * 1000, 1),
        errors=sum(tally.errors.values()),
        error_kinds=tally.errors,
        acknowledged=len(tally.acked),
        lost_writes=lost,
        stored_after=len(stored),
        cpus=os.cpu_count() or 0,
        load_before=tuple(round(x, 2) for x in load_before),  # type: ignore[arg-type]
        load_after=tuple(round(x, 2) for x in load_after),  # type: ignore[arg-type]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help=f"concurrent clients (1..{MAX_CLIENTS})")
    parser.add_argument("--seconds", type=float, default=20, help=f"how long to drive load (max {MAX_SECONDS})")
    parser.add_argument("--post-share", type=float, default=0.3, help="share of requests that store (0..1)")
    parser.add_argument("--corpus", type=Path, default=None, help="folder of .txt articles to draw paragraphs from")
    parser.add_argument(
        "--rate-limit", default="0", help="SYNDET_RATE_LIMIT for the server (0: off, to measure capacity)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= MAX_CLIENTS or not 0 < args.seconds <= MAX_SECONDS or not 0 <= args.post_share <= 1:
        parser.error(f"--clients 1..{MAX_CLIENTS}, --seconds 0..{MAX_SECONDS}, --post-share 0..1")
    corpus = args.corpus or (DEFAULT_CORPUS if DEFAULT_CORPUS.is_dir() else FALLBACK_CORPUS)
    figures = run(args.clients, args.seconds, args.post_share, corpus, {"SYNDET_RATE_LIMIT": args.rate_limit})
    data: dict[str, Any] = asdict(figures)
    width = max(len(k) for k in data)
    for name, value in data.items():
        print(f"{name:<{width}}  {value}")
    if args.json:
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0 if figures.errors == 0 and figures.lost_writes == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
