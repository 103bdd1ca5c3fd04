"""MinHash signatures of passages, exactly datasketch's `affine32` scheme, computed in bulk with numpy.

A signature here equals `datasketch.MinHash(num_perm, seed, scheme="affine32", hashfunc=h)` after
`update_batch(shingles)`, where `h` gives the low 32 bits of our shingle hash: the same permutations
(taken from datasketch itself), the same MurmurHash3 pre-mix, the same `a*h+b mod 2^32`. Computing it in
numpy over all shingles of a text at once avoids datasketch's per-value Python hashing.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash

from shingling.config import SIGNATURE_SCHEME

_EMPTY = np.uint32(0xFFFFFFFF)


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's own permutation parameters (a, b) for this num_perm and seed."""
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SIGNATURE_SCHEME).permutations
    return np.ascontiguousarray(a, dtype=np.uint32), np.ascontiguousarray(b, dtype=np.uint32)


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, as datasketch applies it before the permutations."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def shingle_values(shingle_hashes: np.ndarray) -> np.ndarray:
    """The 32-bit values that go into MinHash: the low half of each 64-bit shingle hash."""
    return (shingle_hashes & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def signatures(
    shingle_hashes: np.ndarray, ranges: list[tuple[int, int]], num_perm: int, seed: int
) -> np.ndarray:
    """One signature per `[start, stop)` range of shingles; shape (len(ranges), num_perm), uint32.

    Every shingle is permuted once (overlapping windows share the work), in uint32 arithmetic that wraps
    mod 2^32 as datasketch's does; then one minimum per range. Measured on PAN texts, a plain loop of
    `np.minimum.reduce` beats `np.minimum.reduceat` (axis 0 or transposed) and numpy-call overhead, not
    arithmetic, dominates short texts, so the steps are as few as possible.
    """
    out = np.full((len(ranges), num_perm), _EMPTY, dtype=np.uint32)
    if not ranges or len(shingle_hashes) == 0:
        return out
    a, b = permutations(num_perm, seed)
    permuted = fmix32(shingle_values(shingle_hashes))[:, None] * a
    permuted += b
    reduce = np.minimum.reduce
    for i, (start, stop) in enumerate(ranges):
        if stop > start:
            reduce(permuted[start:stop], axis=0, out=out[i])
    return out


def to_lean(signature: np.ndarray, seed: int) -> LeanMinHash:
    """Wrap a stored signature for datasketch's LSH (which checks seed and scheme)."""
    return LeanMinHash(seed=seed, hashvalues=signature, scheme=SIGNATURE_SCHEME)
