"""A prepared article: its tokens, passages and passage signatures, made once and reused.

Passages and signatures are made on first use: comparing a stored article needs only its tokens, content words
and sentences, and a check prepares dozens of stored candidates (at a million passages most are not in the
document cache), so not splitting and signing them saves a quarter of a cold candidate's preparation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from shingling.config import EngineConfig
from shingling.errors import EmptyDocumentError
from shingling.fasttokens import analyse
from shingling.normalise import Tokens
from shingling.paragraphs import Passage, split_passages
from shingling.sentences import sentence_starts
from shingling.shingles import kgram_hashes
from shingling.signatures import signatures as make_signatures
from shingling.stopwords import DEFAULT as DEFAULT_STOPWORDS

DEFAULT_CONFIG = EngineConfig()


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
    def passages(self) -> list[Passage]:
        """The text's passages (paragraphs, long ones cut into windows), made on first use."""
        found: list[Passage] | None = self.__dict__.get("_passages")
        if found is None:
            cfg = self.config
            found = split_passages(self.text, self.tokens, cfg.passage_min_words, cfg.passage_max_words,
                                   cfg.window_words)
            object.__setattr__(self, "_passages", found)  # (two threads may both make it: the same value)
        return found

    @property
    def signatures(self) -> np.ndarray:
        """(len(passages), num_perm) uint32 MinHash signatures of the passages, made on first use."""
        found: np.ndarray | None = self.__dict__.get("_signatures")
        if found is None:
            found = _sign(self.passages, self.tokens, self.content, self.stems, self.config)
            object.__setattr__(self, "_signatures", found)
        return found


def _shingle_bounds(lo: np.ndarray, hi: np.ndarray, n_words: int, k: int) -> list[tuple[int, int]]:
    """Which shingles (by first word) lie inside each run of words [lo, hi); a run shorter than k keeps one."""
    count = max(n_words - k + 1, 1)
    first = np.minimum(lo, count - 1)
    stop = np.maximum(np.minimum(hi - k + 1, count), first + 1)
    return list(zip(first.tolist(), stop.tolist(), strict=True))


def _token_bounds(passages: list[Passage]) -> tuple[np.ndarray, np.ndarray]:
    """First token and end token of each passage, as arrays."""
    lo = np.fromiter((p.tok_start for p in passages), dtype=np.int64, count=len(passages))
    hi = np.fromiter((p.tok_end for p in passages), dtype=np.int64, count=len(passages))
    return lo, hi


def _shingle_ranges(passages: list[Passage], n_tokens: int, k: int) -> list[tuple[int, int]]:
    """Which shingles (by first word) lie inside each passage; a passage shorter than k keeps one."""
    return _shingle_bounds(*_token_bounds(passages), n_tokens, k)


def _sign(passages: list[Passage], tokens: Tokens, content: np.ndarray, stems: np.ndarray,
          cfg: EngineConfig) -> np.ndarray:
    """Passage signatures over shingles of all words, or of content-word stems (robust to rewording)."""
    k = cfg.shingle_size
    if cfg.signature_words == "stems" and len(stems):
        lo, hi = np.searchsorted(content, _token_bounds(passages))
        ranges = _shingle_bounds(lo, hi, len(stems), k)
        return make_signatures(kgram_hashes(stems, k), ranges, cfg.num_perm, cfg.seed)
    return make_signatures(kgram_hashes(tokens.hashes, k), _shingle_ranges(passages, len(tokens), k), cfg.num_perm,
                           cfg.seed)


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
