"""Compiled inner loops of the band index (numba): band keys, probing buckets, pairing rows with passages.

A query of a few hundred passages probes 51 bands each, and most buckets hold a handful of entries of which
none is the query's key. In numpy every step of that is a pass over the whole batch (bucket bounds, a gather
of every entry, a compare, a sort for unique pairs), so the cost grows with the entries touched rather than
the hits found. Band keys, too, are a dozen numpy passes over (passages, bands) arrays. Here the keys are
hashed in one pass, the entries are compared where they lie, passage ids are read for matches only, a
crowded bucket's matches are dropped as a group, and each query row's few hits are sorted in place.

Compiled once per machine, cached like the alignment's kernels (`shingling.kernels`).
"""

from __future__ import annotations

import numpy as np

from shingling.kernels import PREFETCH_AHEAD as _AHEAD
from shingling.kernels import _compiled, mix64
from shingling.kernels import prefetch as _prefetch

_BLOCK_SHIFT = 8  # log2 of the directory's block size (bandindex._BLOCK)
_FEW = 64  # hits of a query row sorted by insertion up to this many
_M1 = np.uint64(0x9E3779B97F4A7C15)


@_compiled()
def band_keys(values: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """bandindex.band_keys of uint32 signatures (n, >= bands * rows): two rows at a time as one 64-bit word,
    the first row in its low half, or one row a word when `rows` is odd."""
    n = values.shape[0]
    out = np.empty((n, bands), np.uint32)
    seeds = np.empty(bands, np.uint64)
    for j in range(bands):
        seeds[j] = mix64(np.uint64(j + 1))
    pair = rows % 2 == 0
    for i in range(n):
        for j in range(bands):
            c = j * rows
            if pair:
                h = mix64((np.uint64(values[i, c]) | (np.uint64(values[i, c + 1]) << np.uint64(32))) ^ seeds[j])
                for t in range(2, rows, 2):
                    word = np.uint64(values[i, c + t]) | (np.uint64(values[i, c + t + 1]) << np.uint64(32))
                    h = mix64((h * _M1) ^ word)
            else:
                h = mix64(np.uint64(values[i, c]) ^ seeds[j])
                for t in range(1, rows):
                    h = mix64((h * _M1) ^ np.uint64(values[i, c + t]))
            out[i, j] = np.uint32(h >> np.uint64(32))
    return out


@_compiled(inline="always")
def _bound(
    band: int, slot: int | np.int64, slots: int, start: np.ndarray, offset: np.ndarray, full: np.ndarray
) -> int:
    """Where bucket `slot` of `band` starts in the band's row (see bandindex._Directory.at)."""
    i = band * (slots + 1) + slot
    if len(offset):
        return start[band * ((slots >> _BLOCK_SHIFT) + 1) + (slot >> _BLOCK_SHIFT)] + offset[i]
    return full[i]


@_compiled(inline="always")
def _pid(j: int, ids: np.ndarray, wide: bool) -> np.int64:
    """Passage id of flat entry `j`: int32, or 3 little-endian bytes (see bandindex._Ids)."""
    if wide:
        return np.int64(ids[j])
    b = 3 * j
    return np.int64(ids[b]) | (np.int64(ids[b + 1]) << 8) | (np.int64(ids[b + 2]) << 16)


@_compiled()
def _unique_probes(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each probe `r * bands + b` of `keys` (q, bands) numbered by its (band, key): `(number of each probe, the
    probe where each number first occurs)`. A query's passages and windows overlap, and about 40 % of their
    probes repeat an earlier one; numbering them lets each distinct (band, key) be looked up once.

    Band by band, in a table of 2q slots that stays in the first-level cache (the keys are hashes already, so
    their low bits pick the slot); the lookups then go band by band too, each band's directory warm. At 1M
    passages this took a long query's lookup 1.04 -> 0.83 ms against one table for every band, in probe order."""
    q, bands = keys.shape
    size = 1
    while size < 2 * q:
        size *= 2
    table_key = np.empty(size, np.uint32)
    table_number = np.empty(size, np.int32)  # -1: empty
    mask = size - 1
    number = np.empty(q * bands, np.int32)
    firsts = np.empty(q * bands, np.int32)
    u = 0
    for b in range(bands):
        table_number[:] = -1
        for r in range(q):
            key = keys[r, b]
            p = r * bands + b
            slot = np.int64(key) & mask
            while True:
                other = table_number[slot]
                if other < 0:
                    table_key[slot] = key
                    table_number[slot] = u
                    number[p] = u
                    firsts[u] = p
                    u += 1
                    break
                if table_key[slot] == key:
                    number[p] = other
                    break
                slot = (slot + 1) & mask
    return number, firsts[:u]


@_compiled()
def probe_run(
    keys: np.ndarray, bits: int, fp_mask: int, n: int, slots: int,
    start: np.ndarray, offset: np.ndarray, full: np.ndarray,
    fingerprints: np.ndarray, ids: np.ndarray, wide: bool, alive: np.ndarray, max_bucket: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Live entries of one run whose band key is a query's: (probe = row * bands + band, passage id), by probe.

    With `max_bucket` >= 0 a probe's entries are kept only when there are at most that many. A probe whose band
    and key an earlier probe has is not looked up again: it gets the earlier one's matches. Scratch arrays are
    sized by the distinct probes, not by all of them, and only the buckets' entries that match are listed
    twice (by probe, then by passage): at a few hundred query rows, allocating and touching scratch sized for
    every probe and every entry was half of a lookup. Each pass asks for the entries of the probe `_AHEAD`
    places on before it reads its own (`_prefetch`).
    """
    q, bands = keys.shape
    number, firsts = _unique_probes(keys)
    u = len(firsts)
    flat_keys = keys.ravel()
    # three passes (bounds, fingerprints, passage ids), so that the reads of each pass do not wait on each other
    lo = np.empty(u, np.int64)
    size = np.empty(u, np.int32)
    for i in range(u):
        if i + _AHEAD < u and len(offset):  # the directory slot of a probe ahead
            ahead = firsts[i + _AHEAD]
            slot = np.int64(flat_keys[ahead]) >> (32 - bits) if bits else np.int64(0)
            _prefetch(offset, (ahead % bands) * (slots + 1) + slot)
        p = firsts[i]
        b = p % bands
        slot = np.int64(flat_keys[p]) >> (32 - bits) if bits else np.int64(0)
        first = _bound(b, slot, slots, start, offset, full)
        lo[i] = b * n + first
        size[i] = _bound(b, slot + 1, slots, start, offset, full) - first
    begin = np.empty(u + 1, np.int32)  # where each distinct probe's matches start
    entries = 0
    for i in range(u):
        entries += size[i]
    # sized for every entry of the buckets looked up (outputs grown inside the loop make numba's code much slower)
    flat = np.empty(entries, np.int64)
    k = 0
    for i in range(u):
        if i + _AHEAD < u:
            _prefetch(fingerprints, lo[i + _AHEAD])
        begin[i] = k
        fp = np.int64(flat_keys[firsts[i]]) & fp_mask
        for j in range(lo[i], lo[i] + size[i]):
            if fingerprints[j] == fp:
                flat[k] = j
                k += 1
    begin[u] = k
    found = np.empty(k, np.int64)
    for i in range(k):
        if i + _AHEAD < k:
            _prefetch(ids, flat[i + _AHEAD] if wide else 3 * flat[i + _AHEAD])
        found[i] = _pid(flat[i], ids, wide)
    total = 0  # matches of every probe, the repeated ones included
    for p in range(q * bands):
        total += begin[number[p] + 1] - begin[number[p]]
    probes = np.empty(total, np.int64)
    pids = np.empty(total, np.int64)
    kept = 0
    for p in range(q * bands):  # in probe order; a group of more than max_bucket live matches is dropped
        i = number[p]
        group = kept
        for m in range(begin[i], begin[i + 1]):
            pid = found[m]
            probes[kept] = p
            pids[kept] = pid
            kept += alive[pid]
        if 0 <= max_bucket < kept - group:
            kept = group
    return probes[:kept], pids[:kept]


@_compiled()
def row_pairs(probes: np.ndarray, pids: np.ndarray, bands: int) -> tuple[np.ndarray, np.ndarray]:
    """Unique (query row, passage id) pairs of hits sorted by probe, in (row, id) order (`pids` is reordered)."""
    rows = np.empty(len(probes), np.int64)
    out = np.empty(len(probes), np.int64)
    k = 0
    i = 0
    while i < len(probes):
        row = probes[i] // bands
        j = i
        while j < len(probes) and probes[j] // bands == row:
            j += 1
        # insertion sort while a row's hits are few (mostly one passage found in many bands), else a real sort
        if j - i > _FEW:
            pids[i:j] = np.sort(pids[i:j])
        for t in range(i + 1, j if j - i <= _FEW else i):
            v = pids[t]
            u = t
            while u > i and pids[u - 1] > v:
                pids[u] = pids[u - 1]
                u -= 1
            pids[u] = v
        for t in range(i, j):
            if t == i or pids[t] != pids[t - 1]:
                rows[k] = row
                out[k] = pids[t]
                k += 1
        i = j
    return rows[:k], out[:k]


@_compiled()
def passage_hits(pids: np.ndarray, firsts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The hit passages `pids` (one per hit, any order) grouped by document: each distinct passage's ordinal
    within its document (by passage id), where each document's passages start in that array (and its end),
    each document's ordinal into `firsts` (ascending first passage ids) and its hits. One sort and one pass:
    the numpy steps it replaces (unique with counts, a search, a diff, a sum per group) were a third of a
    news-length lookup's time at a million passages. Ranking alone (`PassageIndex.query_signatures`) reads
    just the last two."""
    ids = np.sort(pids)
    within = np.empty(len(ids), np.int64)
    bounds = np.empty(len(ids) + 1, np.int64)
    ordinals = np.empty(len(ids), np.int64)
    hits = np.empty(len(ids), np.int64)
    m = 0  # distinct passages so far
    k = -1  # documents so far, minus one
    first = 0
    end = -1  # first passage id past the current document
    for i in range(len(ids)):
        pid = ids[i]
        if pid >= end:
            o = np.searchsorted(firsts, pid, side="right") - 1
            first = firsts[o]
            end = firsts[o + 1] if o + 1 < len(firsts) else np.iinfo(np.int64).max
            k += 1
            ordinals[k] = o
            bounds[k] = m
            hits[k] = 0
        if i == 0 or pid != ids[i - 1]:
            within[m] = pid - first
            m += 1
        hits[k] += 1
    bounds[k + 1] = m
    return within[:m], bounds[: k + 2], ordinals[: k + 1], hits[: k + 1]


@_compiled(inline="always")
def _starts(counts: np.ndarray) -> None:
    """Counts per digit made into where each digit's entries start (an exclusive prefix sum, in place)."""
    total = 0
    for d in range(len(counts)):
        c = counts[d]
        counts[d] = total
        total += c


@_compiled()
def sorted_entries(keys: np.ndarray, ids: np.ndarray, first: int, last: int) -> np.ndarray:
    """Bands `first..last-1` of new passages as `key << 32 | id` rows, each sorted: `keys` (n, bands) uint32,
    `ids` (n,) ascending. Two stable counting passes of 16 bits by key (ids ascend, so equal keys stay in id
    order): the same rows as numpy's sort of the packed entries, in linear time."""
    n = keys.shape[0]
    out = np.empty((last - first, n), np.uint64)
    held_keys = np.empty(n, np.uint32)
    held_rows = np.empty(n, np.int64)
    counts = np.empty(1 << 16, np.int64)
    for j in range(first, last):
        counts[:] = 0
        for i in range(n):
            counts[keys[i, j] & 0xFFFF] += 1
        _starts(counts)
        for i in range(n):
            key = keys[i, j]
            d = key & 0xFFFF
            held_keys[counts[d]] = key
            held_rows[counts[d]] = i
            counts[d] += 1
        counts[:] = 0
        for i in range(n):
            counts[held_keys[i] >> 16] += 1
        _starts(counts)
        for i in range(n):
            key = held_keys[i]
            d = key >> 16
            out[j - first, counts[d]] = (np.uint64(key) << np.uint64(32)) | np.uint64(ids[held_rows[i]])
            counts[d] += 1
    return out


@_compiled()
def fill_rows(
    entries: np.ndarray, bits: int, fp_mask: int, counts: np.ndarray, fingerprints: np.ndarray, ids: np.ndarray,
    wide: bool,
) -> None:
    """Split sorted `key << 32 | id` rows (bands, n) into a run's parts in one pass: each row's cumulative
    bucket counts by key prefix (`counts` (bands, 2^bits + 1), zeroed), fingerprints (the key's other bits)
    and passage ids (flat: int32, or 3 little-endian bytes each)."""
    rows, n = entries.shape
    shift = np.uint64(64 - bits)
    mask = np.uint64(fp_mask)
    slots = 1 << bits
    for r in range(rows):
        for i in range(n):
            e = entries[r, i]
            if bits:
                counts[r, np.int64(e >> shift) + 1] += 1
            fingerprints[r, i] = (e >> np.uint64(32)) & mask
            pid = e & np.uint64(0xFFFFFFFF)
            j = r * n + i
            if wide:
                ids[j] = pid
            else:
                ids[3 * j] = pid & np.uint64(0xFF)
                ids[3 * j + 1] = (pid >> np.uint64(8)) & np.uint64(0xFF)
                ids[3 * j + 2] = (pid >> np.uint64(16)) & np.uint64(0xFF)
        if not bits:
            counts[r, 1] = n
        for s in range(1, slots + 1):
            counts[r, s] += counts[r, s - 1]


@_compiled()
def row_entries(
    fingerprints: np.ndarray, ids: np.ndarray, wide: bool, bits: int, slots: int, start: np.ndarray,
    offset: np.ndarray, full: np.ndarray, first: int, last: int,
) -> np.ndarray:
    """Bands first..last-1 of a run as `key << 32 | id` rows (bands, n), each sorted: the key's prefix from
    the directory's buckets, its other bits from the fingerprint (the inverse of `fill_rows`)."""
    n = fingerprints.shape[1]
    out = np.empty((last - first, n), np.uint64)
    shift = np.uint64(32 - bits)
    for band in range(first, last):
        i = 0
        for slot in range(slots):
            end = _bound(band, slot + 1, slots, start, offset, full)
            high = np.uint64(slot) << shift if bits else np.uint64(0)
            while i < end:
                key = high | np.uint64(fingerprints[band, i])
                out[band - first, i] = (key << np.uint64(32)) | np.uint64(_pid(band * n + i, ids, wide))
                i += 1
    return out
