"""The passage index in Redis, in datasketch's own `MinHashLSH` Redis layout, shared by every process.

Keys live under one root per corpus and signature-parameter set:
`{prefix}:{corpus}:{params digest}`. Under it, `:current` names the live generation, `:lock` is the
write lock (a rebuild's) and `:stores` the sorted set of the stores under way (token -> expiry); a generation
`{root}:{gen}` is a datasketch `storage_config={"type": "redis", "basename": b"{root}:{gen}"}` index
(datasketch's band parameters, bucket sets and key table) plus a `{root}:{gen}:docs` hash of article key ->
passage count. Passage keys are `b"{article key}:{number}"`.

Why not call `MinHashLSH.insert` directly: it makes one Redis round trip per band per passage and is not
atomic. Here an article's passages and its `docs` entry are written (or removed) by one Lua script call,
atomically, and a query reads the buckets of every passage in one script call, with the same keys and values
datasketch writes (a test pins that datasketch's own `query` and `remove` work on what this module
writes). One thing is left out: datasketch's per-band hashes naming every bucket, which only its
`keys()`/`size()` introspection reads and which would cost a third of the memory.
A rebuild fills a new generation and then switches `:current`, so readers never see a half-built index.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import numpy as np
import redis
from datasketch import MinHashLSH
from redis.lock import Lock

from service.index_backend import WRITE_WAIT_SECONDS, IndexBackend, IndexMissingError, IndexUnavailableError
from shingling import Candidate, EngineConfig
from shingling.index import DEFAULT_MAX_BUCKET
from shingling.signatures import to_lean

__all__ = ["RedisIndex", "index_root"]

log = logging.getLogger(__name__)

LOCK_TTL_SECONDS = 30
"""A crashed holder's write lock expires after this; a live holder keeps extending it."""
HELD = "another process has held the index write lock for over {wait:.0f} s (an index rebuild?); retry shortly"
PIPELINE_ARTICLES = 200
"""Articles written per round trip during a rebuild."""
NAME = re.compile(r"^[A-Za-z0-9_.:-]+$")

T = TypeVar("T")

# KEYS: docs hash, datasketch's key table. ARGV: article key, passages, bands, key-table name, one bucket
# prefix per band, then per passage its key and band values. Atomic: all of an article or none of it.
INSERT_SCRIPT = """
local doc, n, b, keytable = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
if redis.call('HEXISTS', KEYS[1], doc) == 1 then return redis.error_reply('already indexed') end
local pos = 5 + b
for p = 1, n do
  local passage = ARGV[pos]
  local bands = {}
  for i = 1, b do
    bands[i] = ARGV[pos + i]
    redis.call('SADD', ARGV[4 + i] .. bands[i], passage)
  end
  redis.call('HSET', KEYS[2], passage, keytable .. passage)
  redis.call('RPUSH', keytable .. passage, unpack(bands))
  pos = pos + 1 + b
end
redis.call('HSET', KEYS[1], doc, n)
return n
"""

# ARGV: bands, max bucket size (0: no limit), bytes of a band value, one bucket prefix per band, then every
# query passage's band values in one string (passage by passage, band by band). Returns article key, hits, hit
# passages (ordinals joined by commas), article key, ...: a hit is a (query passage, stored passage) pair.
# A passage's buckets are read in one SUNION; only when the union is larger than a bucket may be (so that one of
# them may be crowded) are they read one by one, to leave the crowded ones out. Keys are built here, not passed
# in KEYS, as INSERT_SCRIPT builds them: half the time of a query went to sending and parsing ~80-byte keys.
QUERY_SCRIPT = """
local b, limit, width = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local values = ARGV[4 + b]
local counts, hit = {}, {}
local pos = 1
for p = 1, #values / (b * width) do
  local buckets = {}
  for i = 1, b do
    buckets[i] = ARGV[3 + i] .. string.sub(values, pos, pos + width - 1)
    pos = pos + width
  end
  local members = redis.call('SUNION', unpack(buckets))
  if limit > 0 and #members > limit then
    local seen = {}
    members = {}
    for i = 1, b do
      local bucket = redis.call('SMEMBERS', buckets[i])
      if #bucket <= limit then
        for _, passage in ipairs(bucket) do
          if not seen[passage] then
            seen[passage] = true
            members[#members + 1] = passage
          end
        end
      end
    end
  end
  for _, passage in ipairs(members) do
    local doc, ordinal = string.match(passage, '^(.*):([0-9]+)$')
    counts[doc] = (counts[doc] or 0) + 1
    local ordinals = hit[doc]
    if not ordinals then
      ordinals = {}
      hit[doc] = ordinals
    end
    ordinals[ordinal] = true
  end
end
local out = {}
for doc, n in pairs(counts) do
  local ordinals = {}
  for ordinal in pairs(hit[doc]) do
    ordinals[#ordinals + 1] = ordinal
  end
  out[#out + 1] = doc
  out[#out + 1] = n
  out[#out + 1] = table.concat(ordinals, ',')
end
return out
"""

