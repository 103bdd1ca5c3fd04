"""Word k-gram shingles as 64-bit hashes, computed for a whole text at once with numpy.

Shingle j covers words j..j+k-1; its hash mixes the k word hashes in order, so the same words in the same
order give the same value in any document. Texts shorter than k words get one shingle of all their words.
"""

from __future__ import annotations

import numpy as np

from shingling import kernels

_M2 = np.uint64(0xBF58476D1CE4E5B9)
_M3 = np.uint64(0x94D049BB133111EB)


def mix64(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: an avalanching bijection, so combined values spread over all 64 bits."""
    h = h ^ (h >> np.uint64(30))
    h = h * _M2
    h = h ^ (h >> np.uint64(27))
    h = h * _M3
    return h ^ (h >> np.uint64(31))


def kgram_hashes(word_hashes: np.ndarray, k: int) -> np.ndarray:
    """Hashes of every run of `k` consecutive words (ordered)."""
    n = len(word_hashes)
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    return kernels.kgram_hashes(np.ascontiguousarray(word_hashes, dtype=np.uint64), min(k, n))


def unordered_kgram_hashes(word_hashes: np.ndarray, k: int) -> np.ndarray:
    """Hashes of every run of `k` consecutive words, ignoring their order inside the run.

    Used for alignment seeds: a rewrite that swaps two neighbouring words keeps the seed.
    """
    n = len(word_hashes)
    if n < k:
        return np.empty(0, dtype=np.uint64)
    return kernels.unordered_kgram_hashes(np.ascontiguousarray(word_hashes, dtype=np.uint64), k)
