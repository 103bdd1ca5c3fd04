"""Sentences as runs of tokens, and their stemmed content terms: the unit of paraphrase-robust seeds.

A rewrite that shuffles, replaces or translates words keeps few exact word runs but still shares most of
each sentence's vocabulary; comparing sentences as bags of stemmed content words finds it. Stemming is a
prefix cut, which needs no language model and works for any script.
"""

from __future__ import annotations

import numpy as np

from shingling import kernels
from shingling.normalise import Tokens, code_point_table, code_points

# Sentence ends: full stops, question and exclamation marks of several scripts, and line breaks; a table by
# code point (all are in the BMP), so finding them is one numpy gather over the text's code points.
SENTENCE_ENDS = ".!?;\n\u061f\u06d4\u0964\u3002\uff01\uff1f"
_ENDS = code_point_table(SENTENCE_ENDS, 0x10000)


def sentence_starts(text: str, tokens: Tokens, min_words: int) -> np.ndarray:
    """Token index where each sentence starts; sentences under `min_words` words join the next one (compiled:
    `kernels.sentence_starts`)."""
    if len(tokens) == 0:
        return np.zeros(0, dtype=np.int64)
    return kernels.sentence_starts(code_points(text), _ENDS, np.ascontiguousarray(tokens.starts, dtype=np.int64),
                                   min_words)


def stem(word: str, prefix: int) -> str:
    """A language-free stem: the first `prefix` characters."""
    return word[:prefix]
