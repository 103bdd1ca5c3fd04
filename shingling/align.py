"""Verify and align: turn two texts into maximal passage pairs with spans in both.

Seed, cluster, extend, filter, in the manner of the PAN text-alignment systems:
1. Seeds are word runs the two texts share: `seed_size` consecutive content words (stopwords skipped, order
   inside the run ignored), so light edits and swapped neighbours keep most seeds.
2. Seeds are chained where they lie close together in *both* texts (within `max_gap` words in each), so
   re-ordered paragraphs form separate chains, each found wherever it moved. A chain is cut where one side
   runs through a stretch the other side does not have (own text between copied paragraphs).
3. Each cluster becomes a passage pair spanning its seeds, extended over identical neighbouring words, and
   kept if it has enough matched words and its two sides are alike enough; pairs overlapping on both sides
   are merged. A passage shorter than `min_report_words` is reported only when it is whole lines on both
   sides (a headline, a one-line paragraph). A rewritten passage is widened to the sentences it starts and
   ends in when the rest of them is the other side's vocabulary (text is reused by whole sentences), and over
   neighbouring sentences holding the other side's words it lacks; passages next to each other in both
   texts, in either order, are one reuse.
4. Summaries: pieces back to back on one side whose counterparts lie spread over a much longer stretch of
   the other are joined, and seeds are chained again with a wide gap on one side to find summaries whose
   pieces are too weak alone. A summary's long side has shared words all along it (a long silent stretch
   is unrelated text between two separate reuses); one over most of a text is a summary of all of it.
"""

from __future__ import annotations

import functools
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import Match
from typing import Any, TypeVar

import numpy as np
import xxhash

from shingling import cjk, kernels
from shingling.comparison import NOTHING_SHARED, Comparison, Kind, PassagePair, Span
from shingling.config import EngineConfig
from shingling.document import Document
from shingling.errors import ParameterMismatchError
from shingling.fasttokens import analyse
from shingling.shingles import unordered_kgram_hashes
from shingling.stopwords import LANGUAGES, NOT_LANGUAGE_EVIDENCE

T = TypeVar("T")
Ignore = dict[int, str]
"""Words never counted as reuse: token index -> reason (e.g. "boilerplate", "attribution")."""


