"""Compiled inner loops of the alignment (numba): the per-pair steps that every candidate pays.

A check aligns its text with every candidate the index returns, and most candidates share nothing worth
reporting: their cost is a few hundred small array steps (intersecting term tables, enumerating sentence
co-occurrences), where numpy's per-call overhead is most of the time. These kernels do the same steps in one
compiled pass each, in the same order, so their results are identical to the numpy formulation (sums are
accumulated in the same sequence; the logarithms of the tf-idf weights stay in numpy).

Compiled once per machine: numba's cache keeps the machine code beside this file, or in the user's cache
folder (`NUMBA_CACHE_DIR` to choose); where neither can be written, each process compiles in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

F = TypeVar("F", bound=Callable[..., Any])
PREFETCH_AHEAD = 16  # a compiled pass over lookups asks for the entries of the lookup this many places on


def _compiled(**options: Any) -> Callable[[F], F]:
    """numba's `njit`, cached on disk where a cache folder can be written, releasing the GIL unless told not to."""
    options = {"nogil": True, **options}

    def wrap(func: F) -> F:
        try:
            return njit(cache=True, **options)(func)  # type: ignore[no-any-return]
        except RuntimeError:  # no writable cache location
            return njit(**options)(func)  # type: ignore[no-any-return]

    return wrap


def _prefetch_of(typingctx: Any, values: Any, index: Any) -> Any:
    """`prefetch(values, index)` in compiled code: start loading `values[index]` into the caches and go on
    (LLVM's `prefetch`: a read, kept at every level). Changes nothing and never faults, whatever the index.

    A probe's reads (its bucket's directory slot, fingerprints and passage ids) miss the caches at a million
    passages, and a pass over the distinct probes waited on each in turn: asking 16 probes early overlaps the
    misses (the probing of a news-length query at 1M, 60 rows: 0.177 -> 0.097 ms). The tokeniser's lookups
    of word forms (`intern_find`) miss the same way once a process knows a few hundred thousand forms."""
    if not isinstance(values, types.Array):
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        array_type, index_type = signature.args
        array = context.make_array(array_type)(context, builder, args[0])
        at = builder.gep(array.data, [context.cast(builder, args[1], index_type, types.intp)])
        byte_pointer = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        fetch = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [byte_pointer, i32, i32, i32]), "llvm.prefetch.p0i8"
        )
        # read (0), keep in every cache level (3), data (1)
        builder.call(fetch, [builder.bitcast(at, byte_pointer), ir.Constant(i32, 0), ir.Constant(i32, 3),
                             ir.Constant(i32, 1)])
        return context.get_dummy_value()

    return types.void(values, index), codegen


prefetch: Any = intrinsic(_prefetch_of)