# The stores' shared lock: an entry per store under way in a sorted set, scored by when it expires (renewed while
# held, so a crashed holder drops out by itself), taken only while no write lock is held. Redis's clock for all.
_NOW_MS = "local t = redis.call('TIME')\nlocal now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
# KEYS: the write lock, the stores' set. ARGV: token, time to live (ms). 1 if entered, 0 while a write lock is held.
STORE_ENTER_SCRIPT = _NOW_MS + """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
return 1
"""
# KEYS: the stores' set. ARGV: token, time to live (ms).
STORE_RENEW_SCRIPT = _NOW_MS + """
return redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[2]), ARGV[1])
"""
# KEYS: the stores' set. Drops the holders whose time ran out (crashed); returns how many are left.
STORES_LIVE_SCRIPT = _NOW_MS + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])
"""

# KEYS: docs hash, datasketch's key table. ARGV: article key, key-table name, one bucket prefix per band.
# Removes what INSERT_SCRIPT wrote (an emptied bucket set disappears by itself); 0 if not indexed.
REMOVE_SCRIPT = """
local n = redis.call('HGET', KEYS[1], ARGV[1])
if not n then return 0 end
for p = 0, tonumber(n) - 1 do
  local passage = ARGV[1] .. ':' .. p
  local keyed = ARGV[2] .. passage
  for i, band in ipairs(redis.call('LRANGE', keyed, 0, -1)) do
    redis.call('SREM', ARGV[2 + i] .. band, passage)
  end
  redis.call('HDEL', KEYS[2], passage)
  redis.call('DEL', keyed)
end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
"""


def index_root(prefix: str, corpus: str, config: EngineConfig, bands: tuple[int, int]) -> str:
    """The key prefix of one corpus's index for one set of signature parameters and LSH bands."""
    for what, value in (("prefix", prefix), ("corpus", corpus)):
        if not NAME.match(value):
            raise ValueError(f"Redis {what} {value!r}: use only letters, digits and _ . : -")
    params = {**config.signature_params(), "lsh_bands": list(bands)}
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:12]
    return f"{prefix}:{corpus}:{digest}"


