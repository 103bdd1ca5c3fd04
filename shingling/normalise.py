"""Tokenising with a map back: normalised words for hashing, character offsets into the original text.

Matching ignores case, Unicode compatibility forms, accents and other combining marks, curly quotes, dashes,
punctuation and whitespace; every token keeps `[start, end)` offsets into the text exactly as given, so any
span the engine reports slices the caller's own string.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import regex
import xxhash

NORMALISER_VERSION = "3"  # 3: a word of only marks or zero-width characters is no word

# A word is a run of letters and combining marks, or a run of digits, in any script (digits glued to
# letters, common in Urdu copy, split off); zero-width joiners inside
# Persian/Urdu words belong to the word. Everything else (punctuation, quotes, dashes, spaces) separates.
_WORD = regex.compile(r"\p{N}+|[\p{L}\p{M}\u200c\u200d]+")
_DROP = dict.fromkeys([0x200C, 0x200D, 0x00AD])


@lru_cache(maxsize=262_144)
def normalise_word(word: str) -> str:
    """The matching key of one word: NFKC, accents and marks removed, zero-widths removed, case-folded.

    Empty for a "word" made only of combining marks or zero-width characters: it is no word (a stray accent or
    joiner must not make a token that two unrelated texts share)."""
    w = unicodedata.normalize("NFKD", word.translate(_DROP))
    w = "".join(ch for ch in w if not unicodedata.combining(ch))
    w = unicodedata.normalize("NFKC", w).casefold()
    return w


@lru_cache(maxsize=262_144)
def _word_hash(key: str) -> int:
    return xxhash.xxh3_64_intdigest(key.encode("utf-8"))


@dataclass(frozen=True)
class Tokens:
    """The words of a text: normalised keys, their 64-bit hashes and their offsets in the original."""

    words: tuple[str, ...]
    hashes: np.ndarray  # uint64, one per word
    starts: np.ndarray  # int64 character offsets, [start, end)
    ends: np.ndarray

    def __len__(self) -> int:
        return len(self.words)


def tokenize(text: str) -> Tokens:
    """Split `text` into normalised words, keeping where each came from."""
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in _WORD.finditer(text):
        key = normalise_word(m.group())
        if not key:
            continue
        words.append(key)
        starts.append(m.start())
        ends.append(m.end())
    hashes = np.fromiter((_word_hash(w) for w in words), dtype=np.uint64, count=len(words))
    return Tokens(
        words=tuple(words),
        hashes=hashes,
        starts=np.asarray(starts, dtype=np.int64),
        ends=np.asarray(ends, dtype=np.int64),
    )


def word_hash(word: str) -> int:
    """Hash of an already normalised word (the same hash `tokenize` gives it)."""
    return _word_hash(word)
