"""Glue between stored articles and the engine: the passage index, the write lock, overlap reports.

Consistency design. The database is the source of truth; the passage index (`service.index_backend`:
in this process, or in Redis shared by every worker) is a view derived from the signatures stored in
it. Every write takes the index's write lock (a thread lock, or a Redis lock across processes) and then
  1. runs its DB transaction and commits it;
  2. only after a successful commit, changes the index (insert on ingest, remove on delete).
A failed commit raises before step 2, so the index never names an article the DB does not hold.
If the process dies between 1 and 2, an in-process index dies with it and the next start-up rebuilds
it from the stored signatures (no re-tokenising); a shared index is rebuilt at start-up when its
article count disagrees with the database, and `syndet index verify` / `rebuild` check and repair it.
Reads (checks, reports) do not take the write lock: an index query sees the state before or after a
write, candidates deleted in between are skipped when their rows are not found, and the expensive
part (comparing texts) runs in parallel.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from service import repository
from service.index_backend import IndexBackend, IndexUnavailableError, InProcessIndex, index_key, rebuild
from service.models import Article
from service.schemas import ArticleRef, Containment, Overlap, PassageMatch, SpanOut
from shingling import (
    Comparison,
    Document,
    EngineConfig,
    ParameterMismatchError,
    compare,
    prepare,
)

log = logging.getLogger(__name__)

ROUND = 4


def content_hash(text: str) -> str:
    """sha256 of the analysed text: equal hashes mean an identical article."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_params(config: EngineConfig) -> str:
    """The signature parameters as one stable string, stored with every article and compared verbatim."""
    return json.dumps(config.signature_params(), sort_keys=True, separators=(",", ":"))


