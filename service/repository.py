"""Queries and writes on stored articles; no engine logic and no HTTP here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from sqlalchemy import bindparam, delete, func, insert, or_, select, text
from sqlalchemy.orm import Session, undefer
from sqlalchemy.sql import Executable
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from service.models import Article, ArticleLine, Passage, utc_now
from shingling.boilerplate import BoilerplateModel, as_lines, same_story

CHUNK = 500
"""Most values bound in one `IN (...)` list (SQLite limits the variables of a statement)."""

_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_VERSIONS = select(Article.__table__.c.id, Article.__table__.c.content_hash).where(Article.__table__.c.id.in_(_IDS))
_VERSIONS_SQLITE = text(
    "SELECT id, content_hash FROM articles INDEXED BY ix_articles_id_content_hash WHERE id IN :ids"
).bindparams(_IDS)
"""On SQLite, from the index of ids and content hashes alone: looked up in the table, each id's row is walked
through its text's overflow pages to the hash stored behind it (SQLAlchemy renders no table hints for SQLite)."""
_TEXTS = select(Article.__table__.c.id, Article.__table__.c.text).where(Article.__table__.c.id.in_(_IDS))
"""Statements every check runs, built once and run on the connection: half the time of building them per call
through the ORM (about 0.25 ms each on SQLite)."""


@dataclass(frozen=True)
class NewArticle:
    """Fields of an article about to be stored (text already extracted when HTML was posted)."""

    text: str
    content_hash: str
    extracted_from_html: bool
    external_id: str | None = None
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published_at: datetime | None = None
    wire: bool | None = None
    agency: str | None = None


@dataclass(frozen=True)
class StoredSignatures:
    """One article's passage signatures as stored, for rebuilding the index without re-tokenising."""

    article_id: int
    spans: list[tuple[int, int]]
    signatures: list[bytes]


def ping(session: Session) -> None:
    """Raise if the database cannot answer a trivial query."""
    session.execute(text("SELECT 1"))


def get_article(session: Session, article_id: int, with_text: bool = False) -> Article | None:
    options = [undefer(Article.text)] if with_text else []
    return session.get(Article, article_id, options=options)


def find_existing(session: Session, external_id: str | None, content_hash: str) -> Article | None:
    """The stored article with this external id or this content, preferring the external id match."""
    condition = Article.content_hash == content_hash
    if external_id is not None:
        condition = or_(condition, Article.external_id == external_id)
    found = session.scalars(select(Article).where(condition)).all()
    if not found:
        return None
    return next((a for a in found if external_id is not None and a.external_id == external_id), found[0])


def find_other(session: Session, article_id: int, external_id: str | None, content_hash: str) -> Article | None:
    """A stored article other than `article_id` with this external id or this content, if any."""
    condition = Article.content_hash == content_hash
    if external_id is not None:
        condition = or_(condition, Article.external_id == external_id)
    return session.scalars(select(Article).where(condition, Article.id != article_id).limit(1)).first()


def list_articles(
    session: Session, limit: int, offset: int, source: str | None, external_id: str | None = None
) -> tuple[list[Article], int]:
    """One page of articles, oldest first, and the total matching `source` and `external_id`."""
    query = select(Article)
    count_query = select(func.count()).select_from(Article)
    for column, value in ((Article.source, source), (Article.external_id, external_id)):
        if value is not None:
            query = query.where(column == value)
            count_query = count_query.where(column == value)
    rows = session.scalars(query.order_by(Article.id).limit(limit).offset(offset)).all()
    return list(rows), session.scalar(count_query) or 0


def search_articles(
    session: Session, limit: int, offset: int, title: str | None = None, source: str | None = None
) -> tuple[list[Article], int]:
    """One page of articles, newest first (published, else stored), whose title contains `title`
    (any case) and whose source is `source`; and how many match in total."""
    conditions = []
    if title:
        conditions.append(Article.title.icontains(title, autoescape=True))
    if source is not None:
        conditions.append(Article.source == source)
    newest = func.coalesce(Article.published_at, Article.created_at)
    query = select(Article).where(*conditions).order_by(newest.desc(), Article.id.desc())
    rows = session.scalars(query.limit(limit).offset(offset)).all()
    count = session.scalar(select(func.count()).select_from(Article).where(*conditions)) or 0
    return list(rows), count


