"""Verify and align: turn two texts into maximal passage pairs with spans in both.

Seed, cluster, extend, filter, in the manner of the PAN text-alignment systems:
1. Seeds are word runs the two texts share: `seed_size` consecutive content words (stopwords skipped, order
   inside the run ignored), so light edits and swapped neighbours keep most seeds.
2. Seeds are chained where they lie close together in *both* texts (within `max_gap` words in each), so
   re-ordered paragraphs form separate chains, each found wherever it moved.
3. Each cluster becomes a passage pair spanning its seeds, extended over identical neighbouring words, and
   kept if it has enough matched words and its two sides are alike enough; pairs overlapping on both sides
   are merged.
"""

from __future__ import annotations

import numpy as np

from shingling.comparison import NOTHING_SHARED, Comparison, Kind, PassagePair, Span
from shingling.config import EngineConfig
from shingling.document import Document
from shingling.errors import ParameterMismatchError
from shingling.shingles import unordered_kgram_hashes


def _seed_grams(doc: Document, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of content-word runs and, for each, its index in `doc.content`."""
    hashes = doc.tokens.hashes[doc.content]
    grams = unordered_kgram_hashes(hashes, k)
    return grams, np.arange(len(grams), dtype=np.int64)


def _match(ga: np.ndarray, gb: np.ndarray, max_occ: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, j) with ga[i] == gb[j], skipping values that repeat more than `max_occ` times on a side."""
    if len(ga) == 0 or len(gb) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    oa = np.argsort(ga, kind="stable")
    ob = np.argsort(gb, kind="stable")
    sa, sb = ga[oa], gb[ob]
    ua, first_a, count_a = np.unique(sa, return_index=True, return_counts=True)
    ub, first_b, count_b = np.unique(sb, return_index=True, return_counts=True)
    common, ia, ib = np.intersect1d(ua, ub, assume_unique=True, return_indices=True)
    if len(common) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    ca, cb = count_a[ia], count_b[ib]
    keep = (ca <= max_occ) & (cb <= max_occ)
    ia, ib, ca, cb = ia[keep], ib[keep], ca[keep], cb[keep]
    single = (ca == 1) & (cb == 1)
    out_a = [oa[first_a[ia[single]]]]
    out_b = [ob[first_b[ib[single]]]]
    for x, y, na, nb in zip(ia[~single], ib[~single], ca[~single], cb[~single], strict=True):
        pa = oa[first_a[x] : first_a[x] + na]
        pb = ob[first_b[y] : first_b[y] + nb]
        out_a.append(np.repeat(pa, nb))
        out_b.append(np.tile(pb, na))
    return np.concatenate(out_a), np.concatenate(out_b)


def _chain(
    first_a: np.ndarray, last_a: np.ndarray, first_b: np.ndarray, last_b: np.ndarray, gap: int
) -> list[list[int]]:
    """Group seeds into chains that run close together in both texts.

    Seeds are taken in order of their position in a; each joins the open chain whose b interval it lies
    nearest (within `gap` words in a and in b), else starts a chain. A chain closes once a has moved more
    than `gap` words past it. Re-ordered paragraphs jump in b, so each becomes its own chain; a stray seed
    in the middle of a passage starts a chain of one and does not break the passage.
    """
    order = np.lexsort((first_b, first_a))
    chains: list[list[int]] = []
    bounds: list[list[int]] = []  # per chain: [hi_a, lo_b, hi_b]
    open_ids: list[int] = []
    for idx in order.tolist():
        fa, la, fb, lb = int(first_a[idx]), int(last_a[idx]), int(first_b[idx]), int(last_b[idx])
        open_ids = [c for c in open_ids if fa - bounds[c][0] <= gap]
        best, best_dist = -1, gap + 1
        for c in open_ids:
            hi_a, lo_b, hi_b = bounds[c]
            dist = max(0, lo_b - lb, fb - hi_b)
            if dist < best_dist:
                best, best_dist = c, dist
        if best < 0:
            chains.append([idx])
            bounds.append([la, fb, lb])
            open_ids.append(len(chains) - 1)
        else:
            chains[best].append(idx)
            b = bounds[best]
            b[0], b[1], b[2] = max(b[0], la), min(b[1], fb), max(b[2], lb)
    return chains


def _extend(a: Document, b: Document, lo_a: int, hi_a: int, lo_b: int, hi_b: int) -> tuple[int, int, int, int]:
    """Grow a passage pair over identical words on both sides (inclusive token bounds)."""
    wa, wb = a.tokens.words, b.tokens.words
    while lo_a > 0 and lo_b > 0 and wa[lo_a - 1] == wb[lo_b - 1]:
        lo_a, lo_b = lo_a - 1, lo_b - 1
    while hi_a + 1 < len(wa) and hi_b + 1 < len(wb) and wa[hi_a + 1] == wb[hi_b + 1]:
        hi_a, hi_b = hi_a + 1, hi_b + 1
    return lo_a, hi_a, lo_b, hi_b


def _similarity(a: Document, b: Document, lo_a: int, hi_a: int, lo_b: int, hi_b: int) -> float:
    """How alike the two sides are: Jaccard of their word sets (1.0 for a verbatim copy)."""
    sa = set(a.tokens.hashes[lo_a : hi_a + 1].tolist())
    sb = set(b.tokens.hashes[lo_b : hi_b + 1].tolist())
    union = len(sa | sb)
    return len(sa & sb) / union if union else 0.0


def _merge(boxes: list[list[int]]) -> list[list[int]]:
    """Merge passage pairs that overlap in both texts (boxes are [lo_a, hi_a, lo_b, hi_b], inclusive)."""
    merged = True
    while merged:
        merged = False
        boxes.sort()
        out: list[list[int]] = []
        for box in boxes:
            for prev in out:
                if box[0] <= prev[1] and prev[0] <= box[1] and box[2] <= prev[3] and prev[2] <= box[3]:
                    prev[0], prev[1] = min(prev[0], box[0]), max(prev[1], box[1])
                    prev[2], prev[3] = min(prev[2], box[2]), max(prev[3], box[3])
                    merged = True
                    break
            else:
                out.append(box)
        boxes = out
    return boxes


def _kind(cfg: EngineConfig, ca: float, cb: float, similarity: float) -> Kind:
    low = min(ca, cb)
    if low >= cfg.duplicate_containment and similarity >= cfg.duplicate_containment:
        return "duplicate"
    if low >= cfg.near_duplicate_containment:
        return "near_duplicate"
    return "partial"


def compare(a: Document, b: Document) -> Comparison:
    """Align two prepared texts; symmetric: `compare(b, a)` is `compare(a, b).swapped()`."""
    if a.config.signature_params() != b.config.signature_params():
        raise ParameterMismatchError("the two documents were prepared with different engine parameters")
    cfg = a.config
    k = cfg.seed_size
    ga, ia = _seed_grams(a, k)
    gb, ib = _seed_grams(b, k)
    ma, mb = _match(ga, gb, cfg.max_seed_occurrences)
    if len(ma) == 0:
        return NOTHING_SHARED
    # seed extents in token positions (first and last word of the run)
    first_a, last_a = a.content[ia[ma]], a.content[ia[ma] + k - 1]
    first_b, last_b = b.content[ib[mb]], b.content[ib[mb] + k - 1]
    boxes: list[list[int]] = []
    for chain in _chain(first_a, last_a, first_b, last_b, cfg.max_gap):
        group = np.asarray(chain)
        matched = len(np.unique(np.concatenate([ia[ma[group]] + i for i in range(k)])))
        if matched < cfg.min_matched_words:
            continue
        box = _extend(a, b, int(first_a[group].min()), int(last_a[group].max()),
                      int(first_b[group].min()), int(last_b[group].max()))
        if min(box[1] - box[0], box[3] - box[2]) + 1 < cfg.min_passage_words:
            continue
        boxes.append(list(box))
    boxes = _merge(boxes)
    pairs: list[PassagePair] = []
    cover_a = np.zeros(len(a.tokens), dtype=bool)
    cover_b = np.zeros(len(b.tokens), dtype=bool)
    weighted = 0.0
    for lo_a, hi_a, lo_b, hi_b in boxes:
        sim = _similarity(a, b, lo_a, hi_a, lo_b, hi_b)
        if sim < cfg.min_passage_similarity:
            continue
        cover_a[lo_a : hi_a + 1] = True
        cover_b[lo_b : hi_b + 1] = True
        weighted += sim * (hi_a - lo_a + hi_b - lo_b + 2)
        pairs.append(PassagePair(
            Span(int(a.tokens.starts[lo_a]), int(a.tokens.ends[hi_a])),
            Span(int(b.tokens.starts[lo_b]), int(b.tokens.ends[hi_b])),
            sim,
        ))
    if not pairs:
        return NOTHING_SHARED
    pairs.sort(key=lambda p: (p.a, p.b))
    ca = float(cover_a.mean())
    cb = float(cover_b.mean())
    shared = (cover_a.sum() + cover_b.sum()) / 2
    jaccard = float(shared / (len(a.tokens) + len(b.tokens) - shared))
    mean_sim = weighted / float(cover_a.sum() + cover_b.sum())
    return Comparison(tuple(pairs), ca, cb, jaccard, _kind(cfg, ca, cb, mean_sim))
