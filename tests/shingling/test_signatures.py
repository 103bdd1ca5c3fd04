"""Signatures are datasketch's own MinHash (affine32), so datasketch's LSH and Redis storage accept them."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash

from shingling import EngineConfig, prepare
from shingling.shingles import kgram_hashes
from tests.helpers import article


def test_signature_equals_datasketch_minhash_of_the_same_shingles() -> None:
    doc = prepare(article("harbour"))
    assert doc.config.signature_words == "stems"
    k = doc.config.shingle_size
    shingles = kgram_hashes(doc.stems, k)  # k-grams of content-word stems
    for i, p in enumerate(doc.passages):
        lo, hi = np.searchsorted(doc.content, [p.tok_start, p.tok_end])
        m = MinHash(num_perm=doc.config.num_perm, seed=doc.config.seed, scheme="affine32",
                    hashfunc=lambda v: int(v) & 0xFFFFFFFF)
        m.update_batch(shingles[lo : hi - k + 1].tolist())
        assert np.array_equal(m.hashvalues, doc.signatures[i])


def test_signature_over_all_words_equals_datasketch_too() -> None:
    cfg = EngineConfig(signature_words="all", shingle_size=3)
    doc = prepare(article("harbour"), cfg)
    shingles = kgram_hashes(doc.tokens.hashes, 3)
    for i, p in enumerate(doc.passages):
        m = MinHash(num_perm=cfg.num_perm, seed=cfg.seed, scheme="affine32", hashfunc=lambda v: int(v) & 0xFFFFFFFF)
        m.update_batch(shingles[p.tok_start : p.tok_end - 2].tolist())
        assert np.array_equal(m.hashvalues, doc.signatures[i])


def test_signature_params_describe_the_signature() -> None:
    params = prepare("a few words here").config.signature_params()
    assert {"num_perm", "seed", "scheme", "shingle_size", "normaliser_version"} <= params.keys()
    assert params["scheme"] == "affine32"


def test_overlapping_windows_and_odd_ranges_equal_datasketch_minhash() -> None:
    from shingling.signatures import signatures

    rng = np.random.default_rng(5)
    hashes = rng.integers(0, 2**63, size=300, dtype=np.uint64)
    ranges = [(0, 50), (25, 75), (50, 100), (100, 100), (90, 300), (299, 300), (0, 300)]  # overlaps, empty, whole
    sigs = signatures(hashes, ranges, 64, 3)
    for (start, stop), sig in zip(ranges, sigs, strict=True):
        m = MinHash(num_perm=64, seed=3, scheme="affine32", hashfunc=lambda v: int(v) & 0xFFFFFFFF)
        m.update_batch(hashes[start:stop].tolist())
        assert np.array_equal(m.hashvalues, sig)


def test_ascending_ranges_over_many_blocks_equal_datasketch_minhash() -> None:
    from shingling.kernels import _MINHASH_BLOCK
    from shingling.signatures import signatures

    rng = np.random.default_rng(8)
    n = 3 * _MINHASH_BLOCK + 17
    hashes = rng.integers(0, 2**63, size=n, dtype=np.uint64)
    # starts and stops ascending: windows crossing block edges, an empty one, a gap no range covers, the last
    # shingle alone
    ranges = [(0, 100), (50, 300), (300, 300), (310, 600), (700, 800), (790, n - 1), (n - 1, n)]
    sigs = signatures(hashes, ranges, 64, 3)
    for (start, stop), sig in zip(ranges, sigs, strict=True):
        m = MinHash(num_perm=64, seed=3, scheme="affine32", hashfunc=lambda v: int(v) & 0xFFFFFFFF)
        m.update_batch(hashes[start:stop].tolist())
        assert np.array_equal(m.hashvalues, sig)