def list_sources(session: Session) -> list[str]:
    """Every distinct source named by a stored article, sorted."""
    query = select(Article.source).where(Article.source.is_not(None)).distinct().order_by(Article.source)
    return [s for s in session.scalars(query).all() if s is not None]


def count_articles(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Article)) or 0


def passage_counts(session: Session) -> dict[int, int]:
    """Every article id with its number of stored passages (zero included), to check the index against."""
    query = select(Article.id, func.count(Passage.id)).outerjoin(Passage, Passage.article_id == Article.id)
    rows = session.execute(query.group_by(Article.id)).all()
    return {article_id: count for article_id, count in rows}


def add_article(
    session: Session,
    new: NewArticle,
    spans: Sequence[tuple[int, int]],
    signatures: Iterable[bytes],
    signature_params: str,
    lines: Mapping[int, int] | None = None,
) -> Article:
    """Stage an article, its passages and (when it names a source) its distinct lines (signed key -> words),
    filed under the story of a stored version of it (`story_of`) or a story of its own; the caller commits."""
    article = Article(
        external_id=new.external_id,
        url=new.url,
        source=new.source,
        title=new.title,
        published_at=new.published_at,
        text=new.text,
        extracted_from_html=new.extracted_from_html,
        content_hash=new.content_hash,
        signature_params=signature_params,
        wire_flag=new.wire,
        wire_agency=new.agency,
    )
    article.passages = _passages(spans, signatures)
    session.add(article)
    session.flush()
    _add_lines(session, article.id, new.source, lines or {})
    return article


def _passages(spans: Sequence[tuple[int, int]], signatures: Iterable[bytes]) -> list[Passage]:
    """Passage rows in text order, each with its span and signature."""
    return [
        Passage(position=i, start=start, end=end, signature=sig)
        for i, ((start, end), sig) in enumerate(zip(spans, signatures, strict=True))
    ]


def _add_lines(session: Session, article_id: int, source: str | None, lines: Mapping[int, int],
               story_id: int | None = None) -> None:
    """Stage an article's distinct lines (signed key -> words), when it names a source (boilerplate is learned
    per source), under `story_id`: given, or that of a stored version of the article, or its own id."""
    if source is None or not lines:
        return
    if story_id is None:
        story_id = story_of(session, source, lines, exclude=article_id) or article_id
    session.execute(
        insert(ArticleLine),
        [{"article_id": article_id, "line_key": key, "source": source, "story_id": story_id, "words": words}
         for key, words in lines.items()],
    )


def story_of(session: Session, source: str, lines: Mapping[int, int], exclude: int | None = None) -> int | None:
    """The story of a stored article of `source` that is a version of the article with these lines (signed key
    -> words; `shingling.boilerplate.same_story`), or None. Versions are looked for among the articles
    holding one of its heaviest lines that few articles hold (a template's lines are held by every page)."""
    keys = list(lines)
    held: dict[int, int] = {}
    for chunk in _chunks(keys):
        held.update(session.execute(
            select(ArticleLine.line_key, func.count())
            .where(ArticleLine.source == source, ArticleLine.line_key.in_(chunk))
            .group_by(ArticleLine.line_key)
        ).all())
    rare = [key for key in keys if 0 < held.get(key, 0) <= BoilerplateModel.CROWDED]
    heaviest = sorted(rare, key=lambda key: (-lines[key], key))[: BoilerplateModel.CANDIDATE_LINES]
    if not heaviest:
        return None
    query = select(ArticleLine.article_id).where(ArticleLine.source == source, ArticleLine.line_key.in_(heaviest))
    if exclude is not None:
        query = query.where(ArticleLine.article_id != exclude)
    candidates = sorted(set(session.scalars(query).all()))
    if not candidates:
        return None
    theirs: dict[int, dict[int, int]] = {}
    stories: dict[int, int] = {}
    unweighed: set[int] = set()
    rows = session.execute(
        select(ArticleLine.article_id, ArticleLine.line_key, ArticleLine.words, ArticleLine.story_id)
        .where(ArticleLine.article_id.in_(candidates))
    )
    for article_id, key, words, story in rows:
        stories[article_id] = story
        if words is None:
            unweighed.add(article_id)  # stored before migration 0007: never matched as a version
        theirs.setdefault(article_id, {})[key] = words or 0
    mine = as_lines(lines)
    found = [stories[a] for a in candidates if a not in unweighed and same_story(mine, as_lines(theirs[a]))]
    return min(found) if found else None


