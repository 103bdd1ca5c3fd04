"""Sentence starts: where the alignment's sentence seeds begin."""

from __future__ import annotations

import random

import numpy as np
import pytest
import regex

from shingling.normalise import Tokens, tokenize
from shingling.sentences import SENTENCE_ENDS, sentence_starts

_FULL_STOP_GOES_ON = regex.compile(
    r"\.(?=[,;:\p{Ll}])|(?<=\p{N})\.(?=\p{N})|(?<=(?:^|\P{L})\p{L})\.(?=\p{L})"
    r"|(?<=\p{L}\.\p{L})\.(?=[\p{Zs}\t]+\p{Ll})"
)
"""A full stop that ends no sentence, as the compiled pass reads `sentences.full_stop_table`."""


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
        text = f"alpha beta{ch} Gamma delta"
        assert pattern.search(text)
        assert sentence_starts(text, tokenize(text), 1).tolist() == [0, 2]
    text = "alpha beta\u2026gamma, delta: epsilon"
    assert sentence_starts(text, tokenize(text), 1).tolist() == [0]



def _python_starts(text: str, tokens: Tokens, min_words: int) -> list[int]:
    """The sentence starts as first written, in numpy and Python: end characters by regex, then the cuts."""
    ends = np.array([m.start() for m in regex.finditer("[" + regex.escape(SENTENCE_ENDS) + "]", text)
                     if not _FULL_STOP_GOES_ON.match(text, m.start())], dtype=np.int64)
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
              "\U0001F642", "...", ",", "\u0301", "12", "U.S.", "\u00a0", "\t", ":", "\u00e9t\u00e9", "\u00c9", "3.5",
              "a.m."]
    for _ in range(500):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randrange(0, 60)))
        tokens = tokenize(text)
        for min_words in (1, 2, 4):
            assert sentence_starts(text, tokens, min_words).tolist() == _python_starts(text, tokens, min_words), \
                (text, min_words)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Officials said the U.S. involvement in Ukraine would be a distraction. Lavrov disagreed with that.",
         ["officials said the u s involvement in ukraine would be a distraction", "lavrov disagreed with that"]),
        ("Prices rose 3.5 percent in March. Wages rose 2,1 percent.",
         ["prices rose 3 5 percent in march", "wages rose 2 1 percent"]),
        ("Acme Inc., the maker of anvils, said so. It opened at 9 a.m. on Monday in town.",
         ["acme inc the maker of anvils said so", "it opened at 9 a m on monday in town"]),
        ("The talks ended in the U.S.\nNew talks begin in spring next year.",
         ["the talks ended in the u s", "new talks begin in spring next year"]),
        ("He spoke in the U.S. Then he flew to Paris for talks.",
         ["he spoke in the u s", "then he flew to paris for talks"]),
        ("Forty people died.Around the city the roads were closed.In 1998 it rained.",  # spaces lost in scraping
         ["forty people died", "around the city the roads were closed", "in 1998 it rained"]),
    ],
)
def test_a_full_stop_in_an_abbreviation_or_a_number_ends_no_sentence(text: str, sentences: list[str]) -> None:
    """A reused sentence naming "the U.S." or "3.5 percent" stays whole, so passages widen to its real start."""
    tokens = tokenize(text)
    starts = sentence_starts(text, tokens, 2).tolist()
    words = tokens.words
    assert [" ".join(words[a:b]) for a, b in zip(starts, [*starts[1:], len(tokens)], strict=True)] == sentences
