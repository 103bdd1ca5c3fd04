"""Candidate recall on PAN 2013: does the passage index still propose every listed source, and at what cost?

    python bench/candidates.py ../shared/eval/pan13-train [--caps none 500 100] [--lsh] [--workers 2]

Every source document goes into one index; each suspicious document is queried. Recall is the share of listed
derived (suspicious, source) pairs whose source is among the candidates, per category, as in
`bench/pan13.py --mode retrieval` but without the alignment (seconds instead of minutes). One row per index:
the in-memory band index with each crowded-bucket cap (`none` keeps every bucket), and with `--lsh` datasketch's
own MinHashLSH (in-memory dict storage) for reference. Also: candidates per query, lookup time per query.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import corpus_missing, format_table, log, read_text  # noqa: E402
from shingling import EngineConfig, PassageIndex, ShinglingError, prepare  # noqa: E402


def passage_signatures(path: Path) -> tuple[str, np.ndarray | None]:
    """A file's passage signatures (what the index stores), None when the engine rejects its text."""
    try:
        return path.name, prepare(read_text(path)).signatures
    except ShinglingError:
        return path.name, None


def query_signatures(path: Path) -> tuple[str, np.ndarray | None]:
    """What a check of a file's text queries the index with (passages and query windows)."""
    try:
        return path.name, prepare(read_text(path)).query_signatures
    except ShinglingError:
        return path.name, None


def load_signatures(folder: Path, workers: int, query: bool = False) -> dict[str, np.ndarray]:
    """Passage signatures of every .txt in `folder` (prepared in `workers` processes); with `query`, what a
    check queries with (passages and query windows)."""
    files = sorted(folder.glob("*.txt"))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        found = pool.map(query_signatures if query else passage_signatures, files, chunksize=16)
    return {name: sig for name, sig in found if sig is not None}


def evaluate(
    index: PassageIndex, sources: dict[str, np.ndarray], queries: dict[str, np.ndarray], derived: list[dict]
) -> dict[str, object]:
    """Index the sources, query every suspicious document; recall per category and lookup cost."""
    start = time.perf_counter()
    for name, sig in sources.items():
        index.insert_signatures(name, sig)
    index.compact()
    built = time.perf_counter() - start
    found: dict[str, set[str]] = {}
    times = []
    for name, sig in queries.items():
        start = time.perf_counter()
        found[name] = set(index.query_signatures(sig))
        times.append(time.perf_counter() - start)
    hit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in derived:
        for key in (row["category"], "overall"):
            hit[key][0] += row["src"] in found.get(row["susp"], set())
            hit[key][1] += 1
    return {
        "recall": {key: round(n / total, 4) for key, (n, total) in sorted(hit.items())},
        "candidates_per_query": round(float(np.mean([len(f) for f in found.values()])), 2),
        "lookup_ms_p50": round(float(np.percentile(times, 50)) * 1e3, 3),
        "lookup_ms_p99": round(float(np.percentile(times, 99)) * 1e3, 3),
        "build_s": round(built, 2),
        "index_mb": round(index.nbytes / 1e6, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--caps", nargs="+", default=["none", "500", "100"], help="crowded-bucket caps to try")
    parser.add_argument("--lsh", action="store_true", help="also datasketch's MinHashLSH (slow to build)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    if corpus_missing(args.corpus, "pairs.jsonl", "PAN 2013 text-alignment corpus"):
        return 0
    lines = (args.corpus / "pairs.jsonl").read_text(encoding="utf-8").splitlines()
    derived = [row for row in map(json.loads, lines) if row["derived"]]
    log("preparing sources and suspicious documents ...")
    sources = load_signatures(args.corpus / "src", args.workers)
    queries = load_signatures(args.corpus / "susp", args.workers, query=True)
    log(f"  {len(sources)} sources ({sum(map(len, sources.values()))} passages), {len(queries)} queries")
    config = EngineConfig()
    runs: dict[str, dict[str, object]] = {}
    for cap in args.caps:
        label = f"band index, cap {cap}"
        log(f"{label} ...")
        runs[label] = evaluate(
            PassageIndex(config, max_bucket=None if cap == "none" else int(cap)), sources, queries, derived
        )
    if args.lsh:
        log("datasketch MinHashLSH ...")
        runs["datasketch MinHashLSH"] = evaluate(
            PassageIndex(config, storage_config={"type": "dict"}), sources, queries, derived
        )
    categories = sorted({c for r in runs.values() for c in r["recall"]})  # type: ignore[union-attr,attr-defined]
    rows = [
        [label, *(r["recall"][c] for c in categories), r["candidates_per_query"], r["lookup_ms_p50"],  # type: ignore[index]
         r["lookup_ms_p99"], r["build_s"], r["index_mb"]]
        for label, r in runs.items()
    ]
    print(format_table(["index", *categories, "cands/query", "p50 ms", "p99 ms", "build s", "MB"], rows))
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
