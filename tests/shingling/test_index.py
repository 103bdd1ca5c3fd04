"""The in-memory passage index: the same candidates as datasketch's MinHashLSH, crowded buckets skipped."""

from __future__ import annotations

import numpy as np
import pytest

from shingling import EngineConfig, ParameterMismatchError, PassageIndex, prepare
from shingling.bandindex import BandIndex, _Ids, _Run, band_keys
from shingling.bandkernels import fill_rows
from shingling.index import lsh_params
from shingling.shingles import mix64
from tests.helpers import article, seeds


def _brute_force(stored: np.ndarray, alive: np.ndarray, query: np.ndarray, bands: int, rows: int,
                 cap: int | None) -> set[tuple[int, int]]:
    """(query row, passage id) pairs sharing a band key, buckets over `cap` live entries left out."""
    keys, qkeys = band_keys(stored, bands, rows), band_keys(query, bands, rows)
    out = set()
    for i in range(len(query)):
        for j in range(bands):
            ids = np.flatnonzero((keys[:, j] == qkeys[i, j]) & alive)
            if cap is None or len(ids) <= cap:
                out.update((i, int(x)) for x in ids)
    return out


def test_band_index_finds_what_a_brute_force_scan_finds_through_inserts_merges_and_removals() -> None:
    rng = np.random.default_rng(7)
    bands, rows = 6, 2
    stored = rng.integers(0, 12, size=(3000, bands * rows), dtype=np.uint32)  # small alphabet: many collisions
    query = rng.integers(0, 12, size=(25, bands * rows), dtype=np.uint32)
    index = BandIndex(bands, rows, buffer_passages=300, recent_passages=64)
    pos = 0
    alive = np.zeros(len(stored), dtype=bool)
    mixed_states = 0
    while pos < len(stored):  # uneven batches: pending, the sorted buffer, runs, merges, one bulk run
        size = 700 if pos == 1000 else int(rng.integers(1, 90))
        assert index.add(stored[pos : pos + size]).tolist() == list(range(pos, min(pos + size, len(stored))))
        alive[pos : pos + size] = True
        pos += size
        if rng.random() < 0.3:  # a lookup files what is pending
            rows_found, ids = index.lookup(query)
            assert set(zip(rows_found.tolist(), ids.tolist(), strict=True)) == _brute_force(
                stored, alive, query, bands, rows, None
            )
            mixed_states += len(index._runs) > 1 and len(index._recent_ids) > 0
    assert mixed_states > 0
    dead = rng.choice(len(stored), 400, replace=False)
    index.discard(dead)
    alive[dead] = False
    assert len(index) == len(stored) - 400

    for cap in (None, 40):
        index.max_bucket = cap
        expected = _brute_force(stored, alive, query, bands, rows, cap)
        rows_found, ids = index.lookup(query)
        assert set(zip(rows_found.tolist(), ids.tolist(), strict=True)) == expected
        assert len(expected) > 0
    index.compact()
    assert len(index._runs) == 1 and len(index._recent_ids) == 0
    rows_found, ids = index.lookup(query)
    assert set(zip(rows_found.tolist(), ids.tolist(), strict=True)) == _brute_force(
        stored, alive, query, bands, rows, 40
    )


