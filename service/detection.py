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

Syndication. Credit lines and datelines (found in each text) and each source's boilerplate never count
as reuse: they are discounted on both sides before a pair is measured. Boilerplate is learned from the
database, the one truth every worker shares: an article's distinct line keys are stored with it
(`article_lines`, same transaction), and a report counts, in one grouped query per source, in how many
other stored articles of the same source each line stands. Nothing about boilerplate is cached, since it
changes whenever an article of the source is stored or deleted; cached are only what depends on an
article's text alone (its prepared document and its credit lines).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from service import repository, wires
from service.doccache import DocumentCache, document_bytes
from service.index_backend import (
    IndexBackend,
    IndexUnavailableError,
    InProcessIndex,
    index_key,
    rebuild,
    signature_array,
)
from service.models import Article
from service.schemas import (
    ArticleRef,
    AttributionOut,
    Containment,
    IgnoredMatch,
    Overlap,
    PassageMatch,
    SpanOut,
    SyndicationOut,
    WireLabel,
)
from service.syndication import (
    attribution_marks,
    boilerplate_marks,
    document_line_keys,
    document_lines,
    name_sides,
)
from shingling import (
    Comparison,
    Document,
    EngineConfig,
    ParameterMismatchError,
    compare,
    prepare,
    screened_out,
)
from shingling.align import Ignore
from shingling.attribution import Attribution, find_attributions
from shingling.discount import discount
from shingling.screen import passage_spans, screens
from shingling.syndication import ArticleInfo, Syndication, describe

log = logging.getLogger(__name__)

ROUND = 4


def content_hash(text: str) -> str:
    """sha256 of the analysed text: equal hashes mean an identical article."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def passage_rows(doc: Document) -> tuple[list[tuple[int, int]], list[bytes]]:
    """A prepared document's passages as the database stores them: character spans and signature bytes."""
    spans = [(p.start, p.end) for p in doc.passages]
    return spans, [np.ascontiguousarray(row, dtype=np.uint32).tobytes() for row in doc.signatures]


def canonical_params(config: EngineConfig) -> str:
    """The signature parameters as one stable string, stored with every article and compared verbatim."""
    return json.dumps(config.signature_params(), sort_keys=True, separators=(",", ":"))


SIDES = ("new", "existing")
"""How reports name the two sides of a pair: the posted (or reported) article and a stored one."""


class ArticleConflict(Exception):
    """A replacement would give a stored article another one's external id or text (both are unique)."""


@dataclass(frozen=True)
class ReportOptions:
    """How an overlap report is made: the boilerplate threshold, a time window, the ignored listing."""

    min_others: int = 2
    within_days: float | None = None
    explain: bool = False


@dataclass(frozen=True)
class StoredPair:
    """Two stored articles compared: what counts, the wire label and direction (None when nothing is shared),
    and each side's words that never count as reuse."""

    comparison: Comparison
    syndication: Syndication | None
    ignore_a: Ignore
    ignore_b: Ignore


SPANS_CACHE_SIZE = 65_536
"""Long stored articles whose passage spans are kept for screening: ~1.6 KB each (PAN sources over 20,000
characters: median 30,500 characters, 182 passages of two int32), ~100 MB if every entry is held."""