def _chunks(values: Iterable[int]) -> Iterator[list[int]]:
    """`values` in lists of at most CHUNK (bound parameters a statement may take)."""
    wanted = iter(values)
    while chunk := list(islice(wanted, CHUNK)):
        yield chunk


def replace_article(
    session: Session,
    article: Article,
    new: NewArticle,
    spans: Sequence[tuple[int, int]] | None,
    signatures: Iterable[bytes],
    signature_params: str,
    lines: Mapping[int, int] | None = None,
) -> None:
    """Stage `article`'s text and metadata replaced by `new`'s (its passages too, unless `spans` is None: the
    text is the same), and its lines filed again under its source, which may have changed, and the story of a
    version of the new text; the caller commits. An external id that `new` leaves unset keeps the stored one."""
    if new.external_id is not None:
        article.external_id = new.external_id
    article.url, article.source, article.title = new.url, new.source, new.title
    article.published_at, article.wire_flag, article.wire_agency = new.published_at, new.wire, new.agency
    article.updated_at = utc_now()
    if spans is not None:
        session.execute(delete(Passage).where(Passage.article_id == article.id))
        session.expire(article, ["passages"])
        rows = _passages(spans, signatures)
        for row in rows:
            row.article_id = article.id
        session.add_all(rows)
        article.text, article.content_hash = new.text, new.content_hash
        article.extracted_from_html, article.signature_params = new.extracted_from_html, signature_params
    session.execute(delete(ArticleLine).where(ArticleLine.article_id == article.id))
    session.flush()
    _add_lines(session, article.id, new.source, lines or {})


def delete_article(session: Session, article_id: int) -> bool:
    """Delete an article and its passages; the caller commits. False if it was not there.

    Passages and lines are deleted explicitly rather than left to ON DELETE CASCADE, so a connection without
    foreign keys enforced cannot leave orphans behind.
    """
    if session.scalar(select(Article.id).where(Article.id == article_id)) is None:
        return False
    session.execute(delete(Passage).where(Passage.article_id == article_id))
    session.execute(delete(ArticleLine).where(ArticleLine.article_id == article_id))
    session.execute(delete(Article).where(Article.id == article_id))
    return True


def _published_between(published: tuple[datetime, datetime]) -> ColumnElement[bool]:
    """Published in the window (earliest, latest), or undated: an undated article is always compared."""
    return or_(Article.published_at.is_(None), Article.published_at.between(published[0], published[1]))


def articles_by_id(
    session: Session, ids: Iterable[int], published: tuple[datetime, datetime] | None = None
) -> dict[int, Article]:
    """Metadata (no text) of the articles among `ids` that still exist; with `published` (earliest, latest),
    only those published in that window or without a date."""
    found: dict[int, Article] = {}
    for chunk in _chunks(ids):
        query = select(Article).where(Article.id.in_(chunk))
        if published is not None:
            query = query.where(_published_between(published))
        found.update((a.id, a) for a in session.scalars(query).all())
    return found


