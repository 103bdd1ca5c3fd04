"""`/articles`: store an article and learn what it overlaps; read, list and delete stored articles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response, status

from service import repository
from service.api.deps import DetectorDep, SessionDep, SettingsDep
from service.api.intake import read_article
from service.models import Article
from service.schemas import ArticleDetail, ArticleIn, ArticlePublic, ArticleReport, ArticlesPublic

MAX_PAGE_SIZE = 500

router = APIRouter(prefix="/articles", tags=["articles"])

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No stored article has this id."},
}
INPUT_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"description": "The article (or the request body) is larger than the configured maximum."},
    422: {"description": "Not a valid article: malformed JSON, wrong or unknown fields, no words."},
    503: {"description": "The passage index is still loading, or the database is unavailable."},
}


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
        **INPUT_ERRORS,
    },
)
def create_article(
    payload: ArticleIn, response: Response, session: SessionDep, detector: DetectorDep, settings: SettingsDep
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
    overlaps = detector.overlaps(session, doc, exclude=article.id)
    return ArticleReport(article=ArticlePublic.model_validate(article), overlaps=overlaps)


@router.get("", operation_id="list_articles", summary="List stored articles, oldest first")
def list_articles(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    source: Annotated[str | None, Query(description="Only articles from this source.")] = None,
) -> ArticlesPublic:
    rows, count = repository.list_articles(session, limit=limit, offset=offset, source=source)
    return ArticlesPublic(data=[ArticlePublic.model_validate(a) for a in rows], count=count)


@router.get(
    "/{article_id}", operation_id="get_article", summary="A stored article with its text", responses=ERRORS
)
def get_article(article_id: int, session: SessionDep) -> ArticleDetail:
    article = _found(repository.get_article(session, article_id, with_text=True), article_id)
    return ArticleDetail.model_validate(article)


@router.delete(
    "/{article_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="delete_article",
    summary="Delete an article from the database and the index",
    responses=ERRORS,
)
def delete_article(article_id: int, session: SessionDep, detector: DetectorDep) -> Response:
    if not detector.delete(session, article_id):
        _found(None, article_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{article_id}/overlaps",
    operation_id="get_article_overlaps",
    summary="A stored article's overlaps with every other stored article",
    responses=ERRORS,
)
def get_article_overlaps(article_id: int, session: SessionDep, detector: DetectorDep) -> ArticleReport:
    article = _found(repository.get_article(session, article_id), article_id)
    doc = detector.stored_document(session, article)
    if doc is None:
        _found(None, article_id)
    assert doc is not None
    return ArticleReport(
        article=ArticlePublic.model_validate(article),
        overlaps=detector.overlaps(session, doc, exclude=article.id),
    )
