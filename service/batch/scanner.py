"""Run the engine over the articles: prepare each one, then find and align the pairs that share text.

Pairs come out in a fixed order whatever the file system returns: by the first id, then the second, with
`a < b` (or in the order of a `--pairs` file), so a report can be streamed and still be reproducible.

Reading, preparing and aligning run in `workers` processes (all cores by default). Workers are forked:
the querying and aligning ones inherit the texts and the index instead of receiving them, and every result
comes back in task order, so the report is the same, byte for byte, as a single process would write.

Memory. A prepared article with its alignment tables takes ~150 bytes a word, and an archive has hundreds of
millions of words, so the scan never holds them all. Reading keeps of each article its text, counts and line
keys, and puts its passage signatures straight into the index; the workers that query and compare prepare the
articles again, each keeping the last ones it used in a cache of `cache_bytes` (by default its share of half
the memory free when comparing starts: `service.batch.memory`). The parent holds the texts and the
index, ~45 bytes a word at its peak. Within the cache the scan runs as fast as when every article stayed
prepared; beyond it, an article is prepared again when a pair needs it (~1 ms for 600 words).

Copies. An archive often holds one text many times (a wire story on every site that runs it), and its copies
pair with each other and with everything the text pairs with. Each worker aligns a pair of texts once and
reuses that alignment for every pair of their copies (`_Copies`); the report lists every pair as before.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol, TypeVar

import numpy as np

from service.batch.memory import cache_budget
from service.batch.pairlist import ListedPair, PairListError
from service.batch.progress import Feedback
from service.batch.readers import Article, ReadResult, read_file
from service.batch.walk import FoundFile, Skipped
from service.doccache import DocumentCache, document_bytes, estimated_bytes
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
from shingling.boilerplate import Lines, line_arrays

__all__ = [
    "Loaded", "PairHook", "Prepared", "default_workers", "listed_pairs", "load", "lsh_pairs",
    "resolve_listed",
]

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
    """An article and what the scan keeps of the engine's view of it (the prepared text itself is made again
    where it is needed: see Memory above)."""

    article: Article
    words: int
    passages: int
    lines: Lines  # its distinct line keys and their words, which the boilerplate model counts


@dataclass(slots=True)
class Loaded:
    """Prepared articles, sorted by id, everything that could not be used, and the index of their passages."""

    config: EngineConfig
    prepared: list[Prepared] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    index: PassageIndex | None = None

    _originals: list[int] | None = None

    def by_id(self) -> dict[str, Prepared]:
        return {p.article.id: p for p in self.prepared}

    def originals(self) -> list[int]:
        """For each article, the position in `prepared` of the first with the same text (its own if none):
        copies are aligned and discounted once (found once, when first asked)."""
        if self._originals is None:
            first: dict[str, int] = {}
            self._originals = [first.setdefault(p.article.text, i) for i, p in enumerate(self.prepared)]
        return self._originals

    def positions(self) -> dict[str, int]:
        """Each article's position in `prepared`, by id."""
        return {p.article.id: i for i, p in enumerate(self.prepared)}


class PairHook(Protocol):
    """What else a pair needs besides its alignment (the scan's syndication), run in the workers, which hold
    the prepared articles."""

    def wanted(self, a: str, b: str) -> bool:
        """Whether to compare the pair at all."""
        ...

    def apply(self, a: str, b: str, comparison: Comparison, doc_a: Document, doc_b: Document) -> tuple[Comparison, Any]:
        """The comparison to report and what to report with it."""
        ...


class _Summary(NamedTuple):
    """What reading keeps of a prepared article."""

    words: int
    passages: int
    lines: Lines
    signatures: np.ndarray | None  # for the index; None when the scan needs no index


# state the forked workers read: set in the parent just before the pool forks
_config: EngineConfig | None = None
_signed = True
_loaded: Loaded | None = None
_position: dict[str, int] | None = None
_hook: PairHook | None = None
_docs: DocumentCache[Document] | None = None
_keep_empty = False
_copies: _Copies | None = None


class _Copies:
    """Which articles have the same text, and (in a worker) the alignments of pairs of such texts, so that a
    text found in many copies is aligned with each other text once. Only pairs where a side has copies are
    remembered, at most `limit` of them (the oldest go first)."""

    def __init__(self, loaded: Loaded, limit: int = 4096) -> None:
        self.text = loaded.originals()
        counts = np.bincount(np.asarray(self.text, dtype=np.int64), minlength=len(loaded.prepared))
        self.copied = counts > 1
        self.limit = limit
        self._known: dict[tuple[int, int], Comparison] = {}

    def compare(self, own: int, other: int, doc: Document, other_doc: Document) -> Comparison:
        """`compare(doc, other_doc)`, remembered for pairs of texts with copies."""
        key = (self.text[own], self.text[other])
        if not (self.copied[key[0]] or self.copied[key[1]]):
            return compare(doc, other_doc)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = compare(doc, other_doc)
            if len(self._known) > self.limit:
                del self._known[next(iter(self._known))]
        return found


