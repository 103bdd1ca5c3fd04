"""A prepared article: its tokens, passages and passage signatures, made once and reused.

Passages and signatures are made on first use: comparing a stored article needs only its tokens, content words
and sentences, and a check prepares dozens of stored candidates (at a million passages most are not in the
document cache), so not splitting and signing them saves a quarter of a cold candidate's preparation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from shingling import kernels
from shingling.config import EngineConfig
from shingling.errors import EmptyDocumentError
from shingling.fasttokens import analyse
from shingling.normalise import Tokens
from shingling.paragraphs import Passage, passage_bounds, passages_at
from shingling.sentences import sentence_starts
from shingling.signatures import permutations
from shingling.stopwords import DEFAULT as DEFAULT_STOPWORDS

DEFAULT_CONFIG = EngineConfig()
_NO_POSITIONS = np.empty(0, dtype=np.int64)


@dataclass(frozen=True)
class Document:
    """Everything the engine needs to know about one text."""

    text: str
    tokens: Tokens
    config: EngineConfig
    content: np.ndarray = field(repr=False)  # token indices of content (non-stop) words
    stems: np.ndarray = field(repr=False)  # uint64 hash of each content word's stem
    sentences: np.ndarray = field(repr=False)  # token index where each sentence starts
    derived: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    """What the alignment computes from this text alone (seed tables, sentence terms), made once and reused
    for every comparison: a check compares one posted text with dozens of stored ones."""

    @property
    def words(self) -> int:
        return len(self.tokens)

    @property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """First and end token of each passage (paragraphs, long ones cut into windows), made on first use."""
        found: tuple[np.ndarray, np.ndarray] | None = self.__dict__.get("_bounds")
        if found is None:
            cfg = self.config
            found = passage_bounds(self.text, self.tokens, cfg.passage_min_words, cfg.passage_max_words,
                                   cfg.window_words)
            object.__setattr__(self, "_bounds", found)  # (two threads may both make it: the same value)
        return found

    @property
    def passages(self) -> list[Passage]:
        """The text's passages with their character spans, made on first use."""
        found: list[Passage] | None = self.__dict__.get("_passages")
        if found is None:
            found = passages_at(self.tokens, *self.bounds)
            object.__setattr__(self, "_passages", found)
        return found

    @property
    def query_signatures(self) -> np.ndarray:
        """What a candidate search queries with: the passages' signatures, then those of windows of
        `query_window_words` words every `query_window_stride` words over the whole text, across paragraph
        breaks. A reused stretch that straddles paragraphs, or is only part of a long one, shares more of some
        window than of any paragraph (PAN 2013, 40 / 25: candidate recall of random obfuscation 0.871 -> 0.927,
        of translations 0.893 -> 0.935, for 29 % more candidates). Stored articles index their passages only."""
        found: np.ndarray | None = self.__dict__.get("_query_signatures")
        if found is None:
            cfg = self.config
            windows = query_windows(len(self.tokens), cfg.query_window_words, cfg.query_window_stride)
            found = self.signatures
            if len(windows[0]):
                found = np.concatenate([found, sign_passages(windows, self.tokens, self.content, self.stems, cfg)])
            object.__setattr__(self, "_query_signatures", found)
        return found

    def forget_signatures(self) -> None:
        """Drop the passage and query signatures made so far (a third of a prepared text's memory): a scan
        queries each article once and afterwards only compares it, which needs neither."""
        self.__dict__.pop("_signatures", None)
        self.__dict__.pop("_query_signatures", None)

    @property
    def signatures(self) -> np.ndarray:
        """(len(passages), num_perm) uint32 MinHash signatures of the passages, made on first use."""
        found: np.ndarray | None = self.__dict__.get("_signatures")
        if found is None:
            found = sign_passages(self.bounds, self.tokens, self.content, self.stems, self.config)
            object.__setattr__(self, "_signatures", found)
        return found


def query_windows(n: int, words: int, stride: int) -> tuple[np.ndarray, np.ndarray]:
    """`[lo, hi)` token ranges of windows of `words` words every `stride` words over `n` tokens (the last may be
    shorter; one window of everything when `n <= words`); none when `words` or `stride` is 0."""
    if words <= 0 or stride <= 0 or n == 0:
        return _NO_POSITIONS, _NO_POSITIONS
    if n <= words:
        return np.zeros(1, dtype=np.int64), np.full(1, n, dtype=np.int64)
    lo = np.arange(0, n - words + stride, stride, dtype=np.int64)
    lo = lo[lo < n]
    return lo, np.minimum(lo + words, n)


def sign_passages(bounds: tuple[np.ndarray, np.ndarray], tokens: Tokens, content: np.ndarray, stems: np.ndarray,
                  cfg: EngineConfig) -> np.ndarray:
    """Signatures of the passages `bounds` (first and end tokens), over shingles of all words, or of
    content-word stems (robust to rewording)."""
    k = cfg.shingle_size
    lo, hi = bounds
    a, b = permutations(cfg.num_perm, cfg.seed)
    if cfg.signature_words == "stems" and len(stems):
        return kernels.sign_runs(stems, content, lo, hi, k, a, b)  # shingle ranges, k-gram hashes, MinHash
    if len(tokens) == 0:  # no shingle: every signature stays empty, as MinHash leaves it
        return np.full((len(lo), cfg.num_perm), 0xFFFFFFFF, dtype=np.uint32)
    return kernels.sign_runs(tokens.hashes, _NO_POSITIONS, lo, hi, k, a, b)


def prepare(text: str, config: EngineConfig | None = None) -> Document:
    """Tokenise, split into passages and sign `text`; raises EmptyDocumentError when it has no words."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    cfg = config or DEFAULT_CONFIG
    stop = cfg.stopwords or DEFAULT_STOPWORDS
    tokens, content, stems = analyse(text, stop, cfg.stem_prefix)
    if len(tokens) == 0:
        raise EmptyDocumentError("the text has no words (it is empty or only punctuation and spaces)")
    return Document(
        text=text, tokens=tokens, config=cfg, content=content, stems=stems,
        sentences=sentence_starts(text, tokens, cfg.sentence_min_words),
    )
