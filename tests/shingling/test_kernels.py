"""The compiled alignment steps agree with their plain definitions on random inputs."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from shingling import EngineConfig, kernels, prepare
from shingling.align import _aligned
from tests.helpers import ARTICLES, FIXTURES, read


def _table(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    order = np.argsort(values, kind="stable")
    distinct, first, count = np.unique(values[order], return_index=True, return_counts=True)
    return distinct, first, count, order


@pytest.mark.parametrize("seed", range(20))
def test_match_grams_pairs_every_equal_gram(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 30, size=rng.integers(0, 60)).astype(np.uint64)
    b = rng.integers(0, 30, size=rng.integers(0, 60)).astype(np.uint64)
    max_occ = 3
    ia, ib = kernels.match_grams(*_table(a), *_table(b), max_occ)
    counts_a, counts_b = np.bincount(a.astype(np.int64), minlength=30), np.bincount(b.astype(np.int64), minlength=30)
    expected = {(i, j) for i in range(len(a)) for j in range(len(b))
                if a[i] == b[j] and counts_a[a[i]] <= max_occ and counts_b[b[j]] <= max_occ}
    assert len(ia) == len(expected)
    assert set(zip(ia.tolist(), ib.tolist(), strict=True)) == expected


def _sentence_seeds_reference(sa: list[set[int]], sb: list[set[int]], threshold: float) -> set[tuple[int, int]]:
    """Dice and tf-idf cosine of term sets (every tf is 1), document frequency over both texts' sentences."""
    n = len(sa) + len(sb)
    df: dict[int, int] = {}
    for terms in [*sa, *sb]:
        for t in terms:
            df[t] = df.get(t, 0) + 1
    weight = {t: math.log(n / d) for t, d in df.items()}
    out = set()
    for i, x in enumerate(sa):
        for j, y in enumerate(sb):
            shared = x & y
            if not shared or 2 * len(shared) / (len(x) + len(y)) < threshold:
                continue
            dot = sum(weight[t] ** 2 for t in shared)
            norm = math.sqrt(sum(weight[t] ** 2 for t in x)) * math.sqrt(sum(weight[t] ** 2 for t in y))
            if norm and dot / norm >= threshold - 1e-12:
                out.add((i, j))
    return out


def _entries(sentences: list[set[int]]) -> tuple[np.ndarray, ...]:
    pairs = sorted((s, t) for s, terms in enumerate(sentences) for t in terms)
    sentence = np.array([s for s, _ in pairs], dtype=np.int64)
    term = np.array([t for _, t in pairs], dtype=np.uint64)
    values, first, count, order = _table(term)
    size = np.bincount(sentence, minlength=len(sentences))
    return (values, first, count, order, sentence, size, np.ones(len(pairs)), np.searchsorted(values, term),
            len(sentences))


@pytest.mark.parametrize("seed", range(20))
def test_sentence_seeds_are_the_alike_sentence_pairs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    sa = [set(rng.integers(0, 25, size=rng.integers(1, 8)).tolist()) for _ in range(rng.integers(1, 12))]
    sb = [set(rng.integers(0, 25, size=rng.integers(1, 8)).tolist()) for _ in range(rng.integers(1, 12))]
    i, j = kernels.sentence_seeds(*_entries(sa), *_entries(sb), 64, 0.25)
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == _sentence_seeds_reference(sa, sb, 0.25)
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == sorted(zip(i.tolist(), j.tolist(), strict=True))


def _edges(flags: list[bool], need: int) -> tuple[int, int] | None:
    need = min(need, sum(flags))
    starts = [i for i in range(len(flags)) if flags[i] and sum(flags[i : i + 3]) >= need]
    ends = [i for i in range(len(flags)) if flags[i] and sum(flags[max(0, i - 2) : i + 1]) >= need]
    return (starts[0], ends[-1]) if starts and ends and ends[-1] >= starts[0] else None


