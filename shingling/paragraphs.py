"""Passages for signatures: the text's own paragraphs where it has them, windows of words where it has not.

Passages only serve candidate search (which stored articles to verify); alignment works on the whole
texts, so reuse across paragraph boundaries or inside part of a paragraph is still found and reported
with its own spans.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import regex

from shingling.normalise import Tokens

_BLANK_LINE = regex.compile(r"\n[ \t\r\f\v\u00a0]*\n")
_LINE = regex.compile(r"\n")
# A text whose lines average fewer characters than this and rarely end a sentence is hard-wrapped prose.
_WRAPPED_LINE_CHARS = 100


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


def _breaks(text: str) -> list[int]:
    """Character offsets where paragraphs break: blank lines, else lines when one paragraph per line."""
    blank = [m.end() for m in _BLANK_LINE.finditer(text)]
    if blank:
        return blank
    lines = [m.end() for m in _LINE.finditer(text)]
    if not lines:
        return []
    stripped = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if not stripped:
        return []
    avg = sum(len(ln) for ln in stripped) / len(stripped)
    ending = sum(1 for ln in stripped if ln[-1] in ".!?\"'”’»:;؟۔。") / len(stripped)
    if avg < _WRAPPED_LINE_CHARS and ending < 0.5:
        return []  # hard-wrapped: lines are not paragraphs
    return lines


def _windows(lo: int, hi: int, window: int) -> list[tuple[int, int]]:
    """Overlapping windows (half-window stride) covering token range [lo, hi)."""
    if hi - lo <= window:
        return [(lo, hi)]
    stride = max(1, window // 2)
    out = []
    start = lo
    while True:
        stop = min(start + window, hi)
        out.append((start, stop))
        if stop >= hi:
            break
        start += stride
    return out


def split_passages(text: str, tokens: Tokens, min_words: int, max_words: int, window: int) -> list[Passage]:
    """Paragraphs of at least `min_words` (short ones joined to the next), long ones cut into windows."""
    n = len(tokens)
    if n == 0:
        return []
    cut_tokens = np.searchsorted(tokens.starts, np.asarray(_breaks(text), dtype=np.int64))
    bounds = sorted({0, n, *(int(c) for c in cut_tokens if 0 < c < n)})
    paragraphs: list[tuple[int, int]] = []
    lo = bounds[0]
    for hi in bounds[1:]:
        if hi - lo >= min_words:
            paragraphs.append((lo, hi))
            lo = hi
    if lo < n:
        if paragraphs and n - lo < min_words:
            paragraphs[-1] = (paragraphs[-1][0], n)
        else:
            paragraphs.append((lo, n))
    ranges: list[tuple[int, int]] = []
    for lo, hi in paragraphs:
        ranges.extend(_windows(lo, hi, window) if hi - lo > max_words else [(lo, hi)])
    return [
        Passage(lo, hi, int(tokens.starts[lo]), int(tokens.ends[hi - 1])) for lo, hi in ranges if hi > lo
    ]
