"""The cache of prepared stored articles: least recently used out first, bounded by count and by memory."""

from __future__ import annotations

import gc
import tracemalloc

from service.doccache import DOCUMENT_BYTES_PER_WORD, DocumentCache, document_bytes
from shingling import compare, prepare
from tests.helpers import article


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


def test_the_weight_of_a_compared_document_is_not_underestimated() -> None:
    """The cache's memory bound counts `document_bytes`: what a stored document really holds once compared (its
    tokens, signatures, alignment tables), measured, must stay within it. Views into the tokeniser's scratch,
    one entry per character, once kept ~100 bytes a word alive (233 B a word measured on PAN sources)."""
    text, other = article("harbour"), article("orchard")
    compare(prepare(text), prepare(other))  # the process's vocabulary and compiled code, made before measuring
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        doc = prepare(text)
        compare(doc, prepare(other))
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert 0 < held <= document_bytes(doc), (held / len(doc.tokens), "bytes a word")
