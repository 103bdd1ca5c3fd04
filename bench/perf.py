"""Speed and memory side by side, in one run on this machine: signatures, ingest, check latency, scan, memory.

    python bench/perf.py ../shared/eval/pan13-train [--sections signatures ingest latency scan]
                         [--sizes 100000 1000000] [--checks 200] [--json perf.json]

1. signatures: 100-word windows of the PAN sources (6,153 windows, 1.9 MB, like the issue), 128 permutations,
   one core. (a) the project's text-to-signatures stage, (b) datasketch used naively (a `MinHash` per passage,
   `update()` per shingle) and with its batch APIs, (c) rensa's `RMinHash` on the same shingles, (d) the floor:
   normalising, tokenising and hashing the shingles with the project's hash, no MinHash. Shingles for (b) and
   (c) are the same stem bigrams, as strings, made beforehand; (b), (c) time the MinHash alone.
2. ingest: the PAN sources (3,230 news-sized articles) through the library (prepare + index, one core; the
   signature stage in 2 processes + index) and through the HTTP API (a fresh server, SQLite, 4 clients).
3. latency: a store of N passages (`bench/perf_corpus.py`: the PAN sources plus vocabulary-shuffled copies),
   written with the service's repository, served by `syndet serve`; `/api/v1/check` timed for PAN suspicious
   documents and for edited copies of stored sources, twice (cold candidates, then the document cache's), with
   the news-length checks (at most 1,200 words) also reported apart;
   in-process, the same checks split into candidates and alignment, candidate lookup alone, index memory per
   passage, and the server's RSS.
4. scan: `syndet scan` of the whole PAN folder (all pairs), or of `--scan-dir`: wall time, CPU of both cores, peak
   memory (PSS: the forked workers share the main process's pages).

Results go to stdout (a table per section), progress to stderr; the machine's load is printed with them.
Exits 0 with a `SKIP:` line when the corpus is absent.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import multiprocessing
import os
import random
import re
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import format_table, log, read_text  # noqa: E402
from bench.perf_corpus import generate, read_sources  # noqa: E402
from bench.server import ServerDidNotStart, serve  # noqa: E402
from shingling import EngineConfig, PassageIndex, prepare  # noqa: E402
from shingling.document import DEFAULT_CONFIG, sign_passages  # noqa: E402
from shingling.fasttokens import analyse  # noqa: E402
from shingling.normalise import tokenize, word_hash  # noqa: E402
from shingling.paragraphs import passage_bounds  # noqa: E402
from shingling.shingles import kgram_hashes  # noqa: E402
from shingling.signatures import signatures  # noqa: E402
from shingling.stopwords import DEFAULT as STOPWORDS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
Row = tuple[str, Any]


def load_note() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


NEWS_WORDS = 1200
"""Texts of at most this many words are reported apart as news-length: most news articles are 400-1,200 words,
and PAN's suspicious documents run to 11,000, which a check's cost follows (its passages times its candidates)."""


def news_length(text: str) -> bool:
    return len(text.split()) <= NEWS_WORDS


def percentiles(values: list[float]) -> tuple[float, float, float, float]:
    """p50, p95, p99 and max of `values` (in the unit given)."""
    a = np.asarray(values, dtype=float)
    return tuple(round(float(np.percentile(a, q)), 3) for q in (50, 95, 99, 100))  # type: ignore[return-value]


def timed(func: Callable[[], Any], repeat: int = 1) -> float:
    """Best wall time of `repeat` runs (the machine is shared: the best run is the least disturbed), with the
    cyclic garbage collector paused as `timeit` pauses it: the benchmark's own data (hundreds of thousands of
    shingle strings for datasketch) made a full collection land in whichever path allocated most."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            func()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best


# ---------------------------------------------------------------- the signature stage


