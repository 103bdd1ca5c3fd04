"""A bounded cache of prepared documents: least recently used out first, bounded by count and by memory.

The service keeps the stored articles a check compares; the scan's workers keep the articles they compare,
so that neither holds every prepared text of a large corpus at once."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from shingling import Document

T = TypeVar("T")

DOCUMENT_BYTES_PER_WORD = 150
"""Memory a prepared document holds per word once it has been compared (its tokens, signatures and the
alignment's tables: measured 146 B on PAN sources), for the cache's memory bound."""


def document_bytes(doc: Document) -> int:
    """About how much memory a cached prepared document takes."""
    return estimated_bytes(len(doc.tokens), len(doc.text))


def estimated_bytes(words: int, chars: int) -> int:
    """`document_bytes` of a text of `words` words and `chars` characters, before it is prepared."""
    return DOCUMENT_BYTES_PER_WORD * words + 2 * chars


class DocumentCache(Generic[T]):
    """Bounded LRU of what is derived from stored articles' texts, keyed by id and checked against the hash.

    Bounded by a number of entries and, when `weigh` is given, by their total weight (bytes): at a million
    passages a few thousand prepared articles are a gigabyte, so the count alone cannot keep memory bounded.
    """

    def __init__(self, capacity: int, max_bytes: int | None = None, weigh: Callable[[T], int] | None = None) -> None:
        self._capacity = capacity
        self._max_bytes = max_bytes if weigh is not None else None
        self._weigh = weigh
        self._bytes = 0
        self._items: OrderedDict[int, tuple[str, T, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, article_id: int, digest: str) -> T | None:
        with self._lock:
            item = self._items.get(article_id)
            if item is None or item[0] != digest:
                return None
            self._items.move_to_end(article_id)
            return item[1]

    def put(self, article_id: int, digest: str, doc: T) -> None:
        if self._capacity == 0:
            return
        weight = self._weigh(doc) if self._weigh is not None else 0
        with self._lock:
            old = self._items.pop(article_id, None)
            if old is not None:
                self._bytes -= old[2]
            self._items[article_id] = (digest, doc, weight)
            self._bytes += weight
            while len(self._items) > self._capacity or (
                self._max_bytes is not None and self._bytes > self._max_bytes and len(self._items) > 1
            ):
                self._bytes -= self._items.popitem(last=False)[1][2]

    def discard(self, article_id: int) -> None:
        with self._lock:
            old = self._items.pop(article_id, None)
            if old is not None:
                self._bytes -= old[2]

    @property
    def nbytes(self) -> int:
        """The total weight of the entries (0 without `weigh`)."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)
