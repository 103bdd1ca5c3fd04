"""Tokenising at numpy speed: exactly `normalise.tokenize`'s `Tokens`, an order of magnitude faster.

`normalise.tokenize` runs the word regex and normalises, hashes and appends every word in Python: about a
microsecond a word, most of the time it takes to sign a text. Here the text's code points go through a
lookup table (built once, from the same regex, so the two agree on every character), word boundaries are
where the table's class changes, and only *distinct* words reach Python: each is normalised and hashed
once per process, every occurrence takes its values by numpy indexing. Grouping occurrences uses a hash of
their code points; the grouping is then checked character by character, so a hash collision can only send
a text down the exact regex path, never mislabel a word.

`content_stems` does the same for the per-word step of `prepare` (content words and their stem hashes).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Collection
from itertools import repeat

import numpy as np
import regex

from shingling import kernels
from shingling.normalise import _WORD, Tokens, normalise_word, word_hash
from shingling.normalise import tokenize as tokenize_exact

_OTHER, _DIGITS, _LETTERS = 0, 1, 2
_CLASSES = ((_DIGITS, r"\p{N}+"), (_LETTERS, r"[\p{L}\p{M}\u200c\u200d]+"))
"""The two alternatives of `normalise._WORD`; if that pattern changes, this module falls back to it."""
_BASE = np.uint64(0x100000001B3)  # odd multiplier of the per-word polynomial hash
_MAX_CACHE = 1 << 20  # distinct words remembered per process
_SHORT = 1200
"""Texts shorter than this many characters take the regex path: its cost grows with the words, the numpy
path's is mostly a fixed ~70 numpy calls, and on PAN text the two break even near 200 words."""

_table: np.ndarray | None = None
_table_lock = threading.Lock()
_keys: dict[str, str] = {}  # raw word -> normalised key
_hashes: dict[str, int] = {}  # raw word -> hash of its key


def available() -> bool:
    """True when the word pattern is the one this module's table reproduces."""
    return _WORD.pattern == "|".join(p for _, p in _CLASSES)


def _char_classes() -> np.ndarray:
    """For every code point: digits, letters (with marks, ZWNJ and ZWJ) or other, as `normalise._WORD` splits."""
    global _table
    with _table_lock:
        if _table is None:
            every = "".join(map(chr, range(0x110000)))
            table = np.zeros(0x110000, dtype=np.uint8)
            for cls, pattern in _CLASSES:
                for match in regex.finditer(pattern, every):
                    table[match.start() : match.end()] = cls
            _table = table
    return _table


