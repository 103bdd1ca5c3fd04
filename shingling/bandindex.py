"""A compact in-memory LSH band index: about 5 bytes per passage per band, lookups in one numpy pass.

datasketch's `MinHashLSH` keeps, for every band, a Python dict from the band's bytes to a set of keys: a few
kilobytes per passage. Here the same bands (datasketch's `b` bands of `r` rows, from its own optimal-parameter
choice) are hashed to 32-bit band keys and kept in numpy arrays sorted by key, one row per band:

- a directory over the key's top `P` bits (offsets into the band's row, `P` growing with the row up to 16),
- the key's remaining bits as a fingerprint (16 bits once `P` is 16, so nothing of the key is lost),
- the passage id, in 24 bits while ids fit (32 above).

At a million passages and 51 bands that is ~5.3 bytes per passage per band. Adding a passage only appends its
band keys to a pending list; a lookup first files pending passages into a small sorted buffer, and a full
buffer (or a large pending list, as a bulk load makes) becomes a sorted run. Runs of similar size are merged
(a log-structured merge, so inserting stays cheap) and `compact()` folds everything into one run. Removal
marks passage ids dead; merges drop them.

Crowded buckets (a band key shared by more than `max_bucket` passages: boilerplate, datelines, stock phrases)
are skipped at lookup. They carry no evidence of reuse and would otherwise dominate the cost of a query.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from shingling.bandkernels import band_keys as compiled_band_keys
from shingling.bandkernels import fill_rows, probe_run, row_entries, row_pairs, sorted_entries

_LOW32 = np.uint64(0xFFFFFFFF)
_MAX_PREFIX_BITS = 18  # 2^18 two-byte directory slots per band: ~0.5 byte per passage per band at a million
_BUCKET_TARGET = 4  # average directory bucket a run aims at (a lookup scans its bucket linearly)
_BLOCK = 256  # directory slots per block: 2-byte offsets inside a block, a 4-byte start per block
_MERGE_ENTRIES = 1 << 23  # entries merged at a time (64 MB of uint64), whatever the run size
_EMPTY = np.empty(0, dtype=np.int64)
_EMPTY16 = np.empty(0, dtype=np.uint16)


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """A 32-bit key per band of each signature: shape (n, bands), uint32.

    Band `j` covers signature columns `j*rows .. (j+1)*rows - 1`, as in datasketch's `MinHashLSH`; two
    signatures share a key exactly when they share the band (up to 32-bit hash collisions). The band's rows are
    chained through splitmix64's finaliser, two at a time as one 64-bit word (compiled: `bandkernels`).
    """
    values = np.ascontiguousarray(signatures, dtype=np.uint32)
    if values.ndim != 2 or values.shape[1] < bands * rows:
        raise ValueError(f"signatures of shape {values.shape} have fewer than {bands} x {rows} columns")
    return compiled_band_keys(values, bands, rows)


class _Ids:
    """Passage ids of a run, (bands, n), stored in 3 little-endian bytes while they fit, else in 4 (int32).

    The 3 bytes of an id lie side by side, so reading one id costs one cache line, not two.
    """

    def __init__(self, shape: tuple[int, int], wide: bool) -> None:
        self.wide = wide
        self._ids = np.empty(shape, dtype=np.int32) if wide else np.empty((*shape, 3), dtype=np.uint8)

    def flat_rows(self, first: int, last: int) -> np.ndarray:
        """Rows first..last-1 flattened (a view, to fill while building): int32, or 3 bytes each."""
        return self._ids[first:last].reshape(-1)

    def _unpack(self, packed: np.ndarray) -> np.ndarray:
        words = np.zeros((*packed.shape[:-1], 4), dtype=np.uint8)
        words[..., :3] = packed
        return words.view("<u4")[..., 0]

    def take(self, flat: np.ndarray) -> np.ndarray:
        if self.wide:
            return self._ids.reshape(-1)[flat].astype(np.int64)
        return self._unpack(self._ids.reshape(-1, 3)[flat]).astype(np.int64)

    def rows(self, first: int, last: int) -> np.ndarray:
        if self.wide:
            return self._ids[first:last].astype(np.uint64)
        return self._unpack(self._ids[first:last]).astype(np.uint64)

    def flat(self) -> np.ndarray:
        """Every id flattened: int32, or 3 bytes each."""
        return self._ids.reshape(-1)

    @property
    def nbytes(self) -> int:
        return self._ids.nbytes


class _Directory:
    """Where each (band, key prefix) bucket starts in its band's row.

    Offsets are stored as 2 bytes relative to the start of their block of 256 slots, plus 4 bytes per block;
    a run where some block holds more than 65,535 entries (a huge crowded bucket) keeps plain 4-byte offsets.
    """

    def __init__(self, bands: int, slots: int) -> None:
        self.bands = bands
        self.slots = slots
        self._full: np.ndarray | None = np.zeros((bands, slots + 1), dtype=np.int64)
        self._start: np.ndarray | None = None  # per block, when two-level
        self._offset: np.ndarray | None = None

    def counts(self, first: int, last: int) -> np.ndarray:
        """Bands first..last-1's cumulative bucket counts (bands, slots + 1), zeroed, to fill while building."""
        assert self._full is not None
        return self._full[first:last]

    def finish(self) -> None:
        full = self._full
        assert full is not None
        if self.slots >= _BLOCK:
            start = full[:, ::_BLOCK]
            offset = full - np.repeat(start, _BLOCK, axis=1)[:, : self.slots + 1]
            if int(offset.max()) < 1 << 16:
                self._start, self._offset, self._full = start.astype(np.int64).ravel(), offset.astype(np.uint16), None
                self._offset = self._offset.ravel()
                return
        self._full = full.astype(np.int64 if int(full.max()) >= 1 << 31 else np.int32).ravel()

    def at(self, band: np.ndarray, slot: np.ndarray) -> np.ndarray:
        """Offset in the band's row where bucket `slot` starts (slot == slots: the row's end)."""
        i = band * (self.slots + 1) + slot
        if self._offset is None:
            assert self._full is not None
            return self._full[i].astype(np.int64)
        assert self._start is not None
        return self._start[band * (self.slots // _BLOCK + 1) + (slot >> 8)] + self._offset[i]

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(block starts, offsets in blocks, plain offsets): the two-level form's two, or the plain one."""
        if self._offset is None:
            assert self._full is not None
            return _EMPTY, _EMPTY16, self._full
        assert self._start is not None
        return self._start, self._offset, _EMPTY

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self._full, self._start, self._offset) if a is not None)


