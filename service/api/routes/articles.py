"""`/articles`: store an article and learn what it overlaps; read, list and delete stored articles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response, status
from sqlalchemy.orm import Session

from service import repository, wires
from service.api.deps import DetectorDep, SessionDep, SettingsDep
from service.api.intake import read_article
from service.api.limits import require_json
from service.api.security import ReadAccess, WriteAccess
from service.detection import OverlapDetector, ReportOptions, attributions_out
from service.models import Article
from service.schemas import (
    ArticleCredited,
    ArticleDetail,
    ArticleIn,
    ArticlePublic,
    ArticleReport,
    ArticlesPublic,
    ErrorOut,
)
from shingling import Document
from shingling.attribution import Attribution, find_attributions
from shingling.syndication import ArticleInfo

MAX_PAGE_SIZE = 500
MAX_ID = 2**31 - 1
"""Largest article id (and offset) accepted: ids are 32-bit integers in every supported database."""

router = APIRouter(prefix="/articles", tags=["articles"])

ArticleId = Annotated[int, Path(ge=1, le=MAX_ID, description="The article's id.")]
MAX_DAYS = 36_500
Explain = Annotated[
    bool,
    Query(
        description="Also list, under each overlap's `ignored`, the matches that do not count as reuse: the "
        "sources' boilerplate (`boilerplate`) and credit lines or datelines (`attribution`)."
    ),
]
WithinDays = Annotated[
    float | None,
    Query(
        ge=0,
        le=MAX_DAYS,
        allow_inf_nan=False,
        description="Compare only with stored articles published within this many days of this article "
        "(before or after). Stored articles without `published_at` are always compared, and so is everything "
        "when this article has no `published_at`.",
    ),
]

Compare = Annotated[
    bool,
    Query(
        description="false: store the article without comparing it with the stored ones; `overlaps` is then null. "
        "For loading an archive (`syndet ingest`), where the comparisons are not read. "
        "The article is indexed either way, so later articles are compared with it.",
    ),
]

COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "An API key is needed, or the one sent is not active."},
    422: {"model": ErrorOut, "description": "Invalid parameters or body; `detail` says which and why."},
    429: {"model": ErrorOut, "description": "Too many requests for this key or client; see `Retry-After`."},
    503: {"model": ErrorOut, "description": "Not ready yet, the database is unavailable, or the request timed out."},
}
ERRORS: dict[int | str, dict[str, Any]] = {
    **COMMON_ERRORS,
    404: {"model": ErrorOut, "description": "No stored article has this id."},
}
INPUT_ERRORS: dict[int | str, dict[str, Any]] = {
    **COMMON_ERRORS,
    400: {"model": ErrorOut, "description": "The body could not be read (not UTF-8)."},
    413: {"model": ErrorOut, "description": "The article (or the request body) is larger than the configured maximum."},
    415: {"model": ErrorOut, "description": "The body is not sent as `application/json`."},
    422: {"model": ErrorOut, "description": "Not a valid article: malformed JSON, wrong or unknown fields, no words."},
}
JSON_BODY = Depends(require_json)


def wire_of(article: Article) -> str | None:
    """The agency whose copy a stored article is (client's flag, else its source), or None."""
    info = ArticleInfo(source=article.source, wire=article.wire_flag, agency=article.wire_agency)
    return info.wire_agency(wires.registry())


def public(article: Article) -> ArticlePublic:
    return ArticlePublic.model_validate(article).model_copy(update={"wire": wire_of(article)})


def credited(article: Article, found: tuple[Attribution, ...]) -> ArticleCredited:
    """A stored article with its wire label and credit lines, as reports name it."""
    return ArticleCredited(**public(article).model_dump(), attributions=attributions_out(found))


async def report_options(
    settings: SettingsDep, within_days: WithinDays = None, explain: Explain = False
) -> ReportOptions:
    """How a report is made, from the settings and the request's `within_days` and `explain` (a dependency of
    every route that reports overlaps; async, so it is built on the event loop, not in a worker thread)."""
    return ReportOptions(min_others=settings.boilerplate_min_others, within_days=within_days, explain=explain)


Options = Annotated[ReportOptions, Depends(report_options)]


def _found(article: Article | None, article_id: int) -> Article:
    if article is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=f"no article with id {article_id}")
    return article


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="create_article",
    summary="Store an article and report which stored articles it overlaps",
    responses={
        200: {"model": ArticleReport, "description": "Already stored (same external id or text)."},
        409: {"model": ErrorOut, "description": "The stored article was deleted while this request ran."},
        **INPUT_ERRORS,
    },
    dependencies=[WriteAccess, JSON_BODY],
)
def create_article(
    payload: ArticleIn,
    response: Response,
    session: SessionDep,
    detector: DetectorDep,
    settings: SettingsDep,
    options: Options,
    compare: Compare = True,
) -> ArticleReport:
    """Store the article (201) unless its `external_id` or exact text is stored (200: the stored one)."""
    new = read_article(payload, settings)
    doc = detector.prepare(new.text)
    article, created = detector.ingest(session, new, doc)
    if not created:
        response.status_code = status.HTTP_200_OK
        stored_doc = detector.stored_document(session, article)
        if stored_doc is None:
            raise HTTPException(
                status_code=status.HTTP_409_CONFLICT,
                detail=f"article {article.id} was deleted while this request ran; post again",
            )
        doc = stored_doc
    return _report(session, detector, article, doc, options, compare)


