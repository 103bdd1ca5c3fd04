"""Passages for signatures: the text's own paragraphs where it has them, windows of words where it has not.

Passages only serve candidate search (which stored articles to verify); alignment works on the whole
texts, so reuse across paragraph boundaries or inside part of a paragraph is still found and reported
with its own spans.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import regex

from shingling import kernels
from shingling.normalise import Tokens

_BLANK_LINE = regex.compile(r"\n[ \t\r\f\v\u00a0]*\n")
# A text whose lines average fewer characters than this and rarely end a sentence is hard-wrapped prose.
_WRAPPED_LINE_CHARS = 100
_SENTENCE_END = frozenset(".!?\"'”’»:;؟۔。")
_NO_BREAKS = np.empty(0, dtype=np.int64)


@dataclass(frozen=True)
class Passage:
    """A run of words: `[tok_start, tok_end)` in the token list, `[start, end)` in the text."""

    tok_start: int
    tok_end: int
    start: int
    end: int

    @property
    def words(self) -> int:
        return self.tok_end - self.tok_start


def _breaks(text: str) -> np.ndarray:
    """Character offsets where paragraphs break: blank lines, else lines when one paragraph per line."""
    blank = [m.end() for m in _BLANK_LINE.finditer(text)]
    if blank:
        return np.asarray(blank, dtype=np.int64)
    if "\n" not in text:
        return _NO_BREAKS
    lines = text.split("\n")
    stripped = [ln for ln in map(str.strip, lines) if ln]
    if not stripped:
        return _NO_BREAKS
    avg = sum(map(len, stripped)) / len(stripped)
    ending = sum(1 for ln in stripped if ln[-1] in _SENTENCE_END) / len(stripped)
    if avg < _WRAPPED_LINE_CHARS and ending < 0.5:
        return _NO_BREAKS  # hard-wrapped: lines are not paragraphs
    # the offset just past each newline
    return np.cumsum(np.fromiter(map(len, lines[:-1]), dtype=np.int64, count=len(lines) - 1) + 1)


def passage_bounds(
    text: str, tokens: Tokens, min_words: int, max_words: int, window: int
) -> tuple[np.ndarray, np.ndarray]:
    """`[lo, hi)` token ranges of the passages (as `split_passages`), as two int64 arrays: all that signing
    needs, without a `Passage` object per passage (the ranges in one compiled pass, `kernels.passage_ranges`)."""
    n = len(tokens)
    if n == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    cuts = np.searchsorted(tokens.starts, _breaks(text))
    cuts = np.unique(np.concatenate([np.array([0, n], dtype=np.int64), cuts[(cuts > 0) & (cuts < n)]]))
    ranges = kernels.passage_ranges(cuts, n, min_words, max_words, window)
    return ranges[:, 0].copy(), ranges[:, 1].copy()


def split_passages(text: str, tokens: Tokens, min_words: int, max_words: int, window: int) -> list[Passage]:
    """Paragraphs of at least `min_words` (short ones joined to the next), long ones cut into windows."""
    lo, hi = passage_bounds(text, tokens, min_words, max_words, window)
    return passages_at(tokens, lo, hi)


def passages_at(tokens: Tokens, lo: np.ndarray, hi: np.ndarray) -> list[Passage]:
    """The `Passage` of each token range `[lo, hi)`, with its character span."""
    if len(lo) == 0:
        return []
    starts, ends = tokens.starts[lo].tolist(), tokens.ends[hi - 1].tolist()
    return list(map(Passage, lo.tolist(), hi.tolist(), starts, ends))
