"""The in-process index after a rebuild: one sorted run, so a lookup probes each band once."""

from __future__ import annotations

import numpy as np

from service.index_backend import InProcessIndex
from shingling import EngineConfig


def test_a_rebuild_leaves_one_run_that_finds_what_was_stored() -> None:
    rng = np.random.default_rng(5)
    config = EngineConfig()
    # more passages than the band index's write buffer (32,768), so the bulk load seals several runs
    articles = {str(i): rng.integers(0, 2**32, size=(40, config.num_perm), dtype=np.uint32) for i in range(1000)}
    backend = InProcessIndex(config)
    assert backend.replace_all(articles.items()) == 1000
    for key in ("0", "517", "999"):
        hits = backend.query(articles[key][:3])
        assert next(iter(hits)) == key and hits[key] == 3
    bands = backend._index._bands
    assert bands is not None and len(bands._runs) == 1 and len(bands._recent_ids) == 0