def _numpy_band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """The band keys' numpy formulation (what the index used before they were compiled)."""
    n = len(signatures)
    values = np.ascontiguousarray(signatures, dtype=np.uint32)[:, : bands * rows]
    seeds = mix64(np.arange(1, bands + 1, dtype=np.uint64))
    if rows % 2 == 0:
        words = np.ascontiguousarray(values).view(np.uint64).reshape(n, bands, rows // 2)
    else:
        words = values.reshape(n, bands, rows).astype(np.uint64)
    h = mix64(words[:, :, 0] ^ seeds)
    for j in range(1, words.shape[2]):
        h = mix64((h * np.uint64(0x9E3779B97F4A7C15)) ^ words[:, :, j])
    return (h >> np.uint64(32)).astype(np.uint32)


def test_compiled_band_keys_equal_the_numpy_formulation() -> None:
    rng = np.random.default_rng(3)
    sigs = rng.integers(0, 2**32, size=(300, 128), dtype=np.uint32)
    for bands, rows in ((51, 2), (32, 4), (42, 3), (128, 1), (5, 2)):
        assert np.array_equal(band_keys(sigs, bands, rows), _numpy_band_keys(sigs, bands, rows))
    assert np.array_equal(band_keys(sigs[:, ::-1], 51, 2), _numpy_band_keys(sigs[:, ::-1], 51, 2))  # not contiguous
    assert band_keys(sigs[:0], 51, 2).shape == (0, 51)


def test_passage_ids_pack_into_24_bits_and_fall_back_to_32() -> None:
    for wide, ids, size in ((False, [0, 5, (1 << 24) - 1], 3), (True, [0, 5, 1 << 24], 4)):
        packed = _Ids((2, 3), wide)
        entries = np.array([ids, ids[::-1]], dtype=np.uint64)  # key 0, the id in the low half
        fill_rows(entries, 0, 0xFFFFFFFF, np.zeros((2, 2), np.int64), np.empty((2, 3), np.uint32),
                  packed.flat_rows(0, 2), wide)
        assert packed.nbytes == 6 * size
        assert packed.take(np.array([2, 3, 0])).tolist() == [ids[2], ids[2], 0]
        assert packed.rows(1, 2).tolist() == [ids[::-1]]


def _corpus() -> dict[str, str]:
    texts = dict(seeds())
    texts["harbour"] = article("harbour")
    texts["orchard"] = article("orchard")
    return texts


def test_in_memory_index_answers_exactly_like_datasketch_minhash_lsh() -> None:
    docs = {key: prepare(text) for key, text in _corpus().items()}
    compact = PassageIndex(max_bucket=None)
    lsh = PassageIndex(storage_config={"type": "dict"})  # datasketch's own MinHashLSH
    assert compact.params == lsh.params == lsh_params(compact.config.lsh_threshold, compact.config.num_perm)
    for key, doc in docs.items():
        compact.insert(key, doc)
        lsh.insert(key, doc)
    answers = {key: compact.query(doc, exclude=key) for key, doc in docs.items()}
    assert answers == {key: lsh.query(doc, exclude=key) for key, doc in docs.items()}
    assert answers["001"]  # the seeds do share text
    compact.remove("000")
    lsh.remove("000")
    compact.compact()
    assert {k: compact.query(d) for k, d in docs.items()} == {k: lsh.query(d) for k, d in docs.items()}
    assert "000" not in compact and len(compact) == len(docs) - 1


def test_query_passages_name_each_candidates_passages_sharing_a_band() -> None:
    docs = {key: prepare(text) for key, text in _corpus().items()}
    compact = PassageIndex(max_bucket=None)
    lsh = PassageIndex(storage_config={"type": "dict"})
    for key, doc in docs.items():
        compact.insert(key, doc)
        lsh.insert(key, doc)
    bands, rows = compact.params
    checked = 0
    for key, doc in docs.items():
        found = compact.query_passages(doc.query_signatures, exclude=key)
        assert list(found.items()) == list(lsh.query_passages(doc.query_signatures, exclude=key).items())
        counts = compact.query(doc, exclude=key)
        assert list(found) == list(counts) and {k: c.hits for k, c in found.items()} == counts
        query = band_keys(doc.query_signatures, bands, rows)
        for other, candidate in found.items():
            stored = band_keys(docs[other].signatures, bands, rows)
            want = tuple(i for i in range(len(stored)) if (stored[i][None, :] == query).any())
            assert candidate.passages == want
            checked += 1
    assert checked


def test_hits_count_passage_pairs_and_come_most_first() -> None:
    doc = prepare(article("harbour"))
    index = PassageIndex()
    index.insert("whole", doc)
    index.insert_signatures("half", doc.signatures[: len(doc.signatures) // 2])
    hits = index.query(doc)
    assert list(hits) == ["whole", "half"]
    assert hits["whole"] >= len(doc.signatures) and hits["half"] >= len(doc.signatures) // 2
    assert index.query(doc, exclude="whole").keys() == {"half"}


def _words(seed: int) -> str:
    rng = np.random.default_rng(seed)
    return " ".join("".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), 6)) for _ in range(12))


