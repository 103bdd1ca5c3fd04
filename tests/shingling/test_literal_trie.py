"""The prefix-tree pattern of the agency first-word scan matches exactly what a plain alternation does."""

from __future__ import annotations

import random
import re

import pytest

from shingling.wires import _literal_trie


@pytest.mark.parametrize("seed", range(30))
def test_the_tree_finds_what_the_longest_first_alternation_finds(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = "AaPpFf.-"  # few letters: many words are prefixes of others ("AP", "APA", "AP.")
    words = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 25))}
    longest_first = "|".join(map(re.escape, sorted(words, key=lambda w: (-len(w), w))))
    plain = re.compile(r"(?<![\w@])(?:" + longest_first + r")(?!\w)")
    tree = re.compile(r"(?<![\w@])" + _literal_trie(words) + r"(?!\w)")
    for _ in range(20):
        text = "".join(rng.choice(alphabet + " @x") for _ in range(rng.randint(0, 80)))
        assert [m.span() for m in tree.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_a_word_that_prefixes_another_is_an_optional_tail() -> None:
    assert _literal_trie(["AP", "APA", "AFP"]) == "A(?:FP|P(?:A)?)"
