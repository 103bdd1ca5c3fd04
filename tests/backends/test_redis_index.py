"""The Redis index answers exactly like the in-process one, in a layout datasketch itself can read."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest
import redis
from datasketch import MinHashLSH

from service.index_backend import IndexMissingError, IndexUnavailableError, InProcessIndex
from service.index_backend_redis import RedisIndex
from shingling import EngineConfig, prepare
from shingling.signatures import to_lean
from tests.backends.support import REDIS_URL, redis_prefix
from tests.helpers import article, seeds

CONFIG = EngineConfig()


@pytest.fixture
def prefix() -> Iterator[str]:
    with redis_prefix() as name:
        yield name


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {**seeds(), "harbour": article("harbour"), "orchard": article("orchard")}


@pytest.fixture(scope="module")
def signatures(texts: dict[str, str]) -> dict[str, np.ndarray]:
    return {name: prepare(text, CONFIG).signatures for name, text in texts.items()}


def _keys(prefix: str) -> list[bytes]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        return list(client.scan_iter(match=f"{prefix}:*", count=1000))
    finally:
        client.close()


def _pair(prefix: str, signatures: dict[str, np.ndarray]) -> tuple[InProcessIndex, RedisIndex]:
    local, shared = InProcessIndex(CONFIG), RedisIndex(CONFIG, REDIS_URL, prefix=prefix)
    items = [(str(i), sig) for i, sig in enumerate(signatures.values(), start=1)]
    local.replace_all(items)
    with shared.write_lock():
        shared.replace_all(items[:3])
        for key, sig in items[3:]:
            shared.insert(key, sig)
    return local, shared


def test_same_answers_as_the_in_process_index(prefix: str, signatures: dict[str, np.ndarray]) -> None:
    local, shared = _pair(prefix, signatures)
    try:
        assert len(shared) == len(local) == len(signatures)
        assert shared.passage_counts() == local.passage_counts()
        for i, sig in enumerate(signatures.values(), start=1):
            assert shared.query(sig) == local.query(sig)
            assert shared.query(sig, exclude=str(i)) == local.query(sig, exclude=str(i))
            found = shared.query_passages(sig, exclude=str(i))  # the passages hit, in the same order
            assert list(found.items()) == list(local.query_passages(sig, exclude=str(i)).items())
            assert all(c.passages for c in found.values())
        assert any(len(c.passages) > 1 for sig in signatures.values() for c in local.query_passages(sig).values())
        with shared.write_lock():
            assert shared.remove("2") and local.remove("2")
            assert not shared.remove("2")
        for sig in signatures.values():
            assert shared.query(sig) == local.query(sig)
        assert shared.problems() == []
    finally:
        shared.close()


def test_datasketch_reads_and_removes_what_it_wrote(prefix: str, signatures: dict[str, np.ndarray]) -> None:
    """Same keys and values as `MinHashLSH(storage_config={"type": "redis", ...})`: datasketch's own query
    finds every passage, and its own remove leaves nothing behind."""
    _, shared = _pair(prefix, signatures)
    try:
        generation = shared._live()
        lsh = MinHashLSH(
            threshold=CONFIG.lsh_threshold,
            num_perm=CONFIG.num_perm,
            storage_config={
                "type": "redis",
                "basename": f"{shared.root}:{generation}".encode(),
                "redis": {key: shared._pool.connection_kwargs[key] for key in ("host", "port", "db")},
            },
            prepickle=False,
        )
        first = next(iter(signatures.values()))
        for i, (sig, bands) in enumerate(zip(first, shared._bands(first), strict=True)):
            lean = to_lean(sig, CONFIG.seed)
            assert bands == [lsh._H(lean.hashvalues[start:end]) for start, end in lsh.hashranges]
            assert f"1:{i}".encode() in lsh.query(lean)
        with shared.write_lock():
            for key in [str(i) for i in range(1, len(signatures) + 1)]:
                shared.remove(key)
        remaining = [k for k in _keys(prefix) if not k.endswith((b":current", b":lock"))]
        assert remaining == [], "removal leaves no bucket, key table or docs entry behind"
        assert lsh.keys.size() == 0
    finally:
        shared.close()


def test_rebuild_switches_generation_and_deletes_the_old_one(prefix: str, signatures: dict[str, np.ndarray]) -> None:
    _, shared = _pair(prefix, signatures)
    try:
        old = shared._live()
        reader = RedisIndex(CONFIG, REDIS_URL, prefix=prefix)  # another process's view, on the old generation
        first = next(iter(signatures.values()))
        assert reader.query(first)
        with shared.write_lock():
            shared.replace_all([("7", first)])
        assert shared._live() != old
        assert not [k for k in _keys(prefix) if k.startswith(f"{shared.root}:{old}".encode())]
        expected = InProcessIndex(CONFIG)
        expected.replace_all([("7", first)])
        assert reader.query(first) == expected.query(first), "a reader follows the switch, never mixes generations"
        reader.close()
    finally:
        shared.close()


def test_missing_index_and_unreachable_redis_say_what_to_do(prefix: str, signatures: dict[str, np.ndarray]) -> None:
    shared = RedisIndex(CONFIG, REDIS_URL, prefix=prefix)
    try:
        assert not shared.is_current(0)
        with pytest.raises(IndexMissingError, match="syndet index rebuild"):
            shared.query(next(iter(signatures.values())))
    finally:
        shared.close()
    down = RedisIndex(CONFIG, "redis://127.0.0.1:1/0", prefix=prefix)
    with pytest.raises(IndexUnavailableError, match="unavailable"):
        down.ping()


def test_write_lock_is_shared_between_processes(prefix: str) -> None:
    one, two = RedisIndex(CONFIG, REDIS_URL, prefix=prefix), RedisIndex(CONFIG, REDIS_URL, prefix=prefix)
    try:
        with one.write_lock(), pytest.raises(IndexUnavailableError, match="write lock"), two.write_lock(wait=0.2):
            pass
        with two.write_lock(wait=0.2):
            pass
    finally:
        one.close()
        two.close()


def test_stores_share_their_lock_and_a_rebuild_waits_for_them(prefix: str) -> None:
    """Workers store side by side; a rebuild's write lock waits for the stores under way, and no store starts
    while it is held (a rebuild must not miss an article committed while it reads the database)."""
    one, two = RedisIndex(CONFIG, REDIS_URL, prefix=prefix), RedisIndex(CONFIG, REDIS_URL, prefix=prefix)
    try:
        # two stores at once, from two processes' views, and a write lock meanwhile waits in vain
        with (
            one.store_lock(wait=0.2),
            two.store_lock(wait=0.2),
            pytest.raises(IndexUnavailableError, match="stores under way"),
            two.write_lock(wait=0.2),
        ):
            pass
        with (
            one.write_lock(wait=0.2),
            pytest.raises(IndexUnavailableError, match="write lock"),
            two.store_lock(wait=0.2),
        ):
            pass
        with two.store_lock(wait=0.2):  # free again once the write lock is released
            pass

        entered = threading.Event()

        def store() -> None:
            with one.store_lock():
                entered.set()
                time.sleep(0.3)

        worker = threading.Thread(target=store)
        worker.start()
        assert entered.wait(5)
        start = time.monotonic()
        with two.write_lock(wait=5):  # waits for the store to finish, then has the index to itself
            assert time.monotonic() - start > 0.1 and not worker.is_alive()
        worker.join()
    finally:
        one.close()
        two.close()


def test_a_store_lock_is_renewed_while_held_and_a_crashed_one_runs_out(
    prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import service.index_backend_redis as backend

    monkeypatch.setattr(backend, "LOCK_TTL_SECONDS", 0.3)
    shared = RedisIndex(CONFIG, REDIS_URL, prefix=prefix)
    client = redis.Redis.from_url(REDIS_URL)
    try:
        with shared.store_lock():
            time.sleep(0.8)  # over twice its time to live: renewed meanwhile, so a rebuild still waits
            with pytest.raises(IndexUnavailableError, match="stores under way"), shared.write_lock(wait=0.2):
                pass
        client.zadd(shared._stores_key, {"a-crashed-worker": 1})  # expired long ago, never released
        with shared.write_lock(wait=1):
            assert client.zcard(shared._stores_key) == 0
    finally:
        client.close()
        shared.close()


def test_names_are_checked(prefix: str) -> None:
    with pytest.raises(ValueError, match="corpus"):
        RedisIndex(CONFIG, REDIS_URL, prefix=prefix, corpus="a b*")


def test_crowded_buckets_are_skipped_as_in_process(prefix: str) -> None:
    """A passage shared by more articles than `max_bucket` (boilerplate) is no evidence: both indexes skip it."""
    rng = np.random.default_rng(7)
    boilerplate = rng.integers(0, 2**32, CONFIG.num_perm, dtype=np.uint32)
    items = [
        (str(i), np.stack([boilerplate, rng.integers(0, 2**32, CONFIG.num_perm, dtype=np.uint32)])) for i in range(30)
    ]
    query = np.stack([boilerplate, items[3][1][1]])
    local = InProcessIndex(CONFIG, max_bucket=20)
    shared = RedisIndex(CONFIG, REDIS_URL, prefix=prefix, max_bucket=20)
    try:
        for key, sig in items:
            local.insert(key, sig)
        with shared.write_lock():
            shared.replace_all(items)
        assert shared.query(query) == local.query(query) == {"3": 1}
        # one passage whose first band is the crowded one and whose other bands are article 5's own: only the
        # crowded bucket is left out (Redis reads the buckets one by one once their union is over the limit)
        mixed = items[5][1][1].copy()
        mixed[: shared.bands[1]] = boilerplate[: shared.bands[1]]
        assert shared.query(mixed[None, :]) == local.query(mixed[None, :]) == {"5": 1}
        shared.max_bucket = None
        assert len(shared.query(query)) == 30
        assert len(shared.query(mixed[None, :])) == 30
    finally:
        shared.close()