def test_crowded_buckets_are_skipped_but_real_reuse_is_still_found() -> None:
    boilerplate = "Copyright Harbour Media Group. All rights reserved. Redistribution of this material is prohibited."
    stories = {  # eight unrelated stories carrying the same boilerplate paragraph, and one real source
        f"story-{i}": prepare(f"Story {i} is about item {i * 7919}, figure {i * 104729}, {_words(i)}.\n\n{boilerplate}")
        for i in range(8)
    }
    stories["harbour"] = prepare(article("harbour"))
    query = prepare(article("harbour") + "\n\n" + boilerplate)
    capped, uncapped = PassageIndex(max_bucket=5), PassageIndex(max_bucket=None)
    for key, doc in stories.items():
        capped.insert(key, doc)
        uncapped.insert(key, doc)
    assert set(capped.query(query)) == {"harbour"}
    assert set(uncapped.query(query)) == set(stories)


def test_index_refuses_foreign_signatures_and_double_inserts() -> None:
    index = PassageIndex()
    doc = prepare(article("orchard"))
    index.insert("a", doc)
    with pytest.raises(KeyError):
        index.insert("a", doc)
    with pytest.raises(ParameterMismatchError):
        index.insert("b", prepare(article("orchard"), EngineConfig(shingle_size=3)))
    with pytest.raises(ParameterMismatchError):
        index.insert_signatures("c", np.zeros((2, 64), dtype=np.uint32))
    with pytest.raises(KeyError):
        index.remove("nope")
    index.insert_signatures("empty", np.empty((0, index.config.num_perm), dtype=np.uint32))
    assert index.query(doc) == {"a": index.query(doc)["a"]} and "empty" in index
    index.remove("a")
    index.insert("a", doc)  # removed, then indexed again under the same key
    assert set(index.query(doc)) == {"a"} and index.nbytes > 0


def test_a_bucket_too_big_for_two_byte_offsets_keeps_four_byte_ones() -> None:
    rng = np.random.default_rng(11)
    stored = rng.integers(0, 2**32, size=(70_000, 8), dtype=np.uint32)
    stored[:66_000, :2] = 7  # band 0 of 66,000 passages: one bucket past 65,535 entries
    for crowded in (False, True):
        index = BandIndex(4, 2)
        index.add(stored if crowded else stored[66_000:])
        index.compact()
        assert (index._runs[0].directory._offset is None) == crowded
        query = np.vstack([stored[:1], stored[-3:]])
        alive = np.ones(len(stored), dtype=bool)
        if not crowded:
            alive[:66_000] = False
        rows, ids = index.lookup(query)
        assert set(zip(rows.tolist(), (ids + (0 if crowded else 66_000)).tolist(), strict=True)) == _brute_force(
            stored, alive, query, 4, 2, None
        )


def test_a_compacted_index_skips_a_bucket_by_its_live_passages_counted_in_the_lookup() -> None:
    # one run, nothing buffered: the compiled probe counts each bucket's live matches and drops crowded ones
    rng = np.random.default_rng(5)
    bands, rows = 4, 2
    stored = rng.integers(0, 2**32, size=(5000, bands * rows), dtype=np.uint32)
    stored[:31, :2] = 9  # band 0: a bucket of 31 passages, one past the cap
    stored[100:130, 2:4] = 4  # band 1: a bucket of exactly the cap
    query = np.vstack([stored[0], stored[100], stored[-2:]])
    index = BandIndex(bands, rows, max_bucket=30)
    index.add(stored)
    index.compact()
    assert len(index._runs) == 1 and len(index._recent_ids) == 0
    alive = np.ones(len(stored), dtype=bool)
    for dead in ([], [3], [3, 104]):  # 31 -> 30 live passages: the first bucket is no longer crowded
        index.discard(np.array(dead, dtype=np.int64))
        alive[dead] = False
        found, ids = index.lookup(query)
        pairs = list(zip(found.tolist(), ids.tolist(), strict=True))
        assert pairs == sorted(set(pairs))  # unique, in (row, id) order
        assert set(pairs) == _brute_force(stored, alive, query, bands, rows, 30)
        assert ((0, 1) in pairs) == bool(dead) and (1, 101) in pairs


