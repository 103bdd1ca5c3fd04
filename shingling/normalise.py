"""Tokenising with a map back: normalised words for hashing, character offsets into the original text.

Matching ignores case, Unicode compatibility forms, accents and other combining marks, curly quotes, dashes,
punctuation and whitespace; every token keeps `[start, end)` offsets into the text exactly as given, so any
span the engine reports slices the caller's own string.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import regex
import xxhash

NORMALISER_VERSION = "4"  # 3: a word of only marks or zero-width characters is no word; 4: Han, kana one a word

# A word is a run of letters and combining marks, or a run of digits, in any script (digits glued to
# letters, common in Urdu copy, split off); zero-width joiners inside
# Persian/Urdu words belong to the word. Everything else (punctuation, quotes, dashes, spaces) separates.
# Chinese and Japanese put no space between words: each Han, Hiragana or Katakana character is a word of its
# own (as search engines index these scripts), so a rewritten sentence shares its unchanged characters.
# Otherwise a "word" would run from one punctuation mark to the next, and only whole identical clauses match.
SPACELESS = r"\p{Han}\p{Hiragana}\p{Katakana}"
WORD_ALTERNATIVES = (r"\p{N}+", rf"[{SPACELESS}]", rf"[[\p{{L}}\p{{M}}\u200c\u200d]--[{SPACELESS}]]+")
"""A run of digits, one character of a script written without spaces, a run of letters: `_WORD`'s alternatives in
order, and the compiled tokeniser's character classes (`fasttokens`)."""
_WORD = regex.compile("|".join(WORD_ALTERNATIVES), regex.V1)
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


class Tokens:
    """The words of a text: normalised keys, their 64-bit hashes and their offsets in the original.

    The keys as strings are made on first use: signing a text needs only the hashes and offsets, and building a
    tuple of a thousand strings was a sixth of ingest's time. The compiled tokeniser gives each word's number
    in its table of word forms instead (`numbered`)."""

    __slots__ = ("hashes", "starts", "ends", "_words", "_numbers", "_forms")

    def __init__(self, words: tuple[str, ...], hashes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> None:
        self.hashes = hashes  # uint64, one per word
        self.starts = starts  # int64 character offsets, [start, end)
        self.ends = ends
        self._words: tuple[str, ...] | None = words
        self._numbers: np.ndarray | None = None
        self._forms: Sequence[str] | None = None

    @classmethod
    def numbered(cls, numbers: np.ndarray, forms: Sequence[str], hashes: np.ndarray, starts: np.ndarray,
                 ends: np.ndarray) -> Tokens:
        """Tokens whose key `i` is `forms[numbers[i]]` (`forms` only ever grows, so the numbers stay valid)."""
        tokens = cls((), hashes, starts, ends)
        tokens._words, tokens._numbers, tokens._forms = None, numbers, forms
        return tokens

    @property
    def words(self) -> tuple[str, ...]:
        if self._words is None:
            assert self._numbers is not None and self._forms is not None
            self._words = tuple(map(self._forms.__getitem__, self._numbers.tolist()))
            self._numbers = self._forms = None
        return self._words

    def __len__(self) -> int:
        return len(self.hashes)

    def __reduce__(self) -> tuple[type[Tokens], tuple[tuple[str, ...], np.ndarray, np.ndarray, np.ndarray]]:
        # the keys themselves, never the process's whole table of forms
        return Tokens, (self.words, self.hashes, self.starts, self.ends)

    def __repr__(self) -> str:
        return f"Tokens({len(self)} words)"


def code_points(text: str) -> np.ndarray:
    """The text's code points as uint32, one per character (lone surrogates kept), so that an index into them is
    an offset into `text`: what the compiled passes over a text read."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def code_point_table(chars: str | list[int], size: int | None = None) -> np.ndarray:
    """A boolean table by code point, True for `chars` (characters or code points); `size` entries, or up to the
    largest one given."""
    points = [ord(c) for c in chars] if isinstance(chars, str) else chars
    table = np.zeros(size if size is not None else max(points) + 1, dtype=bool)
    table[points] = True
    return table


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


def new_word_hashes(words: list[str]) -> np.ndarray:
    """`word_hash` of each of many words not seen before, uint64 (no memo: it would only fill)."""
    digest = xxhash.xxh3_64_intdigest
    return np.fromiter((digest(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))


def word_hash(word: str) -> int:
    """Hash of an already normalised word (the same hash `tokenize` gives it)."""
    return _word_hash(word)
