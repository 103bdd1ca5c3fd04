"""Words that never count as reuse (site boilerplate, credit lines) cut out of an alignment.

A site's donation appeal or share bar often stands right next to real shared text in both articles, and the
alignment, which knows nothing of sites, makes one passage of the two. Dropping or keeping that passage
whole is wrong either way: the real text is lost with the boilerplate, or the boilerplate is reported as
reuse. So each passage pair is cut where ignored words start and end, on each side in turn: every run of
words that are not ignored is re-trimmed against the other side's span (`align._trim`: each side cut back
to where the words the other side has begin and end), and the runs of ignored words, trimmed the same way,
are listed in `Comparison.ignored` with their reason.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np

from shingling import kernels
from shingling.align import Ignore, _pair, _report, _reportable, _Similarities, _tokens_of, _trim
from shingling.comparison import Comparison, IgnoredPassage
from shingling.document import Document

Box = tuple[int, int, int, int]
"""A passage pair as inclusive token bounds: lo_a, hi_a, lo_b, hi_b."""


def discount(
    comparison: Comparison, a: Document, b: Document, ignore_a: Ignore | None, ignore_b: Ignore | None
) -> Comparison:
    """The comparison without the ignored words, re-measured; what was cut is listed in `ignored`.

    When nothing else is shared and the texts are near-duplicates, nothing is cut: a re-post whose every
    line recurs on the site is a copy, not boilerplate.
    """
    if not ignore_a and not ignore_b:
        return comparison
    real: list[Box] = []
    ignored: list[IgnoredPassage] = []
    changed = False
    sim = _Similarities(a, b)
    for pair in comparison.passages:
        box = (*_tokens_of(a, pair.a), *_tokens_of(b, pair.b))
        kept, dropped = _cut(a, b, box, ignore_a or {}, ignore_b or {})
        changed = changed or kept != [box]
        real.extend(_without_echoes(a, b, kept, sim))
        ignored.extend(IgnoredPassage(_pair(a, b, piece, sim), reason) for piece, reason in dropped)
    if not changed or (not real and comparison.kind in ("duplicate", "near_duplicate")):
        return comparison
    kept_report = _report(a, b, [box for box in real if _counts(a, b, box)], a.config, sim)
    listed = sorted((*comparison.ignored, *ignored), key=lambda i: (i.pair.a, i.pair.b))
    return replace(kept_report, ignored=tuple(listed))


def _counts(a: Document, b: Document, box: Box) -> bool:
    """Whether a piece left by the cut is reported: as long as the alignment's own passages must be on each
    side (`min_passage_words`) and reportable as they are. A cut can leave a word or two between ignored
    lines: a copy's last line "61" (a comment count) after its credit line was reported on its own."""
    cfg = a.config
    return min(box[1] - box[0], box[3] - box[2]) + 1 >= cfg.min_passage_words and _reportable(a, b, box, cfg)


def _runs(ignore: Ignore, lo: int, hi: int) -> list[tuple[int, int, str | None]]:
    """Maximal runs of words lo..hi (inclusive) that are all ignored (with their main reason) or all not."""
    runs: list[tuple[int, int, str | None]] = []
    start = lo
    for i in range(lo, hi + 2):
        if i <= hi and (i in ignore) == (start in ignore):
            continue
        reasons = Counter(ignore[j] for j in range(start, i)) if start in ignore else None
        runs.append((start, i - 1, min(reasons, key=lambda r: (-reasons[r], r)) if reasons else None))
        start = i
    return runs


def _cut(
    a: Document, b: Document, box: Box, ignore_a: Ignore, ignore_b: Ignore
) -> tuple[list[Box], list[tuple[Box, str]]]:
    """The pieces of a passage pair free of ignored words, and the ignored pieces with their reason."""
    kept: list[Box] = []
    dropped: list[tuple[Box, str]] = []
    lo_a, hi_a, lo_b, hi_b = box
    if not any(i in ignore_a for i in range(lo_a, hi_a + 1)) and not any(
        i in ignore_b for i in range(lo_b, hi_b + 1)
    ):
        return [box], []
    runs_b = _runs(ignore_b, lo_b, hi_b)
    for s, e, reason in _runs(ignore_a, lo_a, hi_a):
        piece = _trim(a, b, s, e, lo_b, hi_b)
        if piece is None:
            continue
        if reason is not None:
            dropped.append((_extend_within(a, b, piece, (s, e, lo_b, hi_b)), reason))
            continue
        for s_b, e_b, reason_b in runs_b:
            if e_b < piece[2] or s_b > piece[3]:
                continue
            sub = _trim(a, b, piece[0], piece[1], max(s_b, piece[2]), min(e_b, piece[3]))
            if sub is None:
                continue
            sub = _extend_within(a, b, sub, (s, e, s_b, e_b))
            if reason_b is None:
                kept.append(sub)
            elif not any(d[2] <= sub[3] and sub[2] <= d[3] for d, _ in dropped):  # not listed from a's side
                dropped.append((sub, reason_b))
    return kept, dropped


def _without_echoes(a: Document, b: Document, pieces: list[Box], sim: _Similarities) -> list[Box]:
    """The pieces of one passage pair without those lying mostly inside stronger pieces on both sides.

    A run of words on one side is trimmed against every run of the other side it faces, and where the
    passage is a copy, a run also meets runs it does not correspond to that happen to share a few of its
    words: a checked copy of a stored article with an image credit in the middle paired its last paragraph
    with a caption higher up (word similarity 0.12) as well as with itself. Such a piece repeats pieces
    already reported on both sides; pieces are taken strongest first (word similarity times length) and
    dropped by the rule the alignment drops echoes of its own passages with (`align._resolve`). A piece
    inside another on one side only is kept: it may be a second use of that text.
    """
    if len(pieces) < 2:
        return pieces
    limit = a.config.max_overlap
    taken_a = np.zeros(len(a.tokens), dtype=bool)
    taken_b = np.zeros(len(b.tokens), dtype=bool)
    kept: list[Box] = []
    for box in sorted(pieces, key=lambda p: (-sim(p) * (p[1] - p[0] + p[3] - p[2] + 2), p)):
        lo_a, hi_a, lo_b, hi_b = box
        if min(taken_a[lo_a : hi_a + 1].mean(), taken_b[lo_b : hi_b + 1].mean()) > limit:
            continue
        taken_a[lo_a : hi_a + 1] = True
        taken_b[lo_b : hi_b + 1] = True
        kept.append(box)
    return sorted(kept)


def _extend_within(a: Document, b: Document, box: Box, bounds: Box) -> Box:
    """Grow a trimmed piece over identical words on both sides (stopwords at its edges), within `bounds`:
    never back into the ignored words it was cut from."""
    return kernels.extend_equal(a.tokens.hashes, b.tokens.hashes, *box, bounds[0], bounds[1], bounds[2], bounds[3])