@contextmanager
def _pool(workers: int | None, tasks: int) -> Iterator[multiprocessing.pool.Pool | None]:
    """Forked worker processes for `tasks` tasks, or None where one process will do (too few tasks to be worth
    a fork). The pool forks here, before the caller draws a progress bar (so no bar thread is copied into a
    worker), and after the caller set the state the workers read."""
    processes = _processes(workers, tasks)
    if processes == 1:
        yield None
        return
    pool = multiprocessing.get_context("fork").Pool(processes)
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


def _processes(workers: int | None, tasks: int) -> int:
    """How many processes `tasks` tasks run in: 1 (this one) when too few to be worth a fork."""
    workers = default_workers() if workers is None else workers
    return 1 if workers <= 1 or tasks < MIN_PARALLEL else min(workers, tasks)


def _map(pool: multiprocessing.pool.Pool | None, func: Callable[[T], R], tasks: Iterable[T], chunksize: int = 4
         ) -> Iterator[R]:
    """`map(func, tasks)` in the pool's workers, results in task order; in this process without a pool."""
    return map(func, tasks) if pool is None else pool.imap(func, tasks, chunksize=chunksize)


_Made = tuple[Article, _Summary | None, str | None]  # an article, what is kept of it or why nothing is


def _read_prepared(found: FoundFile) -> tuple[ReadResult, list[_Made]]:
    """Read one file and prepare each of its articles (in a worker)."""
    assert _config is not None
    result = read_file(found)
    made: list[_Made] = []
    for article in result.articles:
        try:
            doc = prepare(article.text, _config)
        except EmptyDocumentError:
            made.append((article, None, "no words"))
        except ShinglingError as exc:
            made.append((article, None, str(exc)))
        else:
            signatures = doc.signatures if _signed else None
            made.append((article, _Summary(doc.words, len(doc.bounds[0]), line_arrays(doc), signatures), None))
    result.articles = []
    return result, made


def load(
    files: list[FoundFile], config: EngineConfig, feedback: Feedback, workers: int | None = None, index: bool = True
) -> Loaded:
    """Read and prepare every file, indexing the passages unless `index` is False (pairs listed in a file need
    no search); wordless articles are skipped like unreadable ones."""
    global _config, _signed
    loaded = Loaded(config, index=PassageIndex(config) if index else None)
    seen: set[str] = set()

    def skip(entry: Skipped) -> None:
        loaded.skipped.append(entry)
        feedback.note(entry.message())

    _config, _signed = config, index
    with _pool(workers, len(files)) as pool:
        results = _map(pool, _read_prepared, files)
        for result, made in feedback.track(results, total=len(files), description="reading"):
            for entry in result.skipped:
                skip(entry)
            for article, summary, reason in made:
                record_id = article.id if article.id != article.path else None
                if article.id in seen:
                    skip(Skipped(article.path, f"duplicate id {article.id!r}", id=record_id))
                    continue
                if summary is None:
                    skip(Skipped(article.path, reason or "no words", id=record_id))
                    continue
                seen.add(article.id)
                loaded.prepared.append(Prepared(article, summary.words, summary.passages, summary.lines))
                if loaded.index is not None and summary.signatures is not None:
                    loaded.index.insert_signatures(article.id, summary.signatures)
    loaded.prepared.sort(key=lambda p: p.article.id)
    loaded.skipped.sort(key=lambda s: (s.path, s.id or ""))
    if loaded.index is not None:
        loaded.index.compact()
    return loaded


def _doc(position: int) -> Document:
    """The article at `position` prepared: from this worker's cache, or made again."""
    assert _loaded is not None and _docs is not None
    doc = _docs.get(position, "")
    if doc is None:
        doc = prepare(_loaded.prepared[position].article.text, _loaded.config)
        _docs.put(position, "", doc)
    return doc


_Result = tuple[Comparison, Any] | None  # a pair's comparison and what the hook adds, or None: not compared


def _compare_group(task: tuple[int, tuple[int, ...]]) -> list[_Result]:
    """Align one document with each of its candidates (in a worker): positions in `_loaded.prepared`."""
    assert _loaded is not None
    own, others = task
    if not others:  # most articles of a big folder: not worth preparing again
        return []
    own_id = _loaded.prepared[own].article.id
    doc = _doc(own)
    out: list[_Result] = []
    for other in others:
        other_id = _loaded.prepared[other].article.id
        if _hook is not None and not _hook.wanted(own_id, other_id):
            out.append(None)
            continue
        other_doc = _doc(other)
        comparison = compare(doc, other_doc) if _copies is None else _copies.compare(own, other, doc, other_doc)
        if _hook is None or not (comparison.shared or _keep_empty):
            out.append((comparison, None))
        else:
            out.append(_hook.apply(own_id, other_id, comparison, doc, other_doc))
    return out


