"""Load and latency of the HTTP service: ingest a corpus through the API, then time `check` requests.

    python bench/service_bench.py [CORPUS_DIR] [--n N] [--checks M] [--clients C] [--check-dir DIR]
                                  [--backend sqlite|postgres-redis] [--workers W]

Starts the real server (`syndet serve`) on a temporary store and a free port, posts N documents of
CORPUS_DIR (default: the PAN 2013 training sources, ../shared/eval/pan13-train/src) with C concurrent
httpx clients, then sends M `/api/v1/check` requests one at a time (default: PAN suspicious documents,
CORPUS_DIR/../susp). Prints the ingest rate, check latency percentiles, the server's memory and the
machine's load average; exits 0 with a `SKIP:` line when the corpus is absent.

The store is a temporary SQLite file with the in-process index (default), or with `--backend
postgres-redis` a throwaway schema in `--postgres-url` and a throwaway key prefix in `--redis-url`
(both removed afterwards), where `--workers` may be more than 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import format_table, log, read_text  # noqa: E402
from bench.server import ServerDidNotStart, serve  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "pan13-train" / "src"


@dataclass
class Figures:
    """What one run measured."""

    documents: int
    clients: int
    ingest_seconds: float
    ingest_per_second: float
    ingest_p50_ms: float
    ingest_p95_ms: float
    created: int
    checks: int
    check_p50_ms: float
    check_p95_ms: float
    check_p99_ms: float
    check_mean_overlaps: float
    rss_mb: float
    peak_rss_mb: float | None
    database_mb: float
    backend: str = "sqlite"
    workers: int = 1
    redis_mb: float | None = None
    load_before: str = ""
    load_after: str = ""


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def memory_mb(pid: int) -> tuple[float, float | None]:
    """Resident and peak resident memory of a process, in MiB (psutil if installed, else /proc)."""
    try:
        import psutil
    except ImportError:
        fields: dict[str, float] = {}
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) / 1024
        return fields["VmRSS"], fields.get("VmHWM")
    info = psutil.Process(pid).memory_info()
    return info.rss / 2**20, None


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages, to say how busy the shared machine was."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


def process_tree_memory_mb(pid: int) -> tuple[float, float | None]:
    """Resident memory of a server and its worker processes, summed (peak: the largest single peak)."""
    pids = [pid] + [
        int(stat.parent.name)
        for stat in Path("/proc").glob("[0-9]*/stat")
        if _parent(stat) == pid and b"spawn_main" in _cmdline(stat.parent)
    ]
    figures = [memory_mb(p) for p in pids]
    peaks = [peak for _, peak in figures if peak is not None]
    return sum(rss for rss, _ in figures), max(peaks) if peaks else None


def _parent(stat: Path) -> int:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def _cmdline(folder: Path) -> bytes:
    try:
        return (folder / "cmdline").read_bytes()
    except OSError:
        return b""


@dataclass
class Store:
    """Where the benchmarked server keeps its articles and index, and how big they got."""

    env: dict[str, str]
    database_mb: Any  # () -> float
    redis_mb: Any = None  # () -> float | None


@contextmanager
def sqlite_store(tmp: Path) -> Iterator[Store]:
    database = tmp / "bench.db"
    yield Store(
        {"SYNDET_DATABASE_URL": f"sqlite:///{database}", "SYNDET_INDEX_BACKEND": "memory"},
        lambda: sum(p.stat().st_size for p in tmp.glob("bench.db*")) / 2**20,
    )


@contextmanager
def postgres_redis_store(postgres_url: str, redis_url: str) -> Iterator[Store]:
    """A throwaway PostgreSQL schema and Redis key prefix, removed afterwards."""
    import uuid

    import redis
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"syndet_bench_{uuid.uuid4().hex[:10]}"
    prefix = f"syndet-bench:{name}"
    admin = create_engine(postgres_url)
    client = redis.Redis.from_url(redis_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    url = make_url(postgres_url).update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(False)

    def database_mb() -> float:
        with admin.connect() as connection:
            size = connection.execute(
                text(
                    "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :name AND c.relkind = 'r'"
                ),
                {"name": name},
            ).scalar_one()
        return int(size) / 2**20

    def redis_mb() -> float:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=5000))
        total = 0
        for start in range(0, len(keys), 5000):
            pipe = client.pipeline(transaction=False)
            for key in keys[start : start + 5000]:
                pipe.memory_usage(key, samples=0)
            total += sum(size or 0 for size in pipe.execute())
        return total / 2**20

    try:
        yield Store(
            {
                "SYNDET_DATABASE_URL": url,
                "SYNDET_INDEX_BACKEND": "redis",
                "SYNDET_REDIS_URL": redis_url,
                "SYNDET_REDIS_PREFIX": prefix,
            },
            database_mb,
            redis_mb,
        )
    finally:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=5000))
        for start in range(0, len(keys), 1000):
            client.unlink(*keys[start : start + 1000])
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()
        client.close()


@contextmanager
def running_server(store: Store, log_path: Path, workers: int = 1) -> Iterator[tuple[str, int]]:
    """`syndet serve` on `store` and port 0; yields (base URL, pid) once /readyz answers 200."""
    # no rate limit: the benchmark's clients are the load being measured (4 of them pass 50 requests/s)
    env = {**store.env, "SYNDET_RATE_LIMIT": "0"}
    try:
        with serve(env, log_path, ["--workers", str(workers)], timeout=120, stop_timeout=15) as running:
            yield running.base, running.process.pid
    except ServerDidNotStart as exc:
        raise SystemExit(str(exc)) from None


def ingest(base: str, files: list[Path], clients: int) -> tuple[float, list[float], int]:
    """Post every file with `clients` concurrent clients; returns wall seconds, latencies (ms), created."""
    local = threading.local()
    done = 0
    lock = threading.Lock()

    def post(path: Path) -> tuple[float, int]:
        nonlocal done
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=base, timeout=300)
        body = {"text": read_text(path), "external_id": path.name, "source": path.parent.name}
        started = time.perf_counter()
        response = local.client.post("/api/v1/articles", json=body)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code not in (200, 201):
            raise SystemExit(f"{path.name}: {response.status_code} {response.text[:300]}")
        with lock:
            done += 1
            if done % 250 == 0:
                log(f"  ingested {done}/{len(files)}")
        return elapsed, response.status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(post, files))
    return time.perf_counter() - started, [ms for ms, _ in results], sum(1 for _, s in results if s == 201)


def checks(base: str, files: list[Path]) -> tuple[list[float], float]:
    """Send one check per file, one at a time; returns latencies (ms) and mean overlaps reported."""
    latencies, overlaps = [], 0
    with httpx.Client(base_url=base, timeout=300) as client:
        for n, path in enumerate(files, 1):
            body = {"text": read_text(path)}
            started = time.perf_counter()
            response = client.post("/api/v1/check", json=body)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path.name}: {response.status_code} {response.text[:300]}")
            overlaps += len(response.json()["overlaps"])
            if n % 50 == 0:
                log(f"  checked {n}/{len(files)}")
    return latencies, overlaps / max(len(files), 1)


def run(
    corpus: Path,
    check_dir: Path | None,
    n: int,
    m: int,
    clients: int,
    backend: str = "sqlite",
    workers: int = 1,
    postgres_url: str = "",
    redis_url: str = "",
) -> Figures:
    documents = sorted(corpus.glob("*.txt"))[:n]
    pool = sorted(check_dir.glob("*.txt")) if check_dir is not None and check_dir.is_dir() else documents
    to_check = pool[:m]
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="syndet-bench-") as tmp:
        store_context = (
            sqlite_store(Path(tmp)) if backend == "sqlite" else postgres_redis_store(postgres_url, redis_url)
        )
        with store_context as store:
            with running_server(store, Path(tmp) / "server.log", workers) as (base, pid):
                log(
                    f"server at {base} (pid {pid}, {workers} worker(s), {backend}); "
                    f"ingesting {len(documents)} documents with {clients} clients"
                )
                seconds, ingest_ms, created = ingest(base, documents, clients)
                log(f"ingested in {seconds:.1f}s; checking {len(to_check)} documents")
                check_ms, mean_overlaps = checks(base, to_check)
                rss, peak = process_tree_memory_mb(pid)
            database_mb = store.database_mb()
            redis_mb = store.redis_mb() if store.redis_mb is not None else None
    return Figures(
        documents=len(documents),
        clients=clients,
        ingest_seconds=round(seconds, 2),
        ingest_per_second=round(len(documents) / seconds, 1),
        ingest_p50_ms=round(percentile(ingest_ms, 50), 1),
        ingest_p95_ms=round(percentile(ingest_ms, 95), 1),
        created=created,
        checks=len(to_check),
        check_p50_ms=round(percentile(check_ms, 50), 1),
        check_p95_ms=round(percentile(check_ms, 95), 1),
        check_p99_ms=round(percentile(check_ms, 99), 1),
        check_mean_overlaps=round(mean_overlaps, 2),
        rss_mb=round(rss, 1),
        peak_rss_mb=None if peak is None else round(peak, 1),
        database_mb=round(database_mb, 1),
        backend=backend,
        workers=workers,
        redis_mb=None if redis_mb is None else round(redis_mb, 1),
        load_before=load_before,
        load_after=load_average(),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS, help="folder of .txt documents")
    parser.add_argument("--n", type=int, default=3000, help="documents to ingest (default 3000)")
    parser.add_argument("--checks", type=int, default=200, help="check requests to time (default 200)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent ingest clients (default 4)")
    parser.add_argument("--check-dir", type=Path, help="documents to check (default: CORPUS/../susp if present)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--backend", choices=["sqlite", "postgres-redis"], default="sqlite", help="store and index")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (postgres-redis only)")
    parser.add_argument(
        "--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test", help="for postgres-redis"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0", help="for postgres-redis")
    args = parser.parse_args(argv)
    if args.workers > 1 and args.backend == "sqlite":
        parser.error("--workers > 1 needs --backend postgres-redis (the in-process index lives in one process)")

    if not args.corpus.is_dir() or not any(args.corpus.glob("*.txt")):
        print(f"SKIP: no corpus of .txt documents at {args.corpus}; nothing to benchmark.")
        return 0
    check_dir = args.check_dir or (args.corpus.parent / "susp")
    figures = run(
        args.corpus,
        check_dir,
        args.n,
        args.checks,
        args.clients,
        backend=args.backend,
        workers=args.workers,
        postgres_url=args.postgres_url,
        redis_url=args.redis_url,
    )
    rows: list[tuple[str, Any]] = [
        ("backend", figures.backend),
        ("  server workers", figures.workers),
        ("documents ingested", figures.documents),
        ("  created (201)", figures.created),
        ("  concurrent clients", figures.clients),
        ("  wall time (s)", figures.ingest_seconds),
        ("  articles/s", figures.ingest_per_second),
        ("  POST latency p50 (ms)", figures.ingest_p50_ms),
        ("  POST latency p95 (ms)", figures.ingest_p95_ms),
        ("check requests", figures.checks),
        ("  latency p50 (ms)", figures.check_p50_ms),
        ("  latency p95 (ms)", figures.check_p95_ms),
        ("  latency p99 (ms)", figures.check_p99_ms),
        ("  overlaps per check", figures.check_mean_overlaps),
        ("server RSS, all processes (MiB)", figures.rss_mb),
        ("server peak RSS (MiB)", figures.peak_rss_mb if figures.peak_rss_mb is not None else "n/a"),
        ("database on disk (MiB)", figures.database_mb),
        ("Redis index keys (MiB)", figures.redis_mb if figures.redis_mb is not None else "n/a"),
        ("load average before (1/5/15 min)", figures.load_before),
        ("load average after", figures.load_after),
    ]
    print(format_table(["measure", "value"], [(name, str(value)) for name, value in rows]))
    if args.json:
        args.json.write_text(json.dumps(asdict(figures), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