@router.put(
    "/{article_id}",
    operation_id="replace_article",
    summary="Replace a stored article's text and metadata, and report its overlaps",
    responses={
        **ERRORS,
        **INPUT_ERRORS,
        409: {"model": ErrorOut, "description": "Another stored article has this external id or this text."},
    },
    dependencies=[WriteAccess, JSON_BODY],
)
def replace_article(
    article_id: ArticleId,
    payload: ArticleIn,
    session: SessionDep,
    detector: DetectorDep,
    settings: SettingsDep,
    options: Options,
    compare: Compare = True,
) -> ArticleReport:
    """For a corrected or updated story: the article keeps its id, and takes the body's text and metadata (an
    external id left out keeps the stored one; other fields left out are cleared). Its passages are indexed
    anew, so later checks and reports point into the new text. The same body again changes nothing."""
    new = read_article(payload, settings)
    doc = detector.prepare(new.text)
    article = _found(detector.replace(session, article_id, new, doc), article_id)
    return _report(session, detector, article, doc, options, compare)


@router.get(
    "",
    operation_id="list_articles",
    summary="List stored articles, oldest first",
    responses=COMMON_ERRORS,
    dependencies=[ReadAccess],
)
def list_articles(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    source: Annotated[str | None, Query(description="Only articles from this source.")] = None,
    external_id: Annotated[
        str | None, Query(max_length=512, description="Only the article with this external id (the caller's own).")
    ] = None,
) -> ArticlesPublic:
    rows, count = repository.list_articles(
        session, limit=limit, offset=offset, source=source, external_id=external_id
    )
    return ArticlesPublic(data=[public(a) for a in rows], count=count)


@router.get(
    "/{article_id}",
    operation_id="get_article",
    summary="A stored article with its text",
    responses=ERRORS,
    dependencies=[ReadAccess],
)
def get_article(article_id: ArticleId, session: SessionDep) -> ArticleDetail:
    article = _found(repository.get_article(session, article_id, with_text=True), article_id)
    found = find_attributions(article.text, wires.registry())
    return ArticleDetail(**credited(article, tuple(found)).model_dump(), text=article.text)


@router.delete(
    "/{article_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="delete_article",
    summary="Delete an article from the database and the index",
    responses=ERRORS,
    dependencies=[WriteAccess],
)
def delete_article(article_id: ArticleId, session: SessionDep, detector: DetectorDep) -> Response:
    if not detector.delete(session, article_id):
        _found(None, article_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{article_id}/overlaps",
    operation_id="get_article_overlaps",
    summary="A stored article's overlaps with every other stored article",
    responses=ERRORS,
    dependencies=[ReadAccess],
)
def get_article_overlaps(
    article_id: ArticleId,
    session: SessionDep,
    detector: DetectorDep,
    options: Options,
) -> ArticleReport:
    article = _found(repository.get_article(session, article_id), article_id)
    doc = detector.stored_document(session, article)
    if doc is None:
        _found(None, article_id)
    assert doc is not None
    return _report(session, detector, article, doc, options)


def _report(
    session: Session,
    detector: OverlapDetector,
    article: Article,
    doc: Document,
    options: ReportOptions,
    compare: bool = True,
) -> ArticleReport:
    """A stored article with its credit lines and its overlaps with every other stored article (None unless
    `compare`)."""
    credits = detector.stored_credits(article, doc)
    if not compare:
        return ArticleReport(article=credited(article, credits), overlaps=None)
    overlaps = detector.overlaps(
        session, doc, exclude=article.id, about=detector.stored_info(article, credits), options=options
    )
    return ArticleReport(article=credited(article, credits), overlaps=overlaps)
