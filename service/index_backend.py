"""Where the passage index lives: in this process (default) or in Redis, shared by every worker and host.

Both backends answer the same questions (`IndexBackend`): which stored articles share a passage bucket
with these signatures, insert, remove, how many articles are indexed. The database stays the source of
truth; `rebuild` fills a backend from the stored signatures and `verify` lists where the two disagree.
Writes hold the backend's locks: `store_lock` for one article's store or delete (database and index together),
`write_lock` for what must see no store half done: a rebuild, a verification. In-process both are one thread
lock; in Redis stores share a lock (several workers store side by side) that a rebuild takes alone.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.orm import Session

from service import repository
from service.core.config import Settings
from shingling import Candidate, EngineConfig, PassageIndex
from shingling.index import DEFAULT_MAX_BUCKET

__all__ = [
    "IndexBackend",
    "IndexMissingError",
    "IndexUnavailableError",
    "InProcessIndex",
    "Verification",
    "make_index_backend",
    "rebuild",
    "stored_items",
    "verify",
]

WRITE_WAIT_SECONDS = 60.0
"""How long a write waits for another process's write (or a rebuild) before answering 503."""


class IndexUnavailableError(RuntimeError):
    """The index cannot be used right now (Redis unreachable or flushed, lock held too long); the
    message says what to do. The API answers 503."""


class IndexMissingError(IndexUnavailableError):
    """The shared index holds nothing for these settings (Redis flushed, or never built): rebuild it."""


class IndexBackend(ABC):
    """A passage index keyed by article key (`str(article_id)`), holding only signatures."""

    shared: bool = False
    """True when every process using the same settings sees the same index (several workers allowed)."""

    def __init__(self, config: EngineConfig) -> None:
        self.config = config

    @abstractmethod
    def describe(self) -> str:
        """Where the index lives, for logs and messages."""

    @abstractmethod
    def write_lock(self, wait: float | None = WRITE_WAIT_SECONDS) -> AbstractContextManager[None]:
        """Hold off every other writer of this index; `wait=None` waits as long as it takes."""

    def store_lock(self, wait: float | None = WRITE_WAIT_SECONDS) -> AbstractContextManager[None]:
        """Held while one article is stored or deleted in the database and the index: it keeps out `write_lock`
        (a rebuild must not miss a store committed while it reads the database). Stores need not keep each other
        out (each is one atomic index call; the database's unique keys settle two stores of one article), but
        here they do: a backend that can let them run side by side says so by overriding this."""
        return self.write_lock(wait)

    @abstractmethod
    def check_writable(self) -> None:
        """Raise IndexUnavailableError if a write could not be indexed (checked before the database commit)."""

    @abstractmethod
    def insert(self, key: str, signatures: np.ndarray) -> None:
        """Index an article's passage signatures (shape (passages, num_perm)); hold the write lock."""

    @abstractmethod
    def remove(self, key: str) -> bool:
        """Remove an article's passages; False if it was not indexed. Hold the write lock."""

    @abstractmethod
    def query_passages(self, signatures: np.ndarray, exclude: str | None = None) -> dict[str, Candidate]:
        """Articles sharing a bucket with any of these passage signatures, most hits first (ties by key), each
        with its number of passage hits and which of its passages were hit."""

    def query(self, signatures: np.ndarray, exclude: str | None = None) -> dict[str, int]:
        """Articles sharing a bucket with any of these passage signatures, with the number of passage hits."""
        return {key: found.hits for key, found in self.query_passages(signatures, exclude).items()}

    @abstractmethod
    def __len__(self) -> int:
        """Number of indexed articles."""

    @abstractmethod
    def passage_counts(self) -> dict[str, int]:
        """Every indexed article key with its number of passages."""

    @abstractmethod
    def is_current(self, articles: int) -> bool:
        """True if the index is built and holds `articles` articles (no start-up rebuild needed)."""

    @abstractmethod
    def replace_all(self, items: Iterable[tuple[str, np.ndarray]]) -> int:
        """Replace the whole index by these articles (readers see the old one until done); hold the write lock."""

    def problems(self) -> list[str]:
        """Disagreements inside the index itself (beyond what `passage_counts` shows)."""
        return []

    def ping(self) -> None:  # noqa: B027 - nothing to reach in-process
        """Raise IndexUnavailableError if the index cannot be reached."""

    def close(self) -> None:  # noqa: B027 - nothing to release in-process
        """Release connections."""


