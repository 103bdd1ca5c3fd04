"""Publication dates as clients and folders give them: one reading for the API, the scan and `syndet ingest`."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_date(value: str | None) -> datetime | None:
    """An ISO 8601 date or date-time ("2015-02-27", "2015-02-27T09:00:00Z", "20150227") in UTC, a naive one
    taken as UTC; None when absent or unreadable. The one reading of `published_at` for the API, the scan, its
    report and `syndet ingest`: a string of digits is ISO's basic form, never a Unix timestamp (pydantic's own
    datetime parsing read "20150227" as 22 August 1970)."""
    if not value or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
