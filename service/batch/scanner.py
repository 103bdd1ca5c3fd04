"""Run the engine over the articles: prepare each one, then find and align the pairs that share text.

Pairs come out in a fixed order whatever the file system returns: by the first id, then the second, with
`a < b` (or in the order of a `--pairs` file), so a report can be streamed and still be reproducible.

Reading, preparing and aligning run in `workers` processes (all cores by default). Workers are forked:
the aligning ones inherit the prepared documents instead of receiving them, and every result comes back
in task order, so the report is the same, byte for byte, as a single process would write.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from service.batch.pairlist import ListedPair, PairListError
from service.batch.progress import Feedback
from service.batch.readers import Article, ReadResult, read_file
from service.batch.walk import FoundFile, Skipped
from shingling import (
    Comparison,
    Document,
    EmptyDocumentError,
    EngineConfig,
    PassageIndex,
    ShinglingError,
    compare,
    prepare,
)

__all__ = ["Loaded", "Prepared", "default_workers", "listed_pairs", "load", "lsh_pairs", "resolve_listed"]

MIN_PARALLEL = 16
"""Fewer tasks than this run in this process: forking workers would cost more than it saves."""

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article and the engine's view of it."""

    article: Article
    doc: Document


@dataclass(slots=True)
class Loaded:
    """Prepared articles, sorted by id, and everything that could not be used."""

    prepared: list[Prepared] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def by_id(self) -> dict[str, Prepared]:
        return {p.article.id: p for p in self.prepared}


# state the forked workers read: set in the parent just before the pool forks
_config: EngineConfig | None = None
_loaded: Loaded | None = None
_index: PassageIndex | None = None
_position: dict[str, int] | None = None


def _ordered_map(
    func: Callable[[T], R], tasks: Sequence[T], workers: int | None, chunksize: int = 4
) -> Iterator[R]:
    """`map(func, tasks)` in forked worker processes, results in task order; inline when not worth a pool.

    The pool forks here, before the caller draws a progress bar (so no bar thread is copied into a worker).
    """
    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(tasks) < MIN_PARALLEL:
        return map(func, tasks)
    pool = multiprocessing.get_context("fork").Pool(min(workers, len(tasks)))
    return _drain(pool, pool.imap(func, tasks, chunksize=chunksize))


def _drain(pool: multiprocessing.pool.Pool, results: Iterator[R]) -> Iterator[R]:
    try:
        yield from results
    finally:
        pool.terminate()
        pool.join()


_Made = tuple[Article, Document | None, str | None]  # an article, its document or why it has none


def _read_prepared(found: FoundFile) -> tuple[ReadResult, list[_Made]]:
    """Read one file and prepare each of its articles (in a worker)."""
    assert _config is not None
    result = read_file(found)
    made: list[_Made] = []
    for article in result.articles:
        try:
            made.append((article, prepare(article.text, _config), None))
        except EmptyDocumentError:
            made.append((article, None, "no words"))
        except ShinglingError as exc:
            made.append((article, None, str(exc)))
    result.articles = []
    return result, made


def load(files: list[FoundFile], config: EngineConfig, feedback: Feedback, workers: int | None = None) -> Loaded:
    """Read and prepare every file; wordless articles are skipped like unreadable ones."""
    global _config
    loaded = Loaded()
    seen: set[str] = set()

    def skip(entry: Skipped) -> None:
        loaded.skipped.append(entry)
        feedback.note(entry.message())

    _config = config
    results = _ordered_map(_read_prepared, files, workers)
    for result, made in feedback.track(results, total=len(files), description="reading"):
        for entry in result.skipped:
            skip(entry)
        for article, doc, reason in made:
            record_id = article.id if article.id != article.path else None
            if article.id in seen:
                skip(Skipped(article.path, f"duplicate id {article.id!r}", id=record_id))
                continue
            if doc is None:
                skip(Skipped(article.path, reason or "no words", id=record_id))
                continue
            seen.add(article.id)
            loaded.prepared.append(Prepared(article, doc))
    loaded.prepared.sort(key=lambda p: p.article.id)
    loaded.skipped.sort(key=lambda s: (s.path, s.id or ""))
    return loaded


