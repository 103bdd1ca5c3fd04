"""Tokenising at compiled speed: exactly `normalise.tokenize`'s `Tokens`, an order of magnitude faster.

`normalise.tokenize` runs the word regex and normalises, hashes and appends every word in Python: about a
microsecond a word, most of the time it takes to sign a text. Here the text's code points go through a
lookup table (built once, from the same regex, so the two agree on every character), word boundaries are
where the table's class changes, and each word is looked up by its code points in a compiled table of the
words the process has seen (`kernels.intern_find`): only words never seen before reach Python, to be
normalised and hashed once. Every value per occurrence (hash, key, stem, content flag) then comes by numpy
indexing. The table checks the code points of every hash match, so a hash collision can never mislabel a
word. The same path serves every script: a text with one accented name no longer falls off a fast path.

`analyse` does the same for the per-word step of `prepare` (content words and their stem hashes).
"""

from __future__ import annotations

import threading
from collections.abc import Collection

import numpy as np
import regex

from shingling import kernels
from shingling.normalise import (
    _WORD,
    WORD_ALTERNATIVES,
    Tokens,
    code_points,
    new_word_hashes,
    normalise_word,
    word_hash,
)
from shingling.normalise import tokenize as tokenize_exact

_OTHER, _DIGITS, _SINGLE, _LETTERS = 0, 1, 2, 3
SINGLE = _SINGLE
"""The class (`char_classes`) of a character that is a word of its own: Han, kana."""
_CLASSES = tuple(zip((_DIGITS, _SINGLE, _LETTERS), WORD_ALTERNATIVES, strict=True))
"""A class for each alternative of `normalise._WORD` (`_SINGLE`: one character a word); if that pattern is
replaced, this module falls back to it."""
_BASE = np.uint64(0x100000001B3)  # odd multiplier of the per-word hash of code points (the table's, not the word hash)
_MAX_CACHE = 1 << 20  # distinct word forms remembered per process; then the table starts afresh

_table: np.ndarray | None = None
_table_lock = threading.Lock()


def available() -> bool:
    """True when the word pattern is the one this module's table reproduces."""
    return _WORD.pattern == "|".join(p for _, p in _CLASSES) and _WORD.flags & regex.V1 != 0


def char_classes() -> np.ndarray:
    """For every code point, its class as the tokeniser splits words (`SINGLE`: a word of its own)."""
    return _char_classes()


def _char_classes() -> np.ndarray:
    """For every code point: digits, a one-character word (Han, kana), letters (with marks, ZWNJ and ZWJ) or
    other, as `normalise._WORD` splits."""
    global _table
    with _table_lock:
        if _table is None:
            every = "".join(map(chr, range(0x110000)))
            table = np.zeros(0x110000, dtype=np.uint8)
            for cls, pattern in _CLASSES:
                for match in regex.finditer(pattern, every, flags=regex.V1):
                    run = table[match.start() : match.end()]
                    run[run == _OTHER] = cls  # the pattern's first alternative wins: "〇" (Han) is a digit
            _table = table
    return _table