def article_versions(
    session: Session, ids: Iterable[int], published: tuple[datetime, datetime] | None = None
) -> dict[int, str]:
    """The content hash of each article among `ids` that still exists (with `published`, as `articles_by_id`):
    what the document cache is keyed by, read as plain rows (a check's candidates are many, its matches few,
    and only those need the whole metadata)."""
    connection = session.connection()
    query: Executable = _VERSIONS
    if published is not None:
        query = _VERSIONS.where(_published_between(published))
    elif connection.dialect.name == "sqlite":
        query = _VERSIONS_SQLITE
    found: dict[int, str] = {}
    for chunk in _chunks(ids):
        found.update((i, digest) for i, digest in connection.execute(query, {"ids": chunk}).all())
    return found


def line_counts(session: Session, source: str, keys: Iterable[int], at_least: int = 1) -> dict[int, int]:
    """For each of `keys` (signed line keys) held by at least `at_least` stored stories of `source` (an article
    and its stored versions are one story): how many."""
    counts: dict[int, int] = {}
    for chunk in _chunks(dict.fromkeys(keys)):
        stories = func.count(ArticleLine.story_id.distinct())
        rows = session.execute(
            select(ArticleLine.line_key, stories)
            .where(ArticleLine.source == source, ArticleLine.line_key.in_(chunk))
            .group_by(ArticleLine.line_key)
            .having(stories >= at_least)
        ).all()
        counts.update((key, n) for key, n in rows)
    return counts


def article_text(session: Session, article_id: int) -> str | None:
    return session.scalar(select(Article.text).where(Article.id == article_id))


def article_texts(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """The texts of the articles among `ids` that still exist, in as few queries as the chunking allows."""
    found: dict[int, str] = {}
    for chunk in _chunks(ids):
        found.update((i, body) for i, body in session.connection().execute(_TEXTS, {"ids": chunk}).all())
    return found


def signature_params_in_use(session: Session) -> list[str]:
    """Every distinct signature-parameter record stored (normally zero or one)."""
    return list(session.scalars(select(Article.signature_params).distinct()).all())


def ids_signed_otherwise(session: Session, signature_params: str) -> list[int]:
    """Ids of the articles whose signatures were made with other parameters than `signature_params`."""
    return list(session.scalars(select(Article.id).where(Article.signature_params != signature_params)).all())


def replace_signatures(
    session: Session,
    article: Article,
    spans: Sequence[tuple[int, int]],
    signatures: Iterable[bytes],
    signature_params: str,
    lines: Mapping[int, int] | None = None,
) -> None:
    """Give a stored article new passages, signatures and lines (made with `signature_params`), keeping its
    story; the caller commits, so an article is never left half re-signed."""
    story = session.scalar(select(ArticleLine.story_id).where(ArticleLine.article_id == article.id).limit(1))
    session.execute(delete(Passage).where(Passage.article_id == article.id))
    session.execute(delete(ArticleLine).where(ArticleLine.article_id == article.id))
    article.passages = _passages(spans, signatures)
    article.signature_params = signature_params
    _add_lines(session, article.id, article.source, lines or {}, story)


def article_signatures(session: Session, article_id: int) -> list[bytes]:
    """One article's passage signatures in text order."""
    query = select(Passage.signature).where(Passage.article_id == article_id).order_by(Passage.position)
    return list(session.scalars(query).all())


def iter_signatures(session: Session, batch: int = 500) -> Iterator[StoredSignatures]:
    """Every article's passages in id order, read in batches so memory stays bounded."""
    last_id = 0
    while True:
        ids = session.scalars(
            select(Article.id).where(Article.id > last_id).order_by(Article.id).limit(batch)
        ).all()
        if not ids:
            return
        rows = session.execute(
            select(Passage.article_id, Passage.start, Passage.end, Passage.signature)
            .where(Passage.article_id.in_(ids))
            .order_by(Passage.article_id, Passage.position)
        ).all()
        grouped: dict[int, StoredSignatures] = {i: StoredSignatures(i, [], []) for i in ids}
        for article_id, start, end, signature in rows:
            grouped[article_id].spans.append((start, end))
            grouped[article_id].signatures.append(signature)
        yield from grouped.values()
        last_id = ids[-1]