def test_lookups_read_32_bit_passage_ids_like_24_bit_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(9)
    stored = rng.integers(0, 6, size=(2000, 8), dtype=np.uint32)
    query = stored[rng.choice(len(stored), 20)]
    found = []
    for wide in (False, True):
        index = BandIndex(4, 2, max_bucket=60)
        monkeypatch.setattr(index, "_wide", lambda wide=wide: wide)
        index.add(stored)
        index.compact()
        assert index._runs[0].ids.wide == wide
        rows, ids = index.lookup(query)
        found.append(list(zip(rows.tolist(), ids.tolist(), strict=True)))
    assert found[0] == found[1] and set(found[0]) == _brute_force(
        stored, np.ones(len(stored), dtype=bool), query, 4, 2, 60
    )


def test_a_runs_parts_give_back_its_sorted_entries() -> None:
    """Building a run (sorting by key, splitting into directory, fingerprints and ids) and reading its entries
    back loses nothing, for every prefix width (plain and two-level directories, 16- and 32-bit fingerprints)."""
    rng = np.random.default_rng(11)
    for n, bands in ((1, 3), (5, 2), (3000, 4), (70000, 2), (1_100_000, 1)):
        keys = rng.integers(0, 2**32, size=(n, bands), dtype=np.uint32)
        keys[: n // 3, 0] = keys[0, 0]  # a crowded bucket
        ids = np.sort(rng.choice(1 << 24, size=n, replace=False)).astype(np.int64)
        for wide in (False, True):
            run = _Run.of(keys, ids, wide)
            want = np.sort((keys.T.astype(np.uint64) << np.uint64(32)) | ids.astype(np.uint64), axis=1)
            assert np.array_equal(run.entries(0, bands), want), (n, bands, wide, run.bits)


def test_query_windows_cover_the_text_in_steps() -> None:
    from shingling.document import query_windows

    lo, hi = query_windows(120, 50, 25)
    assert list(zip(lo.tolist(), hi.tolist(), strict=True)) == [(0, 50), (25, 75), (50, 100), (75, 120)]
    assert [a.tolist() for a in query_windows(30, 50, 25)] == [[0], [30]]
    assert all(len(a) == 0 for a in query_windows(120, 0, 25))


def test_a_reuse_across_a_paragraph_break_is_found_by_the_query_windows() -> None:
    """The stored text is the query window around the posted text's paragraph break: no paragraph of the posted
    text is like it, the window across the break is it. With a threshold only near-identical passages meet at,
    the windows find it and the paragraphs alone do not."""
    strict = EngineConfig(lsh_threshold=0.9)
    size, stride = strict.query_window_words, strict.query_window_stride
    words = " ".join(article(name) for name in ("harbour", "orchard")).split()
    posted = " ".join(words[: stride + size // 2]) + "\n\n" + " ".join(words[stride + size // 2 : 100])
    tokens = prepare(posted).tokens
    assert stride < int(np.searchsorted(tokens.starts, posted.index("\n\n"))) < stride + size  # inside window 2
    stored = posted[tokens.starts[stride] : tokens.ends[stride + size - 1]].replace("\n\n", " ")  # one paragraph
    for config, found in ((strict, True), (EngineConfig(lsh_threshold=0.9, query_window_words=0), False)):
        index = PassageIndex(config)
        index.insert("stored", prepare(stored, config))
        assert ("stored" in index.query(prepare(posted, config))) is found


def test_repeated_query_rows_get_the_same_hits_as_the_first() -> None:
    """A query's probes that repeat an earlier probe's band and key are looked up once and share its matches."""
    rng = np.random.default_rng(4)
    stored = rng.integers(0, 2**32, size=(3000, 128), dtype=np.uint32)
    index = BandIndex(bands=51, rows=2, max_bucket=500)
    index.add(stored)
    index.compact()
    query = stored[[5, 17, 5, 900]].copy()
    query[3, :60] = stored[17, :60]  # shares 30 bands with row 1
    rows, ids = index.lookup(query)
    hits = {r: sorted(ids[rows == r].tolist()) for r in range(4)}
    assert hits == {0: [5], 1: [17], 2: [5], 3: [17, 900]}