@_compiled()
def common(values_a: np.ndarray, values_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions (in a, in b) of the values both sorted, duplicate-free arrays hold, ascending."""
    n = min(len(values_a), len(values_b))
    xa = np.empty(n, np.int64)
    xb = np.empty(n, np.int64)
    i = j = k = 0
    la, lb = len(values_a), len(values_b)
    while i < la and j < lb:  # branch-free steps: which side advances is data, not a jump to predict
        va, vb = values_a[i], values_b[j]
        xa[k], xb[k] = i, j
        k += va == vb
        i += va <= vb
        j += vb <= va
    return xa[:k], xb[:k]


@_compiled()
def match_grams(
    values_a: np.ndarray, first_a: np.ndarray, count_a: np.ndarray, order_a: np.ndarray,
    values_b: np.ndarray, first_b: np.ndarray, count_b: np.ndarray, order_b: np.ndarray, max_occ: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, j) with equal grams, skipping grams found more than `max_occ` times on a side.

    Grams found once on each side come first (in gram order), then every pairing of the others, gram by
    gram (a's occurrences outer, b's inner).
    """
    xa, xb = common(values_a, values_b)
    total = singles = 0
    for k in range(len(xa)):
        ca, cb = count_a[xa[k]], count_b[xb[k]]
        if ca <= max_occ and cb <= max_occ:
            total += ca * cb
            singles += ca == 1 and cb == 1
    out_a = np.empty(total, np.int64)
    out_b = np.empty(total, np.int64)
    s, m = 0, singles
    for k in range(len(xa)):
        x, y = xa[k], xb[k]
        ca, cb = count_a[x], count_b[y]
        if ca > max_occ or cb > max_occ:
            continue
        if ca == 1 and cb == 1:
            out_a[s], out_b[s] = order_a[first_a[x]], order_b[first_b[y]]
            s += 1
            continue
        for p in range(ca):
            for q in range(cb):
                out_a[m], out_b[m] = order_a[first_a[x] + p], order_b[first_b[y] + q]
                m += 1
    return out_a, out_b


@_compiled()
def _counting_order(keys: np.ndarray, order: np.ndarray, buckets: int) -> np.ndarray:
    """`order` stably re-sorted by `keys[order]` (integers in 0..buckets-1): one pass of a radix sort."""
    start = np.zeros(buckets + 1, np.int64)
    for k in order:
        start[keys[k] + 1] += 1
    for v in range(buckets):
        start[v + 1] += start[v]
    out = np.empty_like(order)
    for k in order:
        out[start[keys[k]]] = k
        start[keys[k]] += 1
    return out


@_compiled(error_model="numpy")
def _weights(
    need: np.ndarray, size: np.ndarray, tf: np.ndarray, term_of: np.ndarray, df: np.ndarray, sentences: int
) -> tuple[np.ndarray, np.ndarray]:
    """tf-idf weight of each entry of the needed sentences (others left 0) and each needed sentence's squared
    norm, summed in entry order. Entries lie sorted by sentence, `size[s]` of them for sentence s."""
    weight = np.zeros(len(tf))
    norm = np.zeros(len(size))
    first = 0
    for s in range(len(size)):
        if need[s]:
            for k in range(first, first + size[s]):
                weight[k] = tf[k] * np.log(sentences / df[term_of[k]])
                norm[s] += weight[k] * weight[k]
        first += size[s]
    return weight, norm


@_compiled(error_model="numpy")
def sentence_seeds(
    values_a: np.ndarray, first_a: np.ndarray, count_a: np.ndarray, order_a: np.ndarray,
    sentence_a: np.ndarray, size_a: np.ndarray, tf_a: np.ndarray, term_of_a: np.ndarray, na: int,
    values_b: np.ndarray, first_b: np.ndarray, count_b: np.ndarray, order_b: np.ndarray,
    sentence_b: np.ndarray, size_b: np.ndarray, tf_b: np.ndarray, term_of_b: np.ndarray, nb: int,
    max_term_sentences: int, threshold: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Sentence pairs (in a, in b) whose term sets have Dice and tf-idf cosine >= `threshold`.

    Each text's entries are its distinct (sentence, term) pairs, sorted by sentence; `values`, `first`,
    `count` and `order` group them by term. Co-occurrences are enumerated term by term (a's entries outer,
    b's inner), skipping terms in more than `max_term_sentences` sentences of either text; a term's
    document frequency counts the sentences of both texts. Sums run in entry order.
    """
    xa, xb = common(values_a, values_b)
    total = 0
    for k in range(len(xa)):
        ca, cb = count_a[xa[k]], count_b[xb[k]]
        if ca <= max_term_sentences and cb <= max_term_sentences:
            total += ca * cb
    ia = np.empty(total, np.int64)
    ib = np.empty(total, np.int64)
    sa = np.empty(total, np.int64)
    sb = np.empty(total, np.int64)
    m = 0
    for k in range(len(xa)):
        x, y = xa[k], xb[k]
        ca, cb = count_a[x], count_b[y]
        if ca > max_term_sentences or cb > max_term_sentences:
            continue
        for p in range(ca):
            ea = order_a[first_a[x] + p]
            for q in range(cb):
                eb = order_b[first_b[y] + q]
                ia[m], ib[m], sa[m], sb[m] = ea, eb, sentence_a[ea], sentence_b[eb]
                m += 1
    # by (sentence in a, sentence in b); stable, so each pair's entries keep their enumeration order
    order = _counting_order(sa, _counting_order(sb, np.arange(total), nb), na)
    pairs = np.empty((total, 2), np.int64)  # (first entry, end) of each sentence pair passing Dice
    n = 0
    start = 0
    while start < total:
        i, j = sa[order[start]], sb[order[start]]
        end = start + 1
        while end < total and sa[order[end]] == i and sb[order[end]] == j:
            end += 1
        if 2 * (end - start) / (size_a[i] + size_b[j]) >= threshold:
            pairs[n, 0], pairs[n, 1] = start, end
            n += 1
        start = end
    if n == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    df_a = count_a.copy()  # sentences of both texts holding each term
    df_b = count_b.copy()
    for k in range(len(xa)):
        df_a[xa[k]] += count_b[xb[k]]
        df_b[xb[k]] += count_a[xa[k]]
    # weights and norms only for the sentences of pairs that passed Dice (entries lie sorted by sentence)
    need_a = np.zeros(na, np.bool_)
    need_b = np.zeros(nb, np.bool_)
    for p in range(n):
        need_a[sa[order[pairs[p, 0]]]] = True
        need_b[sb[order[pairs[p, 0]]]] = True
    weight_a, norm_a = _weights(need_a, size_a, tf_a, term_of_a, df_a, na + nb)
    weight_b, norm_b = _weights(need_b, size_b, tf_b, term_of_b, df_b, na + nb)
    out_a = np.empty(n, np.int64)
    out_b = np.empty(n, np.int64)
    kept = 0
    for p in range(n):
        dot = 0.0
        for e in range(pairs[p, 0], pairs[p, 1]):
            dot += weight_a[ia[order[e]]] * weight_b[ib[order[e]]]
        i, j = sa[order[pairs[p, 0]]], sb[order[pairs[p, 0]]]
        if dot / (np.sqrt(norm_a[i]) * np.sqrt(norm_b[j])) >= threshold:
            out_a[kept], out_b[kept] = i, j
            kept += 1
    return out_a[:kept], out_b[:kept]


@_compiled()
def _members(values: np.ndarray, other: np.ndarray) -> np.ndarray:
    """For each of `values`, whether it occurs in `other`."""
    pool = np.sort(other)
    found = np.zeros(len(values), np.bool_)
    for i in range(len(values)):
        at = np.searchsorted(pool, values[i])
        found[i] = at < len(pool) and pool[at] == values[i]
    return found


@_compiled()
def _edges(flags: np.ndarray, run: int, need: int) -> tuple[int, int]:
    """First and last index where a matched word starts (ends) a stretch of `run` words, `need` of them
    matched; (-1, -1) when there is none."""
    n = len(flags)
    total = 0
    for i in range(n):
        total += flags[i]
    if total == 0:
        return -1, -1
    need = min(need, total)
    start = -1
    for i in range(n):
        if flags[i]:
            count = 0
            for k in range(i, min(n, i + run)):
                count += flags[k]
            if count >= need:
                start = i
                break
    if start < 0:
        return -1, -1
    end = -1
    for i in range(n - 1, -1, -1):
        if flags[i]:
            count = 0
            for k in range(max(0, i - run + 1), i + 1):
                count += flags[k]
            if count >= need:
                end = i
                break
    if end < start:
        return -1, -1
    return start, end


@_compiled()
def trim(
    content_a: np.ndarray, words_a: np.ndarray, content_b: np.ndarray, words_b: np.ndarray,
    lo_a: int, hi_a: int, lo_b: int, hi_b: int,
) -> tuple[int, int, int, int]:
    """`align._trim` on the documents' content-word positions and hashes; (-1, -1, -1, -1) for None."""
    sa, ea = np.searchsorted(content_a, lo_a, "left"), np.searchsorted(content_a, hi_a, "right")
    sb, eb = np.searchsorted(content_b, lo_b, "left"), np.searchsorted(content_b, hi_b, "right")
    fa = _members(words_a[sa:ea], words_b[sb:eb])
    fb = _members(words_b[sb:eb], words_a[sa:ea])
    ma, mb = fa.sum(), fb.sum()
    if ma == 0 or mb == 0:
        return -1, -1, -1, -1
    need = 3 if max(ma / len(fa), mb / len(fb)) > 0.9 else 2
    a0, a1 = _edges(fa, 3, need)
    b0, b1 = _edges(fb, 3, need)
    if a0 < 0 or b0 < 0:
        return -1, -1, -1, -1
    return content_a[sa + a0], content_a[sa + a1], content_b[sb + b0], content_b[sb + b1]


@_compiled()
def _covered(head: int, after: np.ndarray, span_lo: np.ndarray, span_hi: np.ndarray, lo: int, hi: int) -> float:
    """Share of words lo..hi (inclusive) inside the spans of one chain (a linked list from `head`)."""
    parts = []
    k = head
    while k >= 0:
        if span_lo[k] <= hi and lo <= span_hi[k]:
            parts.append((max(span_lo[k], lo) << 32) | min(span_hi[k], hi))
        k = after[k]
    covered, reach = 0, lo - 1  # reach: the last word counted so far
    for part in sorted(parts):
        p_lo, p_hi = part >> 32, part & 0xFFFFFFFF
        if p_hi > reach:
            covered += p_hi - max(p_lo, reach + 1) + 1
            reach = p_hi
    return covered / (hi - lo + 1)


@_compiled()
def chain(
    order: np.ndarray, first_a: np.ndarray, last_a: np.ndarray, first_b: np.ndarray, last_b: np.ndarray,
    gap: int, gap_b: int,
) -> np.ndarray:
    """`align._chain`'s grouping: each seed's chain number (chains numbered as they open), seeds taken in
    `order`."""
    n = len(order)
    label = np.empty(n, np.int64)
    hi_a = np.empty(n, np.int64)  # per chain: its a extent's end and b extent
    lo_b = np.empty(n, np.int64)
    hi_b = np.empty(n, np.int64)
    head = np.empty(n, np.int64)  # per chain: its latest seed; `after` links each seed to the one before
    after = np.empty(n, np.int64)
    open_ids = np.empty(n, np.int64)
    n_open = chains = 0
    for idx in order:
        fa, la, fb, lb = first_a[idx], last_a[idx], first_b[idx], last_b[idx]
        kept = 0
        for o in range(n_open):
            if fa - hi_a[open_ids[o]] <= gap:
                open_ids[kept] = open_ids[o]
                kept += 1
        n_open = kept
        best, best_dist = -1, gap_b + 1
        for o in range(n_open):
            c = open_ids[o]
            if fa > hi_a[c] and fb <= hi_b[c] and lo_b[c] <= lb and _covered(head[c], after, first_b, last_b,
                                                                            fb, lb) > 0.5:
                continue  # new words in a mapped onto words of b the chain already maps: an echo
            dist = max(0, lo_b[c] - lb, fb - hi_b[c])
            if dist < best_dist:
                best, best_dist = c, dist
        if best < 0:
            best = chains
            chains += 1
            hi_a[best], lo_b[best], hi_b[best] = la, fb, lb
            after[idx] = -1
            open_ids[n_open] = best
            n_open += 1
        else:
            hi_a[best], lo_b[best], hi_b[best] = max(hi_a[best], la), min(lo_b[best], fb), max(hi_b[best], lb)
            after[idx] = head[best]
        head[best] = idx
        label[idx] = best
    return label


@_compiled()
def matching_blocks(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()` without the closing dummy,
    as rows (i, j, size): the same longest-match recursion and tie rules (earliest in a, then in b)."""
    la, lb = len(a), len(b)
    order = np.argsort(b, kind="mergesort")  # b2j: each value's positions in b, ascending
    values = b[order]
    group = np.full(la, -1, np.int64)  # start of a[i]'s positions within `order`, -1 when b lacks it
    group_end = np.zeros(la, np.int64)
    for i in range(la):
        at = np.searchsorted(values, a[i])
        if at < lb and values[at] == a[i]:
            group[i] = at
            group_end[i] = np.searchsorted(values, a[i], "right")
    length = np.zeros((2, lb), np.int64)  # j2len of the previous and the current row, valid where stamped
    stamp = np.full((2, lb), -1, np.int64)
    row = 0  # a global row counter, so every find starts with empty j2len
    blocks = []
    queue = [(0, la, 0, lb)]
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        besti, bestj, bestsize = alo, blo, 0
        row += 1  # (the previous find's last row is no row before this find's first)
        for i in range(alo, ahi):
            row += 1
            cur, prev = row & 1, 1 - (row & 1)
            if group[i] < 0:
                continue
            for g in range(group[i], group_end[i]):
                j = order[g]
                if j < blo:
                    continue
                if j >= bhi:
                    break
                k = 1
                if j > 0 and stamp[prev, j - 1] == row - 1:
                    k = length[prev, j - 1] + 1
                length[cur, j], stamp[cur, j] = k, row
                if k > bestsize:
                    besti, bestj, bestsize = i - k + 1, j - k + 1, k
        while besti > alo and bestj > blo and a[besti - 1] == b[bestj - 1]:
            besti, bestj, bestsize = besti - 1, bestj - 1, bestsize + 1
        while besti + bestsize < ahi and bestj + bestsize < bhi and a[besti + bestsize] == b[bestj + bestsize]:
            bestsize += 1
        if bestsize:
            blocks.append((besti, bestj, bestsize))
            if alo < besti and blo < bestj:
                queue.append((alo, besti, blo, bestj))
            if besti + bestsize < ahi and bestj + bestsize < bhi:
                queue.append((besti + bestsize, ahi, bestj + bestsize, bhi))
    found = np.empty((len(blocks), 3), np.int64)
    for n in range(len(blocks)):
        found[n, 0], found[n, 1], found[n, 2] = blocks[n]
    found = found[np.argsort(found[:, 0], kind="mergesort")]  # blocks cover disjoint stretches of a
    out = np.empty_like(found)
    m = 0
    i1 = j1 = k1 = 0
    for n in range(len(found)):
        i2, j2, k2 = found[n, 0], found[n, 1], found[n, 2]
        if i1 + k1 == i2 and j1 + k1 == j2:
            k1 += k2
        else:
            if k1:
                out[m, 0], out[m, 1], out[m, 2] = i1, j1, k1
                m += 1
            i1, j1, k1 = i2, j2, k2
    if k1:
        out[m, 0], out[m, 1], out[m, 2] = i1, j1, k1
        m += 1
    return out[:m]


@_compiled()
def minhash(values: np.ndarray, a: np.ndarray, b: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """datasketch's `affine32` MinHash of each `[start, stop)` row of `bounds` over 32-bit shingle values:
    MurmurHash3's finaliser, then `a*h + b mod 2^32` per permutation, then the minimum per range (empty
    ranges stay all 0xFFFFFFFF). Every shingle is permuted once; overlapping windows share the work.

    When the rows' starts and stops both ascend (passages and windows do), the shingles are permuted
    `_MINHASH_BLOCK` at a time into a buffer that stays in cache, and each row takes the minimum over its part
    of the block: permuting every shingle into one (shingles x permutations) table first made the stage
    memory-bound (a 4 MB text's table is 100 MB written once and read twice)."""
    rows, perms = len(bounds), len(a)
    out = np.full((rows, perms), 0xFFFFFFFF, np.uint32)
    ordered = True
    for r in range(1, rows):
        if bounds[r, 0] < bounds[r - 1, 0] or bounds[r, 1] < bounds[r - 1, 1]:
            ordered = False
            break
    n = len(values)
    step = _MINHASH_BLOCK if ordered else max(n, 1)
    block = np.empty((min(step, n), perms), np.uint32)
    first = 0  # rows before it end before the block (stops ascend); with no order, no row is passed over
    for s0 in range(0, n, step):
        s1 = min(s0 + step, n)
        while ordered and first < rows and bounds[first, 1] <= s0:
            first += 1
        if first == rows or (ordered and bounds[first, 0] >= s1):
            continue  # no row holds a shingle of this block
        for s in range(s0, s1):
            _permute(values[s], a, b, block[s - s0])
        r = first
        while r < rows and (not ordered or bounds[r, 0] < s1):
            row = out[r]
            for s in range(max(bounds[r, 0], s0), min(bounds[r, 1], s1)):
                here = block[s - s0]
                for p in range(perms):
                    row[p] = min(row[p], here[p])
            r += 1
    return out


_MINHASH_BLOCK = 256
"""Shingles permuted at a time (128 KB at 128 permutations)."""


@_compiled(inline="always")
def _permute(value: np.uint32, a: np.ndarray, b: np.ndarray, into: np.ndarray) -> None:
    """One shingle value through MurmurHash3's finaliser and every `a*h + b mod 2^32` permutation."""
    low = np.uint64(0xFFFFFFFF)
    h = np.uint64(value)
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x85EBCA6B)) & low
    h ^= h >> np.uint64(13)
    h = (h * np.uint64(0xC2B2AE35)) & low
    h ^= h >> np.uint64(16)
    for p in range(len(a)):
        into[p] = (h * np.uint64(a[p]) + np.uint64(b[p])) & low


@_compiled(inline="always")
def mix64(h: np.uint64) -> np.uint64:
    """`shingles.mix64` on one value (splitmix64's finaliser)."""
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


@_compiled()
def kgram_hashes(word_hashes: np.ndarray, k: int) -> np.ndarray:
    """`shingles.kgram_hashes`: the hash of every run of `k` consecutive words, mixed in order."""
    count = len(word_hashes) - k + 1
    out = np.empty(count, np.uint64)
    for j in range(count):
        h = np.uint64(0)
        for i in range(k):
            h = mix64((h * np.uint64(0x9E3779B97F4A7C15)) ^ word_hashes[j + i])
        out[j] = h
    return out


@_compiled()
def word_spans(classes: np.ndarray, codes: np.ndarray, single: int) -> tuple[np.ndarray, np.ndarray]:
    """[start, end) of every maximal run of code points of one class other than 0 (`classes` by code point),
    every code point of class `single` a run of its own."""
    n = len(codes)
    starts = np.empty(n, np.int64)
    ends = np.empty(n, np.int64)
    m = 0
    before = 0
    for i in range(n):
        cls = classes[codes[i]]
        if cls != before or cls == single:
            if before != 0:
                ends[m - 1] = i
            if cls != 0:
                starts[m] = i
                m += 1
            before = cls
    if before != 0:
        ends[m - 1] = n
    return starts[:m].copy(), ends[:m].copy()  # not views: a document keeps them, the buffers are a char each


@_compiled()
def _sparse_at(
    group: np.ndarray, first_s: np.ndarray, last_s: np.ndarray, first_o: np.ndarray, last_o: np.ndarray,
    content_s: np.ndarray, stems_s: np.ndarray, content_o: np.ndarray, stems_o: np.ndarray, win: int, below: float,
) -> float:
    """Where to cut a chain on side s: the middle of the first `win` content words of its span of which
    fewer than `below` occur in the other side's span; -1 when there is no such stretch."""
    lo, hi, lo_o, hi_o = first_s[group].min(), last_s[group].max(), first_o[group].min(), last_o[group].max()
    start, stop = np.searchsorted(content_s, lo, "left"), np.searchsorted(content_s, hi, "right")
    if stop - start < win:
        return -1.0
    flags = _members(stems_s[start:stop], stems_o[np.searchsorted(content_o, lo_o, "left"):
                                                 np.searchsorted(content_o, hi_o, "right")])
    count = 0
    for k in range(win):
        count += flags[k]
    for i in range(stop - start - win + 1):
        if i:
            count += flags[i + win - 1] - flags[i - 1]
        if count < below:
            return float(content_s[start + i + win // 2])
    return -1.0


@_compiled()
def split_chain(
    chain: np.ndarray, first_a: np.ndarray, last_a: np.ndarray, first_b: np.ndarray, last_b: np.ndarray,
    content_a: np.ndarray, stems_a: np.ndarray, content_b: np.ndarray, stems_b: np.ndarray, win: int, below: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Cut a chain where one side runs through a stretch the other side does not have: its seeds regrouped
    (flat) and each part's end in the flat array.

    A chain may bridge up to `max_gap` words, enough to cross a paragraph written for one text only (own
    reporting between two copied paragraphs). Such a stretch shows as `win` content words in a row of which
    fewer than `below` occur anywhere in the other side's span; a rewritten passage keeps most of its words,
    so its gaps do not look like this. The seeds are cut at the middle of the first such stretch, on either
    side (a first, then the side last cut), and each part is checked again, the left part before the right.
    """
    flat = np.empty(len(chain), np.int64)
    ends = np.empty(len(chain), np.int64)
    n_flat = n_parts = 0
    stack = [(chain, 0)]
    while stack:
        group, side = stack.pop()
        done = True
        if len(group) >= 2:
            for t in range(2):
                s = side if t == 0 else 1 - side
                if s == 0:
                    cut = _sparse_at(group, first_a, last_a, first_b, last_b, content_a, stems_a, content_b, stems_b,
                                     win, below)
                    fs, ls = first_a, last_a
                else:
                    cut = _sparse_at(group, first_b, last_b, first_a, last_a, content_b, stems_b, content_a, stems_a,
                                     win, below)
                    fs, ls = first_b, last_b
                if cut < 0:
                    continue
                mid = (fs[group] + ls[group]) / 2
                left, right = group[mid < cut], group[mid >= cut]
                if len(left) == 0 or len(right) == 0:
                    continue
                stack.append((right, s))
                stack.append((left, s))
                done = False
                break
        if done:
            flat[n_flat : n_flat + len(group)] = group
            n_flat += len(group)
            ends[n_parts] = n_flat
            n_parts += 1
    return flat, ends[:n_parts]


@_compiled()
def seed_boxes(
    order: np.ndarray, first_a: np.ndarray, last_a: np.ndarray, first_b: np.ndarray, last_b: np.ndarray,
    words: int, gap: int, win: int, below: float,
    content_a: np.ndarray, stems_a: np.ndarray, hashes_a: np.ndarray,
    content_b: np.ndarray, stems_b: np.ndarray, hashes_b: np.ndarray,
) -> np.ndarray:
    """`align._align`'s first boxes: seeds chained (taken in `order`), chains split, each part trimmed.

    One row (lo_a, hi_a, lo_b, hi_b) per part, in chain order; -1 rows for parts the trimming drops. A part
    of one word-run seed (index < `words`) is its own extent: its words match on both sides.
    """
    label = chain(order, first_a, last_a, first_b, last_b, gap, gap)
    chains = label.max() + 1 if len(label) else 0
    start = np.zeros(chains + 1, np.int64)
    for idx in order:
        start[label[idx] + 1] += 1
    for c in range(chains):
        start[c + 1] += start[c]
    members = np.empty(len(order), np.int64)
    fill = start[:-1].copy()
    for idx in order:
        members[fill[label[idx]]] = idx
        fill[label[idx]] += 1
    boxes = np.full((len(order), 4), -1, np.int64)
    n = 0
    for c in range(chains):
        group = members[start[c] : start[c + 1]]
        if len(group) >= 2 and win > 0:
            flat, ends = split_chain(group, first_a, last_a, first_b, last_b, content_a, stems_a, content_b, stems_b,
                                     win, below)
        else:
            flat, ends = group, np.array([len(group)], np.int64)
        lo = 0
        for hi in ends:
            part = flat[lo:hi]
            lo = hi
            if len(part) == 1 and part[0] < words:
                g = part[0]
                boxes[n, 0], boxes[n, 1], boxes[n, 2], boxes[n, 3] = first_a[g], last_a[g], first_b[g], last_b[g]
            else:
                found = trim(content_a, hashes_a, content_b, hashes_b, first_a[part].min(), last_a[part].max(),
                             first_b[part].min(), last_b[part].max())
                boxes[n, 0], boxes[n, 1], boxes[n, 2], boxes[n, 3] = found
            n += 1
    return boxes[:n]


@_compiled(nogil=False)
def intern_find(
    codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, multiplier: np.uint64,
    slot_hash: np.ndarray, slot_number: np.ndarray, chars: np.ndarray, first_char: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The number of each word `codes[starts[w]:ends[w]]` in an open-addressing table of known words (-1 when
    unknown), and each word's hash of its code points (what `intern_add` files it under).

    A slot holds a word's hash and number; a hash match counts only when the word's stored code points
    (`chars[first_char[n]:first_char[n + 1]]`) are the same, so a hash collision can never mislabel a word.
    The slots of the word `PREFETCH_AHEAD` places on are asked for before each lookup (`prefetch`). Holds the
    GIL: the tables are only changed by `intern_add` or replaced, never while a lookup runs."""
    mask = np.uint64(len(slot_hash) - 1)
    n = len(starts)
    numbers = np.empty(n, np.int64)
    hashes = np.empty(n, np.uint64)
    for w in range(n):  # every hash first, so the lookups below can ask for their slots ahead
        s, e = starts[w], ends[w]
        h = np.uint64(e - s)
        for i in range(s, e):
            h = (h ^ np.uint64(codes[i])) * multiplier
        hashes[w] = mix64(h)
    for w in range(n):
        if w + PREFETCH_AHEAD < n:
            ahead = hashes[w + PREFETCH_AHEAD] & mask
            prefetch(slot_number, ahead)
            prefetch(slot_hash, ahead)
        s, e = starts[w], ends[w]
        h = hashes[w]
        slot = h & mask
        found = -1
        while True:
            number = slot_number[slot]
            if number < 0:
                break
            if slot_hash[slot] == h:
                a = first_char[number]
                if first_char[number + 1] - a == e - s:
                    same = True
                    for i in range(e - s):
                        if chars[a + i] != codes[s + i]:
                            same = False
                            break
                    if same:
                        found = number
                        break
            slot = (slot + np.uint64(1)) & mask
        numbers[w] = found
    return numbers, hashes


@_compiled(nogil=False)
def intern_add(hashes: np.ndarray, numbers: np.ndarray, slot_hash: np.ndarray, slot_number: np.ndarray) -> None:
    """File words (their hashes and numbers) in the open-addressing table (it must have free slots)."""
    mask = np.uint64(len(slot_hash) - 1)
    for k in range(len(hashes)):
        slot = hashes[k] & mask
        while slot_number[slot] >= 0:
            slot = (slot + np.uint64(1)) & mask
        slot_hash[slot] = hashes[k]
        slot_number[slot] = numbers[k]


@_compiled()
def passage_ranges(cuts: np.ndarray, n: int, min_words: int, max_words: int, window: int) -> np.ndarray:
    """`paragraphs.passage_bounds`'s ranges from the sorted token offsets `cuts` (0 and `n` included) where
    paragraphs break: short paragraphs joined to the next (the last to the one before), paragraphs over
    `max_words` cut into `window`-word windows at half-window stride. Shape (passages, 2), int64."""
    paragraphs = np.empty((len(cuts), 2), np.int64)
    count = 0
    lo = cuts[0]
    for j in range(1, len(cuts)):
        hi = cuts[j]
        if hi - lo >= min_words:
            paragraphs[count, 0], paragraphs[count, 1] = lo, hi
            count += 1
            lo = hi
    if lo < n:
        if count and n - lo < min_words:
            paragraphs[count - 1, 1] = n
        else:
            paragraphs[count, 0], paragraphs[count, 1] = lo, n
            count += 1
    stride = max(1, window // 2)
    total = 0
    for p in range(count):
        size = paragraphs[p, 1] - paragraphs[p, 0]
        total += 1 if size <= max_words or size <= window else (size - window + stride - 1) // stride + 1
    out = np.empty((total, 2), np.int64)
    k = 0
    for p in range(count):
        lo, hi = paragraphs[p, 0], paragraphs[p, 1]
        if hi - lo <= max_words or hi - lo <= window:
            out[k, 0], out[k, 1] = lo, hi
            k += 1
            continue
        start = lo
        while True:
            stop = min(start + window, hi)
            out[k, 0], out[k, 1] = start, stop
            k += 1
            if stop >= hi:
                break
            start += stride
    return out[:k]


@_compiled()
def extend_equal(
    words_a: np.ndarray, words_b: np.ndarray, lo_a: int, hi_a: int, lo_b: int, hi_b: int,
    min_a: int, max_a: int, min_b: int, max_b: int,
) -> tuple[int, int, int, int]:
    """Grow a passage pair (inclusive token bounds) over equal word hashes on both sides at once, backwards
    while both sides stay at or above `min_*`, forwards while both stay at or below `max_*`."""
    while lo_a > min_a and lo_b > min_b and words_a[lo_a - 1] == words_b[lo_b - 1]:
        lo_a -= 1
        lo_b -= 1
    while hi_a < max_a and hi_b < max_b and words_a[hi_a + 1] == words_b[hi_b + 1]:
        hi_a += 1
        hi_b += 1
    return lo_a, hi_a, lo_b, hi_b


@_compiled()
def unordered_kgram_hashes(word_hashes: np.ndarray, k: int) -> np.ndarray:
    """`shingles.unordered_kgram_hashes` (n >= k): each run of `k` words' hashes sorted, then mixed in order."""
    count = len(word_hashes) - k + 1
    out = np.empty(count, np.uint64)
    gram = np.empty(k, np.uint64)
    for j in range(count):
        for i in range(k):  # insertion sort of k values
            v = word_hashes[j + i]
            p = i
            while p > 0 and gram[p - 1] > v:
                gram[p] = gram[p - 1]
                p -= 1
            gram[p] = v
        h = np.uint64(0)
        for i in range(k):
            h = mix64((h * np.uint64(0x9E3779B97F4A7C15)) ^ gram[i])
        out[j] = h
    return out


_FEW_SORTED = 16
"""Longest run sorted by insertion (stable, no allocation); longer runs go to numba's merge sort."""


@_compiled(inline="always")
def _sort_run(values: np.ndarray, order: np.ndarray, lo: int, hi: int) -> None:
    """Stably reorder `order[lo:hi]` (indices into `values`) by value."""
    if hi - lo > _FEW_SORTED:
        part = order[lo:hi].copy()
        by = np.argsort(values[part], kind="mergesort")
        for i in range(hi - lo):
            order[lo + i] = part[by[i]]
        return
    for t in range(lo + 1, hi):
        idx = order[t]
        v = values[idx]
        u = t
        while u > lo and values[order[u - 1]] > v:
            order[u] = order[u - 1]
            u -= 1
        order[u] = idx


@_compiled()
def group(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The stable order that sorts uint64 `values`, the distinct values, where each starts in that order, how
    often it occurs, and each value's rank among the distinct ones.

    The values are hashes (seed grams, stems), spread evenly over 64 bits, so a counting pass on their top
    bits (as many buckets as values) leaves a value or two a bucket, sorted by insertion: linear time, the
    same order as a stable merge sort (three times slower here); a crowded bucket (a word repeated) falls
    back to that sort."""
    n = len(values)
    order = np.arange(n)
    bits = 0
    while (1 << bits) < n:
        bits += 1
    if bits:
        shift = np.uint64(64 - bits)
        start = np.zeros((1 << bits) + 1, np.int64)
        for i in range(n):
            start[np.int64(values[i] >> shift) + 1] += 1
        for b in range(1 << bits):
            start[b + 1] += start[b]
        fill = start[:-1].copy()
        for i in range(n):
            bucket = np.int64(values[i] >> shift)
            order[fill[bucket]] = i
            fill[bucket] += 1
        for b in range(1 << bits):
            if start[b + 1] - start[b] > 1:
                _sort_run(values, order, start[b], start[b + 1])
    distinct = np.empty(n, values.dtype)
    first = np.empty(n, np.int64)
    count = np.empty(n, np.int64)
    rank = np.empty(n, np.int64)
    m = 0
    for i in range(n):
        v = values[order[i]]
        if m == 0 or v != distinct[m - 1]:
            distinct[m] = v
            first[m] = i
            count[m] = 0
            m += 1
        count[m - 1] += 1
        rank[order[i]] = m - 1
    return order, distinct[:m].copy(), first[:m].copy(), count[:m].copy(), rank  # kept with a document: no spare


@_compiled()
def sentence_terms(
    sentences: np.ndarray, content: np.ndarray, stems: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`align._sentence_terms`'s bag of terms: one entry per distinct (sentence, stem) of the content words,
    sorted by sentence then stem, with its count (float) and each sentence's number of distinct stems.
    `sentences` are the sentences' first tokens (ascending, the first 0), `content` the content words' tokens."""
    n = len(content)
    sent = np.searchsorted(sentences, content, side="right") - 1
    order = np.empty(n, np.int64)
    # content words come in token order, so sentences ascend: sort each sentence's stems (stable)
    lo = 0
    while lo < n:
        hi = lo
        while hi < n and sent[hi] == sent[lo]:
            hi += 1
        for i in range(lo, hi):
            order[i] = i
        _sort_run(stems, order, lo, hi)
        lo = hi
    sentence = np.empty(n, np.int64)
    term = np.empty(n, np.uint64)
    tf = np.empty(n, np.float64)
    size = np.zeros(len(sentences), np.int64)
    m = 0
    for i in range(n):
        s, t = sent[order[i]], stems[order[i]]
        if m == 0 or s != sentence[m - 1] or t != term[m - 1]:
            sentence[m] = s
            term[m] = t
            tf[m] = 0.0
            size[s] += 1
            m += 1
        tf[m - 1] += 1.0
    return sentence[:m], term[:m], tf[:m], size


@_compiled()
def sign_runs(
    word_hashes: np.ndarray, positions: np.ndarray, lo: np.ndarray, hi: np.ndarray, k: int, a: np.ndarray,
    b: np.ndarray,
) -> np.ndarray:
    """MinHash signatures of token runs `[lo, hi)` over the ordered `k`-grams of `word_hashes` (one pass:
    `document.sign_passages`'s shingle ranges, k-gram hashes and `minhash`). `positions` is each hashed word's
    token index (the content words, ascending), or empty when every token is hashed. `word_hashes` is not empty.
    """
    n = len(word_hashes)
    count = max(n - k + 1, 1)
    bounds = np.empty((len(lo), 2), np.int64)
    for r in range(len(lo)):
        first, stop = lo[r], hi[r]
        if len(positions):
            first, stop = np.searchsorted(positions, first), np.searchsorted(positions, stop)
        first = min(first, count - 1)
        bounds[r, 0] = first
        bounds[r, 1] = max(min(stop - k + 1, count), first + 1)
    grams = kgram_hashes(word_hashes, min(k, n))
    values = np.empty(len(grams), np.uint32)
    for j in range(len(grams)):
        values[j] = grams[j] & np.uint64(0xFFFFFFFF)
    return minhash(values, a, b, bounds)


@_compiled()
def paragraph_breaks(codes: np.ndarray, space: np.ndarray, blank: np.ndarray, end: np.ndarray, line_chars: float
                     ) -> np.ndarray:
    """`paragraphs._breaks` over a text's code points: the offsets just past each blank line (a newline, then only
    `blank` characters, then a newline; matches do not overlap), else past each newline when the text is one
    paragraph a line: its non-blank lines (stripped of `space` characters, as `str.strip` does) average at least
    `line_chars` characters or at least half of them end with an `end` character; else none (hard-wrapped prose).
    The tables are by code point (beyond a table, a code point is not in it)."""
    n = len(codes)
    out = np.empty(n, np.int64)
    m = 0
    i = 0
    while i < n:
        if codes[i] == 10:
            j = i + 1
            while j < n and codes[j] < len(blank) and blank[codes[j]]:
                j += 1
            if j < n and codes[j] == 10:
                out[m] = j + 1
                m += 1
                i = j + 1
                continue
        i += 1
    if m:
        return out[:m]
    lines = 0
    chars = 0
    ending = 0
    newlines = 0
    start = 0
    for i in range(n + 1):
        if i < n and codes[i] != 10:
            continue
        if i < n:
            out[newlines] = i + 1
            newlines += 1
        lo, hi = start, i - 1
        while lo <= hi and codes[lo] < len(space) and space[codes[lo]]:
            lo += 1
        while hi >= lo and codes[hi] < len(space) and space[codes[hi]]:
            hi -= 1
        if hi >= lo:
            lines += 1
            chars += hi - lo + 1
            if codes[hi] < len(end) and end[codes[hi]]:
                ending += 1
        start = i + 1
    if newlines == 0 or lines == 0:
        return out[:0]
    if chars / lines < line_chars and ending / lines < 0.5:
        return out[:0]
    return out[:newlines]


FULL_STOP_PUNCT = 1  # right after a full stop, a comma, semicolon or colon: the sentence goes on ("Inc.,")
FULL_STOP_LOWER = 2  # a lower-case letter
FULL_STOP_SPACE = 4  # a space (not a line break)
FULL_STOP_LETTER = 8  # a letter of any case or script
FULL_STOP_DIGIT = 16  # a digit
_FULL_STOP = 0x2E


@_compiled(inline="always")
def _flags(table: np.ndarray, code: np.uint32) -> int:
    return table[code] if code < len(table) else 0


@_compiled(inline="always")
def _single_letter(codes: np.ndarray, i: int, follow: np.ndarray) -> bool:
    """Whether character `i` is a letter with no letter before it: the "S" of "U.S", the "N" of "N.Y"."""
    return i >= 0 and _flags(follow, codes[i]) & FULL_STOP_LETTER != 0 and (
        i == 0 or _flags(follow, codes[i - 1]) & FULL_STOP_LETTER == 0)


@_compiled()
def _full_stop_ends(codes: np.ndarray, pos: int, follow: np.ndarray) -> bool:
    """Whether the full stop at `pos` ends a sentence (`follow` is `sentences.full_stop_table`).

    It does not when followed at once by a comma, semicolon, colon or lower-case letter ("Inc.,", "e.g"),
    inside a number ("3.5") or an initialism ("U.S", "N.Y"), nor when it closes an initialism before spaces and
    a lower-case word ("the U.S. involvement", "9 a.m. on Monday"). A full stop with no space before a capital
    or a year ("died.Around", "areas.1998") still ends one: scraped text often loses that space."""
    n = len(codes)
    if pos + 1 < n:
        after = _flags(follow, codes[pos + 1])
        if after & (FULL_STOP_PUNCT | FULL_STOP_LOWER):
            return False
        if after & FULL_STOP_DIGIT and pos > 0 and _flags(follow, codes[pos - 1]) & FULL_STOP_DIGIT:
            return False
        if after & FULL_STOP_LETTER and _single_letter(codes, pos - 1, follow):
            return False
    if pos < 3 or codes[pos - 2] != _FULL_STOP or not _single_letter(codes, pos - 1, follow):
        return True
    if not _flags(follow, codes[pos - 3]) & FULL_STOP_LETTER:
        return True
    j = pos + 1
    while j < n and _flags(follow, codes[j]) & FULL_STOP_SPACE:
        j += 1
    return not (j > pos + 1 and j < n and _flags(follow, codes[j]) & FULL_STOP_LOWER)


@_compiled()
def sentence_starts(
    codes: np.ndarray, ends: np.ndarray, follow: np.ndarray, token_starts: np.ndarray, min_words: int
) -> np.ndarray:
    """`sentences.sentence_starts` over a text's code points: a sentence ends after each character that
    `ends` (a table by code point; larger code points read its last entry) marks, a full stop only where
    `_full_stop_ends` says so, at the first token that starts after it; sentences under `min_words` words
    join the next one, a short last one the one before. One pass over the text and its tokens (was a numpy
    gather, a sort and a Python loop over the cuts)."""
    n = len(token_starts)
    out = np.empty(n + 1, np.int64)
    out[0] = 0
    m = 1
    t = 0  # tokens starting at or before the current character
    last_cut = -1
    top = len(ends) - 1
    for pos in range(len(codes)):
        if not ends[min(int(codes[pos]), top)]:
            continue
        if codes[pos] == _FULL_STOP and not _full_stop_ends(codes, pos, follow):
            continue
        while t < n and token_starts[t] <= pos:
            t += 1
        if t == last_cut:
            continue
        last_cut = t
        if 0 < t < n and t - out[m - 1] >= min_words:
            out[m] = t
            m += 1
    if m > 1 and n - out[m - 1] < min_words:
        m -= 1
    return out[:m].copy()


@_compiled()
def seed_extents(
    ma: np.ndarray, mb: np.ndarray, k: int, content_a: np.ndarray, content_b: np.ndarray,
    sent_a: np.ndarray, sent_b: np.ndarray, starts_a: np.ndarray, ends_a: np.ndarray, starts_b: np.ndarray,
    ends_b: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`align._align`'s seeds as token extents: each word-run seed (content words `ma[i]..ma[i] + k - 1` in a,
    likewise in b), then each sentence seed (sentences `sent_a[i]`, `sent_b[i]`, from `starts` to `ends`).
    Returns first and last token in a, in b, and the order by first token in a, then in b (stable)."""
    nw, ns = len(ma), len(sent_a)
    n = nw + ns
    first_a = np.empty(n, np.int64)
    last_a = np.empty(n, np.int64)
    first_b = np.empty(n, np.int64)
    last_b = np.empty(n, np.int64)
    for i in range(nw):
        first_a[i], last_a[i] = content_a[ma[i]], content_a[ma[i] + k - 1]
        first_b[i], last_b[i] = content_b[mb[i]], content_b[mb[i] + k - 1]
    for i in range(ns):
        first_a[nw + i], last_a[nw + i] = starts_a[sent_a[i]], ends_a[sent_a[i]]
        first_b[nw + i], last_b[nw + i] = starts_b[sent_b[i]], ends_b[sent_b[i]]
    span = np.int64(1)
    for i in range(n):
        span = max(span, first_b[i] + 1)
    key = np.empty(n, np.int64)
    for i in range(n):
        key[i] = first_a[i] * span + first_b[i]
    return first_a, last_a, first_b, last_b, np.argsort(key, kind="mergesort")


@_compiled()
def extended_boxes(found: np.ndarray, words_a: np.ndarray, words_b: np.ndarray, min_words: int) -> np.ndarray:
    """The boxes of `seed_boxes` (rows of -1 dropped) grown over equal words on both sides (`extend_equal`,
    within the texts), without those shorter than `min_words` words on a side; in order."""
    out = np.empty((len(found), 4), np.int64)
    n = 0
    for r in range(len(found)):
        if found[r, 0] < 0:
            continue
        lo_a, hi_a, lo_b, hi_b = extend_equal(words_a, words_b, found[r, 0], found[r, 1], found[r, 2], found[r, 3],
                                              0, len(words_a) - 1, 0, len(words_b) - 1)
        if min(hi_a - lo_a, hi_b - lo_b) + 1 < min_words:
            continue
        out[n, 0], out[n, 1], out[n, 2], out[n, 3] = lo_a, hi_a, lo_b, hi_b
        n += 1
    return out[:n]


Grams = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""A text's seed grams grouped: values, first, count, order (`align._Aligned.grams`)."""
Terms = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""Its sentence terms: values, first, count, order, sentence, size, tf, term_of."""
Words = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""Its content tokens, sentence starts and ends, stems, content word hashes, word hashes."""


@_compiled()
def first_boxes(
    grams_a: Grams, grams_b: Grams, terms_a: Terms, terms_b: Terms, words_a: Words, words_b: Words,
    k: int, max_occ: int, max_term_sentences: int, similarity: float, gap: int, win: int, below: float,
    min_words: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`align._align`'s seeding in one call: word-run seeds (`match_grams`), sentence seeds
    (`sentence_seeds`), their extents (`seed_extents`), chained and trimmed (`seed_boxes`), grown and
    filtered (`extended_boxes`). Returns (boxes, first_a, last_a, first_b, last_b): no boxes and no seeds
    when the texts share neither.

    Most candidates a lookup proposes share nothing an alignment keeps; for them the five steps' calls and
    the Python between them were a good part of the cost. Per text: `grams` (values, first, count, order) of
    its seed grams, `terms` (values, first, count, order, sentence, size, tf, term_of) of its sentence
    terms, `words` (content tokens, sentence starts, sentence ends, stems, content word hashes, word hashes).
    """
    content_a, starts_a, ends_a, stems_a, hashes_a, all_a = words_a
    content_b, starts_b, ends_b, stems_b, hashes_b, all_b = words_b
    ma, mb = match_grams(grams_a[0], grams_a[1], grams_a[2], grams_a[3], grams_b[0], grams_b[1], grams_b[2],
                         grams_b[3], max_occ)
    if len(stems_a) == 0 or len(stems_b) == 0:
        sent_a = np.empty(0, np.int64)
        sent_b = np.empty(0, np.int64)
    else:
        sent_a, sent_b = sentence_seeds(
            terms_a[0], terms_a[1], terms_a[2], terms_a[3], terms_a[4], terms_a[5], terms_a[6], terms_a[7],
            len(starts_a), terms_b[0], terms_b[1], terms_b[2], terms_b[3], terms_b[4], terms_b[5], terms_b[6],
            terms_b[7], len(starts_b), max_term_sentences, similarity)
    if len(ma) == 0 and len(sent_a) == 0:
        none = np.empty(0, np.int64)
        return np.empty((0, 4), np.int64), none, none, none, none
    first_a, last_a, first_b, last_b, order = seed_extents(ma, mb, k, content_a, content_b, sent_a, sent_b,
                                                           starts_a, ends_a, starts_b, ends_b)
    found = seed_boxes(order, first_a, last_a, first_b, last_b, len(ma), gap, win, below, content_a, stems_a,
                       hashes_a, content_b, stems_b, hashes_b)
    return extended_boxes(found, all_a, all_b, min_words), first_a, last_a, first_b, last_b