@pytest.mark.parametrize("seed", range(30))
def test_trim_cuts_to_the_matched_words(seed: int) -> None:
    rng = np.random.default_rng(seed)
    na, nb = int(rng.integers(1, 40)), int(rng.integers(1, 40))
    content_a = np.sort(rng.choice(100, size=na, replace=False)).astype(np.int64)
    content_b = np.sort(rng.choice(100, size=nb, replace=False)).astype(np.int64)
    words_a = rng.integers(0, 20, size=na).astype(np.uint64)
    words_b = rng.integers(0, 20, size=nb).astype(np.uint64)
    lo_a, hi_a = sorted(rng.integers(0, 100, size=2).tolist())
    lo_b, hi_b = sorted(rng.integers(0, 100, size=2).tolist())
    got = kernels.trim(content_a, words_a, content_b, words_b, lo_a, hi_a, lo_b, hi_b)
    in_a = (content_a >= lo_a) & (content_a <= hi_a)
    in_b = (content_b >= lo_b) & (content_b <= hi_b)
    wa, wb = words_a[in_a].tolist(), words_b[in_b].tolist()
    fa, fb = [w in set(wb) for w in wa], [w in set(wa) for w in wb]
    expected: tuple[int, int, int, int] | None = None
    if any(fa) and any(fb):
        need = 3 if max(sum(fa) / len(fa), sum(fb) / len(fb)) > 0.9 else 2
        ea, eb = _edges(fa, need), _edges(fb, need)
        if ea and eb:
            pa, pb = content_a[in_a], content_b[in_b]
            expected = (int(pa[ea[0]]), int(pa[ea[1]]), int(pb[eb[0]]), int(pb[eb[1]]))
    assert (None if got[0] < 0 else tuple(got)) == expected


@pytest.mark.parametrize("seed", range(40))
def test_matching_blocks_are_difflibs(seed: int) -> None:
    import difflib

    rng = np.random.default_rng(seed)
    a = rng.integers(0, int(rng.integers(1, 10)), size=rng.integers(0, 60)).astype(np.uint64)
    b = rng.integers(0, int(rng.integers(1, 10)), size=rng.integers(0, 60)).astype(np.uint64)
    if seed % 3 == 0 and len(a):  # a copy with one word changed: long blocks, recursion on both sides
        b = a.copy()
        b[rng.integers(len(b))] = 99
    expected = [tuple(m) for m in difflib.SequenceMatcher(None, a.tolist(), b.tolist(), autojunk=False)
                .get_matching_blocks() if m.size]
    assert [tuple(m) for m in kernels.matching_blocks(a, b).tolist()] == expected


