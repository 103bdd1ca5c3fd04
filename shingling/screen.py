"""Screening long candidates on the passages the candidate search hit, before aligning them whole.

A long query at a million stored passages meets hundreds of candidates, and nine in ten share nothing: the
LSH paired one of their passages with one of the query's by chance. Preparing a long stored article for
alignment (its words, stems, sentences and seed tables) costs about a millisecond when the document cache
does not hold it, most of such a check's time. Reuse that the search found lies around the passages it hit,
so a long candidate is first aligned on those passages alone (with `screen_margin` more each side): only when
the query shares a seed chain with them (`align.shares_seeds`) is the whole article prepared and aligned.
Short candidates cost little and are always aligned whole.

What screening loses is reuse the search did not find but a chance hit elsewhere in the same article let the
alignment find. On PAN 2013 retrieval (bench/RESULTS.md), with texts over 20,000 characters screened on their
hit passages alone, 14,611 of 119,148 candidates are skipped and every listed pair's figures stay as they were
(one unlisted detection goes). Screening shorter texts (with a passage either side) began to cost recall:
over 5,000 characters random obfuscation lost 0.001 plagdet, over 2,500 translations 0.003; and where most
candidates recur across checks and are cached (100k passages), screening them costs more than aligning them.
At a million stored passages it halves the slowest checks.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from shingling import fasttokens
from shingling.align import shares_seeds
from shingling.config import EngineConfig
from shingling.document import Document, prepare
from shingling.errors import EmptyDocumentError
from shingling.normalise import code_points
from shingling.paragraphs import token_ranges


def passage_spans(text: str, config: EngineConfig) -> np.ndarray:
    """`[start, end)` character spans of the text's passages, (passages, 2), found from word boundaries alone
    (no word is looked up): the passages `prepare` signs, but for a text with "words" made only of marks,
    where they may shift by a word."""
    if fasttokens.available():
        starts, ends = fasttokens.word_bounds(code_points(text))
    else:
        tokens = fasttokens.tokenize(text)
        starts, ends = tokens.starts, tokens.ends
    ranges = token_ranges(text, starts, config.passage_min_words, config.passage_max_words, config.window_words)
    return np.stack([starts[ranges[:, 0]], ends[ranges[:, 1] - 1]], axis=1) if len(ranges) else ranges


def window_text(text: str, spans: np.ndarray, ordinals: Iterable[int], margin: int) -> str:
    """The passages `ordinals` of `text`, each with `margin` passages either side, overlapping ones merged,
    joined by blank lines (ordinals past the last passage count as the last)."""
    last = len(spans) - 1
    runs: list[list[int]] = []  # [first, last] passage of each stretch kept
    for i in sorted({min(max(int(i), 0), last) for i in ordinals}):
        lo, hi = max(0, i - margin), min(last, i + margin)
        if runs and lo <= runs[-1][1] + 1:
            runs[-1][1] = hi
        else:
            runs.append([lo, hi])
    return "\n\n".join(text[int(spans[lo, 0]) : int(spans[hi, 1])] for lo, hi in runs)


def screens(text: str, config: EngineConfig) -> bool:
    """Whether a candidate with this text is screened before it is aligned whole (long enough)."""
    return 0 < config.screen_min_chars < len(text)


def screened_out(doc: Document, text: str, ordinals: Iterable[int], spans: np.ndarray | None = None) -> bool:
    """True when `text` (a candidate of `doc`'s search whose passages `ordinals` were hit) is long and `doc`
    shares no seed chain with the hit passages and their neighbours: aligning it whole can be skipped.
    `spans` are the text's `passage_spans`, when the caller keeps them (a pass over the whole text)."""
    cfg = doc.config
    if not screens(text, cfg):
        return False
    if spans is None:
        spans = passage_spans(text, cfg)
    if len(spans) == 0:
        return True
    try:
        window = prepare(window_text(text, spans, ordinals, cfg.screen_margin), cfg)
    except EmptyDocumentError:
        return True
    return not shares_seeds(doc, window)
