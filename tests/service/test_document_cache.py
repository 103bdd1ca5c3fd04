"""The cache of prepared stored articles: least recently used out first, bounded by count and by memory."""

from __future__ import annotations

from service.detection import DOCUMENT_BYTES_PER_WORD, DocumentCache, document_bytes
from shingling import prepare


def test_count_bound_drops_the_least_recently_used() -> None:
    cache: DocumentCache[str] = DocumentCache(2)
    cache.put(1, "h1", "one")
    cache.put(2, "h2", "two")
    assert cache.get(1, "h1") == "one"  # 1 is now the most recently used
    cache.put(3, "h3", "three")
    assert cache.get(2, "h2") is None and cache.get(1, "h1") == "one" and cache.get(3, "h3") == "three"
    assert cache.get(1, "other hash") is None  # a changed text is never served from the cache


def test_memory_bound_drops_old_entries_and_keeps_the_count_of_bytes() -> None:
    cache: DocumentCache[str] = DocumentCache(100, max_bytes=10, weigh=len)
    for i, item in enumerate(["aaaa", "bbbb", "cccc"]):
        cache.put(i, f"h{i}", item)
    assert len(cache) == 2 and cache.nbytes == 8 and cache.get(0, "h0") is None
    cache.put(1, "h1", "bbbbbbbb")  # replacing an entry re-weighs it
    assert cache.nbytes == 8 and len(cache) == 1 and cache.get(2, "h2") is None
    cache.discard(1)
    assert cache.nbytes == 0 and len(cache) == 0
    cache.put(5, "h5", "x" * 50)  # one entry heavier than the bound is still kept (the check needs it now)
    assert len(cache) == 1


def test_a_document_weighs_by_its_words() -> None:
    doc = prepare("The port closed on Monday after the storm. " * 20)
    assert document_bytes(doc) >= DOCUMENT_BYTES_PER_WORD * len(doc.tokens)