def _passage_ranges(cuts: list[int], n: int, min_words: int, max_words: int, window: int) -> list[tuple[int, int]]:
    """The plain loop `passage_ranges` compiles: join short paragraphs, cut long ones into half-overlapping
    windows."""
    paragraphs: list[tuple[int, int]] = []
    lo = cuts[0]
    for hi in cuts[1:]:
        if hi - lo >= min_words:
            paragraphs.append((lo, hi))
            lo = hi
    if lo < n:
        if paragraphs and n - lo < min_words:
            paragraphs[-1] = (paragraphs[-1][0], n)
        else:
            paragraphs.append((lo, n))
    out: list[tuple[int, int]] = []
    for lo, hi in paragraphs:
        if hi - lo <= max_words or hi - lo <= window:
            out.append((lo, hi))
            continue
        start = lo
        while True:
            stop = min(start + window, hi)
            out.append((start, stop))
            if stop >= hi:
                break
            start += max(1, window // 2)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_passage_ranges_join_short_paragraphs_and_window_long_ones(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(300):
        n = int(rng.integers(1, 2000))
        inner = rng.choice(np.arange(1, n), size=min(n - 1, int(rng.integers(0, 40))), replace=False) if n > 1 else []
        cuts = sorted({0, n, *(int(c) for c in inner)})
        min_words, window = int(rng.integers(1, 30)), int(rng.integers(1, 300))
        max_words = int(rng.integers(1, 400))
        got = kernels.passage_ranges(np.array(cuts, dtype=np.int64), n, min_words, max_words, window)
        assert [tuple(r) for r in got.tolist()] == _passage_ranges(cuts, n, min_words, max_words, window)


def _mix64(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


@pytest.mark.parametrize("seed", range(4))
def test_unordered_grams_equal_the_numpy_formulation(seed: int) -> None:
    rng = np.random.default_rng(seed)
    words = rng.integers(0, 40, size=500).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)  # repeats
    for k in (1, 2, 3, 5):
        count = len(words) - k + 1
        grams = np.sort(np.stack([words[i : i + count] for i in range(k)], axis=1), axis=1)
        want = np.zeros(count, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for i in range(k):
                want = _mix64((want * np.uint64(0x9E3779B97F4A7C15)) ^ grams[:, i])
        assert np.array_equal(kernels.unordered_kgram_hashes(words, k), want)
    swapped = words.copy()
    swapped[[10, 11]] = swapped[[11, 10]]
    assert kernels.unordered_kgram_hashes(words, 3)[10] == kernels.unordered_kgram_hashes(swapped, 3)[10]


@pytest.mark.parametrize("seed", range(4))
def test_group_is_a_stable_sort_with_distinct_values_counts_and_ranks(seed: int) -> None:
    rng = np.random.default_rng(seed)
    hashes = rng.integers(0, 2**64, size=400, dtype=np.uint64)
    for n in (0, 1, 2, 7, 300, 5000):
        cases = [
            rng.integers(0, 12, size=n).astype(np.uint64),  # every value in one bucket: the merge-sort fallback
            rng.integers(0, 2**64, size=n, dtype=np.uint64),  # hashes: a value or two a bucket
            hashes[rng.zipf(1.3, size=n) % len(hashes)],  # hashes of words, a few of them frequent
        ]
        for values in cases:
            order, distinct, first, count, rank = kernels.group(values)
            want_order = np.argsort(values, kind="stable")
            want_distinct, want_first, want_count = np.unique(values[want_order], return_index=True,
                                                              return_counts=True)
            assert np.array_equal(order, want_order) and np.array_equal(distinct, want_distinct)
            assert np.array_equal(first, want_first) and np.array_equal(count, want_count)
            assert np.array_equal(rank, np.searchsorted(want_distinct, values))


@pytest.mark.parametrize("seed", range(4))
def test_sentence_terms_equal_a_lexsort_of_sentence_and_stem(seed: int) -> None:
    rng = np.random.default_rng(seed)
    tokens = 400
    sentences = np.unique(np.concatenate([[0], rng.integers(1, tokens, size=30)])).astype(np.int64)
    content = np.sort(rng.choice(tokens, size=250, replace=False)).astype(np.int64)
    stems = rng.integers(0, 25, size=len(content)).astype(np.uint64)
    sent = np.searchsorted(sentences, content, side="right") - 1
    order = np.lexsort((stems, sent))
    s, t = sent[order], stems[order]
    new = np.ones(len(s), dtype=bool)
    new[1:] = (s[1:] != s[:-1]) | (t[1:] != t[:-1])
    starts = np.flatnonzero(new)
    sentence, term, tf, size = kernels.sentence_terms(sentences, content, stems)
    assert np.array_equal(sentence, s[starts]) and np.array_equal(term, t[starts])
    assert np.array_equal(tf, np.diff(np.append(starts, len(s))).astype(np.float64))
    assert np.array_equal(size, np.bincount(s[starts], minlength=len(sentences)))


@pytest.mark.parametrize("seed", range(20))
def test_seed_extents_are_the_seeds_token_spans_in_order(seed: int) -> None:
    rng = np.random.default_rng(seed)
    k = 3
    content_a = np.sort(rng.choice(400, size=60, replace=False)).astype(np.int64)
    content_b = np.sort(rng.choice(400, size=50, replace=False)).astype(np.int64)
    starts_a, starts_b = np.arange(0, 400, 25, dtype=np.int64), np.arange(0, 400, 40, dtype=np.int64)
    ends_a, ends_b = np.append(starts_a[1:], 400) - 1, np.append(starts_b[1:], 400) - 1
    nw, ns = rng.integers(0, 30), rng.integers(0, 10)
    ma, mb = rng.integers(0, 60 - k + 1, nw), rng.integers(0, 50 - k + 1, nw)
    sa, sb = rng.integers(0, len(starts_a), ns), rng.integers(0, len(starts_b), ns)
    *extents, order = kernels.seed_extents(ma, mb, k, content_a, content_b, sa, sb, starts_a, ends_a, starts_b, ends_b)
    first_a = np.concatenate([content_a[ma], starts_a[sa]])
    first_b = np.concatenate([content_b[mb], starts_b[sb]])
    expected = [first_a, np.concatenate([content_a[ma + k - 1], ends_a[sa]]),
                first_b, np.concatenate([content_b[mb + k - 1], ends_b[sb]])]
    for got, want in zip(extents, expected, strict=True):
        assert got.tolist() == want.tolist()
    assert order.tolist() == np.lexsort((first_b, first_a)).tolist()


@pytest.mark.parametrize("seed", range(20))
def test_extended_boxes_grow_over_equal_words_and_drop_short_ones(seed: int) -> None:
    rng = np.random.default_rng(seed)
    words_a = rng.integers(0, 3, 80).astype(np.uint64)
    words_b = rng.integers(0, 3, 70).astype(np.uint64)
    found = np.full((12, 4), -1, dtype=np.int64)
    for r in range(12):
        if rng.random() < 0.8:
            lo_a, lo_b = rng.integers(0, 75), rng.integers(0, 65)
            found[r] = [lo_a, lo_a + rng.integers(0, 5), lo_b, lo_b + rng.integers(0, 5)]
    expected = []
    for row in found.tolist():
        if row[0] < 0:
            continue
        box = kernels.extend_equal(words_a, words_b, *row, 0, 79, 0, 69)
        if min(box[1] - box[0], box[3] - box[2]) + 1 >= 4:
            expected.append(list(box))
    assert kernels.extended_boxes(found, words_a, words_b, 4).tolist() == expected


def _steps_one_by_one(pa: Any, pb: Any, cfg: EngineConfig) -> tuple[np.ndarray, ...]:
    """`kernels.first_boxes` as the five steps it joins, called one at a time."""
    content_a, starts_a, ends_a, stems_a, hashes_a, words_a = pa.words
    content_b, starts_b, ends_b, stems_b, hashes_b, words_b = pb.words
    ma, mb = kernels.match_grams(*pa.grams, *pb.grams, cfg.max_seed_occurrences)
    sa, sb = kernels.sentence_seeds(*pa.terms, len(starts_a), *pb.terms, len(starts_b), cfg.max_term_sentences,
                                    cfg.sentence_similarity)
    if len(ma) == 0 and len(sa) == 0:
        return (np.empty((0, 4), np.int64),)
    first_a, last_a, first_b, last_b, order = kernels.seed_extents(
        ma, mb, cfg.seed_size, content_a, content_b, sa, sb, starts_a, ends_a, starts_b, ends_b)
    found = kernels.seed_boxes(order, first_a, last_a, first_b, last_b, len(ma), cfg.max_gap, cfg.split_window,
                               cfg.split_density * cfg.split_window, content_a, stems_a, hashes_a, content_b,
                               stems_b, hashes_b)
    return kernels.extended_boxes(found, words_a, words_b, cfg.min_passage_words), first_a, last_a, first_b, last_b


def test_first_boxes_is_its_five_steps_in_one_call() -> None:
    # the fixture articles, and the quality set's articles and their paraphrases (rewritten, re-ordered)
    paths = [*ARTICLES.glob("*.txt"), *(FIXTURES / "quality").glob("*/*.txt")]
    docs = [prepare(read(p)) for p in sorted(paths)]
    cfg = docs[0].config
    shared = 0
    for a in docs:
        for b in docs:
            pa, pb = _aligned(a), _aligned(b)
            got = kernels.first_boxes(pa.grams, pb.grams, pa.terms, pb.terms, pa.words, pb.words, cfg.seed_size,
                                      cfg.max_seed_occurrences, cfg.max_term_sentences, cfg.sentence_similarity,
                                      cfg.max_gap, cfg.split_window, cfg.split_density * cfg.split_window,
                                      cfg.min_passage_words)
            expected = _steps_one_by_one(pa, pb, cfg)
            if len(expected) == 1:  # no seed at all: no boxes and no seeds
                assert got[0].shape == (0, 4) and all(len(x) == 0 for x in got[1:])
                continue
            shared += len(expected[0]) > 0
            for x, y in zip(got, expected, strict=True):
                np.testing.assert_array_equal(x, y)
    assert shared > len(docs)  # every text with itself, and more: the boxes were compared, not only empties