def _compare_group(task: tuple[int, tuple[int, ...]]) -> list[Comparison]:
    """Align one document with each of its candidates (in a worker): positions in `_loaded.prepared`."""
    assert _loaded is not None
    own, others = task
    doc = _loaded.prepared[own].doc
    return [compare(doc, _loaded.prepared[other].doc) for other in others]


def _candidates(own: int) -> tuple[int, ...]:
    """Positions of one document's candidates, earlier and later ones (in a worker)."""
    assert _loaded is not None and _index is not None and _position is not None
    p = _loaded.prepared[own]
    return tuple(_position[key] for key in _index.query(p.doc, exclude=p.article.id))


def _later(candidates: Sequence[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """For each document, the later ones it was proposed with, from either side's query (a text's query
    windows can find a pair that the other text's query does not)."""
    later: list[set[int]] = [set() for _ in candidates]
    for own, found in enumerate(candidates):
        for other in found:
            later[min(own, other)].add(max(own, other))
    return [tuple(sorted(group)) for group in later]


def lsh_pairs(
    loaded: Loaded, config: EngineConfig, feedback: Feedback, workers: int | None = None
) -> Iterator[tuple[str, str, Comparison]]:
    """Every pair that shares text: LSH over passage signatures proposes, alignment confirms.

    The index is built here; the workers inherit it and each queries it for its own documents."""
    global _loaded, _index, _position
    index = PassageIndex(config)
    total = len(loaded.prepared)
    for p in feedback.track(loaded.prepared, total=total, description="indexing"):
        index.insert(p.article.id, p.doc)
    index.compact()
    _loaded, _index = loaded, index
    _position = {p.article.id: i for i, p in enumerate(loaded.prepared)}
    try:
        found = list(feedback.track(_ordered_map(_candidates, range(total), workers, chunksize=16), total=total,
                                    description="querying"))
        tasks = list(enumerate(_later(found)))
        results = zip(tasks, _ordered_map(_compare_group, tasks, workers), strict=True)
        for (i, others), comparisons in feedback.track(results, total=total, description="comparing"):
            own = loaded.prepared[i].article.id
            for other, comparison in zip(others, comparisons, strict=True):
                if comparison.shared:
                    yield own, loaded.prepared[other].article.id, comparison
    finally:
        _loaded = _index = _position = None


def resolve_listed(listed: list[ListedPair], loaded: Loaded, feedback: Feedback) -> list[ListedPair]:
    """Keep the listed pairs whose documents were read; an id never seen at all is an error in the file."""
    known = {p.article.id for p in loaded.prepared}
    skipped = {s.id or s.path for s in loaded.skipped}
    usable = []
    for pair in listed:
        missing = [doc_id for doc_id in (pair.a, pair.b) if doc_id not in known]
        unknown = [doc_id for doc_id in missing if doc_id not in skipped]
        if unknown:
            raise PairListError(f"line {pair.line}: no document with id {unknown[0]!r}")
        if missing:
            feedback.note(f"pairs line {pair.line}: {missing[0]!r} was skipped; pair not compared")
            continue
        usable.append(pair)
    return usable


def listed_pairs(
    listed: list[ListedPair], loaded: Loaded, feedback: Feedback, workers: int | None = None
) -> Iterator[tuple[str, str, Comparison]]:
    """Compare exactly the listed pairs, in the file's order and orientation, shared text or not."""
    global _loaded
    position = {p.article.id: i for i, p in enumerate(loaded.prepared)}
    tasks = [(position[pair.a], (position[pair.b],)) for pair in listed]
    _loaded = loaded
    try:
        results = zip(listed, _ordered_map(_compare_group, tasks, workers, chunksize=16), strict=True)
        for pair, (comparison,) in feedback.track(results, total=len(listed), description="comparing"):
            yield pair.a, pair.b, comparison
    finally:
        _loaded = None