def _spans(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """[start, end) of every maximal run of one non-other class."""
    return kernels.word_spans(_char_classes(), codes)


def _lookup(raw: list[str]) -> tuple[list[str], np.ndarray]:
    """Normalised key and hash of each distinct raw word, remembered per process (C-level dict lookups)."""
    if len(_keys) > _MAX_CACHE:
        _keys.clear()
        _hashes.clear()
    try:
        keys = list(map(_keys.__getitem__, raw))
    except KeyError:
        for w in raw:
            if w not in _keys:
                key = normalise_word(w)
                _hashes[w] = word_hash(key)
                _keys[w] = key
        keys = list(map(_keys.__getitem__, raw))
    return keys, np.fromiter(map(_hashes.__getitem__, raw), dtype=np.uint64, count=len(raw))


def tokenize(text: str) -> Tokens:
    """Split `text` into normalised words with their offsets: equal to `normalise.tokenize(text)`."""
    return _tokenize(text)[0]


_ASCII_WORD = re.compile(r"[a-z]+|[0-9]+")


class _Numbered:
    """The distinct ASCII words a process has seen, numbered in order of arrival, with each one's hash and
    (per stopword list and stem length) its stem hash and whether it is a content word as numpy tables
    indexed by number: one C-level dict lookup per occurrence, then every value per occurrence by indexing.

    Readers take one `_Numbered` and use only it; a writer (under `_numbering_lock`) extends the tables
    before it enters the new words in `ids`, so a number a reader finds always indexes the tables it holds.
    When `_MAX_CACHE` words are known, a fresh instance replaces this one."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.words: list[str] = []
        self.hashes = np.empty(0, dtype=np.uint64)
        self.features: dict[tuple[frozenset[str], int], tuple[np.ndarray, np.ndarray]] = {}

    def numbers(self, words: list[str]) -> np.ndarray:
        """Each word's number, entering the words not seen yet."""
        numbers = np.fromiter(map(self.ids.get, words, repeat(-1)), dtype=np.intp, count=len(words))
        unknown = np.flatnonzero(numbers < 0)
        if len(unknown) == 0:
            return numbers
        with _numbering_lock:
            new = [w for w in dict.fromkeys(words[i] for i in unknown.tolist()) if w not in self.ids]
            values = np.fromiter(map(word_hash, new), dtype=np.uint64, count=len(new))
            self.hashes = np.concatenate([self.hashes, values])
            self.words.extend(new)
            self.ids.update(zip(new, range(len(self.ids), len(self.ids) + len(new)), strict=True))
        numbers[unknown] = [self.ids[words[i]] for i in unknown.tolist()]
        return numbers

    def stems(self, stop: frozenset[str], stem_prefix: int, upto: int) -> tuple[np.ndarray, np.ndarray]:
        """Stem hash and content flag of words 0..upto-1 (at least), for this stopword list and stem length."""
        found = self.features.get((stop, stem_prefix))
        if found is not None and len(found[0]) >= upto:
            return found
        with _numbering_lock:
            stems, content = self.features.get((stop, stem_prefix), (np.empty(0, np.uint64), np.empty(0, bool)))
            new = self.words[len(stems) : len(self.hashes)]
            flags = np.fromiter((_is_content(w, stop) for w in new), dtype=bool, count=len(new))
            values = np.fromiter(
                (word_hash(w[:stem_prefix]) if f else 0 for w, f in zip(new, flags.tolist(), strict=True)),
                dtype=np.uint64, count=len(new),
            )
            found = self.features[(stop, stem_prefix)] = (
                np.concatenate([stems, values]), np.concatenate([content, flags])
            )
        return found


def _is_content(word: str, stop: frozenset[str]) -> bool:
    """A content word: not a stopword, not a single ASCII character (as `prepare` decides, on either path)."""
    return not (word in stop or (len(word) == 1 and word.isascii()))


_numbering_lock = threading.Lock()
_numbered = _Numbered()


def _ascii_words(
    text: str, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[Tokens, np.ndarray, _Numbered] | None:
    """The tokens of a text whose words are all ASCII (English copy with curly quotes and dashes included),
    with each token's word number in the `_Numbered` returned.

    Such a word's key is its lower case (NFKC and case folding change no ASCII letter or digit), so one C-level
    `findall` over the lowered text gives the keys in order; None when a word character is not ASCII.
    """
    global _numbered
    if np.any(_char_classes()[codes[codes > 0x7F]]):
        return None
    words = _ASCII_WORD.findall(text.lower())
    if len(words) != len(starts):  # cannot happen (the classes agree on ASCII); never trust it blindly
        return None
    if len(_numbered.ids) > _MAX_CACHE:
        _numbered = _Numbered()
    numbered = _numbered
    numbers = numbered.numbers(words)
    tokens = Tokens(words=tuple(words), hashes=numbered.hashes[numbers], starts=starts.astype(np.int64),
                    ends=ends.astype(np.int64))
    return tokens, numbers, numbered


def _remembered(cache: dict[str, int], words: list[str], make: Callable[[str], int]) -> np.ndarray:
    """`make(word)` of every word as uint64, computed once per distinct word and process: after the first
    texts nearly every word is known and the values come from C-level dict lookups."""
    if len(cache) > _MAX_CACHE:
        cache.clear()
    try:
        return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))
    except KeyError:
        for w in words:
            if w not in cache:
                cache[w] = make(w)
        return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))