class OverlapDetector:
    """Finds which stored articles a text overlaps, and keeps the index in step with the database."""

    def __init__(
        self,
        config: EngineConfig,
        sessions: sessionmaker[Session],
        cache_size: int = 1024,
        cache_bytes: int | None = None,
        max_candidates: int = 1000,
        index: IndexBackend | None = None,
    ) -> None:
        self.config = config
        self.params = canonical_params(config)
        self.max_candidates = max_candidates
        self.sessions = sessions
        self._index = index if index is not None else InProcessIndex(config)
        self._cache: DocumentCache[Document] = DocumentCache(cache_size, cache_bytes, document_bytes)
        self._credits: DocumentCache[tuple[Attribution, ...]] = DocumentCache(cache_size)
        self._spans: DocumentCache[np.ndarray] = DocumentCache(SPANS_CACHE_SIZE)
        self.registry = wires.registry()
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
            "SYNDET_SHINGLE_SIZE), re-sign the stored articles with these parameters (`syndet db resign`, from "
            "their stored texts), or point SYNDET_DATABASE_URL at a new database."
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
        with self._index.store_lock():
            existing = repository.find_existing(session, new.external_id, new.content_hash)
            if existing is not None:
                return existing, False
            spans, signatures = passage_rows(doc)
            self._index.check_writable()
            try:
                article = repository.add_article(
                    session, new, spans, signatures, self.params, lines=document_lines(doc)
                )
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

    def replace(
        self, session: Session, article_id: int, new: repository.NewArticle, doc: Document
    ) -> Article | None:
        """Replace a stored article's text and metadata by `new` (prepared as `doc`), keeping its id; when the
        text changed, its passages too, in the database and the index.

        None when no article has this id; ArticleConflict when another stored article has `new`'s external id
        or text. Held under the index's write lock, not the store lock: two replacements of one article, or one
        and a rebuild, must not interleave their index calls. Replacements are rare.

        The old passages leave the index before the database commits, and the new ones enter after: whatever
        step a crash stops, the index holds one article fewer than the database, which the start-up check and
        `syndet index verify` see (a shared index is then rebuilt), never the old passages of a new text. A
        failed commit puts the old passages back."""
        with self._index.write_lock():
            self._index.check_writable()
            article = repository.get_article(session, article_id)
            if article is None:
                return None
            other = repository.find_other(session, article_id, new.external_id, new.content_hash)
            if other is not None:
                what = "this text" if other.content_hash == new.content_hash else f"the external id {new.external_id!r}"
                raise ArticleConflict(f"article {other.id} already has {what}")
            changed = new.content_hash != article.content_hash
            key = index_key(article_id)
            if changed:  # the passages to put back if the commit fails
                old = signature_array(repository.article_signatures(session, article_id), self.config.num_perm)
            spans, signatures = passage_rows(doc) if changed else (None, [])
            try:
                if changed:
                    self._index.remove(key)
                repository.replace_article(
                    session, article, new, spans, signatures, self.params, lines=document_lines(doc)
                )
                session.commit()
            except BaseException as exc:
                session.rollback()
                if changed:
                    self._restore(key, old)
                if isinstance(exc, IntegrityError):
                    raise ArticleConflict("another article was stored with this external id or text meanwhile") from exc
                raise
            if changed:
                self._cache.discard(article_id)
                self._credits.discard(article_id)
                self._spans.discard(article_id)
                try:
                    self._index.insert(key, np.asarray(doc.signatures, dtype=np.uint32))
                except IndexUnavailableError as exc:
                    log.error("article %d replaced but not indexed: %s", article_id, exc)
                    raise IndexUnavailableError(
                        f"article {article_id} was replaced but could not be indexed ({exc}); "
                        "run `syndet index rebuild` once the index is reachable"
                    ) from exc
                self._cache.put(article_id, new.content_hash, doc)
            return article

    def _restore(self, key: str, signatures: np.ndarray) -> None:
        """Put an article's passages back after a replacement that did not commit (best effort: if the index is
        unreachable the article stays missing from it, which verify and the start-up check report)."""
        try:
            self._index.insert(key, signatures)
        except KeyError:
            pass  # never removed: the failure came before
        except IndexUnavailableError as exc:
            log.error("article %s: its passages could not be put back in the index: %s", key, exc)

    def delete(self, session: Session, article_id: int) -> bool:
        """Delete an article from the database, then from the index. False if it did not exist."""
        with self._index.store_lock():
            self._index.check_writable()
            try:
                found = repository.delete_article(session, article_id)
                session.commit()
            except BaseException:
                session.rollback()
                raise
            if found:
                self._cache.discard(article_id)
                self._credits.discard(article_id)
                self._spans.discard(article_id)
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

    def stored_documents(
        self, session: Session, versions: Mapping[int, str], keep: Callable[[int, str], bool] | None = None
    ) -> dict[int, Document]:
        """The prepared forms of stored articles given as id -> content hash (cached), by id; the texts of
        those not cached are read in one query. Articles deleted meanwhile are left out, and so are those
        whose text `keep(id, text)` refuses (before they are prepared)."""
        found: dict[int, Document] = {}
        missing: list[int] = []
        for article_id, content_hash in versions.items():
            doc = self._cache.get(article_id, content_hash)
            if doc is None:
                missing.append(article_id)
            elif keep is None or keep(article_id, doc.text):
                found[article_id] = doc
        for article_id, text in repository.article_texts(session, sorted(missing)).items():
            if keep is not None and not keep(article_id, text):
                continue
            doc = found[article_id] = prepare(text, self.config)
            self._cache.put(article_id, versions[article_id], doc)
        return found

    def credits(self, text: str) -> tuple[Attribution, ...]:
        """The credit lines, datelines and bylines of a text."""
        return tuple(find_attributions(text, self.registry))

    def stored_credits(self, article: Article, doc: Document) -> tuple[Attribution, ...]:
        """The credit lines of a stored article (cached: finding them costs 10-50 ms an article)."""
        found = self._credits.get(article.id, article.content_hash)
        if found is None:
            found = self.credits(doc.text)
            self._credits.put(article.id, article.content_hash, found)
        return found

    def stored_info(self, article: Article, credits: Iterable[Attribution]) -> ArticleInfo:
        """What a stored article says about itself, for the wire label and the direction."""
        return ArticleInfo(
            source=article.source,
            wire=article.wire_flag,
            agency=article.wire_agency,
            published_at=article.published_at,
            attributions=tuple(credits),
        )

    def wire_of(self, info: ArticleInfo) -> str | None:
        return info.wire_agency(self.registry)

    def ignore_marks(
        self, session: Session, sides: list[tuple[Document, ArticleInfo, bool]], min_others: int
    ) -> list[Ignore]:
        """For each (document, info, stored) side: its words that never count as reuse, and why.

        Credit lines come from the info's attributions; boilerplate lines from one grouped query per source
        over every side of that source (stored sides do not count themselves among the others).
        """
        keys_by_source: dict[str, set[int]] = {}
        for doc, info, _ in sides:
            if info.source:
                keys_by_source.setdefault(info.source, set()).update(document_line_keys(doc))
        counts = {
            source: repository.line_counts(session, source, sorted(keys), at_least=min_others)
            for source, keys in keys_by_source.items()
        }
        marks = []
        for doc, info, stored in sides:
            found = attribution_marks(doc, info.attributions)
            if info.source:
                found.update(boilerplate_marks(doc, counts[info.source], min_others, stored=stored))
            marks.append(found)
        return marks

    def compare_stored(
        self, session: Session, a: Article, doc_a: Document, b: Article, doc_b: Document, min_others: int = 2
    ) -> StoredPair:
        """Two stored articles compared as reports compare them: credit lines and boilerplate discounted."""
        info_a = self.stored_info(a, self.stored_credits(a, doc_a))
        info_b = self.stored_info(b, self.stored_credits(b, doc_b))
        ignore_a, ignore_b = self.ignore_marks(session, [(doc_a, info_a, True), (doc_b, info_b, True)], min_others)
        comparison = discount(compare(doc_a, doc_b), doc_a, doc_b, ignore_a, ignore_b)
        label = describe(comparison, info_a, info_b, self.registry) if comparison.passages else None
        return StoredPair(comparison, label, ignore_a, ignore_b)

    def overlaps(
        self,
        session: Session,
        doc: Document,
        exclude: int | None = None,
        about: ArticleInfo | None = None,
        options: ReportOptions | None = None,
    ) -> list[Overlap]:
        """Every stored article (but `exclude`) sharing passages with `doc`, most shared first.

        `about` is what `doc` says about itself (source, wire flag, date, credit lines; its credit lines are
        found when not given); `exclude` is `doc`'s own id when it is stored. Credit lines and boilerplate on
        either side are discounted; each overlap gets its wire label and direction.
        """
        options = options or ReportOptions()
        about = about or ArticleInfo(attributions=self.credits(doc.text))
        hits = self._index.query_passages(
            np.asarray(doc.query_signatures, dtype=np.uint32), exclude=None if exclude is None else index_key(exclude)
        )
        if self.on_candidates is not None:
            self.on_candidates(len(hits))
        ranked = [int(key) for key, _ in sorted(hits.items(), key=lambda kv: (-kv[1].hits, int(kv[0])))]
        if options.within_days is not None and about.published_at is not None:
            window = timedelta(days=options.within_days)
            dated = repository.article_versions(
                session, ranked, published=(about.published_at - window, about.published_at + window)
            )
            kept = [i for i in ranked if i in dated][: self.max_candidates]
            versions = {i: dated[i] for i in kept}
        else:
            versions = repository.article_versions(session, ranked[: self.max_candidates])
        matched: list[tuple[int, Document, Comparison]] = []

        def keep(article_id: int, text: str) -> bool:
            """A long candidate is prepared and aligned whole only if its hit passages share a seed chain with
            the text (`shingling.screen`); its passage spans (a pass over the whole text) are kept for later."""
            if not screens(text, self.config):
                return True
            spans = self._spans.get(article_id, versions[article_id])
            if spans is None:
                spans = passage_spans(text, self.config).astype(np.int32)
                self._spans.put(article_id, versions[article_id], spans)
            return not screened_out(doc, text, hits[index_key(article_id)].passages, spans)

        documents = self.stored_documents(session, versions, keep=keep)
        for article_id in sorted(documents):
            other = documents[article_id]
            comparison = compare(doc, other)
            if comparison.passages and comparison.kind is not None:
                matched.append((article_id, other, comparison))
        # the whole metadata only for the few that share text (one that was deleted meanwhile is left out)
        articles = repository.articles_by_id(session, [article_id for article_id, _, _ in matched])
        shared = [(articles[i], other, comparison) for i, other, comparison in matched if i in articles]
        if not shared:
            return []
        infos = [self.stored_info(article, self.stored_credits(article, other)) for article, other, _ in shared]
        sides = [
            (doc, about, exclude is not None),
            *((other, info, True) for (_, other, _), info in zip(shared, infos, strict=True)),
        ]
        mine, *theirs = self.ignore_marks(session, sides, options.min_others)
        found: list[Overlap] = []
        for (article, other, comparison), info, ignore in zip(shared, infos, theirs, strict=True):
            discounted = discount(comparison, doc, other, mine, ignore)
            if not discounted.passages or discounted.kind is None:
                continue
            label = describe(discounted, about, info, self.registry)
            found.append(_overlap(doc, article, discounted, label, self.wire_of(info), options.explain))
        found.sort(
            key=lambda o: (-max(o.containment.new, o.containment.existing), -o.jaccard, o.article.id)
        )
        return found