class _Run:
    """An immutable set of passages: per band, entries sorted by key behind a prefix directory."""

    def __init__(self, bands: int, n: int, rows: Iterable[tuple[int, np.ndarray]], wide_ids: bool) -> None:
        """`rows` gives (first band, entries): `key << 32 | passage id` as uint64, shape (some bands, n), each
        row sorted. Every passage is in every band once."""
        self.n = n
        self.bands = bands
        self.bits = int(np.clip(np.round(np.log2(max(n, 1) / _BUCKET_TARGET)), 0, _MAX_PREFIX_BITS))
        slots = 1 << self.bits
        self.fp_mask = np.uint32((1 << (32 - self.bits)) - 1) if self.bits else np.uint32(0xFFFFFFFF)
        self.directory = _Directory(bands, slots)
        fingerprints = np.empty((bands, n), dtype=np.uint16 if self.bits >= 16 else np.uint32)
        self.ids = _Ids((bands, n), wide_ids)
        for first, entries in rows:
            last = first + len(entries)
            fill_rows(entries, self.bits, int(self.fp_mask), self.directory.counts(first, last),
                      fingerprints[first:last], self.ids.flat_rows(first, last), self.ids.wide)
        self.directory.finish()
        self.fingerprints = fingerprints.reshape(-1)

    @classmethod
    def of(cls, keys: np.ndarray, ids: np.ndarray, wide_ids: bool) -> _Run:
        """A run of new passages: `keys` (n, bands) uint32 and their ids (n,), ascending, sorted a few bands at a
        time."""
        n, bands = keys.shape
        keys = np.ascontiguousarray(keys, dtype=np.uint32)
        if n > 1 and not bool(np.all(ids[1:] > ids[:-1])):
            raise ValueError("a run's passage ids must ascend (equal keys keep id order)")
        step = max(1, _MERGE_ENTRIES // max(n, 1))
        words = ids.astype(np.uint64)

        def rows() -> Iterator[tuple[int, np.ndarray]]:
            for first in range(0, bands, step):
                yield first, sorted_entries(keys, words, first, min(first + step, bands))

        return cls(bands, n, rows(), wide_ids)

    @property
    def nbytes(self) -> int:
        return self.directory.nbytes + self.fingerprints.nbytes + self.ids.nbytes

    def entries(self, first: int, last: int) -> np.ndarray:
        """Bands first..last-1 as `key << 32 | passage id`, each row sorted."""
        start, offset, full = self.directory.arrays()
        return row_entries(self.fingerprints.reshape(self.bands, self.n), self.ids.flat(), self.ids.wide, self.bits,
                           self.directory.slots, start, offset, full, first, last)

    def lookup(self, keys: np.ndarray, alive: np.ndarray, max_bucket: int) -> tuple[np.ndarray, np.ndarray]:
        """Live entries whose band key is a query's (`keys` (q, bands)): (probe = row * bands + band, passage
        id) arrays, by probe; with `max_bucket` >= 0, probes matching more live entries than that are left out."""
        start, offset, full = self.directory.arrays()
        return probe_run(keys, self.bits, int(self.fp_mask), self.n, self.directory.slots, start, offset, full,
                         self.fingerprints, self.ids.flat(), self.ids.wide, alive, max_bucket)


class BandIndex:
    """LSH band tables over passage signatures, with integer passage ids handed out in insertion order.

    >>> import numpy as np
    >>> index = BandIndex(bands=4, rows=2)
    >>> sigs = np.array([[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 9, 9, 9, 9, 9, 9]], dtype=np.uint32)
    >>> index.add(sigs).tolist()
    [0, 1]
    >>> rows, ids = index.lookup(np.array([[1, 2, 0, 0, 0, 0, 0, 0]], dtype=np.uint32))
    >>> sorted(ids.tolist())
    [0, 1]
    """

    def __init__(
        self,
        bands: int,
        rows: int,
        max_bucket: int | None = None,
        buffer_passages: int = 32768,
        recent_passages: int = 1024,
    ) -> None:
        if bands < 1 or rows < 1:
            raise ValueError(f"bands and rows must be positive, not {bands} and {rows}")
        if max_bucket is not None and max_bucket < 1:
            raise ValueError(f"max_bucket must be positive or None, not {max_bucket}")
        self.bands = bands
        self.rows = rows
        self.max_bucket = max_bucket
        self.buffer_passages = buffer_passages
        self.recent_passages = recent_passages
        self._runs: list[_Run] = []
        # passages added since the last lookup: (n, bands) keys and ids, unsorted (appending is all an add costs)
        self._pending_keys: list[np.ndarray] = []
        self._pending_ids: list[np.ndarray] = []
        self._pending = 0
        # passages sealed by a lookup but too few for a run: (band << 32 | key) tags, sorted, and their ids
        self._recent_tags = np.empty(0, dtype=np.uint64)
        self._recent_ids = np.empty(0, dtype=np.int64)
        self._alive = np.zeros(1024, dtype=bool)
        self._next = 0
        self._dead = 0

    def __len__(self) -> int:
        """Passages indexed and not removed."""
        return self._next - self._dead

    @property
    def next_id(self) -> int:
        """The id the next added passage gets."""
        return self._next

    @property
    def nbytes(self) -> int:
        """Bytes held in numpy arrays: runs, the small sorted buffer, the live-id mask."""
        buffered = self._recent_tags.nbytes + self._recent_ids.nbytes
        buffered += sum(k.nbytes + i.nbytes for k, i in zip(self._pending_keys, self._pending_ids, strict=True))
        return sum(run.nbytes for run in self._runs) + buffered + self._alive.nbytes

    def _tag(self, keys: np.ndarray) -> np.ndarray:
        """Band number in the high half, band key in the low half: one int per (passage, band)."""
        return (np.arange(self.bands, dtype=np.uint64) << np.uint64(32)) | keys.astype(np.uint64)

    def add(self, signatures: np.ndarray) -> np.ndarray:
        """Index passage signatures (n, num_perm); returns their new passage ids."""
        keys = band_keys(signatures, self.bands, self.rows)
        ids = np.arange(self._next, self._next + len(keys), dtype=np.int64)
        self._next += len(keys)
        if self._next > len(self._alive):
            grown = np.zeros(max(self._next, 2 * len(self._alive)), dtype=bool)
            grown[: len(self._alive)] = self._alive
            self._alive = grown
        self._alive[ids] = True
        self._pending_keys.append(keys)
        self._pending_ids.append(ids)
        self._pending += len(ids)
        if self._pending >= self.buffer_passages:
            self._seal(into_run=True)
        return ids

    def discard(self, ids: np.ndarray) -> None:
        """Remove passages by id (ids not indexed or already removed are ignored)."""
        ids = np.asarray(ids, dtype=np.int64)
        ids = ids[(ids >= 0) & (ids < self._next)]
        live = ids[self._alive[ids]]
        self._alive[live] = False
        self._dead += len(np.unique(live))

    def compact(self) -> None:
        """Fold every buffered passage and every run into one run without removed passages (fastest lookups)."""
        self._seal(into_run=True)
        if len(self._runs) > 1 or (self._runs and self._dead):
            self._runs = [self._merge(self._runs)]

    def _seal(self, into_run: bool = False) -> None:
        """Make pending passages searchable: merged into the small sorted buffer, or (with it) into a run."""
        if not self._pending and not (into_run and len(self._recent_ids)):
            return
        keys = np.concatenate(self._pending_keys) if self._pending else np.empty((0, self.bands), np.uint32)
        ids = np.concatenate(self._pending_ids) if self._pending else _EMPTY
        self._pending_keys, self._pending_ids, self._pending = [], [], 0
        recent = len(self._recent_ids) // self.bands
        if not into_run and recent + len(ids) < self.recent_passages:
            tags = self._tag(keys).reshape(-1)
            order = np.argsort(tags, kind="stable")
            at = np.searchsorted(self._recent_tags, tags[order], side="right")
            self._recent_tags = np.insert(self._recent_tags, at, tags[order])
            self._recent_ids = np.insert(self._recent_ids, at, np.repeat(ids, self.bands)[order])
            return
        if recent:
            order = np.argsort(self._recent_ids, kind="stable")  # by passage, then band (a band's tags ascend)
            old = (self._recent_tags[order] & _LOW32).astype(np.uint32).reshape(recent, self.bands)
            keys = np.concatenate([old, keys])
            ids = np.concatenate([self._recent_ids[order][:: self.bands], ids])
            self._recent_tags = np.empty(0, dtype=np.uint64)
            self._recent_ids = np.empty(0, dtype=np.int64)
        self._push(_Run.of(keys, ids, self._wide()))

    def _push(self, run: _Run) -> None:
        """Add a run, then merge the newest two while the older is at most twice the newer (a binary counter:
        at most log2(n) runs, and each passage is re-sorted about log2(n / buffer) times in all)."""
        self._runs.append(run)
        while len(self._runs) >= 2 and self._runs[-2].n <= 2 * self._runs[-1].n:
            self._runs[-2:] = [self._merge(self._runs[-2:])]

    def _wide(self) -> bool:
        return self._next > 1 << 24

    def _merge(self, runs: list[_Run]) -> _Run:
        """One run of the runs' live passages, built a few bands at a time (bounded extra memory)."""
        alive = self._alive
        n = sum(int(alive[run.ids.rows(0, 1)[0].astype(np.int64)].sum()) for run in runs)
        step = max(1, _MERGE_ENTRIES // max(n, 1))

        def rows() -> Iterator[tuple[int, np.ndarray]]:
            for first in range(0, self.bands, step):
                last = min(first + step, self.bands)
                entries = np.concatenate([run.entries(first, last) for run in runs], axis=1)
                if entries.shape[1] != n:  # removed passages: the same ones in every band
                    entries = entries[alive[(entries & _LOW32).astype(np.int64)]].reshape(last - first, n)
                entries.sort(axis=1, kind="stable")  # sorted runs side by side: a linear merge
                yield first, entries

        return _Run(self.bands, n, rows(), self._wide())

    def lookup(self, signatures: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Stored passages sharing a band with each query signature: unique (query row, passage id) pairs.

        Buckets holding more than `max_bucket` live passages are skipped.
        """
        self._seal()
        keys = band_keys(signatures, self.bands, self.rows)
        q = len(keys)
        if q == 0 or len(self) == 0:
            return _EMPTY, _EMPTY
        keys = np.ascontiguousarray(keys)
        # one source (a compacted index): the kernel skips crowded buckets itself; else they are summed over all
        alone = len(self._runs) == 1 and not len(self._recent_tags)
        cap = self.max_bucket if alone and self.max_bucket is not None else -1
        probes, pids = [], []
        for run in self._runs:
            p, i = run.lookup(keys, self._alive, cap)
            probes.append(p)
            pids.append(i)
        if len(self._recent_tags):
            tags = self._tag(keys).reshape(-1)
            lo = np.searchsorted(self._recent_tags, tags, side="left")
            count = np.searchsorted(self._recent_tags, tags, side="right") - lo
            if count.any():
                ends = np.cumsum(count)
                ids = self._recent_ids[np.arange(int(ends[-1])) + np.repeat(lo - (ends - count), count)]
                live = self._alive[ids]
                probes.append(np.repeat(np.arange(len(tags)), count)[live])
                pids.append(ids[live])
        if not probes:
            return _EMPTY, _EMPTY
        probe, pid = (probes[0], pids[0]) if len(probes) == 1 else (np.concatenate(probes), np.concatenate(pids))
        if len(probes) > 1:
            order = np.argsort(probe, kind="stable")
            probe, pid = probe[order], pid[order]
        if self.max_bucket is not None and cap < 0 and len(probe):
            sizes = np.bincount(probe, minlength=q * self.bands)
            small = sizes[probe] <= self.max_bucket
            probe, pid = probe[small], pid[small]
        return row_pairs(probe, pid, self.bands)
