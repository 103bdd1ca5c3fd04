"""Score the engine on the PAN 2013 text-alignment training corpus with PAN's plagdet measure.

    python bench/pan13.py ../shared/eval/pan13-train [--categories 02 03] [--limit N] \\
        [--mode pairwise|retrieval|both] [--workers 2] [--json out.json] [--details pairs.jsonl]

pairwise:  every listed (suspicious, source) pair is aligned with ``compare(susp, src)``; each passage pair is
           a detection (a = suspicious = "this", b = source).
retrieval: every source document goes into one ``PassageIndex``; each suspicious document is queried
           against it and aligned with every candidate (a long one screened first, as the service screens
           it). Detections on pairs the corpus does not list are kept and count against precision (see
           bench/README.md for the exact convention).

Prints per category and overall: plagdet, recall, precision, granularity, cases and detections, then the
document-level "is derived" figures (a pair is predicted derived when compare() reports any passage).
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import BinaryCounts, corpus_missing, format_table, log, read_text, write_json  # noqa: E402
from bench.plagdet import Annotation, PlagdetResult, evaluate  # noqa: E402
from shingling import Comparison, Document, EngineConfig, PassageIndex, ShinglingError, compare, prepare, screened_out  # noqa: E402

OVERALL = "overall"
SUMMARY_ANNOTATED = "05 annotated only"
PairKey = tuple[str, str]  # (suspicious, source) file names
Detection = tuple[int, int, int, int, float]  # this_offset, this_length, source_offset, source_length, similarity


@dataclass(frozen=True)
class Pair:
    """A listed (suspicious, source) pair with its annotated cases."""

    category: str
    susp: str
    src: str
    derived: bool
    cases: tuple[Annotation, ...]

    @property
    def key(self) -> PairKey:
        return self.susp, self.src


@dataclass
class RunOutput:
    """What one mode produced: detections per aligned pair, plus retrieval's candidate lists."""

    mode: str
    detections: dict[PairKey, list[Detection]] = field(default_factory=dict)
    candidates: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------- corpus


