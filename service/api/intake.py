"""Turn a posted article into the text the engine reads: size limit, HTML extraction, hashing."""

from __future__ import annotations

from fastapi import HTTPException, status

from service.core.config import Settings
from service.detection import content_hash
from service.extract import html_to_text
from service.repository import NewArticle
from service.schemas import ArticleIn
from shingling import EmptyDocumentError


def read_article(payload: ArticleIn, settings: Settings) -> NewArticle:
    """The article to analyse; 413 when too large, EmptyDocumentError when HTML yields no text."""
    body = payload.content
    size = len(body.encode("utf-8"))
    if size > settings.max_article_bytes:
        field = "text" if payload.text is not None else "html"
        raise HTTPException(
            status_code=status.HTTP_413_CONTENT_TOO_LARGE,
            detail=f"`{field}` is {size} bytes; the largest accepted article is "
            f"{settings.max_article_bytes} bytes (SYNDET_MAX_ARTICLE_BYTES)",
        )
    from_html = payload.html is not None
    text = html_to_text(body) if from_html else body
    if from_html and not text.strip():
        raise EmptyDocumentError("no article text could be extracted from the posted `html`")
    return NewArticle(
        text=text,
        content_hash=content_hash(text),
        extracted_from_html=from_html,
        external_id=payload.external_id,
        url=payload.url,
        source=payload.source,
        title=payload.title,
        published_at=payload.published_at,
    )