class InProcessIndex(IndexBackend):
    """`shingling.PassageIndex` in this process's memory: one process per database, rebuilt at every start."""

    shared = False

    def __init__(self, config: EngineConfig, max_bucket: int | None = DEFAULT_MAX_BUCKET) -> None:
        super().__init__(config)
        self.max_bucket = max_bucket
        self._index = PassageIndex(config, max_bucket=max_bucket)
        self._counts: dict[str, int] = {}
        self._built = False
        self._write = threading.Lock()
        self._read = threading.Lock()  # the LSH tables are plain dicts: one caller at a time, briefly

    def describe(self) -> str:
        return "in-process"

    @contextmanager
    def write_lock(self, wait: float | None = WRITE_WAIT_SECONDS) -> Iterator[None]:
        with self._write:  # one process: waiting for this process's own writers is always worth it
            yield

    def check_writable(self) -> None:
        return None

    def insert(self, key: str, signatures: np.ndarray) -> None:
        with self._read:
            self._index.insert_signatures(key, signatures)
            self._counts[key] = len(signatures)

    def remove(self, key: str) -> bool:
        with self._read:
            if key not in self._index:
                return False
            self._index.remove(key)
            self._counts.pop(key, None)
            return True

    def query(self, signatures: np.ndarray, exclude: str | None = None) -> dict[str, int]:
        with self._read:
            return self._index.query_signatures(signatures, exclude=exclude)

    def query_passages(self, signatures: np.ndarray, exclude: str | None = None) -> dict[str, Candidate]:
        with self._read:
            return self._index.query_passages(signatures, exclude=exclude)

    def __len__(self) -> int:
        with self._read:
            return len(self._index)

    def passage_counts(self) -> dict[str, int]:
        with self._read:
            return dict(self._counts)

    def is_current(self, articles: int) -> bool:
        return self._built and len(self) == articles

    def replace_all(self, items: Iterable[tuple[str, np.ndarray]]) -> int:
        index = PassageIndex(self.config, max_bucket=self.max_bucket)
        counts: dict[str, int] = {}
        for key, signatures in items:
            index.insert_signatures(key, signatures)
            counts[key] = len(signatures)
        # one sorted run instead of the several a bulk load leaves: every lookup probes each run once, so at a
        # million passages a check's lookup did four or five times the work
        index.compact()
        with self._read:
            self._index, self._counts = index, counts
        self._built = True
        return len(counts)


def make_index_backend(settings: Settings, config: EngineConfig) -> IndexBackend:
    """The backend the settings name (`SYNDET_INDEX_BACKEND`)."""
    if settings.index_backend == "redis":
        from service.index_backend_redis import RedisIndex

        return RedisIndex(config, settings.redis_url, prefix=settings.redis_prefix, corpus=settings.corpus)
    return InProcessIndex(config)


# -- rebuild and verify from the database --------------------------------------------------------------


def index_key(article_id: int) -> str:
    return str(article_id)


def signature_array(signatures: Sequence[bytes], num_perm: int) -> np.ndarray:
    """Stored passage signatures (bytes of uint32 hash values) as one (passages, num_perm) array."""
    if not signatures:
        return np.empty((0, num_perm), dtype=np.uint32)
    return np.stack([np.frombuffer(sig, dtype=np.uint32) for sig in signatures])


def stored_items(session: Session, num_perm: int) -> Iterator[tuple[str, np.ndarray]]:
    """Every stored article's key and passage signatures, in id order, read in batches."""
    for stored in repository.iter_signatures(session):
        yield index_key(stored.article_id), signature_array(stored.signatures, num_perm)


Track = Callable[[Iterable[tuple[str, np.ndarray]], int], Iterable[tuple[str, np.ndarray]]]


def rebuild(
    backend: IndexBackend, session: Session, track: Track | None = None, wait: float | None = None, lock: bool = True
) -> int:
    """Refill the index from the database under the write lock (`lock=False`: the caller holds it);
    returns the number of articles indexed.

    `track(items, total)` may wrap the stream (a progress bar). Writers wait until the new index is in place;
    readers keep using the old one until then.
    """
    with backend.write_lock(wait=wait) if lock else nullcontext():
        total = repository.count_articles(session)
        items: Iterable[tuple[str, np.ndarray]] = stored_items(session, backend.config.num_perm)
        if track is not None:
            items = track(items, total)
        return backend.replace_all(items)


@dataclass
class Verification:
    """What `verify` found: counts and every disagreement between the database and the index."""

    articles: int = 0
    indexed: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(backend: IndexBackend, session: Session, limit: int = 20) -> Verification:
    """Compare the index with the database (under the write lock, so no write is half done meanwhile)."""
    with backend.write_lock():
        stored = repository.passage_counts(session)
        indexed = backend.passage_counts()
        result = Verification(articles=len(stored), indexed=len(indexed))
        result.problems.extend(backend.problems())
    expected = {index_key(article_id): n for article_id, n in stored.items()}
    missing = sorted(set(expected) - set(indexed), key=int)
    extra = sorted(set(indexed) - set(expected), key=_sort_key)
    differ = sorted((k for k in set(expected) & set(indexed) if expected[k] != indexed[k]), key=int)
    if missing:
        result.problems.append(f"{len(missing)} stored article(s) missing from the index: {_few(missing, limit)}")
    if extra:
        result.problems.append(f"{len(extra)} indexed article(s) not in the database: {_few(extra, limit)}")
    for key in differ[:limit]:
        result.problems.append(f"article {key}: {expected[key]} passage(s) stored, {indexed[key]} indexed")
    if len(differ) > limit:
        result.problems.append(f"... and {len(differ) - limit} more article(s) with other passage counts")
    return result


def _sort_key(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (1 << 62, key)


def _few(keys: list[str], limit: int) -> str:
    shown = ", ".join(keys[:limit])
    return shown + (f", ... ({len(keys) - limit} more)" if len(keys) > limit else "")
