"""Turn found files into articles: plain text and Markdown as they are, HTML via trafilatura, JSON records.

Offsets in reports index `Article.text`: for .txt and .md files that is the file decoded as UTF-8 with no
newline translation (what `open(p, encoding="utf-8", newline="")` reads); for HTML it is the extracted text,
for JSON records the record's text (or its extracted HTML).
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from service.batch.walk import FoundFile, Skipped
from service.extract import extract_page

__all__ = ["META_FIELDS", "Article", "ReadResult", "decode", "read_file", "UnreadableError", "with_folder_source"]

META_FIELDS = ("url", "source", "title", "published_at")
"""Optional article fields copied into the report when a record (or an HTML page) has them."""


class UnreadableError(Exception):
    """A file or record that cannot be used; the message is the reason shown to the user."""


@dataclass(frozen=True, slots=True)
class Article:
    """One article to compare: its report id, the file it came from, its text and any known metadata."""

    id: str
    path: str
    text: str
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ReadResult:
    """The articles read from one file, and the file or records that had to be skipped."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def read_file(found: FoundFile) -> ReadResult:
    """Read one file into articles; every problem becomes a `Skipped` entry, never an exception."""
    result = ReadResult()
    try:
        text = decode(_read_bytes(found))
        if found.suffix in (".json", ".jsonl"):
            _read_records(found.rel, text, found.suffix == ".jsonl", result)
        elif found.suffix in (".html", ".htm"):
            result.articles.append(_html_article(found.rel, found.rel, text, {}))
        else:
            result.articles.append(Article(id=found.rel, path=found.rel, text=text))
    except OSError as exc:
        result.skipped.append(Skipped(found.rel, f"cannot read: {exc.strerror or exc}"))
    except UnreadableError as exc:
        result.skipped.append(Skipped(found.rel, str(exc)))
    return result


def with_folder_source(article: Article) -> Article:
    """The article with the name of its first folder under DIR as its source, when it has none of its own and
    is not at the top: with one folder per site, each site's boilerplate can be learned from plain text too."""
    folder, sep, _ = article.path.partition("/")
    if article.meta.get("source") or not sep:
        return article
    return replace(article, meta={**article.meta, "source": folder})


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_bytes(found: FoundFile) -> bytes:
    """The file's bytes, only if it is still the regular file the walk found (no symlink, no FIFO, same
    inode) and no larger than the walk's limit."""
    try:
        fd = os.open(found.path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == getattr(os, "ELOOP", None) or os.path.islink(found.path):
            raise UnreadableError("replaced by a symlink while scanning; not followed") from None
        raise
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode) or (found.ino and (st.st_dev, st.st_ino) != (found.dev, found.ino)):
            raise UnreadableError("changed while scanning (replaced by another file); not read")
        limit = found.max_bytes
        data = fh.read() if limit is None else fh.read(limit + 1)
        if limit is not None and len(data) > limit:
            raise UnreadableError(f"grew larger than --max-bytes ({limit} bytes) while scanning")
        return data


def decode(data: bytes) -> str:
    """Decode strict UTF-8, refusing binary and empty files with a reason a user can act on."""
    if b"\x00" in data:
        raise UnreadableError("binary file (contains NUL bytes; UTF-16 is not supported, use UTF-8)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableError(f"not valid UTF-8 (bad byte at offset {exc.start})") from None
    if not text.strip():
        raise UnreadableError("empty file")
    return text


def _html_article(doc_id: str, path: str, html: str, meta: dict[str, str]) -> Article:
    try:
        page = extract_page(html)
    except Exception as exc:  # noqa: BLE001 - a parser failure on one page must not stop a batch
        raise UnreadableError(f"HTML extraction failed: {exc}") from None
    if not page.text.strip():
        raise UnreadableError("no main text found in the HTML")
    found = {"url": page.url, "source": page.source, "title": page.title, "published_at": page.published_at}
    merged = {key: value for key, value in found.items() if value}
    merged.update(meta)
    return Article(id=doc_id, path=path, text=page.text, meta=merged)


def _read_records(rel: str, text: str, lines: bool, result: ReadResult) -> None:
    seen: dict[str, int] = {}
    for number, record in _records(text, lines):
        fallback_id = f"{rel}#{number}"
        try:
            if isinstance(record, UnreadableError):
                raise record
            article = _record_article(rel, number, record)
            if article.id in seen:
                first = seen[article.id]
                raise UnreadableError(f"duplicate id {article.id!r} (first used by record {first})")
            seen[article.id] = number
            result.articles.append(article)
        except UnreadableError as exc:
            result.skipped.append(Skipped(rel, f"record {number}: {exc}", id=fallback_id))


def _records(text: str, lines: bool) -> Iterator[tuple[int, Any]]:
    """Yield (record number, parsed object or the error); JSONL numbers count non-blank lines from 0."""
    if not lines:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno} column {exc.colno}"
            raise UnreadableError(f"invalid JSON at {where}: {exc.msg}") from None
        if isinstance(data, dict):
            yield 0, data
        elif isinstance(data, list):
            yield from enumerate(data)
        else:
            raise UnreadableError("expected a JSON object or a list of objects")
        return
    number = 0
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, UnreadableError(f"invalid JSON on line {lineno}: {exc.msg}")
        number += 1


def _record_article(rel: str, number: int, record: Any) -> Article:
    if not isinstance(record, dict):
        raise UnreadableError("expected a JSON object")
    doc_id = f"{rel}#{_record_id(record.get('id'), number)}"
    meta = {key: str(value) for key in META_FIELDS if _is_scalar(value := record.get(key))}
    text, html = record.get("text"), record.get("html")
    if text is not None and not isinstance(text, str):
        raise UnreadableError("'text' must be a string")
    if html is not None and not isinstance(html, str):
        raise UnreadableError("'html' must be a string")
    if text and text.strip():
        return Article(id=doc_id, path=rel, text=text, meta=meta)
    if html and html.strip():
        return _html_article(doc_id, rel, html, meta)
    if text is None and html is None:
        raise UnreadableError("no 'text' or 'html' field")
    raise UnreadableError("empty text")


def _record_id(value: Any, number: int) -> str:
    if value is None:
        return str(number)
    if not _is_scalar(value):
        raise UnreadableError("'id' must be a string or a number")
    return str(value)


def _is_scalar(value: Any) -> bool:
    """True for values that read naturally as text: non-empty strings and numbers (not booleans)."""
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, int | float) and not isinstance(value, bool)