def word_bounds(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """[start, end) of every maximal run of one non-other class (of one character for `_SINGLE`): where the words
    are, none of them looked up."""
    return kernels.word_spans(_char_classes(), codes, _SINGLE)


def tokenize(text: str) -> Tokens:
    """Split `text` into normalised words with their offsets: equal to `normalise.tokenize(text)`."""
    return _tokenize(text)[0]


def _grown(values: np.ndarray, size: int, fill: int | bool = 0) -> np.ndarray:
    """`values` in a new array of at least `size` entries (doubling), the rest filled."""
    out = np.full(max(size, 2 * len(values)), fill, dtype=values.dtype)
    out[: len(values)] = values
    return out


class _Numbered:
    """The distinct word forms a process has seen, numbered in order of arrival: a compiled hash table from
    code points to number, and by number the normalised key, its hash, whether the key is empty (marks or
    zero-widths alone are no word) and (per stopword list and stem length) its stem hash and content flag.

    Readers take one `_Numbered` and use only it. A writer (under `_numbering_lock`) fills the tables by
    number before it files the new forms in the hash table, and publishes grown arrays as one tuple, so a
    number a reader finds always indexes the tables it holds; lookups and insertions hold the GIL, so they
    never overlap. When `_MAX_CACHE` forms are known, a fresh instance replaces this one."""

    def __init__(self, slots: int = 1 << 16) -> None:
        self.words: list[str] = []
        self.hashes = np.empty(0, dtype=np.uint64)  # views of the first len(words) entries of the stores
        self.empty = np.empty(0, dtype=bool)
        self._hash_store = np.empty(1024, dtype=np.uint64)
        self._empty_store = np.zeros(1024, dtype=bool)
        self._poly_store = np.empty(1024, dtype=np.uint64)  # each form's code-point hash, to re-file on growth
        self._chars = np.empty(1 << 14, dtype=np.uint32)
        self._first_char = np.zeros(1025, dtype=np.int64)
        # (slot hashes, slot numbers, chars, first chars): swapped as one, never torn
        self.table = (np.zeros(slots, np.uint64), np.full(slots, -1, np.int64), self._chars, self._first_char)
        self.features: dict[tuple[frozenset[str], int], tuple[np.ndarray, np.ndarray]] = {}  # views of the stores
        self._feature_stores: dict[tuple[frozenset[str], int], tuple[np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self.words)

    def find(self, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each word's number (-1 when not known yet) and the hash of its code points."""
        slot_hash, slot_number, chars, first_char = self.table
        return kernels.intern_find(codes, starts, ends, _BASE, slot_hash, slot_number, chars, first_char)

    def numbers(self, text: str, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Each word's number, entering the forms not seen yet."""
        numbers, polys = self.find(codes, starts, ends)
        unknown = np.flatnonzero(numbers < 0)
        if len(unknown) == 0:
            return numbers
        with _numbering_lock:
            found, _ = self.find(codes, starts[unknown], ends[unknown])  # another thread may have entered some
            todo = unknown[found < 0]
            if len(todo):
                self._enter(text, codes, starts, ends, polys, todo)
            numbers[unknown], _ = self.find(codes, starts[unknown], ends[unknown])
        return numbers

    def _enter(self, text: str, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, polys: np.ndarray,
               todo: np.ndarray) -> None:
        """Number the distinct new forms among words `todo` and file them (under the lock)."""
        firsts: dict[str, int] = {}
        for i, s, e in zip(todo.tolist(), starts[todo].tolist(), ends[todo].tolist(), strict=True):
            firsts.setdefault(text[s:e], i)
        forms = list(firsts)
        at = np.fromiter(firsts.values(), dtype=np.int64, count=len(forms))
        # an ASCII word's key is its lower case (NFKC and case folding change no ASCII letter or digit)
        keys = [w.lower() if w.isascii() else normalise_word(w) for w in forms]
        first, count = len(self.words), len(forms)
        last = first + count
        if last > len(self._hash_store):
            self._hash_store = _grown(self._hash_store, last)
            self._empty_store = _grown(self._empty_store, last, False)
            self._poly_store = _grown(self._poly_store, last)
            self._first_char = _grown(self._first_char, last + 1)
        lengths = ends[at] - starts[at]
        total = int(lengths.sum())
        if int(self._first_char[first]) + total > len(self._chars):
            self._chars = _grown(self._chars, int(self._first_char[first]) + total)
        offsets = self._first_char[first] + np.concatenate([[0], np.cumsum(lengths)])
        self._first_char[first : last + 1] = offsets
        if total:
            within = np.arange(total) - np.repeat(offsets[:-1] - offsets[0], lengths)
            self._chars[offsets[0] : offsets[-1]] = codes[np.repeat(starts[at], lengths) + within]
        self._hash_store[first:last] = new_word_hashes(keys)
        self._empty_store[first:last] = np.fromiter((not k for k in keys), dtype=bool, count=count)
        self._poly_store[first:last] = polys[at]
        self.words.extend(keys)
        self.hashes = self._hash_store[:last]
        self.empty = self._empty_store[:last]
        slot_hash, slot_number, _, _ = self.table
        if 2 * last > len(slot_hash):  # keep the table at most half full: re-file every form in a bigger one
            size = len(slot_hash)
            while 2 * last > size:
                size *= 2
            slot_hash, slot_number = np.zeros(size, np.uint64), np.full(size, -1, np.int64)
            kernels.intern_add(self._poly_store[:first], np.arange(first, dtype=np.int64), slot_hash, slot_number)
        self.table = (slot_hash, slot_number, self._chars, self._first_char)
        kernels.intern_add(polys[at], np.arange(first, last, dtype=np.int64), slot_hash, slot_number)

    def stems(self, stop: frozenset[str], stem_prefix: int, upto: int) -> tuple[np.ndarray, np.ndarray]:
        """Stem hash and content flag of words 0..upto-1 (at least), for this stopword list and stem length."""
        found = self.features.get((stop, stem_prefix))
        if found is not None and len(found[0]) >= upto:
            return found
        with _numbering_lock:
            key = (stop, stem_prefix)
            stems, content = self._feature_stores.get(key, (np.empty(0, np.uint64), np.empty(0, bool)))
            done = len(self.features[key][0]) if key in self.features else 0
            last = len(self.hashes)
            new = self.words[done:last]
            flags = np.fromiter((_is_content(w, stop) for w in new), dtype=bool, count=len(new))
            values = np.fromiter(
                (word_hash(w[:stem_prefix]) if f else 0 for w, f in zip(new, flags.tolist(), strict=True)),
                dtype=np.uint64, count=len(new),
            )
            if last > len(stems):  # grown by doubling (readers keep the views they hold)
                stems, content = _grown(stems[:done], last), _grown(content[:done], last, False)
                self._feature_stores[key] = (stems, content)
            stems[done:last], content[done:last] = values, flags
            found = self.features[key] = (stems[:last], content[:last])
        return found


def _is_content(word: str, stop: frozenset[str]) -> bool:
    """A content word: not a stopword, not a single ASCII character (as `prepare` decides, on either path)."""
    return not (word in stop or (len(word) == 1 and word.isascii()))


_numbering_lock = threading.Lock()
_numbered = _Numbered()


def _tokenize(text: str) -> tuple[Tokens, np.ndarray | None, _Numbered | None]:
    """Tokens, plus (on the compiled path) each token's form number in the `_Numbered` returned."""
    global _numbered
    if not text or not available():
        return tokenize_exact(text), None, None
    codes = code_points(text)
    starts, ends = word_bounds(codes)
    if len(_numbered) > _MAX_CACHE:
        _numbered = _Numbered()
    numbered = _numbered
    numbers = numbered.numbers(text, codes, starts, ends)
    empty = numbered.empty[numbers]
    if empty.any():  # marks or zero-widths alone are no word: drop those occurrences, as the regex path does
        keep = ~empty
        numbers, starts, ends = numbers[keep], starts[keep], ends[keep]
    tokens = Tokens.numbered(numbers, numbered.words, numbered.hashes[numbers], starts, ends)
    return tokens, numbers, numbered


def analyse(text: str, stopwords: Collection[str], stem_prefix: int) -> tuple[Tokens, np.ndarray, np.ndarray]:
    """Tokens, the token indices of content words (not stopwords, not one ASCII character) and the hash of
    each content word's stem (its first `stem_prefix` characters): what `prepare` computes word by word,
    here from `_Numbered`'s tables by form number."""
    tokens, numbers, numbered = _tokenize(text)
    stop = stopwords if isinstance(stopwords, frozenset) else frozenset(stopwords)
    if numbered is None or numbers is None:  # the regex path
        words = tokens.words
        content = np.fromiter((i for i, w in enumerate(words) if _is_content(w, stop)), dtype=np.int64)
        stems = np.fromiter((word_hash(words[i][:stem_prefix]) for i in content.tolist()), dtype=np.uint64,
                            count=len(content))
        return tokens, content, stems
    stem_table, content_table = numbered.stems(stop, stem_prefix, len(numbered.hashes))
    content = np.flatnonzero(content_table[numbers]).astype(np.int64)
    return tokens, content, stem_table[numbers[content]]