class RedisIndex(IndexBackend):
    """datasketch MinHashLSH over Redis: every worker and host with the same settings sees the same index."""

    shared = True

    def __init__(
        self,
        config: EngineConfig,
        url: str,
        prefix: str = "syndet",
        corpus: str = "default",
        max_bucket: int | None = DEFAULT_MAX_BUCKET,
    ) -> None:
        super().__init__(config)
        self.max_bucket = max_bucket
        self.url = url
        self._pool = redis.ConnectionPool.from_url(url, socket_connect_timeout=5, socket_timeout=30)
        self._redis = redis.Redis(connection_pool=self._pool)
        probe = MinHashLSH(threshold=config.lsh_threshold, num_perm=config.num_perm)
        self.bands = (probe.b, probe.r)
        # the integer type datasketch keeps hash values in (and hashes band slices of) for this scheme
        self._dtype = to_lean(np.zeros(config.num_perm, dtype=np.uint32), config.seed).hashvalues.dtype
        self.root = index_root(prefix, corpus, config, self.bands)
        self._current_key = f"{self.root}:current"
        self._lock_key = f"{self.root}:lock"
        self._stores_key = f"{self.root}:stores"
        self._local = threading.Lock()
        self._insert_script = self._redis.register_script(INSERT_SCRIPT)
        self._remove_script = self._redis.register_script(REMOVE_SCRIPT)
        self._query_script = self._redis.register_script(QUERY_SCRIPT)
        self._store_enter = self._redis.register_script(STORE_ENTER_SCRIPT)
        self._store_renew = self._redis.register_script(STORE_RENEW_SCRIPT)
        self._stores_live = self._redis.register_script(STORES_LIVE_SCRIPT)
        self._generations: dict[str, MinHashLSH] = {}
        self._generation: str | None = None  # last one seen; checked on every read

    def describe(self) -> str:
        return f"Redis at {self._where()}, keys {self.root}:*"

    # -- generations ---------------------------------------------------------------------------------

    def _lsh(self, generation: str) -> MinHashLSH:
        """datasketch's view of one generation (its band layout and key names); no Redis call."""
        lsh = self._generations.get(generation)
        if lsh is None:
            lsh = MinHashLSH(
                threshold=self.config.lsh_threshold,
                num_perm=self.config.num_perm,
                storage_config={
                    "type": "redis",
                    "basename": f"{self.root}:{generation}".encode(),
                    "redis": {"connection_pool": self._pool},
                },
                prepickle=False,
            )
            assert (lsh.b, lsh.r) == self.bands
            if len(self._generations) >= 4:
                self._generations.pop(next(iter(self._generations)))
            self._generations[generation] = lsh
        return lsh

    def _docs_key(self, generation: str) -> str:
        return f"{self.root}:{generation}:docs"

    def _live(self) -> str:
        """The live generation, read from Redis; IndexUnavailableError when there is none."""
        generation: bytes | None = self._call(self._redis.get, self._current_key)  # type: ignore[assignment]
        if generation is None:
            raise IndexMissingError(self._missing())
        self._generation = generation.decode()
        return self._generation

    def _missing(self) -> str:
        return (
            f"the shared passage index ({self.root}) is missing from Redis (flushed, expired or never built); "
            "run `syndet index rebuild` or restart the service"
        )

    def _read(self, build: Callable[[Any, str], None]) -> tuple[str, list[Any]]:
        """Run `build(pipeline, generation)` in one round trip that also reads `:current`; retried when
        a rebuild switched generations meanwhile, so a read never mixes two generations."""
        for _ in range(5):
            generation = self._generation or self._live()
            pipe = self._redis.pipeline(transaction=False)
            pipe.get(self._current_key)
            build(pipe, generation)
            current, *results = self._call(pipe.execute)
            if current is not None and current.decode() == generation:
                return generation, results
            if current is None:
                self._generation = None
                raise IndexMissingError(self._missing())
            self._generation = current.decode()
        raise IndexUnavailableError("the shared passage index kept changing generation; retry shortly")

    # -- locking -------------------------------------------------------------------------------------

    @contextmanager
    def write_lock(self, wait: float | None = WRITE_WAIT_SECONDS) -> Iterator[None]:
        """A Redis lock on this index shared by every process, kept alive while held (a rebuild takes long); once
        taken, no store enters and the stores under way are waited for (`store_lock`)."""
        with self._local:
            lock = Lock(
                self._redis,
                self._lock_key,
                timeout=LOCK_TTL_SECONDS,
                sleep=0.005,
                blocking_timeout=wait,
                thread_local=False,
            )
            deadline = None if wait is None else time.monotonic() + wait
            if not self._call(lock.acquire):
                raise IndexUnavailableError(HELD.format(wait=wait))
            try:
                with self._renewed(lock.reacquire, "the index write lock"):
                    # no new store starts now; the ones under way finish (or, crashed, run out of time)
                    self._poll(lambda: not self._call(self._stores_live, keys=[self._stores_key]), deadline,
                               "stores under way did not finish within {wait:.0f} s; retry shortly", wait)
                    yield
            finally:
                try:
                    lock.release()
                except redis.exceptions.LockError:
                    log.warning("the index write lock expired while held; another writer may have overlapped")
                except redis.RedisError as exc:
                    log.warning("could not release the index write lock (it expires by itself): %s", exc)

    @contextmanager
    def store_lock(self, wait: float | None = WRITE_WAIT_SECONDS) -> Iterator[None]:
        """Shared by every store and delete of every process, so workers store side by side; not taken while
        the write lock is held (a rebuild), which in turn waits for the stores under way. Held as an entry in
        `:stores` that expires unless renewed, so a crashed holder does not block a rebuild for long."""
        token, ttl_ms = uuid.uuid4().hex, LOCK_TTL_SECONDS * 1000
        deadline = None if wait is None else time.monotonic() + wait
        entry = {"keys": [self._lock_key, self._stores_key], "args": [token, ttl_ms]}
        self._poll(lambda: bool(self._call(self._store_enter, **entry)), deadline, HELD, wait)
        try:
            with self._renewed(lambda: self._store_renew(keys=[self._stores_key], args=[token, ttl_ms]),
                               "a store's lock"):
                yield
        finally:
            try:
                self._redis.zrem(self._stores_key, token)
            except redis.RedisError as exc:
                log.warning("could not release a store's lock (it expires by itself): %s", exc)

    @staticmethod
    def _poll(ready: Callable[[], bool], deadline: float | None, message: str, wait: float | None) -> None:
        """Ask `ready` every 5 ms until it says yes; past `deadline`, IndexUnavailableError(message with `wait`)."""
        while not ready():
            if deadline is not None and time.monotonic() >= deadline:
                raise IndexUnavailableError(message.format(wait=wait))
            time.sleep(0.005)

    @staticmethod
    @contextmanager
    def _renewed(renew: Callable[[], object], what: str) -> Iterator[None]:
        """Call `renew` on a helper thread every third of a lock's time to live while the block runs, so a lock
        outlives its time to live only while its holder is alive."""
        done = threading.Event()

        def keep() -> None:
            while not done.wait(LOCK_TTL_SECONDS / 3):
                try:
                    renew()
                except redis.RedisError as exc:
                    log.warning("could not extend %s: %s", what, exc)

        keeper = threading.Thread(target=keep, name="lock-keeper", daemon=True)
        keeper.start()
        try:
            yield
        finally:
            done.set()
            keeper.join()

    # -- writes (caller holds the write lock) --------------------------------------------------------

    def check_writable(self) -> None:
        self._live()

    def insert(self, key: str, signatures: np.ndarray) -> None:
        generation = self._live()
        try:
            self._stage_insert(self._redis, generation, key, signatures)
        except redis.exceptions.ResponseError as exc:
            if "already indexed" in str(exc):
                raise KeyError(f"{key!r} is already indexed") from None
            raise IndexUnavailableError(f"Redis refused the insert: {exc}") from exc

    def _stage_insert(self, client: Any, generation: str, key: str, signatures: np.ndarray) -> None:
        """Write (or queue, on a pipeline) what datasketch's `MinHashLSH.insert` writes for every passage,
        and the docs entry, as one atomic script call."""
        if signatures.ndim != 2 or signatures.shape[1] != self.config.num_perm:
            raise ValueError(f"signatures of shape {signatures.shape} do not fit num_perm={self.config.num_perm}")
        lsh = self._lsh(generation)
        args: list[bytes | str | int] = [key, len(signatures), len(lsh.hashtables), lsh.keys._name]
        args.extend(table._name for table in lsh.hashtables)
        for i, bands in enumerate(self._bands(signatures)):
            args.append(f"{key}:{i}".encode())
            args.extend(bands)
        self._insert_script(keys=[self._docs_key(generation), lsh.keys._name], args=args, client=client)

    def _band_values(self, signatures: np.ndarray) -> tuple[bytes, int]:
        """Every passage's band values as datasketch computes them (`MinHashLSH._H`: the bytes of each
        `r`-value slice of the hash values, byte-swapped), passage by passage in one string, and the bytes of one."""
        b, r = self.bands
        values = np.ascontiguousarray(signatures[:, : b * r], dtype=self._dtype).byteswap()
        return values.tobytes(), r * self._dtype.itemsize

    def _bands(self, signatures: np.ndarray) -> list[list[bytes]]:
        """Each passage's band values (`_band_values`), one bytes object a band."""
        raw, width = self._band_values(signatures)
        b = self.bands[0]
        return [[raw[(p * b + i) * width : (p * b + i + 1) * width] for i in range(b)] for p in range(len(signatures))]

    def remove(self, key: str) -> bool:
        generation = self._live()
        lsh = self._lsh(generation)
        args = [key, lsh.keys._name, *(table._name for table in lsh.hashtables)]
        removed = self._call(self._remove_script, keys=[self._docs_key(generation), lsh.keys._name], args=args)
        return bool(removed)

    def replace_all(self, items: Iterable[tuple[str, np.ndarray]]) -> int:
        """Fill a new generation, switch `:current` to it, then delete the old one."""
        generation = uuid.uuid4().hex[:8]  # short: it is part of every key; at most two are ever alive
        count = 0
        pipe = self._redis.pipeline(transaction=False)
        try:
            for key, signatures in items:
                self._stage_insert(pipe, generation, key, signatures)
                count += 1
                if len(pipe) >= PIPELINE_ARTICLES:
                    self._call(pipe.execute)
            self._call(pipe.execute)
            switch = self._redis.pipeline(transaction=True)
            switch.get(self._current_key)
            switch.set(self._current_key, generation)
            old, _ = self._call(switch.execute)
        except BaseException:
            self._delete_generation(generation)
            raise
        self._generation = generation
        if old is not None and old.decode() != generation:
            self._delete_generation(old.decode())
        return count

    def _delete_generation(self, generation: str) -> None:
        pattern = f"{self.root}:{generation}*"
        batch: list[bytes] = []
        for name in self._call(self._redis.scan_iter, match=pattern, count=1000):
            batch.append(name)
            if len(batch) >= 1000:
                self._call(self._redis.unlink, *batch)
                batch = []
        if batch:
            self._call(self._redis.unlink, *batch)
        self._generations.pop(generation, None)

    # -- reads ---------------------------------------------------------------------------------------

    def query_passages(self, signatures: np.ndarray, exclude: str | None = None) -> dict[str, Candidate]:
        """Articles with passages sharing a band bucket with these, counted as `PassageIndex` counts them
        (one hit per query passage and stored passage) and ordered as it orders them, with the passages hit,
        skipping buckets crowded beyond `max_bucket` as the in-process index does; one script call, in the
        same round trip as the generation check."""
        if len(signatures) == 0:
            return {}

        values, width = self._band_values(signatures)

        def build(pipe: Any, generation: str) -> None:
            prefixes = [table._name for table in self._lsh(generation).hashtables]
            args = [len(prefixes), self.max_bucket or 0, width, *prefixes, values]
            self._query_script(keys=[], args=args, client=pipe)

        _, (flat,) = self._read(build)
        found = {
            flat[i].decode(): Candidate(int(flat[i + 1]), tuple(sorted(map(int, flat[i + 2].decode().split(",")))))
            for i in range(0, len(flat), 3)
        }
        found.pop(exclude, None)  # type: ignore[arg-type]
        return dict(sorted(found.items(), key=lambda kv: (-kv[1].hits, kv[0])))

    def __len__(self) -> int:
        _, (count,) = self._read(lambda pipe, generation: pipe.hlen(self._docs_key(generation)))
        return int(count)

    def passage_counts(self) -> dict[str, int]:
        generation = self._live()
        pairs = self._call(self._redis.hscan_iter, self._docs_key(generation), count=1000)
        return {key.decode(): int(value) for key, value in pairs}

    def problems(self) -> list[str]:
        """Passages in datasketch's key table that no `docs` entry accounts for, or the reverse."""
        generation = self._live()
        lsh = self._lsh(generation)
        listed = sum(self.passage_counts().values())
        stored = int(self._call(self._redis.hlen, lsh.keys._name))
        if listed != stored:
            return [f"the index lists {listed} passage(s) per article but holds {stored} passage key(s)"]
        return []

    def is_current(self, articles: int) -> bool:
        try:
            return len(self) == articles
        except IndexMissingError:
            return False

    def ping(self) -> None:
        self._call(self._redis.ping)

    def close(self) -> None:
        self._pool.disconnect()

    def _call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Redis trouble becomes IndexUnavailableError (503 with a reason), never a 500."""
        try:
            result = fn(*args, **kwargs)
            if isinstance(result, Iterator):
                return list(result)  # type: ignore[return-value]
            return result
        except redis.exceptions.LockError:
            raise
        except redis.RedisError as exc:
            raise IndexUnavailableError(f"Redis at {self._where()} is unavailable: {exc}") from exc

    def _where(self) -> str:
        kwargs = self._pool.connection_kwargs
        return f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"