def signature_stage(text: str, cfg: EngineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """Text to passage signatures: what ingest needs before the index (the Document's other parts aside)."""
    tokens, content, stems = analyse(text, cfg.stopwords or STOPWORDS, cfg.stem_prefix)
    bounds = passage_bounds(text, tokens, cfg.passage_min_words, cfg.passage_max_words, cfg.window_words)
    return sign_passages(bounds, tokens, content, stems, cfg)


def _shingle_bounds(lo: np.ndarray, hi: np.ndarray, n_words: int, k: int) -> np.ndarray:
    """Which shingles (by first word) lie inside each run of words [lo, hi), as (runs, 2) `[start, stop)`
    rows; a run shorter than k keeps one: the ranges `kernels.sign_runs` signs, for the other MinHash paths."""
    count = max(n_words - k + 1, 1)
    first = np.minimum(lo, count - 1)
    stop = np.maximum(np.minimum(hi - k + 1, count), first + 1)
    return np.stack([first, stop], axis=1).astype(np.int64, copy=False)


def _shingles(text: str, cfg: EngineConfig = DEFAULT_CONFIG) -> tuple[np.ndarray, np.ndarray, list[bytes]]:
    """The stem-bigram shingles of a text (hashes and strings) and each passage's range of them."""
    tokens, content, stems = analyse(text, cfg.stopwords or STOPWORDS, cfg.stem_prefix)
    starts, ends = passage_bounds(text, tokens, cfg.passage_min_words, cfg.passage_max_words, cfg.window_words)
    lo, hi = np.searchsorted(content, starts), np.searchsorted(content, ends)
    k = min(cfg.shingle_size, len(stems)) if len(stems) else cfg.shingle_size
    words = [tokens.words[i][: cfg.stem_prefix] for i in content.tolist()]
    strings = [" ".join(words[j : j + k]).encode() for j in range(max(len(words) - k + 1, 0))]
    return kgram_hashes(stems, cfg.shingle_size), _shingle_bounds(lo, hi, len(stems), cfg.shingle_size), strings


def windows(folder: Path, words: int, count: int) -> list[str]:
    """`count` windows of `words` whitespace-separated words from the sorted documents of `folder`."""
    out: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        tokens = read_text(path).split()
        for start in range(0, len(tokens) - words + 1, words):
            out.append(" ".join(tokens[start : start + words]))
            if len(out) == count:
                return out
    return out


def floor_as_wired(text: str, cfg: EngineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """The floor with `normalise.tokenize` and prepare's word loop (the regex path)."""
    tokens = tokenize(text)
    stop = cfg.stopwords or STOPWORDS
    stems = np.fromiter(
        (word_hash(w[: cfg.stem_prefix]) for w in tokens.words if w not in stop and not (len(w) == 1 and w.isascii())),
        dtype=np.uint64,
    )
    return kgram_hashes(stems, cfg.shingle_size)


def floor_fast(text: str, cfg: EngineConfig = DEFAULT_CONFIG) -> np.ndarray:
    """The floor: normalise, tokenise, hash the content-word stems and their bigrams; no passages, no MinHash."""
    _, _, stems = analyse(text, cfg.stopwords or STOPWORDS, cfg.stem_prefix)
    return kgram_hashes(stems, cfg.shingle_size)


def run_signatures(pan: Path, count: int) -> list[Row]:
    rows = _signature_rows(windows(pan / "src", 100, count), "100-word windows")
    sources = [read_text(p) for p in sorted((pan / "src").glob("*.txt"))]
    return rows + _signature_rows(sources[: max(1, count // 20)], "whole PAN sources")


def _signature_rows(texts: list[str], what: str) -> list[Row]:
    import rensa
    from datasketch import MinHash

    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    made = [_shingles(t) for t in texts]
    per_passage = [[strings[a:b] for a, b in ranges] for _, ranges, strings in made]
    passages = sum(len(r) for _, r, _ in made)
    log(f"signatures: {len(texts)} {what}, {mb:.2f} MB, {passages} passages, "
        f"{sum(len(h) for h, _, _ in made)} shingles")
    cfg = DEFAULT_CONFIG
    for t in texts[:200]:  # warm the per-process word caches the way a running service has them warm
        signature_stage(t)
    assert all(np.array_equal(signature_stage(t), prepare(t).signatures) for t in texts[:50])

    def naive() -> None:
        for group in per_passage:
            for shingles in group:
                m = MinHash(num_perm=cfg.num_perm, seed=cfg.seed)
                for s in shingles:
                    m.update(s)

    def batch() -> None:
        for group in per_passage:
            for shingles in group:
                MinHash(num_perm=cfg.num_perm, seed=cfg.seed).update_batch(shingles)

    def bulk() -> None:
        MinHash.bulk([s for group in per_passage for s in group], num_perm=cfg.num_perm, seed=cfg.seed)

    def rensa_update() -> None:
        for group in per_passage:
            for shingles in group:
                m = rensa.RMinHash(num_perm=cfg.num_perm, seed=cfg.seed)
                m.update(shingles)
                m.digest()

    flat = np.concatenate([h[a:b] for h, ranges, _ in made for a, b in ranges])
    starts = np.cumsum([0] + [len(h) for h, _, _ in made])
    all_hashes = np.concatenate([h for h, _, _ in made])
    # every passage's shingle range in the concatenation, as an array (as `offsets` is for rensa: converting a
    # list of 22,714 pairs took 3.3 ms, a third of the timed call)
    all_ranges = np.concatenate([ranges + o for (_, ranges, _), o in zip(made, starts[:-1], strict=True)])
    offsets = np.cumsum([0] + [b - a for _, ranges, _ in made for a, b in ranges]).astype(np.uint64)
    runs: dict[str, tuple[Callable[[], Any], int]] = {  # what is timed, and how many times (the best counts)
        "(a) project: text -> signatures": (lambda: [signature_stage(t) for t in texts], 5),
        "(a') prepare() + signatures as wired (+ alignment data)": (lambda: [prepare(t).signatures for t in texts], 3),
        "    MinHash stage alone (shingle hashes -> signatures)": (
            lambda: [signatures(h, r, cfg.num_perm, cfg.seed) for h, r, _ in made], 5),
        "    MinHash stage alone, every text in one call": (
            lambda: signatures(all_hashes, all_ranges, cfg.num_perm, cfg.seed), 5),
        "(b) datasketch MinHash, update() per shingle": (naive, 1),
        "    datasketch update_batch()": (batch, 1),
        "    datasketch MinHash.bulk()": (bulk, 1),
        "(c) rensa RMinHash.update() per passage": (rensa_update, 5),
        "    rensa digest_matrix_from_flat_token_hashes": (
            lambda: rensa.RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, cfg.num_perm, cfg.seed), 5),
        "(d) floor: normalise, tokenise, hash shingles": (lambda: [floor_fast(t) for t in texts], 5),
        "    floor with the regex tokeniser (as wired)": (lambda: [floor_as_wired(t) for t in texts], 2),
    }
    # in rounds, each path once a round, so that the ratios compare runs made minutes apart at most: on a
    # shared host the speed drifts, and timing one path's repeats back to back let a/d move 0.42x-1.07x
    times = dict.fromkeys(runs, float("inf"))
    for round_ in range(max(repeat for _, repeat in runs.values())):
        for label, (func, repeat) in runs.items():
            if round_ < repeat:
                times[label] = min(times[label], timed(func))
    rows: list[Row] = [(f"{len(texts)} {what}, {mb:.2f} MB, {passages} passages, 128 perms", load_note())]
    for label, seconds in times.items():
        rows.append((label, f"{passages / seconds:9.0f} passages/s {mb / seconds:7.2f} MB/s"))
    a, (b, c, d) = times["(a) project: text -> signatures"], [
        times[k] for k in times if k.startswith(("(b)", "(c)", "(d)"))
    ]
    rows.append(("speed ratio a/b (vs naive datasketch)", f"{b / a:.1f}x"))
    rows.append(("speed ratio a/c (vs rensa update)", f"{c / a:.2f}x"))
    rows.append(("speed ratio a/d (vs the floor)", f"{d / a:.2f}x"))
    return rows


# ---------------------------------------------------------------- ingest


_TEXTS: list[str] = []  # the ingest run's texts, read by forked workers by position (not pickled to them)


def _sign_article(position: int) -> np.ndarray:
    return signature_stage(_TEXTS[position])


def run_ingest(pan: Path, http_articles: int) -> list[Row]:
    texts = [read_text(p) for p in sorted((pan / "src").glob("*.txt"))]
    for t in texts[:300]:
        signature_stage(t)
    rows: list[Row] = [(f"{len(texts)} PAN sources, median {int(np.median([len(t.split()) for t in texts]))} words",
                        load_note())]

    def library(make: Callable[[str], Any], insert: Callable[[PassageIndex, str, Any], None]) -> float:
        index = PassageIndex()
        start = time.perf_counter()
        for i, t in enumerate(texts):
            insert(index, str(i), make(t))
        return len(texts) / (time.perf_counter() - start)

    rows.append(("library, 1 core: prepare() + index.insert()",
                 f"{library(prepare, lambda ix, k, d: ix.insert(k, d)):.0f} articles/s"))
    rows.append(("library, 1 core: signature stage + insert_signatures()",
                 f"{library(signature_stage, lambda ix, k, s: ix.insert_signatures(k, s)):.0f} articles/s"))
    sigs = [signature_stage(t) for t in texts]
    index = PassageIndex()
    start = time.perf_counter()
    for i, s in enumerate(sigs):
        index.insert_signatures(str(i), s)
    rows.append(("  index insert alone (band index)", f"{len(texts) / (time.perf_counter() - start):.0f} articles/s"))
    lsh = PassageIndex(storage_config={"type": "dict"})
    start = time.perf_counter()
    for i, s in enumerate(sigs[:1000]):
        lsh.insert_signatures(str(i), s)
    rows.append(("  index insert alone (datasketch MinHashLSH)",
                 f"{1000 / (time.perf_counter() - start):.0f} articles/s"))
    _TEXTS[:] = texts  # workers read their texts as scan's workers read their files: no text goes through a pipe
    with multiprocessing.get_context("fork").Pool(2) as pool:
        index = PassageIndex()
        start = time.perf_counter()
        for i, s in enumerate(pool.imap(_sign_article, range(len(texts)), chunksize=128)):
            index.insert_signatures(str(i), s)
        rate = len(texts) / (time.perf_counter() - start)
    _TEXTS.clear()
    rows.append(("library, 2 processes: signature stage + insert", f"{rate:.0f} articles/s"))
    rows.extend(_http_ingest(pan, http_articles))
    return rows


# ---------------------------------------------------------------- the HTTP server


@contextmanager
def server(database: Path, log_path: Path, deadline: float = 1800) -> Iterator[tuple[str, int, float]]:
    """`syndet serve` on a SQLite file and port 0; yields (base URL, pid, seconds until /readyz said 200)."""
    # no rate limit: the benchmark is one client timing requests back to back, not a caller to hold back
    env = {"SYNDET_DATABASE_URL": f"sqlite:///{database}", "SYNDET_INDEX_BACKEND": "memory", "SYNDET_RATE_LIMIT": "0"}
    try:
        with serve(env, log_path, timeout=deadline) as running:
            yield running.base, running.process.pid, running.ready_after
    except ServerDidNotStart as exc:
        raise SystemExit(str(exc)[-3000:]) from None


def rss_mb(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 2**20


def _http_ingest(pan: Path, n: int) -> list[Row]:
    from bench.service_bench import ingest

    files = sorted((pan / "src").glob("*.txt"))[:n]
    with tempfile.TemporaryDirectory(prefix="syndet-perf-") as tmp:
        with server(Path(tmp) / "s.db", Path(tmp) / "log") as (base, _, _):
            seconds, latencies, _ = ingest(base, files, 4)
        p50, p95, p99, _ = percentiles(latencies)
    return [(f"HTTP POST /api/v1/articles, {len(files)} articles, 4 clients, SQLite",
             f"{len(files) / seconds:.0f} articles/s (POST p50/p95/p99 {p50:.0f}/{p95:.0f}/{p99:.0f} ms)")]


# ---------------------------------------------------------------- a store of N passages


def _prepare_for_store(item: tuple[str, str]) -> tuple[str, str, list[tuple[int, int]], bytes, int]:
    name, text = item
    doc = prepare(text)
    sig = np.ascontiguousarray(doc.signatures, dtype=np.uint32)
    return name, text, [(p.start, p.end) for p in doc.passages], sig.tobytes(), len(sig)


def build_store(pan: Path, passages: int, database: Path) -> tuple[dict[str, np.ndarray], list[str], float]:
    """Write a SQLite store of about `passages` passages; returns each article key's signatures, names, seconds."""
    from service import repository
    from service.core.config import Settings
    from service.detection import content_hash
    from service.main import open_database

    for old in database.parent.glob(database.name + "*"):
        old.unlink()
    engine, detector = open_database(Settings(database_url=f"sqlite:///{database}"))
    stream = generate(read_sources(pan / "src"))
    seen: set[str] = set()
    stored: dict[str, np.ndarray] = {}
    names: list[str] = []
    total = 0
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        while total < passages:
            batch = list(itertools.islice(stream, 1000))
            with detector.sessions() as session:
                for name, text, spans, sig, count in pool.imap(_prepare_for_store, batch, chunksize=16):
                    digest = content_hash(text)
                    if total >= passages or digest in seen:  # (two PAN sources are the same text)
                        continue
                    seen.add(digest)
                    size = len(sig) // count
                    rows = [sig[i * size : (i + 1) * size] for i in range(count)]
                    new = repository.NewArticle(text=text, content_hash=digest,
                                                extracted_from_html=False, external_id=name)
                    article = repository.add_article(session, new, spans, rows, detector.params)
                    stored[str(article.id)] = np.frombuffer(sig, dtype=np.uint32).reshape(count, -1)
                    names.append(name)
                    total += count
                session.commit()
            log(f"  store: {len(names)} articles, {total} passages")
    detector.index.close()
    engine.dispose()
    return stored, names, time.perf_counter() - start


def edited(text: str, rng: random.Random) -> str:
    """A rewritten copy: a quarter of the paragraphs dropped, one word in twenty replaced."""
    paras = [p for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    kept = [p for p in paras if rng.random() > 0.25] or paras[:1]
    words = "\n\n".join(kept).split(" ")
    return " ".join(w if rng.random() > 0.05 else "changed" for w in words)


def run_latency(pan: Path, size: int, checks: int, workdir: Path) -> list[Row]:
    import httpx

    database = workdir / f"store-{size}.db"
    log(f"latency: building a store of {size} passages ...")
    stored, names, build_s = build_store(pan, size, database)
    total = sum(len(s) for s in stored.values())
    rng = random.Random(13)
    susp = sorted((pan / "susp").glob("*.txt"))
    queries = {
        "PAN suspicious documents": [read_text(p) for p in rng.sample(susp, min(checks, len(susp)))],
        "edited copies of stored sources": [
            edited(read_text(pan / "src" / name[4:]), rng)
            for name in rng.sample([n for n in names if n.startswith("pan/")], checks)
        ],
    }
    rows: list[Row] = [(f"store: {len(stored)} articles, {total} passages", f"written in {build_s:.0f} s, "
                        f"{database.stat().st_size / 2**20:.0f} MiB SQLite; {load_note()}")]
    rows.extend(_index_figures(stored, queries))
    with server(database, workdir / f"server-{size}.log") as (base, pid, ready_s):
        rows.append(("server start-up (index rebuilt from stored signatures)",
                     f"{ready_s:.1f} s, RSS {rss_mb(pid):.0f} MiB"))
        with httpx.Client(base_url=base, timeout=300) as client:
            for t in list(queries.values())[0][:20]:  # warm-up: first requests pay imports and caches
                client.post("/api/v1/check", json={"text": t})
            for label, texts in queries.items():
                # the first pass prepares most candidates cold (read from the database and analysed); the second
                # finds those the server's document cache kept, as a server that has been running for a while does
                news = [news_length(t) for t in texts]
                for run in ("first pass", "second pass"):
                    latencies, overlaps = [], 0
                    for t in texts:
                        start = time.perf_counter()
                        response = client.post("/api/v1/check", json={"text": t})
                        latencies.append((time.perf_counter() - start) * 1000)
                        response.raise_for_status()
                        overlaps += len(response.json()["overlaps"])
                    p50, p95, p99, worst = percentiles(latencies)
                    rows.append((f"HTTP check p50/p95/p99/max, {label} ({len(texts)}), {run}",
                                 f"{p50:.1f} / {p95:.1f} / {p99:.1f} / {worst:.0f} ms, "
                                 f"{overlaps / len(texts):.1f} overlaps each"))
                    short = [ms for ms, keep in zip(latencies, news, strict=True) if keep]
                    if short:
                        p50, p95, p99, worst = percentiles(short)
                        rows.append((f"  of which news-length (<= {NEWS_WORDS} words, {len(short)})",
                                     f"{p50:.1f} / {p95:.1f} / {p99:.1f} / {worst:.0f} ms"))
        rows.append(("server RSS after the checks", f"{rss_mb(pid):.0f} MiB ({total} passages)"))
    rows.extend(_split(database, queries))
    return rows


def _index_figures(stored: dict[str, np.ndarray], queries: dict[str, list[str]]) -> list[Row]:
    """Build the in-memory index from the stored signatures: memory per passage, lookup latency."""
    total = sum(len(s) for s in stored.values())
    gc.collect()
    tracemalloc.start()
    index = PassageIndex()
    start = time.perf_counter()
    for key, sig in stored.items():
        index.insert_signatures(key, sig)
    index.compact()
    build = time.perf_counter() - start
    gc.collect()
    traced = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    rows: list[Row] = [
        ("index build from signatures (insert + compact)", f"{build:.1f} s ({total / build:.0f} passages/s)"),
        ("index memory per passage (arrays / all Python allocations)",
         f"{index.nbytes / total:.0f} B / {traced / total:.0f} B (signatures for verification not kept)"),
    ]
    for label, texts in queries.items():
        sigs = [prepare(t).query_signatures for t in texts]  # what a check queries with
        times, counts = lookup_times(index, sigs)
        p50, p95, p99, worst = percentiles(times)
        rows.append((f"candidate lookup p50/p95/p99 per article, {label}",
                     f"{p50:.3f} / {p95:.3f} / {p99:.3f} ms, {np.mean(counts):.1f} candidates, "
                     f"{np.mean([len(s) for s in sigs]):.0f} passages each"))
        short = [i for i, t in enumerate(texts) if news_length(t)]
        if short:
            p50, p95, p99, worst = percentiles([times[i] for i in short])
            rows.append((f"  of which news-length (<= {NEWS_WORDS} words, {len(short)})",
                         f"{p50:.3f} / {p95:.3f} / {p99:.3f} ms, {np.mean([counts[i] for i in short]):.1f} "
                         f"candidates, {np.mean([len(sigs[i]) for i in short]):.0f} passages each"))
    if total <= 150_000:
        rows.extend(_minhash_lsh_figures(stored, [prepare(t).query_signatures for t in list(queries.values())[0]]))
    return rows


def lookup_times(index: PassageIndex, sigs: list[np.ndarray], passes: int = 3) -> tuple[list[float], list[int]]:
    """Each query's lookup time (ms), the least of `passes` passes over all the queries, and its candidates:
    `query_passages`, as a check calls it (the candidates with the passages hit, which screening reads).

    One pass timed each query once, and on this shared 2-core VM one disturbed query in a hundred set the p99
    (the p99 of 122 news-length queries moved 0.5 -> 2.0 ms between runs). Whole passes, not repeats of one
    query back to back: a pass touches far more of the index than the caches hold, so each query meets it
    as cold as in the first pass. The cyclic garbage collector is paused, as `timed` pauses it."""
    best = [float("inf")] * len(sigs)
    counts = [0] * len(sigs)
    gc.collect()
    gc.disable()
    try:
        for _ in range(passes):
            for i, sig in enumerate(sigs):
                start = time.perf_counter()
                counts[i] = len(index.query_passages(sig))  # what a check asks: candidates and their hit passages
                best[i] = min(best[i], (time.perf_counter() - start) * 1000)
    finally:
        gc.enable()
    return best, counts


def _minhash_lsh_figures(stored: dict[str, np.ndarray], sigs: list[np.ndarray]) -> list[Row]:
    """The same with datasketch's MinHashLSH (in-memory dict storage), for comparison."""
    total = sum(len(s) for s in stored.values())
    gc.collect()
    tracemalloc.start()
    lsh = PassageIndex(storage_config={"type": "dict"})
    start = time.perf_counter()
    for key, sig in stored.items():
        lsh.insert_signatures(key, sig)
    build = time.perf_counter() - start
    traced = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    times, _ = lookup_times(lsh, sigs)
    p50, p95, p99, _ = percentiles(times)
    return [
        ("  datasketch MinHashLSH: build, memory per passage",
         f"{build:.1f} s, {traced / total:.0f} B (all Python allocations)"),
        ("  datasketch MinHashLSH: lookup p50/p95/p99", f"{p50:.3f} / {p95:.3f} / {p99:.3f} ms"),
    ]


def _split(database: Path, queries: dict[str, list[str]]) -> list[Row]:
    """The checks in this process, through the service's own detector: prepare, candidates, alignment."""
    from service.core.config import Settings
    from service.main import open_database

    engine, detector = open_database(Settings(database_url=f"sqlite:///{database}"))
    detector.load()
    rows: list[Row] = []
    try:
        for label, texts in queries.items():
            parts = {"prepare": 0.0, "candidates": 0.0, "alignment": 0.0}
            for _ in range(2):  # the second round is the one timed, as the server's cache would be warm
                parts = dict.fromkeys(parts, 0.0)
                for t in texts:
                    start = time.perf_counter()
                    doc = detector.prepare(t)
                    prepared = time.perf_counter()
                    detector.index.query(np.asarray(doc.query_signatures, dtype=np.uint32))
                    looked = time.perf_counter()
                    with detector.sessions() as session:
                        detector.overlaps(session, doc)
                    done = time.perf_counter()
                    parts["prepare"] += prepared - start
                    parts["candidates"] += looked - prepared
                    parts["alignment"] += (done - looked) - (looked - prepared)
            whole = sum(parts.values())
            rows.append((f"in-process check split, {label}",
                         ", ".join(f"{k} {v / whole:.0%}" for k, v in parts.items())
                         + f" of {whole / len(texts) * 1000:.1f} ms"))
    finally:
        detector.index.close()
        engine.dispose()
    return rows


# ---------------------------------------------------------------- scan


def run_scan(folder: Path, workdir: Path) -> list[Row]:
    import psutil

    out = workdir / "scan.json"
    command = [sys.executable, "-m", "service.cli", "scan", str(folder), "-q", "--out", str(out)]
    before = load_note()
    children_before = os.times()
    start = time.perf_counter()
    process = psutil.Popen(command, cwd=ROOT)
    peak_rss = peak_uss = peak_pss = peak_main = 0.0
    cpu: dict[int, float] = {}
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_rss, peak_uss, peak_pss, peak_main
        while not stop.is_set():
            try:
                tree = [process, *process.children(recursive=True)]
                rss = uss = pss = 0.0
                for p in tree:
                    try:
                        info = p.memory_full_info()
                        rss += info.rss
                        uss += info.uss
                        pss += info.pss
                        if p.pid == process.pid:
                            peak_main = max(peak_main, info.pss)
                        times = p.cpu_times()
                        cpu[p.pid] = times.user + times.system
                    except psutil.Error:
                        pass
                peak_rss, peak_uss, peak_pss = max(peak_rss, rss), max(peak_uss, uss), max(peak_pss, pss)
            except psutil.Error:
                pass
            stop.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    usage = os.times()
    cpu_s = (usage.children_user - children_before.children_user) + (
        usage.children_system - children_before.children_system
    )
    report = json.loads(out.read_text(encoding="utf-8")) if code == 0 else {}
    return [
        (f"syndet scan {folder.name} (all pairs)", f"exit {code}, {len(report.get('documents', []))} documents, "
         f"{len(report.get('pairs', []))} pairs"),
        ("  wall time", f"{wall:.1f} s"),
        ("  CPU (user + system, all processes)", f"{cpu_s:.1f} s = {cpu_s / wall:.2f} cores busy on average"),
        # forked workers share the parent's pages: RSS counts them in every process, USS in none, PSS once
        ("  peak memory, process tree (PSS sum; RSS / USS sums)",
         f"{peak_pss / 2**20:.0f} MiB; {peak_rss / 2**20:.0f} / {peak_uss / 2**20:.0f} MiB"),
        ("  peak memory of the main process (PSS)", f"{peak_main / 2**20:.0f} MiB, "
         f"{peak_main / max(1, sum(d.get('words', 0) for d in report.get('documents', []))):.0f} bytes a word"),
        ("  load before / after", f"{before} / {load_note()}"),
    ]


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pan", type=Path, help="the PAN 2013 training corpus (src/, susp/)")
    parser.add_argument("--sections", nargs="+", default=["signatures", "ingest", "latency", "scan"],
                        choices=["signatures", "ingest", "latency", "scan"])
    parser.add_argument("--windows", type=int, default=6153, help="100-word windows for the signature run")
    parser.add_argument("--http-articles", type=int, default=1000, help="articles posted in the HTTP ingest run")
    parser.add_argument("--sizes", nargs="+", type=int, default=[100_000, 1_000_000], help="stored passages")
    parser.add_argument("--checks", type=int, default=200, help="check requests per query set")
    parser.add_argument("--workdir", type=Path, help="keep the stores here (default: a temporary folder)")
    parser.add_argument("--scan-dir", type=Path, help="the folder the scan section scans (default: the PAN corpus; "
                        "e.g. a large one from bench/perf_corpus.py)")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args(argv)
    if not (args.pan / "src").is_dir():
        print(f"SKIP: the PAN 2013 corpus is not at {args.pan}; nothing to measure.")
        return 0
    results: dict[str, list[Row]] = {}
    with tempfile.TemporaryDirectory(prefix="syndet-perf-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for section in args.sections:
            log(f"== {section} ({load_note()})")
            if section == "signatures":
                results[section] = run_signatures(args.pan, args.windows)
            elif section == "ingest":
                results[section] = run_ingest(args.pan, args.http_articles)
            elif section == "latency":
                results[section] = [row for size in args.sizes for row in run_latency(args.pan, size, args.checks,
                                                                                     workdir)]
            elif section == "scan":
                results[section] = run_scan(args.scan_dir or args.pan, workdir)
            print(f"\n## {section}\n" + format_table(["measure", "value"], [(k, str(v)) for k, v in results[section]]),
                  flush=True)
    if args.json:
        # rows as [measure, value] lists: the same label recurs (per corpus, per store size) and must not collapse
        rows = {k: [list(row) for row in v] for k, v in results.items()}
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
