"""Sentences as runs of tokens, and their stemmed content terms: the unit of paraphrase-robust seeds.

A rewrite that shuffles, replaces or translates words keeps few exact word runs but still shares most of
each sentence's vocabulary; comparing sentences as bags of stemmed content words finds it. Stemming is a
prefix cut, which needs no language model and works for any script.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import regex

from shingling import kernels
from shingling.normalise import Tokens, code_point_table, code_points

# Sentence ends: full stops, question and exclamation marks of several scripts, and line breaks; a table by
# code point (all are in the BMP), so finding them is one numpy gather over the text's code points.
SENTENCE_ENDS = ".!?;\n\u061f\u06d4\u0964\u3002\uff01\uff1f"
_ENDS = code_point_table(SENTENCE_ENDS, 0x10000)

# Classes of the characters around a full stop (`kernels.FULL_STOP_*` bits), by code point: whether it ends
# a sentence depends on them (`kernels._full_stop_ends`).
_CLASSES = (
    (kernels.FULL_STOP_PUNCT, r"[,;:]"),
    (kernels.FULL_STOP_LOWER, r"\p{Ll}"),
    (kernels.FULL_STOP_SPACE, r"[\p{Zs}\t]"),
    (kernels.FULL_STOP_LETTER, r"\p{L}"),
    (kernels.FULL_STOP_DIGIT, r"\p{N}"),
)


@cache
def full_stop_table() -> np.ndarray:
    """`kernels.sentence_starts`' classes of the characters around a full stop, by code point in the BMP (others
    have none)."""
    every = "".join(map(chr, range(0x10000)))
    table = np.zeros(0x10000, dtype=np.uint8)
    for bit, pattern in _CLASSES:
        for m in regex.finditer(pattern, every):
            table[m.start()] |= bit
    return table


def sentence_starts(text: str, tokens: Tokens, min_words: int) -> np.ndarray:
    """Token index where each sentence starts; sentences under `min_words` words join the next one (compiled:
    `kernels.sentence_starts`). A full stop inside an initialism or a number ends nothing (`kernels._full_stop_ends`):
    a reused sentence that names "the U.S." is one sentence, so a passage widened to its sentence starts at its
    start, not at "S. involvement"."""
    if len(tokens) == 0:
        return np.zeros(0, dtype=np.int64)
    return kernels.sentence_starts(code_points(text), _ENDS, full_stop_table(),
                                   np.ascontiguousarray(tokens.starts, dtype=np.int64), min_words)


def stem(word: str, prefix: int) -> str:
    """A language-free stem: the first `prefix` characters."""
    return word[:prefix]