def load_pairs(corpus: Path, categories: Sequence[str] | None) -> list[Pair]:
    """The listed pairs of pairs.jsonl, restricted to categories named by number ("02") or full name."""
    pairs = []
    with open(corpus / "pairs.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if categories and not any(row["category"].startswith(c) for c in categories):
                continue
            cases = tuple(
                Annotation(
                    row["susp"],
                    s["this_offset"],
                    s["this_length"],
                    s["source_reference"],
                    s["source_offset"],
                    s["source_length"],
                )
                for s in row["spans"]
            )
            pairs.append(Pair(row["category"], row["susp"], row["src"], bool(row["derived"]), cases))
    return pairs


def sample_pairs(pairs: list[Pair], limit: int, seed: int) -> list[Pair]:
    """`limit` pairs per category, drawn with a fixed seed so tuning runs are comparable."""
    by_category: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_category[pair.category].append(pair)
    chosen = []
    for category in sorted(by_category):
        group = by_category[category]
        rng = random.Random(f"{seed}:{category}")  # a category's sample does not depend on the others chosen
        chosen.extend(rng.sample(group, min(limit, len(group))))
    return sorted(chosen, key=lambda p: (p.category, p.key))


# ---------------------------------------------------------------- workers

_CORPUS = Path()
_CONFIG = EngineConfig()
_INDEX: PassageIndex | None = None


def _init_worker(corpus: Path, config: EngineConfig) -> None:
    global _CORPUS, _CONFIG
    _CORPUS, _CONFIG = corpus, config


def _prepare(folder: str, name: str) -> Document | None:
    try:
        return prepare(read_text(_CORPUS / folder / name), _CONFIG)
    except ShinglingError:
        return None


@functools.lru_cache(maxsize=4096)
def _source(name: str) -> Document | None:
    """Sources recur across pairs and queries; each worker prepares each once (~90 KB a document)."""
    return _prepare("src", name)


def _detections(comparison: Comparison) -> list[Detection]:
    return [
        (p.a.start, p.a.end - p.a.start, p.b.start, p.b.end - p.b.start, round(p.similarity, 4))
        for p in comparison.passages
    ]


def _align(susp_doc: Document | None, src: str) -> list[Detection] | None:
    src_doc = _source(src)
    if susp_doc is None or src_doc is None:
        return None
    return _detections(compare(susp_doc, src_doc))


def _align_group(task: tuple[str, tuple[str, ...]]) -> tuple[str, dict[str, list[Detection] | None]]:
    """Pairwise mode: one suspicious document against each of its listed sources."""
    susp, sources = task
    susp_doc = _prepare("susp", susp)
    return susp, {src: _align(susp_doc, src) for src in sources}


def _source_signatures(name: str) -> tuple[str, Any]:
    """Retrieval mode, indexing: only signatures travel back to the parent, not whole documents."""
    doc = _source(name)
    return name, None if doc is None else doc.signatures


def _retrieve(susp: str) -> tuple[str, dict[str, int], dict[str, list[Detection] | None]]:
    """Retrieval mode, querying: candidates from the (forked) index, each aligned."""
    assert _INDEX is not None, "the index is built before the workers fork"
    susp_doc = _prepare("susp", susp)
    if susp_doc is None:
        return susp, {}, {}
    found = _INDEX.query_passages(susp_doc.query_signatures)
    aligned: dict[str, list[Detection] | None] = {}
    for src in sorted(found):
        src_doc = _source(src)
        # as the service does: a long candidate is aligned whole only if its hit passages share a seed chain
        skip = src_doc is not None and screened_out(susp_doc, src_doc.text, found[src].passages)
        aligned[src] = [] if skip else _align(susp_doc, src)
    return susp, {src: candidate.hits for src, candidate in found.items()}, aligned


T = TypeVar("T")
R = TypeVar("R")


def _run(func: Callable[[T], R], tasks: Sequence[T], workers: int, corpus: Path, label: str) -> Iterator[R]:
    """Map over tasks in `workers` forked processes (inline for 1), logging progress to stderr."""
    step = max(len(tasks) // 10, 1)
    if workers <= 1:
        _init_worker(corpus, _CONFIG)
        results: Iterable[R] = map(func, tasks)
        pool = None
    else:
        pool = multiprocessing.get_context("fork").Pool(workers, _init_worker, (corpus, _CONFIG))
        results = pool.imap_unordered(func, tasks, chunksize=4)
    try:
        for n, result in enumerate(results, 1):
            if n % step == 0 or n == len(tasks):
                log(f"  {label}: {n}/{len(tasks)}")
            yield result
    finally:
        if pool is not None:
            pool.close()
            pool.join()


def run_pairwise(corpus: Path, pairs: list[Pair], workers: int) -> RunOutput:
    """Align every listed pair."""
    out = RunOutput("pairwise")
    start = time.perf_counter()
    groups: dict[str, list[str]] = defaultdict(list)
    for pair in pairs:
        groups[pair.susp].append(pair.src)
    tasks = [(susp, tuple(srcs)) for susp, srcs in sorted(groups.items())]
    for susp, by_src in _run(_align_group, tasks, workers, corpus, "pairwise"):
        for src, dets in by_src.items():
            out.errors += dets is None
            out.detections[(susp, src)] = dets or []
    out.seconds["align"] = time.perf_counter() - start
    return out


def run_retrieval(corpus: Path, pairs: list[Pair], workers: int) -> RunOutput:
    """Index every source document, query with each suspicious document, align every candidate."""
    global _INDEX
    out = RunOutput("retrieval")
    start = time.perf_counter()
    sources = sorted(p.name for p in (corpus / "src").glob("*.txt"))
    index = PassageIndex(_CONFIG)
    for name, signatures in _run(_source_signatures, sources, workers, corpus, "index sources"):
        if signatures is None:
            out.errors += 1
        else:
            index.insert_signatures(name, signatures)
    out.seconds["index"] = time.perf_counter() - start
    start = time.perf_counter()
    _INDEX = index
    try:
        suspicious = sorted({p.susp for p in pairs})
        for susp, hits, by_src in _run(_retrieve, suspicious, workers, corpus, "query and align"):
            out.candidates[susp] = hits
            for src, dets in by_src.items():
                out.errors += dets is None
                out.detections[(susp, src)] = dets or []
    finally:
        _INDEX = None
    out.seconds["query_align"] = time.perf_counter() - start
    return out


# ---------------------------------------------------------------- scoring


@dataclass
class CategoryScore:
    """Passage-level (plagdet) and document-level figures of one category."""

    pairs: int
    passage: PlagdetResult
    document: BinaryCounts
    unlisted_pairs_flagged: int = 0
    unlisted_detections: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "pairs": self.pairs,
            **self.passage.to_dict(),
            "document": self.document.to_dict(),
            "unlisted_pairs_flagged": self.unlisted_pairs_flagged,
            "unlisted_detections": self.unlisted_detections,
        }


def _annotations(key: PairKey, dets: Iterable[Detection]) -> list[Annotation]:
    return [Annotation(key[0], d[0], d[1], key[1], d[2], d[3]) for d in dets if d[1] + d[3]]


def score(pairs: list[Pair], out: RunOutput) -> dict[str, CategoryScore]:
    """Per category, overall, and category 05 restricted to its annotated pairs.

    Detections on pairs the corpus does not list (retrieval only) are charged to the category of their
    suspicious document and count as false positives at both levels.
    """
    listed = {p.key for p in pairs}
    category_of = {p.susp: p.category for p in pairs}
    groups: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        groups[pair.category].append(pair)
        groups[OVERALL].append(pair)
        if pair.category.startswith("05") and pair.cases:
            groups[SUMMARY_ANNOTATED].append(pair)
    unlisted: dict[str, list[PairKey]] = defaultdict(list)
    for key, dets in out.detections.items():
        if key not in listed and dets:
            unlisted[category_of[key[0]]].append(key)
            unlisted[OVERALL].append(key)
    scores = {}
    for name in sorted(groups, key=lambda g: (g == OVERALL, g)):
        group = groups[name]
        cases = [case for p in group for case in p.cases]
        detections = [a for p in group for a in _annotations(p.key, out.detections.get(p.key, []))]
        document = BinaryCounts()
        for p in group:
            document.add(bool(out.detections.get(p.key)), p.derived)
        extra = unlisted.get(name, []) if name != SUMMARY_ANNOTATED else []
        for key in extra:
            detections.extend(_annotations(key, out.detections[key]))
            document.add(True, False)
        scores[name] = CategoryScore(
            pairs=len(group),
            passage=evaluate(cases, detections),
            document=document,
            unlisted_pairs_flagged=len(extra),
            unlisted_detections=sum(len(out.detections[k]) for k in extra),
        )
    return scores


VERBATIM_SIMILARITY = 0.95
VERBATIM_MIN_CHARS = 200


def retrieval_figures(pairs: list[Pair], out: RunOutput) -> list[dict[str, Any]]:
    """Per category and overall: how well the index alone finds the listed sources (before alignment), and
    how many unlisted detections are long verbatim copies (likely reuse the pair list does not cover)."""
    listed = {p.key for p in pairs}
    category_of = {p.susp: p.category for p in pairs}
    groups: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        groups[pair.category].append(pair)
        groups[OVERALL].append(pair)
    rows = []
    for name in sorted(groups, key=lambda g: (g == OVERALL, g)):
        group = groups[name]
        annotated = [p for p in group if p.cases]
        found = sum(p.src in out.candidates.get(p.susp, {}) for p in annotated)
        queries = [len(out.candidates.get(s, {})) for s in {p.susp for p in group}]
        unlisted = [
            d
            for key, dets in out.detections.items()
            if key not in listed and name in (OVERALL, category_of[key[0]])
            for d in dets
        ]
        rows.append(
            {
                "category": name,
                "annotated_pairs": len(annotated),
                "candidate_recall": found / len(annotated) if annotated else 0.0,
                "listed_negatives_returned": sum(
                    p.src in out.candidates.get(p.susp, {}) for p in group if not p.derived
                ),
                "mean_candidates": sum(queries) / len(queries) if queries else 0.0,
                "max_candidates": max(queries, default=0),
                "unlisted_dets": len(unlisted),
                "unlisted_verbatim": sum(d[4] >= VERBATIM_SIMILARITY and d[1] >= VERBATIM_MIN_CHARS for d in unlisted),
            }
        )
    return rows


def print_scores(out: RunOutput, scores: dict[str, CategoryScore]) -> None:
    """The passage-level and document-level tables, on stdout."""
    retrieval = out.mode == "retrieval"
    headers = ["category", "pairs", "cases", "dets", "plagdet", "recall", "precision", "gran"]
    rows: list[list[object]] = []
    for name, s in scores.items():
        r = s.passage
        row: list[object] = [name, s.pairs, r.cases, r.detections, r.plagdet, r.recall, r.precision, r.granularity]
        rows.append(row + ([s.unlisted_detections] if retrieval else []))
    print(f"\n[{out.mode}] passage level (PAN plagdet, macro-averaged)")
    print(format_table(headers + (["unlisted dets"] if retrieval else []), rows))
    rows = []
    for name, s in scores.items():
        d = s.document
        row = [name, d.tp, d.fp, d.fn, d.tn, d.precision, d.recall, d.f1]
        rows.append(row + ([s.unlisted_pairs_flagged] if retrieval else []))
    print(f"\n[{out.mode}] document level: is derived (any passage reported)")
    headers = ["category", "tp", "fp", "fn", "tn", "precision", "recall", "f1"]
    print(format_table(headers + (["unlisted flagged"] if retrieval else []), rows))
    timing = ", ".join(f"{k} {v:.1f}s" for k, v in out.seconds.items())
    print(f"[{out.mode}] wall time: {timing}; documents the engine rejected: {out.errors}")


def write_details(path: Path, outputs: list[tuple[list[Pair], RunOutput]]) -> None:
    """One JSON line per aligned pair and mode, for diagnosis: case spans, detection spans (with similarity)
    and the pair's own plagdet figures. Retrieval adds the unlisted pairs it flagged (``"listed": false``)."""
    with open(path, "w", encoding="utf-8") as handle:
        for pairs, out in outputs:
            category_of = {p.susp: p.category for p in pairs}
            listed = {p.key: p for p in pairs}
            unlisted = [
                Pair(category_of[k[0]], k[0], k[1], False, ())
                for k, d in out.detections.items()
                if d and k not in listed
            ]
            for p in [*pairs, *sorted(unlisted, key=lambda u: u.key)]:
                dets = out.detections.get(p.key, [])
                row = {
                    "mode": out.mode,
                    "category": p.category,
                    "susp": p.susp,
                    "src": p.src,
                    "listed": p.key in listed,
                    "case_spans": [a[1:3] + a[4:6] for a in p.cases],
                    "detection_spans": [list(d) for d in dets],
                    **evaluate(p.cases, _annotations(p.key, dets)).to_dict(),
                }
                handle.write(json.dumps(row) + "\n")
    log(f"wrote {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the pan13-train folder (pairs.jsonl, src/, susp/)")
    parser.add_argument("--categories", nargs="+", help="e.g. 02 03 (default: all five)")
    parser.add_argument("--limit", type=int, help="sample N pairs per category (seeded) for quick runs")
    parser.add_argument("--seed", type=int, default=13, help="seed of the --limit sample (default 13)")
    parser.add_argument("--mode", choices=["pairwise", "retrieval", "both"], default="pairwise")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--details", type=Path, help="write per-pair cases and detections (JSONL) here")
    args = parser.parse_args(argv)
    if corpus_missing(args.corpus, "pairs.jsonl", "PAN 2013 text-alignment corpus"):
        return 0
    wall = time.perf_counter()
    pairs = load_pairs(args.corpus, args.categories)
    if args.limit:
        pairs = sample_pairs(pairs, args.limit, args.seed)
    log(f"{len(pairs)} pairs, {len({p.susp for p in pairs})} suspicious documents")
    report: dict[str, Any] = {"config": _CONFIG.to_dict(), "pairs": len(pairs), "limit": args.limit}
    outputs = []
    if args.mode in ("pairwise", "both"):
        out = run_pairwise(args.corpus, pairs, args.workers)
        scores = score(pairs, out)
        print_scores(out, scores)
        outputs.append((pairs, out))
        report["pairwise"] = {"scores": {k: v.to_dict() for k, v in scores.items()}, "seconds": out.seconds}
    if args.mode in ("retrieval", "both"):
        # whole suspicious documents: every listed pair of each sampled suspicious document is scored
        chosen = {p.susp for p in pairs}
        rpairs = [p for p in load_pairs(args.corpus, args.categories) if p.susp in chosen]
        out = run_retrieval(args.corpus, rpairs, args.workers)
        scores = score(rpairs, out)
        print_scores(out, scores)
        figures = retrieval_figures(rpairs, out)
        print(
            f"\n[retrieval] candidate search (index alone); unlisted verbatim = unlisted detections with "
            f"similarity >= {VERBATIM_SIMILARITY} and >= {VERBATIM_MIN_CHARS} chars"
        )
        print(format_table(list(figures[0]), [list(row.values()) for row in figures]))
        outputs.append((rpairs, out))
        report["retrieval"] = {
            "scores": {k: v.to_dict() for k, v in scores.items()},
            "candidates": figures,
            "seconds": out.seconds,
        }
    report["wall_seconds"] = time.perf_counter() - wall
    print(f"\nwall time: {report['wall_seconds']:.1f}s with {args.workers} worker(s)")
    if args.json:
        write_json(args.json, report)
    if args.details:
        write_details(args.details, outputs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