def _candidates(own: int) -> tuple[int, ...]:
    """Positions of one document's candidates, earlier and later ones (in a worker)."""
    assert _loaded is not None and _loaded.index is not None and _position is not None
    doc = _doc(own)
    found = _loaded.index.query(doc, exclude=_loaded.prepared[own].article.id)
    doc.forget_signatures()  # it is only compared from now on
    return tuple(_position[key] for key in found)


def _later(candidates: Sequence[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """For each document, the later ones it was proposed with, from either side's query (a text's query
    windows can find a pair that the other text's query does not)."""
    later: list[set[int]] = [set() for _ in candidates]
    for own, found in enumerate(candidates):
        for other in found:
            later[min(own, other)].add(max(own, other))
    return [tuple(sorted(group)) for group in later]


@contextmanager
def _comparing(
    loaded: Loaded,
    hook: PairHook | None,
    cache_bytes: int | None,
    workers: int | None,
    tasks: int,
    feedback: Feedback,
    keep_empty: bool,
    position: dict[str, int] | None = None,
) -> Iterator[multiprocessing.pool.Pool | None]:
    """Set the state the workers inherit (or this process uses inline), fork them, and clear it all afterwards.
    Each worker's cache is `cache_bytes`, or its share of the memory free now (`service.batch.memory`);
    with `keep_empty` (listed pairs) every compared pair goes through the hook, shared text or not."""
    global _loaded, _hook, _docs, _position, _keep_empty, _copies
    if cache_bytes is None:
        cache_bytes = cache_budget(_processes(workers, tasks))
    _warn_if_outgrown(loaded, cache_bytes, feedback)
    _loaded, _hook, _position, _keep_empty = loaded, hook, position, keep_empty
    _docs = DocumentCache(len(loaded.prepared) + 1, cache_bytes, document_bytes)
    _copies = _Copies(loaded)
    try:
        with _pool(workers, tasks) as pool:
            yield pool
    finally:
        _loaded = _hook = _docs = _position = _copies = None


def _warn_if_outgrown(loaded: Loaded, cache_bytes: int, feedback: Feedback) -> None:
    """Say so when the prepared articles would not fit in a worker's cache: the scan is slower then, and the
    user can give it more memory."""
    need = sum(estimated_bytes(p.words, len(p.article.text)) for p in loaded.prepared)
    if need > cache_bytes:
        feedback.note(f"the prepared articles (~{need / 2**30:.1f} GiB) outgrow each worker's cache "
                      f"({cache_bytes / 2**30:.2f} GiB): some are prepared again as pairs need them; "
                      "--cache-mb gives the workers more memory")


def lsh_pairs(
    loaded: Loaded,
    feedback: Feedback,
    workers: int | None = None,
    hook: PairHook | None = None,
    cache_bytes: int | None = None,
) -> Iterator[tuple[str, str, Comparison, Any]]:
    """Every pair that shares text: LSH over passage signatures proposes, alignment confirms, `hook` (in the
    workers) gives the comparison to report and what goes with it; pairs left with nothing shared are dropped.
    """
    assert loaded.index is not None, "load(..., index=True) indexes the passages"
    total = len(loaded.prepared)
    with _comparing(loaded, hook, cache_bytes, workers, total, feedback, False, loaded.positions()) as pool:
        found = list(feedback.track(_map(pool, _candidates, range(total), chunksize=16), total=total,
                                    description="querying"))
        tasks = list(enumerate(_later(found)))
        results = zip(tasks, _map(pool, _compare_group, tasks), strict=True)
        for (i, others), outcomes in feedback.track(results, total=total, description="comparing"):
            own = loaded.prepared[i].article.id
            for other, outcome in zip(others, outcomes, strict=True):
                if outcome is not None and outcome[0].shared:
                    yield own, loaded.prepared[other].article.id, outcome[0], outcome[1]


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
    listed: list[ListedPair],
    loaded: Loaded,
    feedback: Feedback,
    workers: int | None = None,
    hook: PairHook | None = None,
    cache_bytes: int | None = None,
) -> Iterator[tuple[str, str, Comparison, Any]]:
    """Compare exactly the listed pairs `hook` wants, in the file's order and orientation, shared text or not."""
    position = loaded.positions()
    tasks = [(position[pair.a], (position[pair.b],)) for pair in listed]
    with _comparing(loaded, hook, cache_bytes, workers, len(tasks), feedback, True) as pool:
        results = zip(listed, _map(pool, _compare_group, tasks, chunksize=16), strict=True)
        for pair, (outcome,) in feedback.track(results, total=len(listed), description="comparing"):
            if outcome is not None:
                yield pair.a, pair.b, outcome[0], outcome[1]