def attributions_out(found: Iterable[Attribution]) -> list[AttributionOut]:
    return [
        AttributionOut(agency=a.agency, kind=a.kind, span=SpanOut(start=a.span.start, end=a.span.end), text=a.text)
        for a in found
    ]


def syndication_out(label: Syndication) -> SyndicationOut:
    """The engine's reading of a pair (a: the new article, b: the stored one) as the report states it."""
    found = label.to_dict(names=SIDES)
    return SyndicationOut(
        origin=found["origin"],
        reason=name_sides(label.reason, *SIDES),
        wire=WireLabel(status=label.wire_status, agency=label.agency) if label.wire_status else None,
    )


def _overlap(
    doc: Document, article: Article, comparison: Comparison, label: Syndication, wire: str | None, explain: bool
) -> Overlap:
    assert comparison.kind is not None
    return Overlap(
        article=ArticleRef.model_validate(
            {name: getattr(article, name) for name in ArticleRef.model_fields if name != "wire"} | {"wire": wire}
        ),
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
        syndication=syndication_out(label),
        ignored=[
            IgnoredMatch(
                new=SpanOut(start=i.pair.a.start, end=i.pair.a.end),
                existing=SpanOut(start=i.pair.b.start, end=i.pair.b.end),
                similarity=round(i.pair.similarity, ROUND),
                reason=i.reason,
            )
            for i in comparison.ignored
        ]
        if explain
        else None,
    )
