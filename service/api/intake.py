"""Turn a posted article into the text the engine reads: size limits, HTML extraction, hashing."""

from __future__ import annotations

import regex
from fastapi import HTTPException, status

from service.core.config import Settings
from service.detection import content_hash
from service.extract import html_to_text
from service.repository import NewArticle
from service.schemas import ArticleIn
from service.syndication import agency_id
from shingling import EmptyDocumentError

_LETTER_OR_DIGIT = regex.compile(r"[\p{L}\p{N}]")


def read_article(payload: ArticleIn, settings: Settings) -> NewArticle:
    """The article to analyse; 413 when too large or too many paragraphs, EmptyDocumentError when HTML
    yields no text. Limits are checked before the expensive steps (extraction, then preparation)."""
    from_html = payload.html is not None
    if from_html:
        _limit("`html`", len(payload.content.encode("utf-8")), settings.max_html_bytes, "SYNDET_MAX_HTML_BYTES")
        text = html_to_text(payload.content)
        if not text.strip():
            raise EmptyDocumentError("no article text could be extracted from the posted `html`")
    else:
        text = payload.content
    field = "the text extracted from `html`" if from_html else "`text`"
    if not _LETTER_OR_DIGIT.search(text):  # zero-width joiners or lone combining marks are not words
        raise EmptyDocumentError(
            f"{field} has no words: no letter or digit, only spaces, punctuation, symbols or invisible characters"
        )
    _limit(field, len(text.encode("utf-8")), settings.max_article_bytes, "SYNDET_MAX_ARTICLE_BYTES")
    paragraphs = paragraph_count(text)
    if paragraphs > settings.max_paragraphs:
        raise HTTPException(
            status_code=status.HTTP_413_CONTENT_TOO_LARGE,
            detail=f"{field} has {paragraphs} lines of text; an article may have at most "
            f"{settings.max_paragraphs} (SYNDET_MAX_PARAGRAPHS)",
        )
    return NewArticle(
        text=text,
        content_hash=content_hash(text),
        extracted_from_html=from_html,
        external_id=payload.external_id,
        url=payload.url,
        source=payload.source,
        title=payload.title,
        published_at=payload.published_at,
        wire=payload.wire,
        agency=agency_id(payload.agency),
    )


def paragraph_count(text: str) -> int:
    """Lines holding text: the most paragraphs (and so passages) the engine can find in `text`."""
    return sum(1 for line in text.split("\n") if line.strip())


def _limit(field: str, size: int, maximum: int, setting: str) -> None:
    if size > maximum:
        raise HTTPException(
            status_code=status.HTTP_413_CONTENT_TOO_LARGE,
            detail=f"{field} is {size} bytes; the largest accepted is {maximum} bytes ({setting})",
        )