def _memo(doc: Document, key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """`make()` computed once per document (kept in `doc.derived`)."""
    found = doc.derived.get(key)
    if found is None:
        found = doc.derived[key] = make()
    return found  # type: ignore[no-any-return]


def _chain(
    first_a: np.ndarray, last_a: np.ndarray, first_b: np.ndarray, last_b: np.ndarray, gap: int,
    gap_b: int | None = None,
) -> list[list[int]]:
    """Group seeds into chains that run close together in both texts.

    Seeds are taken in order of their position in a; each joins the open chain whose b interval it lies
    nearest (within `gap` words in a and in b), else starts a chain. A chain closes once a has moved more
    than `gap` words past it. Re-ordered paragraphs jump in b, so each becomes its own chain; a stray seed
    in the middle of a passage starts a chain of one and does not break the passage. `gap_b`, when given,
    bounds the distance in b instead (a summary's counterparts lie far apart in the text it condenses).
    A seed whose new words in a map onto b words the chain already covers (more than half) is an echo
    and does not join it. (Compiled: `kernels.chain`.)
    """
    gap_b = gap if gap_b is None else gap_b
    order = np.lexsort((first_b, first_a))
    label = kernels.chain(order, first_a, last_a, first_b, last_b, gap, gap_b).tolist()
    chains: list[list[int]] = [[] for _ in range(max(label, default=-1) + 1)]
    for idx in order.tolist():
        chains[label[idx]].append(idx)
    return chains


def _content_list(doc: Document) -> array[int]:
    """`doc.content` as a flat array of machine integers: bisecting and indexing it cost no numpy call, and it
    keeps 8 bytes an entry (a list of ints would keep ~36, and stored documents stay cached)."""
    return _memo(doc, ("content list",), lambda: array("q", doc.content.astype(np.int64).tobytes()))


def _stem_list(doc: Document) -> array[int]:
    return _memo(doc, ("stem list",), lambda: array("Q", _terms_of(doc).astype(np.uint64).tobytes()))


def _terms_of(doc: Document) -> np.ndarray:
    """Each content word's term, the unit of vocabulary the alignment weighs (a passage's Dice, sentence seeds): its
    stem; in Chinese and Japanese, where each character is a word, the pair of it and the next character.

    Two reports of one kind in Japanese share most of the few hundred characters they are written with, kana and
    kanji ("警察によると", "病院に運ばれた"): weighed character by character, unrelated accident reports came out
    as near-duplicates. Character pairs are close to words, as search engines index these scripts; a character
    that ends its run (before punctuation or another script) keeps its own stem."""
    return _memo(doc, ("terms",), lambda: cjk.paired_terms(doc))


def _content_range(doc: Document, lo: int, hi: int) -> slice:
    """Positions in `doc.content` of the content words among tokens lo..hi (inclusive)."""
    content = _content_list(doc)
    return slice(bisect_left(content, lo), bisect_right(content, hi))


def _trim(a: Document, b: Document, lo_a: int, hi_a: int, lo_b: int, hi_b: int) -> tuple[int, int, int, int] | None:
    """Cut each side back to where the words the other side has begin and end.

    Sentence seeds span whole sentences; where only part of a sentence was reused, this keeps the span to
    the reused part. An edge word must match exactly and sit among other matched words, so a lone common
    word does not stretch the span.
    """
    ca, wa = _content_arrays(a)
    cb, wb = _content_arrays(b)
    found = kernels.trim(ca, wa, cb, wb, lo_a, hi_a, lo_b, hi_b)
    return None if found[0] < 0 else found


def _content_arrays(doc: Document) -> tuple[np.ndarray, np.ndarray]:
    """`doc.content` as int64 and the word hash of each content word: what the compiled trimming reads."""
    return _memo(doc, ("content arrays",), lambda: (doc.content.astype(np.int64), doc.tokens.hashes[doc.content]))


_IN_ORDER_MAX_WORDS = 20_000
"""Longest passages (content words, both sides) tightened by `_in_order`, to bound the matching's work."""
_IN_ORDER_MIN_CUT = 5
"""Fewest content words `_in_order` cuts off an edge (fewer are an edit at the edge, not other text)."""


def _in_order(a: Document, b: Document, box: list[int], share: float) -> list[int]:
    """Tighten a copied passage to where its words run in the same order on both sides.

    When at least `share` of the shorter side's content words match the other side in order (a copy, lightly
    edited at most), the passage starts at the first and ends at the last in-order run of 3 or more words
    (with the shorter in-order matches just beyond it): text before or after it that only repeats some
    of the passage's words (a sentence nearby naming the same things) is not part of it. Rewritten
    passages (re-ordered sentences) keep their extent.
    """
    if share <= 0:
        return box
    ra, rb = _content_range(a, box[0], box[1]), _content_range(b, box[2], box[3])
    wa, wb = _content_arrays(a)[1][ra], _content_arrays(b)[1][rb]
    if min(len(wa), len(wb)) < 6 or len(wa) + len(wb) > _IN_ORDER_MAX_WORDS:
        return box
    # difflib's matching blocks (longest match first, recursively on both sides of it), compiled
    blocks = [Match(*m) for m in kernels.matching_blocks(wa, wb).tolist()]
    core = [i for i, m in enumerate(blocks) if m.size >= 3]
    if not core or sum(m.size for m in blocks) < share * min(len(wa), len(wb)):
        return box
    # from the first and last runs of 3, take in the shorter in-order matches close by (a lightly edited edge)
    first, last = core[0], core[-1]
    while first > 0 and _block_gap(blocks[first - 1], blocks[first]) < _IN_ORDER_MIN_CUT:
        first -= 1
    while last + 1 < len(blocks) and _block_gap(blocks[last], blocks[last + 1]) < _IN_ORDER_MIN_CUT:
        last += 1
    head, tail = blocks[first], blocks[last]
    pa, pb = a.content[ra], b.content[rb]
    # only a stretch of some length is cut; an edge is cut on both sides at once, so that the extension over
    # identical words starts aligned
    lo_a, hi_a, lo_b, hi_b = box
    if max(head.a, head.b) >= _IN_ORDER_MIN_CUT:
        lo_a, lo_b = int(pa[head.a]), int(pb[head.b])
    if max(len(wa) - tail.a, len(wb) - tail.b) - tail.size >= _IN_ORDER_MIN_CUT:
        hi_a, hi_b = int(pa[tail.a + tail.size - 1]), int(pb[tail.b + tail.size - 1])
    return list(_extend(a, b, lo_a, hi_a, lo_b, hi_b))


def _block_gap(before: Match, after: Match) -> int:
    """Unmatched words between two in-order matches, on the side where there are more."""
    return max(after.a - before.a - before.size, after.b - before.b - before.size)


def _extend(a: Document, b: Document, lo_a: int, hi_a: int, lo_b: int, hi_b: int) -> tuple[int, int, int, int]:
    """Grow a passage pair over identical words on both sides (inclusive token bounds; words compared by
    their 64-bit key hashes, as `_similarity` does)."""
    ha, hb = a.tokens.hashes, b.tokens.hashes
    return kernels.extend_equal(ha, hb, lo_a, hi_a, lo_b, hi_b, 0, len(ha) - 1, 0, len(hb) - 1)


class _Similarities:
    """`_similarity` of one pair of texts, remembered by passage pair: one comparison asks it of the same
    passage pairs at several steps, and a long passage's word sets take a while to build."""

    def __init__(self, a: Document, b: Document) -> None:
        self.a, self.b = a, b
        self._known: dict[tuple[int, int, int, int], float] = {}

    def __call__(self, box: Sequence[int]) -> float:
        key = (int(box[0]), int(box[1]), int(box[2]), int(box[3]))
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = _similarity(self.a, self.b, *key)
        return found


def _similarity(a: Document, b: Document, lo_a: int, hi_a: int, lo_b: int, hi_b: int) -> float:
    """How alike the two sides are: Jaccard of their word sets (1.0 for a verbatim copy)."""
    sa = set(a.tokens.hashes[lo_a : hi_a + 1].tolist())
    sb = set(b.tokens.hashes[lo_b : hi_b + 1].tolist())
    union = len(sa | sb)
    return len(sa & sb) / union if union else 0.0


def _terms(doc: Document, lo: int, hi: int) -> set[int]:
    """Stemmed content terms of tokens lo..hi (inclusive): the vocabulary that tells whether two stretches say
    the same thing. Not the function words of a language without a stopword list (`EngineConfig.weak_words`), which
    stay content words for the seeds and signatures: two unrelated Urdu reports of one kind share half their
    words through them."""
    terms = set(_stem_list(doc)[_content_range(doc, lo, hi)])
    weak = _memo(doc, ("weak stems",), lambda: _weak_in(doc))
    return terms - weak if weak else terms


def _weak_in(doc: Document) -> frozenset[int]:
    """The stems of `doc` that are weak function words (none in most texts: the difference is then skipped): those
    of `EngineConfig.weak_words`, and the function words of each language the text is written in (`_languages`)."""
    cfg = doc.config
    weak = _weak_stems(cfg.stem_prefix, cfg.weak_words)
    for language in _languages(doc):
        weak = weak | _weak_stems(cfg.stem_prefix, LANGUAGES[language])
    return weak.intersection(_stem_list(doc)) | cjk.kana_terms(doc)


LANGUAGE_SHARE = 0.12
"""The share of a text's content words that a language's function words (`stopwords.LANGUAGES`) must make up for
the text to be taken as written in it. Function words are a third or more of the words of a text in these
languages; in English text (whose own stopwords are not content words) the words that happen to be function words
elsewhere ("car", "son", "plus", "die") are a few in a thousand."""
LANGUAGE_SAMPLE = 1000
"""Content words read to tell a text's languages (the first ones: a long text is in the language it starts in)."""


def _languages(doc: Document) -> list[str]:
    """The languages of `stopwords.LANGUAGES` whose function words make up `LANGUAGE_SHARE` of `doc`'s content
    words (none for English, whose stopwords are not content words; more than one for a text in Spanish, whose
    function words are much the same as Portuguese ones)."""
    stems = doc.stems[:LANGUAGE_SAMPLE]
    if not len(stems):
        return []
    table, masks = _language_table(doc.config.stem_prefix)
    at = np.searchsorted(table, stems).clip(0, len(table) - 1)
    found = masks[at][table[at] == stems]
    if len(found) < LANGUAGE_SHARE * len(stems):
        return []  # too few function words of any of them (an English text)
    values, times = np.unique(found, return_counts=True)
    counts = (times @ ((values[:, None] >> np.arange(len(LANGUAGES))) & 1)).tolist()
    floor = max(LANGUAGE_SHARE * len(stems), LANGUAGE_RIVAL * max(counts))
    return [lang for lang, count in zip(LANGUAGES, counts, strict=True) if count and count >= floor]


LANGUAGE_RIVAL = 0.6
"""A second language is taken only when its function words make up this share of the first's: a French text holds
many Spanish ones too ("de", "la", "que", "se"), a Spanish one as many Portuguese ones as Spanish."""


@functools.lru_cache(maxsize=8)
def _language_table(stem_prefix: int) -> tuple[np.ndarray, np.ndarray]:
    """Every language's function-word stems, sorted, with a bit mask of the languages each one belongs to; without
    the words English text also holds (`stopwords.NOT_LANGUAGE_EVIDENCE`)."""
    masks: dict[int, int] = {}
    for i, words in enumerate(LANGUAGES.values()):
        for stem in _weak_stems(stem_prefix, words - NOT_LANGUAGE_EVIDENCE):
            masks[stem] = masks.get(stem, 0) | 1 << i
    table = np.array(sorted(masks), dtype=np.uint64)
    return table, np.array([masks[int(stem)] for stem in table], dtype=np.int64)


@functools.lru_cache(maxsize=8)
def _weak_stems(stem_prefix: int, words: frozenset[str]) -> frozenset[int]:
    """The stems (as documents stem them) of the function words `words` (`EngineConfig.weak_words`)."""
    if not words:
        return frozenset()
    _, _, stems = analyse(" ".join(sorted(words)), frozenset(), stem_prefix)
    return frozenset(stems.tolist())


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


def _resolve(
    scored: list[tuple[float, float, tuple[int, int, int, int]]], n_a: int, n_b: int, cfg: EngineConfig
) -> list[tuple[int, int, int, int]]:
    """Keep the strongest passage pairs and drop their echoes.

    Candidates are taken strongest first. One mostly inside kept passages on both sides repeats them and is
    dropped. One mostly inside a kept passage on one side only is dropped too (text that recurs nearby)
    unless it is more exact than that passage: rewritten articles mix sentences from several places, so
    it is kept, or, when its other side lies next to the kept passage's, merged into it.
    """
    owner_a = np.full(n_a, -1, dtype=np.int64)  # index of the kept box over each word, -1 if none
    owner_b = np.full(n_b, -1, dtype=np.int64)
    boxes: list[list[int]] = []
    dices: list[float] = []
    for _, dice, (lo_a, hi_a, lo_b, hi_b) in sorted(scored, reverse=True):
        in_a, in_b = owner_a[lo_a : hi_a + 1], owner_b[lo_b : hi_b + 1]
        over_a, over_b = float((in_a >= 0).mean()), float((in_b >= 0).mean())
        target = -1
        if over_a > cfg.max_overlap or over_b > cfg.max_overlap:
            if min(over_a, over_b) > cfg.max_overlap:
                continue
            inside = in_a if over_a > cfg.max_overlap else in_b
            owner = int(np.bincount(inside[inside >= 0]).argmax())
            if dice <= dices[owner]:
                continue
            box = boxes[owner]
            near_a = max(box[0] - hi_a, lo_a - box[1]) <= cfg.max_gap
            near_b = max(box[2] - hi_b, lo_b - box[3]) <= cfg.max_gap
            if near_a and near_b:
                target = owner
        if target >= 0:
            box = boxes[target]
            box[:] = [min(box[0], lo_a), max(box[1], hi_a), min(box[2], lo_b), max(box[3], hi_b)]
        else:
            target = len(boxes)
            boxes.append([lo_a, hi_a, lo_b, hi_b])
            dices.append(dice)
        box = boxes[target]
        owner_a[box[0] : box[1] + 1] = target
        owner_b[box[2] : box[3] + 1] = target
    return [(b[0], b[1], b[2], b[3]) for b in boxes]


Seeds = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""Every seed's first and last token in a, then in b."""


def _summaries(
    boxes: list[tuple[int, int, int, int]], sims: list[float], seeds: Seeds, cfg: EngineConfig
) -> list[tuple[int, int, int, int]]:
    """Join the pieces of a summary: paraphrased passages back to back on one side whose counterparts lie
    scattered over a much longer stretch of the other side are one reuse, reported as one passage pair.

    Near-verbatim pieces are left apart: copying sentences from several places is not summarising, and
    each copied piece keeps its own spans.
    """
    alive = dict(enumerate(boxes))
    merged: list[tuple[int, int, int, int]] = []
    for side in (0, 2):
        other = 2 - side
        loose = sorted((i for i in alive if cfg.summary_with_copies or sims[i] < cfg.summary_max_similarity),
                       key=lambda i: alive[i][side])
        groups: list[list[int]] = []
        for i in loose:
            if groups and alive[i][side] - max(alive[g][side + 1] for g in groups[-1]) <= cfg.summary_gap:
                groups[-1].append(i)
            else:
                groups.append([i])
        for group in groups:
            if len(group) < cfg.summary_min_pieces or all(sims[g] >= cfg.summary_max_similarity for g in group):
                continue
            lo, hi = min(alive[g][side] for g in group), max(alive[g][side + 1] for g in group)
            lo_o, hi_o = min(alive[g][other] for g in group), max(alive[g][other + 1] for g in group)
            # it may quote a sentence or two, but one copied passage making up most of it is a copy
            if any(sims[g] >= cfg.summary_max_similarity and 2 * (alive[g][side + 1] - alive[g][side]) > hi - lo
                   for g in group):
                continue
            # a summary is much shorter than what it summarises, but not a few words for a whole book
            if not cfg.summary_ratio * (hi - lo) <= hi_o - lo_o <= cfg.summary_max_ratio * (hi - lo):
                continue
            # ... and short: long stretches far apart are separate reuses, not one summary
            if hi - lo > cfg.summary_max_words:
                continue
            box = (lo, hi, lo_o, hi_o) if side == 0 else (lo_o, hi_o, lo, hi)
            if _unsummarised(seeds, box, 1 - side // 2, cfg):
                continue
            merged.append((lo, hi, lo_o, hi_o) if side == 0 else (lo_o, hi_o, lo, hi))
            for g in group:
                del alive[g]
    return sorted([*alive.values(), *merged])


def _unsummarised(seeds: Seeds, box: tuple[int, int, int, int], long_side: int, cfg: EngineConfig) -> bool:
    """Whether the long side (0 = a, 1 = b) of a would-be summary has a stretch no seed of its short side
    falls in, longer than `summary_max_hole` words of the summary condense (at the box's length ratio), or
    longer than `summary_max_hole_share` of the long side. The share bounds what the ratio cannot: for a
    summary under `summary_max_hole` words the first bound allows any hole, and two stock phrases far apart in
    a long text ("five wickets for 61 runs in twenty overs", "adding 70 late runs before tea") were a
    "summary" of all of it.

    A summary condenses every part of the stretch it covers, so some of its words recur all along it;
    a long silent stretch is unrelated text between two separate reuses (passages taken from one place
    of a text and put far apart in the other), not a part summarised away.
    """
    short = 1 - long_side
    lo_s, hi_s, lo_l, hi_l = box[2 * short], box[2 * short + 1], box[2 * long_side], box[2 * long_side + 1]
    f_s, l_s, f_l, l_l = seeds[2 * short], seeds[2 * short + 1], seeds[2 * long_side], seeds[2 * long_side + 1]
    inside = (f_s >= lo_s) & (l_s <= hi_s) & (f_l >= lo_l) & (l_l <= hi_l)
    order = np.argsort(f_l[inside], kind="stable")
    starts = np.append(f_l[inside][order], hi_l + 1)
    reach = np.concatenate([[lo_l - 1], np.maximum.accumulate(l_l[inside][order])])
    hole = int((starts - reach - 1).max())
    return (hole * (hi_s - lo_s + 1) > cfg.summary_max_hole * (hi_l - lo_l + 1)
            or hole > cfg.summary_max_hole_share * (hi_l - lo_l + 1))


def _summary_pass(
    a: Document, b: Document, seeds: Seeds,
    kept: list[tuple[int, int, int, int]], sims: list[float], cfg: EngineConfig,
) -> list[tuple[int, int, int, int]]:
    """Find summaries whole: chain the seeds again, close together on one side (`max_gap`) but as far
    apart as `summary_long_gap` words on the other, where a summary's sentences condense a long stretch.

    A chain is a summary when its long side is `summary_ratio` times its short side or more, the short side
    is at most `summary_max_words`, and `summary_containment` of the short side's terms occur in the long
    side. It replaces the loose pieces it covers; one near-verbatim piece, or one piece of like length on
    both sides, making up most of it means a copy or a rewrite, not a summary, and the chain is dropped.
    (A summary's own sentences are often rewrites of like length of a source sentence each.)
    """
    if cfg.summary_long_gap <= 0:
        return kept
    boxes = list(kept)
    loose = list(sims)
    for side in (0, 1):
        f_s, l_s, f_o, l_o = (seeds if side == 0 else (seeds[2], seeds[3], seeds[0], seeds[1]))
        short_doc, long_doc = (a, b) if side == 0 else (b, a)
        # a summary holds a loose piece found before: only seeds within reach of one can belong to it
        near = np.zeros(len(f_s), dtype=bool)
        for k, sim in zip(boxes, loose, strict=True):
            if sim < cfg.summary_max_similarity:
                near |= (f_s >= k[2 * side] - cfg.summary_max_words) & (l_s <= k[2 * side + 1] + cfg.summary_max_words)
        if not near.any():
            continue
        f_s, l_s, f_o, l_o = f_s[near], l_s[near], f_o[near], l_o[near]
        for chain in _chain(f_s, l_s, f_o, l_o, cfg.max_gap, cfg.summary_long_gap):
            if len(chain) < cfg.summary_min_seeds:
                continue
            g = np.asarray(chain)
            lo, hi, lo_o, hi_o = int(f_s[g].min()), int(l_s[g].max()), int(f_o[g].min()), int(l_o[g].max())
            if hi - lo + 1 < cfg.min_report_words:
                continue  # trimming only narrows it
            trimmed = _trim(short_doc, long_doc, lo, hi, lo_o, hi_o)
            if trimmed is None:
                continue
            lo, hi, lo_o, hi_o = trimmed
            if not (cfg.min_report_words <= hi - lo + 1 <= cfg.summary_max_words):
                continue
            if not cfg.summary_ratio * (hi - lo) <= hi_o - lo_o <= cfg.summary_max_ratio * (hi - lo):
                continue
            ts, to = _terms(short_doc, lo, hi), _terms(long_doc, lo_o, hi_o)
            if not ts or len(ts & to) < cfg.summary_containment * len(ts):
                continue
            box = (lo, hi, lo_o, hi_o) if side == 0 else (lo_o, hi_o, lo, hi)
            if _unsummarised(seeds, box, 1 - side, cfg):
                continue
            s0, s1 = 2 * side, 2 * side + 1
            inside = [i for i, k in enumerate(boxes) if k[s0] <= box[s1] and box[s0] <= k[s1]]
            copies = [i for i in inside if loose[i] >= cfg.summary_max_similarity]
            if len(copies) == len(inside) or any(
                    2 * (boxes[i][s1] - boxes[i][s0]) > box[s1] - box[s0] for i in copies):
                continue  # no loose piece found there first, or mostly one copy: not a summary
            o0, o1 = 2 - s0, 3 - s0
            if any(boxes[i][o1] - boxes[i][o0] < cfg.summary_ratio * (boxes[i][s1] - boxes[i][s0])
                   and 2 * (boxes[i][s1] - boxes[i][s0]) > box[s1] - box[s0] for i in inside):
                continue  # most of it is one passage of like length on both sides: a rewrite
            boxes = [k for i, k in enumerate(boxes) if i not in inside] + [box]
            loose = [x for i, x in enumerate(loose) if i not in inside] + [0.0]
    return sorted(boxes)


def _whole_texts(
    boxes: list[tuple[int, int, int, int]], n_a: int, n_b: int, cfg: EngineConfig
) -> list[tuple[int, int, int, int]]:
    """A summary whose counterparts spread over most of the other text (`summary_whole_text` of its words or
    more) condenses all of it: what it leaves out is summarised away, not another text. Its long side
    becomes that whole text, and the passages within `summary_gap` words of its short side join it.
    """
    if cfg.summary_whole_text > 1:
        return boxes
    for box in sorted(boxes):
        for long_side, n in ((0, n_a), (2, n_b)):
            short = 2 - long_side
            span_long, span_short = box[long_side + 1] - box[long_side] + 1, box[short + 1] - box[short] + 1
            if span_long < cfg.summary_ratio * span_short or span_long < cfg.summary_whole_text * n:
                continue
            near = [k for k in boxes
                    if k[short] <= box[short + 1] + cfg.summary_gap and box[short] - cfg.summary_gap <= k[short + 1]]
            lo, hi = min(k[short] for k in near), max(k[short + 1] for k in near)
            whole = (0, n - 1, lo, hi) if long_side == 0 else (lo, hi, 0, n - 1)
            return sorted([k for k in boxes if k not in near] + [whole])  # a text is summarised whole once
    return boxes


def _kind(cfg: EngineConfig, ca: float, cb: float, similarity: float) -> Kind:
    """Duplicate: both texts covered and their passages near-identical. Near duplicate: both mostly covered by
    passages that read alike (`near_duplicate_similarity`); a short text that summarises the whole of a long
    one covers both but is worded apart from it, and is partial reuse."""
    low = min(ca, cb)
    if low >= cfg.duplicate_containment and similarity >= cfg.duplicate_containment:
        return "duplicate"
    if low >= cfg.near_duplicate_containment and similarity >= cfg.near_duplicate_similarity:
        return "near_duplicate"
    return "partial"


def compare(a: Document, b: Document, ignore_a: Ignore | None = None, ignore_b: Ignore | None = None) -> Comparison:
    """Align two prepared texts; symmetric: `compare(b, a)` is `compare(a, b).swapped()`.

    `ignore_a` / `ignore_b` mark words that never count as reuse (a reason per word, e.g. the site's
    boilerplate or a credit line): they are cut out of the passages and listed in `Comparison.ignored`
    (`shingling.discount`), unless nothing else is shared and the texts are near-duplicates (a re-post).
    """
    pa, pb, swap = _sides(a, b)
    comparison = _align(b, a, pb, pa).swapped() if swap else _align(a, b, pa, pb)
    if not ignore_a and not ignore_b:
        return comparison
    from shingling.discount import discount  # discount builds on this module's trimming

    return discount(comparison, a, b, ignore_a, ignore_b)


def _tokens_of(doc: Document, span: Span) -> tuple[int, int]:
    """First and last token (inclusive) of a reported span."""
    lo = int(np.searchsorted(doc.tokens.starts, span.start))
    hi = int(np.searchsorted(doc.tokens.ends, span.end))
    return lo, max(lo, min(hi, len(doc.tokens) - 1))


@dataclass(frozen=True)
class _Aligned:
    """What the seeding of an alignment reads of a document, as the compiled step takes it (`kernels.first_boxes`):
    made once per document and kept in `doc.derived`, so a comparison looks it up once, not array by array."""

    order_key: tuple[int, int]  # which text of a pair the seeds are chained along
    characters: bool  # mostly CJK characters, each a word: word counts are in characters (`cjk.counted`)
    grams: kernels.Grams
    terms: kernels.Terms
    words: kernels.Words


def _make_aligned(doc: Document) -> _Aligned:
    grams = unordered_kgram_hashes(doc.tokens.hashes[doc.content], doc.config.seed_size)  # run i starts at content[i]
    # sentences as bags of stemmed content terms: one entry per distinct (sentence, term), sorted by sentence then
    # term, with the term's count in the sentence; grouped by term, a term's count is its number of sentences
    sentence, term, tf, size = kernels.sentence_terms(doc.sentences, doc.content, _terms_of(doc))
    order, distinct, first, count, term_of = kernels.group(np.ascontiguousarray(term))
    content, hashes = _content_arrays(doc)
    return _Aligned(
        order_key=(len(doc.text), xxhash.xxh3_64_intdigest(doc.text.encode("utf-8", "surrogatepass"))),
        characters=cjk.mostly_cjk(doc),
        grams=_grouped(grams),
        terms=(distinct, first, count, order, sentence, size, tf, term_of),
        words=(content, np.ascontiguousarray(doc.sentences, dtype=np.int64),
               np.append(doc.sentences[1:], len(doc.tokens)) - 1, np.ascontiguousarray(_terms_of(doc), dtype=np.uint64),
               hashes, doc.tokens.hashes),
    )


def _grouped(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`values` grouped: the distinct ones, where each starts in the stable order that sorts `values`, how
    often each occurs, and that order."""
    order, distinct, first, count, _ = kernels.group(np.ascontiguousarray(values))
    return distinct, first, count, order


def _aligned(doc: Document) -> _Aligned:
    found = doc.derived.get(_ALIGNED)
    if found is None:
        found = doc.derived[_ALIGNED] = _make_aligned(doc)
    return found  # type: ignore[no-any-return]


_ALIGNED = ("aligned",)


def shares_seeds(a: Document, b: Document) -> bool:
    """Whether aligning the two texts gets as far as a first passage pair (seeds chained into a box): what
    `compare` needs to find anything, at the cost of its first step only (`shingling.screen`)."""
    pa, pb, swap = _sides(a, b)
    cfg = _counted(a, pa, pb)
    return len((_first_boxes(cfg, pb, pa) if swap else _first_boxes(cfg, pa, pb))[1]) > 0


def _counted(a: Document, pa: _Aligned, pb: _Aligned) -> EngineConfig:
    """The engine's parameters for a pair: for two Chinese or Japanese texts, where each character is counted as a
    word, with word counts in characters (`cjk.counted`), so that a stock phrase of a dozen characters
    ("事故原因正在进一步调查中", the cause is under investigation) weighs as the few words it is, not as a sentence."""
    return cjk.counted(a.config) if pa.characters and pb.characters else a.config


def _sides(a: Document, b: Document) -> tuple[_Aligned, _Aligned, bool]:
    """The two texts' alignment views, and whether to align them as (b, a): seeds are chained in the order of
    one side, and fixing which side makes the result independent of the order they are given in."""
    if a.config is not b.config and a.config.signature_params() != b.config.signature_params():
        raise ParameterMismatchError("the two documents were prepared with different engine parameters")
    pa, pb = _aligned(a), _aligned(b)
    return pa, pb, pb.order_key < pa.order_key


def _first_boxes(cfg: EngineConfig, pa: _Aligned, pb: _Aligned) -> tuple[np.ndarray, ...]:
    """The compiled seeding of an alignment: first boxes and the seeds' extents."""
    return kernels.first_boxes(  # type: ignore[no-any-return]
        pa.grams, pb.grams, pa.terms, pb.terms, pa.words, pb.words, cfg.seed_size, cfg.max_seed_occurrences,
        cfg.max_term_sentences, cfg.sentence_similarity, cfg.max_gap, cfg.split_window,
        cfg.split_density * cfg.split_window, cfg.min_passage_words)


def _align(a: Document, b: Document, pa: _Aligned, pb: _Aligned) -> Comparison:
    cfg = _counted(a, pa, pb)
    # word-run seeds and sentence seeds (for rewrites that keep the vocabulary but not the word order) as token
    # extents; chained, split where one side runs through a stretch the other lacks, trimmed, then grown over
    # identical words: the first boxes, none when the texts share no seed
    found, first_a, last_a, first_b, last_b = _first_boxes(cfg, pa, pb)
    if len(first_a) == 0:
        return NOTHING_SHARED
    boxes = [_in_order(a, b, box, cfg.in_order_share) for box in _merge(found.tolist())]
    scored = []
    for lo_a, hi_a, lo_b, hi_b in boxes:
        ta, tb = _terms(a, lo_a, hi_a), _terms(b, lo_b, hi_b)
        shared = len(ta & tb)
        dice = 2 * shared / (len(ta) + len(tb)) if shared else 0.0
        # short passages count only when near-verbatim; longer ones may be loosely rewritten, and a rewrite that
        # keeps the words it does not replace as they were written (word similarity) may share fewer terms
        near_verbatim = shared >= cfg.min_verbatim_words and dice >= cfg.verbatim_similarity
        loose = shared >= cfg.min_matched_words and dice >= min(cfg.min_passage_similarity,
                                                                 cfg.rewrite_passage_similarity)
        if not (near_verbatim or loose):
            continue
        similarity = _similarity(a, b, lo_a, hi_a, lo_b, hi_b)
        long_enough = loose and (dice >= cfg.min_passage_similarity or (
            dice >= cfg.rewrite_passage_similarity and similarity >= cfg.rewrite_word_similarity))
        if (long_enough or near_verbatim) and similarity >= cfg.min_word_similarity:
            scored.append((dice * (hi_a - lo_a + hi_b - lo_b + 2), dice, (lo_a, hi_a, lo_b, hi_b)))
    if not scored:  # every later step only joins, trims or replaces passages found here
        return NOTHING_SHARED
    kept = _resolve(scored, len(a.tokens), len(b.tokens), cfg)
    sim = _Similarities(a, b)
    seeds = (first_a, last_a, first_b, last_b)
    kept = _summaries(kept, [sim(k) for k in kept], seeds, cfg)
    kept = _summary_pass(a, b, seeds, kept, [sim(k) for k in kept], cfg)
    if cfg.summary_long_gap > 0:
        kept = _summaries(kept, [sim(k) for k in kept], seeds, cfg)
    kept = _whole_texts(kept, len(a.tokens), len(b.tokens), cfg)
    kept = _abutting(a, b, kept, cfg)
    kept = [_whole_sentences(a, b, box, cfg, sim) for box in kept if _reportable(a, b, box, cfg)]
    if not kept:
        return NOTHING_SHARED
    return _report(a, b, kept, cfg, sim)


def _abutting(
    a: Document, b: Document, boxes: list[tuple[int, int, int, int]], cfg: EngineConfig
) -> list[tuple[int, int, int, int]]:
    """Join passage pairs that lie next to each other in both texts, in whatever order: one reuse whose
    sentences a rewrite re-ordered (or whose seeds chained apart).

    Next to each other means that what lies between them on each side is fewer than `split_window` content
    words (`kernels.split_chain` cuts a chain at that many words of one side only) and is the other side's vocabulary
    (as `_related` judges a sentence's rest): a paragraph dropped or written for one side only keeps the
    passages apart. The gaps' widths are checked first: most pairs of a long text's passages lie far apart,
    and the vocabulary of the span joining them is a set over all of it.
    """
    out = sorted(boxes)
    i = 0
    while i < len(out):
        for j in range(i + 1, len(out)):
            x, y = out[i], out[j]
            gap_a, gap_b = _gap(x[0], x[1], y[0], y[1]), _gap(x[2], x[3], y[2], y[3])
            if not (_narrow(a, gap_a, cfg) and _narrow(b, gap_b, cfg)):
                continue
            joined = (min(x[0], y[0]), max(x[1], y[1]), min(x[2], y[2]), max(x[3], y[3]))
            if ((gap_a is None or _related(a, *gap_a, _terms(b, joined[2], joined[3]), cfg))
                    and (gap_b is None or _related(b, *gap_b, _terms(a, joined[0], joined[1]), cfg))):
                out[i] = joined
                del out[j]
                break
        else:
            i += 1
    return out


def _gap(lo: int, hi: int, lo_2: int, hi_2: int) -> tuple[int, int] | None:
    """The tokens between two token ranges; None when they touch or overlap."""
    if lo_2 > hi + 1:
        return hi + 1, lo_2 - 1
    if lo > hi_2 + 1:
        return hi_2 + 1, lo - 1
    return None


def _narrow(doc: Document, gap: tuple[int, int] | None, cfg: EngineConfig) -> bool:
    """Whether a gap between two passages holds fewer than `split_window` content words (none: True)."""
    if gap is None:
        return True
    words = _content_range(doc, *gap)
    return words.stop - words.start < cfg.split_window


def _whole_sentences(
    a: Document, b: Document, box: tuple[int, int, int, int], cfg: EngineConfig, sim: _Similarities
) -> tuple[int, int, int, int]:
    """Widen each side of a rewritten passage pair to the sentences it starts and ends in, where the rest of
    such a sentence is the other side's vocabulary.

    Text is reused by whole sentences, and a rewrite moves and replaces words inside them: the exact words
    the edges are trimmed to may sit well inside the first or last sentence. Where a passage starts inside
    a sentence of unrelated text (a copy inserted mid-sentence), the rest of that sentence holds words the
    other side lacks and stays out. A copy's edges are where its identical words stop: left as they are.
    """
    if sim(box) >= cfg.verbatim_similarity:
        return box
    lo_a, hi_a, lo_b, hi_b = box
    ta, tb = _terms(a, lo_a, hi_a), _terms(b, lo_b, hi_b)
    lo_a, hi_a, lo_b, hi_b = (*_sentence_edges(a, lo_a, hi_a, tb, cfg), *_sentence_edges(b, lo_b, hi_b, ta, cfg))
    lo_b, hi_b = _explaining(b, lo_b, hi_b, _terms(a, lo_a, hi_a), cfg)
    lo_a, hi_a = _explaining(a, lo_a, hi_a, _terms(b, lo_b, hi_b), cfg)
    return lo_a, hi_a, lo_b, hi_b


def _explaining(doc: Document, lo: int, hi: int, other: set[int], cfg: EngineConfig) -> tuple[int, int]:
    """Tokens lo..hi widened over up to `explain_sentences` whole sentences on each side that hold at least
    `explain_terms` of the other side's terms this side lacks, with `explain_share` or more of their terms
    the other side's.

    A rewrite drops and moves words, so the first or last sentences of the reused text may share too
    little with it to seed or to pass as a sentence's rest (`_sentence_edges`); the other side's words
    found nowhere else in this side's span show where they went. Own text next to a reuse may share its
    topic's words, but those are mostly in the span already.
    """
    starts, n = doc.sentences, len(doc.tokens)
    span = _terms(doc, lo, hi)  # kept up to date as sentences join: the terms of lo..hi
    for _ in range(cfg.explain_sentences):  # after the end
        if hi + 1 >= n:
            break
        k = int(np.searchsorted(starts, hi + 1, side="right"))  # the sentence after the one holding hi + 1
        last = int(starts[k]) - 1 if k < len(starts) else n - 1
        terms = _terms(doc, hi + 1, last)
        if not _explains(terms, span, other, cfg):
            break
        hi, span = last, span | terms
    for _ in range(cfg.explain_sentences):  # before the start
        if lo <= 0:
            break
        k = int(np.searchsorted(starts, lo - 1, side="right")) - 1
        first = int(starts[k]) if k >= 0 else 0
        terms = _terms(doc, first, lo - 1)
        if not _explains(terms, span, other, cfg):
            break
        lo, span = first, span | terms
    return lo, hi


def _explains(terms: set[int], span: set[int], other: set[int], cfg: EngineConfig) -> bool:
    """Whether a sentence's `terms` hold enough of `other`'s terms missing from the passage's `span` (see
    `_explaining`)."""
    if not terms:
        return False
    known = terms & other
    return len(known - span) >= cfg.explain_terms and len(known) >= cfg.explain_share * len(terms)


def _sentence_edges(doc: Document, lo: int, hi: int, other: set[int], cfg: EngineConfig) -> tuple[int, int]:
    """Tokens lo..hi widened to the start and end of their sentences where the words added are the other
    side's terms: all but `sentence_edge_words` of their content words, or more than `sentence_edge_share`."""
    starts = doc.sentences
    first = int(starts[np.searchsorted(starts, lo, side="right") - 1])
    nxt = int(np.searchsorted(starts, hi, side="right"))
    last = int(starts[nxt]) - 1 if nxt < len(starts) else len(doc.tokens) - 1
    if first < lo and _related(doc, first, lo - 1, other, cfg):
        lo = first
    if last > hi and _related(doc, hi + 1, last, other, cfg):
        hi = last
    return lo, hi


def _related(doc: Document, lo: int, hi: int, terms: set[int], cfg: EngineConfig) -> bool:
    """Whether the content words of tokens lo..hi are mostly `terms` (see `_sentence_edges`)."""
    stems = _stem_list(doc)[_content_range(doc, lo, hi)]
    unknown = sum(t not in terms for t in stems)
    return unknown <= cfg.sentence_edge_words or unknown < (1 - cfg.sentence_edge_share) * len(stems)


def _whole_lines(doc: Document, lo: int, hi: int) -> bool:
    """True when tokens lo..hi (inclusive) are whole lines: a line break (or the text's edge) before the
    first word and after the last, with nothing but punctuation and spaces in between."""
    starts, ends, text = doc.tokens.starts, doc.tokens.ends, doc.text
    before = lo == 0 or "\n" in text[int(ends[lo - 1]) : int(starts[lo])]
    after = hi + 1 >= len(starts) or "\n" in text[int(ends[hi]) : int(starts[hi + 1])]
    return before and after


def _reportable(a: Document, b: Document, box: tuple[int, int, int, int], cfg: EngineConfig) -> bool:
    """A passage pair is reported when it is long enough on both sides, or when it is a short unit reused
    whole (a headline, a one-line paragraph: whole lines on both sides). A few words shared inside running
    text are a common phrase, a name or a stock formula, not reuse."""
    lo_a, hi_a, lo_b, hi_b = box
    if min(hi_a - lo_a, hi_b - lo_b) + 1 >= cfg.min_report_words:
        return True
    return _whole_lines(a, lo_a, hi_a) and _whole_lines(b, lo_b, hi_b)


def _pair(a: Document, b: Document, box: tuple[int, int, int, int], sim: _Similarities | None = None) -> PassagePair:
    lo_a, hi_a, lo_b, hi_b = box
    return PassagePair(
        Span(int(a.tokens.starts[lo_a]), int(a.tokens.ends[hi_a])),
        Span(int(b.tokens.starts[lo_b]), int(b.tokens.ends[hi_b])),
        (sim or _Similarities(a, b))(box),
    )


def _report(
    a: Document, b: Document, kept: list[tuple[int, int, int, int]], cfg: EngineConfig,
    sim: _Similarities | None = None,
) -> Comparison:
    """Containments, Jaccard and kind of a set of passage pairs."""
    if not kept:
        return NOTHING_SHARED
    sim = sim or _Similarities(a, b)
    cover_a = np.zeros(len(a.tokens), dtype=bool)
    cover_b = np.zeros(len(b.tokens), dtype=bool)
    weighted = 0.0
    pairs = []
    for box in kept:
        pair = _pair(a, b, box, sim)
        lo_a, hi_a, lo_b, hi_b = box
        cover_a[lo_a : hi_a + 1] = True
        cover_b[lo_b : hi_b + 1] = True
        weighted += pair.similarity * (hi_a - lo_a + hi_b - lo_b + 2)
        pairs.append(pair)
    pairs.sort(key=lambda p: (p.a, p.b))
    ca = float(cover_a.mean())
    cb = float(cover_b.mean())
    shared = (cover_a.sum() + cover_b.sum()) / 2
    jaccard = float(shared / (len(a.tokens) + len(b.tokens) - shared))
    mean_sim = weighted / float(cover_a.sum() + cover_b.sum())
    return Comparison(tuple(pairs), ca, cb, jaccard, _kind(cfg, ca, cb, mean_sim))
