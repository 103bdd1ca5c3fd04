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
