"""Passages for signatures: the text's own paragraphs where it has them, windows of words where it has not.

Passages only serve candidate search (which stored articles to verify); alignment works on the whole
texts, so reuse across paragraph boundaries or inside part of a paragraph is still found and reported
with its own spans.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shingling import kernels
from shingling.normalise import Tokens, code_point_table, code_points

# A text whose lines average fewer characters than this and rarely end a sentence is hard-wrapped prose.
_WRAPPED_LINE_CHARS = 100
_SENTENCE_END = ".!?\"'”’»:;؟۔。"
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


_SPACE = code_point_table([c for c in range(0x3001) if chr(c).isspace()])  # what str.strip() strips (none past U+3000)
_BLANK = code_point_table(" \t\r\f\v\u00a0")  # what a blank line may hold
_END = code_point_table(_SENTENCE_END)


def _breaks(text: str) -> np.ndarray:
    """Character offsets where paragraphs break: blank lines, else lines when one paragraph per line (unless
    the lines are hard-wrapped prose: short, and rarely ending a sentence). One compiled pass over the code
    points (`kernels.paragraph_breaks`)."""
    if "\n" not in text:
        return _NO_BREAKS
    return kernels.paragraph_breaks(code_points(text), _SPACE, _BLANK, _END, float(_WRAPPED_LINE_CHARS))


def passage_bounds(
    text: str, tokens: Tokens, min_words: int, max_words: int, window: int
) -> tuple[np.ndarray, np.ndarray]:
    """`[lo, hi)` token ranges of the passages, as two int64 arrays: paragraphs of at least `min_words` (short ones
    joined to the next), those over `max_words` cut into `window`-word windows (in one compiled pass,
    `kernels.passage_ranges`). All that signing needs; `passages_at` makes `Passage` objects of them."""
    ranges = token_ranges(text, tokens.starts, min_words, max_words, window)
    return ranges[:, 0].copy(), ranges[:, 1].copy()


def token_ranges(text: str, starts: np.ndarray, min_words: int, max_words: int, window: int) -> np.ndarray:
    """`passage_bounds` from the words' first characters alone (`starts`): (passages, 2) `[lo, hi)` rows."""
    n = len(starts)
    if n == 0:
        return np.empty((0, 2), dtype=np.int64)
    cuts = np.searchsorted(starts, _breaks(text))
    cuts = np.unique(np.concatenate([np.array([0, n], dtype=np.int64), cuts[(cuts > 0) & (cuts < n)]]))
    return kernels.passage_ranges(cuts, n, min_words, max_words, window)


def passages_at(tokens: Tokens, lo: np.ndarray, hi: np.ndarray) -> list[Passage]:
    """The `Passage` of each token range `[lo, hi)`, with its character span."""
    if len(lo) == 0:
        return []
    starts, ends = tokens.starts[lo].tolist(), tokens.ends[hi - 1].tolist()
    return list(map(Passage, lo.tolist(), hi.tolist(), starts, ends))
