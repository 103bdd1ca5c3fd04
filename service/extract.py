"""HTML to main text with trafilatura, so boilerplate (menus, footers, comments) never counts as reuse.

The settings are fixed here and shared by the batch scan and the HTTP API, so that the same page always gives
the same text, and so the same offsets.
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

__all__ = ["ExtractedPage", "html_to_text", "extract_page"]


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """The main text of a page (one paragraph per line) and the metadata trafilatura found, if any."""

    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: str | None = None


def html_to_text(html: str) -> str:
    """Return the main text of `html`, one paragraph per line; "" when the page has no main text.

    Comments are left out (readers' comments are not the article) and trafilatura's own deduplication is
    off, because a repeated paragraph is exactly what a syndication detector must see.

    >>> html_to_text("<html><body><article><p>Hello there, world.</p></article></body></html>")
    'Hello there, world.'
    """
    text = trafilatura.extract(html, include_comments=False, deduplicate=False, output_format="txt")
    return text or ""


def extract_page(html: str) -> ExtractedPage:
    """Main text plus title, canonical url, site name and date, for reports that name their articles."""
    text = html_to_text(html)
    if not text:
        return ExtractedPage(text="")
    meta = trafilatura.extract_metadata(html)
    if meta is None:
        return ExtractedPage(text=text)
    return ExtractedPage(
        text=text,
        title=meta.title or None,
        url=meta.url or None,
        source=meta.sitename or None,
        published_at=meta.date or None,
    )