class DocumentCache:
    """Bounded LRU of prepared stored articles, keyed by id and checked against the content hash."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._items: OrderedDict[int, tuple[str, Document]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, article_id: int, digest: str) -> Document | None:
        with self._lock:
            item = self._items.get(article_id)
            if item is None or item[0] != digest:
                return None
            self._items.move_to_end(article_id)
            return item[1]

    def put(self, article_id: int, digest: str, doc: Document) -> None:
        if self._capacity == 0:
            return
        with self._lock:
            self._items[article_id] = (digest, doc)
            self._items.move_to_end(article_id)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)

    def discard(self, article_id: int) -> None:
        with self._lock:
            self._items.pop(article_id, None)

    def __len__(self) -> int:
        return len(self._items)


class OverlapDetector:
    """Finds which stored articles a text overlaps, and keeps the index in step with the database."""

    def __init__(
        self,
        config: EngineConfig,
        sessions: sessionmaker[Session],
        cache_size: int = 1024,
        max_candidates: int = 1000,
        index: IndexBackend | None = None,
    ) -> None:
        self.config = config
        self.params = canonical_params(config)
        self.max_candidates = max_candidates
        self.sessions = sessions
        self._index = index if index is not None else InProcessIndex(config)
        self._cache = DocumentCache(cache_size)
        self._ready = threading.Event()
        self._attempted = threading.Event()  # set once a load has finished, well or not
        self.load_error: str | None = None
        self.on_candidates: Callable[[int], None] | None = None  # told how many candidates each query found

    # -- start-up ---------------------------------------------------------------------------------

    def check_parameters(self) -> None:
        """Refuse a database whose signatures were made with other parameters than ours."""
        with self.sessions() as session:
            stored = repository.signature_params_in_use(session)
        foreign = [p for p in stored if p != self.params]
        if not foreign:
            return
        running = json.loads(self.params)
        differences = []
        for record in foreign:
            theirs = json.loads(record)
            for name in sorted(set(theirs) | set(running)):
                if theirs.get(name) != running.get(name):
                    differences.append(f"{name}: stored {theirs.get(name)!r}, running {running.get(name)!r}")
        raise ParameterMismatchError(
            "the database holds signatures made with other engine parameters than this server's "
            f"({'; '.join(sorted(set(differences)))}). Signatures made with different parameters cannot "
            "be compared. Start the server with the stored parameters (SYNDET_NUM_PERM, SYNDET_SEED, "
            "SYNDET_SHINGLE_SIZE) or point SYNDET_DATABASE_URL at a new database."
        )

    @property
    def index(self) -> IndexBackend:
        return self._index

    def load(self) -> None:
        """Make the index agree with the stored signatures; writes wait for it, reads are refused until ready.

        An in-process index is always rebuilt. A shared one is rebuilt only when it is missing or its
        article count differs from the database's, under its write lock, so workers starting together
        rebuild it once.
        """
        self._ready.clear()
        self._attempted.clear()
        self.load_error = None
        try:
            with self._index.write_lock(wait=None), self.sessions() as session:
                articles = repository.count_articles(session)
                if self._index.is_current(articles):
                    log.info("passage index (%s) holds the %d stored articles", self._index.describe(), articles)
                else:
                    count = rebuild(self._index, session, lock=False)
                    log.info("passage index (%s) rebuilt from %d stored articles", self._index.describe(), count)
            self._ready.set()
        except Exception as exc:
            self.load_error = f"{type(exc).__name__}: {exc}"
            log.exception("loading the passage index failed")
            raise
        finally:
            self._attempted.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Wait for the current load to finish; True if the index is ready, False if it failed or timed out."""
        self._attempted.wait(timeout)
        return self.ready

    def __len__(self) -> int:
        return len(self._index)

    # -- writes -----------------------------------------------------------------------------------

    def ingest(self, session: Session, new: repository.NewArticle, doc: Document) -> tuple[Article, bool]:
        """Store `new` (prepared as `doc`) unless its external id or content is stored already.

        Returns the stored article and whether it was created now.
        """
        with self._index.write_lock():
            existing = repository.find_existing(session, new.external_id, new.content_hash)
            if existing is not None:
                return existing, False
            spans = [(p.start, p.end) for p in doc.passages]
            signatures = [np.ascontiguousarray(row, dtype=np.uint32).tobytes() for row in doc.signatures]
            self._index.check_writable()
            try:
                article = repository.add_article(session, new, spans, signatures, self.params)
                session.commit()
            except IntegrityError:
                session.rollback()
                existing = repository.find_existing(session, new.external_id, new.content_hash)
                if existing is None:
                    raise
                return existing, False
            except BaseException:
                session.rollback()
                raise
            try:
                self._index.insert(index_key(article.id), np.asarray(doc.signatures, dtype=np.uint32))
            except IndexUnavailableError as exc:
                log.error("article %d stored but not indexed: %s", article.id, exc)
                raise IndexUnavailableError(
                    f"article {article.id} was stored but could not be indexed ({exc}); "
                    "run `syndet index rebuild` once the index is reachable"
                ) from exc
            self._cache.put(article.id, new.content_hash, doc)
            return article, True

    def delete(self, session: Session, article_id: int) -> bool:
        """Delete an article from the database, then from the index. False if it did not exist."""
        with self._index.write_lock():
            self._index.check_writable()
            try:
                found = repository.delete_article(session, article_id)
                session.commit()
            except BaseException:
                session.rollback()
                raise
            if found:
                self._cache.discard(article_id)
                self._index.remove(index_key(article_id))
            return found

    # -- reads ------------------------------------------------------------------------------------

    def prepare(self, text: str) -> Document:
        return prepare(text, self.config)

    def stored_document(self, session: Session, article: Article) -> Document | None:
        """The prepared form of a stored article (cached); None if it was deleted meanwhile."""
        doc = self._cache.get(article.id, article.content_hash)
        if doc is not None:
            return doc
        text = repository.article_text(session, article.id)
        if text is None:
            return None
        doc = prepare(text, self.config)
        self._cache.put(article.id, article.content_hash, doc)
        return doc

    def overlaps(self, session: Session, doc: Document, exclude: int | None = None) -> list[Overlap]:
        """Every stored article (but `exclude`) sharing passages with `doc`, most shared first."""
        hits = self._index.query(
            np.asarray(doc.signatures, dtype=np.uint32), exclude=None if exclude is None else index_key(exclude)
        )
        if self.on_candidates is not None:
            self.on_candidates(len(hits))
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], int(kv[0])))[: self.max_candidates]
        stored = repository.articles_by_id(session, (int(key) for key, _ in ranked))
        found: list[Overlap] = []
        for article_id in sorted(stored):
            article = stored[article_id]
            other = self.stored_document(session, article)
            if other is None:
                continue
            comparison = compare(doc, other)
            if comparison.passages and comparison.kind is not None:
                found.append(_overlap(doc, article, comparison))
        found.sort(
            key=lambda o: (-max(o.containment.new, o.containment.existing), -o.jaccard, o.article.id)
        )
        return found


def _overlap(doc: Document, article: Article, comparison: Comparison) -> Overlap:
    assert comparison.kind is not None
    return Overlap(
        article=ArticleRef.model_validate(article),
        kind=comparison.kind,
        containment=Containment(
            new=round(comparison.containment_a, ROUND), existing=round(comparison.containment_b, ROUND)
        ),
        jaccard=round(comparison.jaccard, ROUND),
        passages=[
            PassageMatch(
                new=SpanOut(start=p.a.start, end=p.a.end),
                existing=SpanOut(start=p.b.start, end=p.b.end),
                similarity=round(p.similarity, ROUND),
                text=doc.text[p.a.start : p.a.end],
            )
            for p in sorted(comparison.passages, key=lambda p: (p.a.start, p.a.end, p.b.start))
        ],
    )