def _tokenize(text: str) -> tuple[Tokens, np.ndarray | None, list[str] | _Numbered | None]:
    """Tokens, plus (when a numpy path ran) each token's word number and what the numbers index: the text's
    distinct keys, or (on the ASCII path) the process's `_Numbered` words."""
    if not text or not available():
        return tokenize_exact(text), None, None
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    starts, ends = _spans(codes)
    if len(starts) and (found := _ascii_words(text, codes, starts, ends)) is not None:
        return found
    if len(text) < _SHORT:
        return tokenize_exact(text), None, None
    if len(starts) == 0:
        return tokenize_exact(text), None, None
    lengths = ends - starts
    # one polynomial hash per occurrence, over its code points and its length
    total = int(lengths.sum())
    first = np.cumsum(lengths) - lengths
    offset = np.arange(total) - np.repeat(first, lengths)
    chars = codes[np.repeat(starts - first, lengths) + np.arange(total)].astype(np.uint64)
    with np.errstate(over="ignore"):
        powers = np.cumprod(np.full(int(lengths.max()), _BASE, dtype=np.uint64))
        mixed = np.add.reduceat(chars * powers[offset], first) ^ (lengths.astype(np.uint64) << np.uint64(48))
    _, rep, inverse = np.unique(mixed, return_index=True, return_inverse=True)
    # every occurrence must equal its group's first occurrence, character for character
    group_first = rep[inverse]
    if not np.array_equal(lengths[group_first], lengths) or not np.array_equal(
        chars, codes[np.repeat(starts[group_first] - first, lengths) + np.arange(total)]
    ):
        return tokenize_exact(text), None, None
    raw = [text[s:e] for s, e in zip(starts[rep].tolist(), ends[rep].tolist(), strict=True)]
    keys, hashes = _lookup(raw)
    if not all(keys):  # marks or zero-widths alone are no word: drop those occurrences, as the regex path does
        keep = np.fromiter(map(bool, keys), dtype=bool, count=len(keys))[inverse]
        inverse, starts, ends = inverse[keep], starts[keep], ends[keep]
    tokens = Tokens(
        words=tuple(np.array(keys, dtype=object)[inverse].tolist()),
        hashes=hashes[inverse],
        starts=starts.astype(np.int64),
        ends=ends.astype(np.int64),
    )
    return tokens, inverse, keys


_features: dict[tuple[frozenset[str], int], tuple[dict[str, int], set[str]]] = {}


def analyse(text: str, stopwords: Collection[str], stem_prefix: int) -> tuple[Tokens, np.ndarray, np.ndarray]:
    """Tokens, the token indices of content words (not stopwords, not one ASCII character) and the hash of
    each content word's stem (its first `stem_prefix` characters): what `prepare` computes word by word.

    On the ASCII path both come from `_Numbered`'s tables by word number. Elsewhere one remembered value per
    distinct word does both: its stem hash, or 0 for a stopword. A content word
    whose stem hashes to 0 (a chance of 2^-64) is remembered apart, so it is never taken for a stopword.
    """
    tokens, inverse, keys = _tokenize(text)
    stop = stopwords if isinstance(stopwords, frozenset) else frozenset(stopwords)
    if isinstance(keys, _Numbered) and inverse is not None:  # the ASCII path: the process's tables
        stem_table, content_table = keys.stems(stop, stem_prefix, len(keys.hashes))
        content = np.flatnonzero(content_table[inverse]).astype(np.int64)
        return tokens, content, stem_table[inverse[content]]
    if inverse is None or not isinstance(keys, list):
        keys, inverse = list(tokens.words), np.arange(len(tokens))
    stem_of, zero_stems = _features.setdefault((stop, stem_prefix), ({}, set()))

    def stem_value(w: str) -> int:
        if not _is_content(w, stop):
            return 0
        value = word_hash(w[:stem_prefix])
        if value == 0:
            zero_stems.add(w)
        return value

    stems = _remembered(stem_of, keys, stem_value)
    flags = stems != 0
    if zero_stems:
        flags |= np.fromiter((w in zero_stems for w in keys), dtype=bool, count=len(keys))
    content = np.flatnonzero(flags[inverse]).astype(np.int64)
    return tokens, content, stems[inverse[content]]
