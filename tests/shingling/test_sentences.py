"""Sentence starts: where the alignment's sentence seeds begin."""

from __future__ import annotations

import random

import numpy as np
import pytest
import regex

from shingling.normalise import Tokens, tokenize
from shingling.sentences import SENTENCE_ENDS, sentence_starts


def test_sentence_ends_are_found_in_any_script_and_past_the_bmp() -> None:
    text = "One two three four.\U0001F642 Five six seven eight\u061f nine ten eleven twelve\u3002 x"
    tokens = tokenize(text)
    starts = sentence_starts(text, tokens, 1).tolist()
    assert [tokens.words[i] for i in starts] == ["one", "five", "nine", "x"]


def test_short_sentences_join_the_next() -> None:
    text = "Yes. No. The harbour opened at dawn. It closed at noon; then rain. End"
    tokens = tokenize(text)
    starts = sentence_starts(text, tokens, 3).tolist()
    assert [tokens.words[i] for i in starts] == ["yes", "it", "then"]  # "No." and "End" too short alone


def test_every_end_character_cuts_as_the_regex_class_did() -> None:
    pattern = regex.compile("[" + regex.escape(SENTENCE_ENDS) + "]")
    for ch in SENTENCE_ENDS:
        text = f"alpha beta{ch}gamma delta"
        assert pattern.search(text)
        assert sentence_starts(text, tokenize(text), 1).tolist() == [0, 2]
    text = "alpha beta\u2026gamma, delta: epsilon"
    assert sentence_starts(text, tokenize(text), 1).tolist() == [0]



def _python_starts(text: str, tokens: Tokens, min_words: int) -> list[int]:
    """The sentence starts as first written, in numpy and Python: end characters by regex, then the cuts."""
    ends = np.array([m.start() for m in regex.finditer("[" + regex.escape(SENTENCE_ENDS) + "]", text)], dtype=np.int64)
    n = len(tokens)
    cut = np.unique(np.searchsorted(tokens.starts, ends, side="right"))
    cut = cut[(cut > 0) & (cut < n)]
    starts = [0]
    for c in cut.tolist():
        if c - starts[-1] >= min_words:
            starts.append(c)
    if len(starts) > 1 and n - starts[-1] < min_words:
        starts.pop()
    return starts if n else []


@pytest.mark.parametrize("seed", range(4))
def test_compiled_sentence_starts_equal_the_plain_ones(seed: int) -> None:
    rng = random.Random(seed)
    pieces = ["word", "Alpha", "beta", "x", ".", "!", "?", ";", "\n", "\u061f", "\u06d4", "\u3002", " ", "  ",
              "\U0001F642", "...", ",", "\u0301", "12"]
    for _ in range(500):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randrange(0, 60)))
        tokens = tokenize(text)
        for min_words in (1, 2, 4):
            assert sentence_starts(text, tokens, min_words).tolist() == _python_starts(text, tokens, min_words), \
                (text, min_words)
