"""Syndication helpers shared by the HTTP service and `syndet scan`, so both report the same fields alike.

The engine decides (`shingling.attribution`, `shingling.boilerplate`, `shingling.syndication`); this module
turns what it finds into the words that never count as reuse (credit lines, boilerplate lines), reads dates,
and keeps the stored form of boilerplate line keys (signed 64-bit, as SQL BIGINT holds them).

    >>> signed_key(2**64 - 1), signed_key(5)
    (-1, 5)
    >>> name_sides("a was published first", "new", "existing")
    'new was published first'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import regex

from service import wires
from shingling import Document
from shingling.align import Ignore
from shingling.attribution import Attribution
from shingling.boilerplate import line_keys, line_words
from shingling.wires import WireRegistry

__all__ = [
    "agency_id",
    "attribution_marks",
    "boilerplate_marks",
    "document_line_keys",
    "document_lines",
    "name_sides",
    "signed_key",
    "within_days",
]

_SIGN = 2**63


def agency_id(name: str | None, registry: WireRegistry | None = None) -> str | None:
    """An agency as a client names it ("Reuters", "Associated Press", "ap") as its registry id; else as given."""
    if name is None or not name.strip():
        return None
    return (registry or wires.registry()).agency_for_source(name) or name.strip()


def within_days(da: datetime | None, db: datetime | None, days: float | None) -> bool:
    """Whether two articles were published within `days` of each other (True when a date is unknown)."""
    if days is None or da is None or db is None:
        return True
    if (da.tzinfo is None) != (db.tzinfo is None):
        da, db = da.replace(tzinfo=None), db.replace(tzinfo=None)
    return abs((da - db).total_seconds()) <= days * 86400


def attribution_marks(doc: Document, attributions: Iterable[Attribution]) -> Ignore:
    """Words inside credit lines and datelines: attribution, never reuse."""
    starts, marks = doc.tokens.starts, {}
    for attribution in attributions:
        if attribution.kind == "according_to":
            continue  # running text that cites a report is part of the story
        lo = int(starts.searchsorted(attribution.span.start))
        hi = int(starts.searchsorted(attribution.span.end))
        marks.update(dict.fromkeys(range(lo, hi), "attribution"))
    return marks


def signed_key(key: int) -> int:
    """An unsigned 64-bit line key (xxhash) as the signed integer a SQL BIGINT column holds."""
    return key - 2 * _SIGN if key >= _SIGN else key


def document_line_keys(doc: Document) -> list[int]:
    """The distinct stored (signed) keys of a document's non-empty lines, in first-seen order."""
    return list(dict.fromkeys(signed_key(key) for key, _, _ in line_keys(doc)))


def document_lines(doc: Document) -> dict[int, int]:
    """Each distinct stored (signed) line key of a document with its number of words, in first-seen order."""
    return {signed_key(key): words for key, words in line_words(doc).items()}


def boilerplate_marks(doc: Document, counts: Mapping[int, int], min_others: int, stored: bool) -> Ignore:
    """Token index -> "boilerplate" for the words of `doc`'s lines that recur across its source.

    `counts` maps a stored (signed) line key to how many stored articles of the source hold that line;
    `stored` says whether `doc` is one of them (then it does not count as one of the others), as in
    `shingling.boilerplate.BoilerplateModel.ignore`.
    """
    if not counts:
        return {}
    own = 1 if stored else 0
    marks: Ignore = {}
    for key, lo, hi in line_keys(doc):
        if counts.get(signed_key(key), 0) - own >= min_others:
            marks.update(dict.fromkeys(range(lo, hi), "boilerplate"))
    return marks


_SIDE_WORD = regex.compile(r"\b([ab])\b")


def name_sides(reason: str, a: str, b: str) -> str:
    """The engine's direction reason ("a was published first") with the sides named as the report names them."""
    return _SIDE_WORD.sub(lambda m: a if m.group(1) == "a" else b, reason)
