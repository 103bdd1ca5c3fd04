"""A prepared article: its tokens, passages and passage signatures, made once and reused."""

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
    passages: list[Passage]
    signatures: np.ndarray  # (len(passages), num_perm) uint32
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


def _shingle_ranges(passages: list[Passage], n_tokens: int, k: int) -> list[tuple[int, int]]:
    """Which shingles (by first word) lie inside each passage; a passage shorter than k keeps one."""
    count = max(n_tokens - k + 1, 1)
    ranges = []
    for p in passages:
        lo = min(p.tok_start, count - 1)
        ranges.append((lo, max(min(p.tok_end - k + 1, count), lo + 1)))
    return ranges


def _sign(passages: list[Passage], tokens: Tokens, content: np.ndarray, stems: np.ndarray,
          cfg: EngineConfig) -> np.ndarray:
    """Passage signatures over shingles of all words, or of content-word stems (robust to rewording)."""
    if cfg.signature_words == "stems" and len(stems):
        lo = np.searchsorted(content, [p.tok_start for p in passages])
        hi = np.searchsorted(content, [p.tok_end for p in passages])
        runs = [Passage(int(a), int(b), p.start, p.end) for a, b, p in zip(lo, hi, passages, strict=True)]
        shingles = kgram_hashes(stems, cfg.shingle_size)
        return make_signatures(shingles, _shingle_ranges(runs, len(stems), cfg.shingle_size), cfg.num_perm, cfg.seed)
    shingles = kgram_hashes(tokens.hashes, cfg.shingle_size)
    return make_signatures(shingles, _shingle_ranges(passages, len(tokens), cfg.shingle_size), cfg.num_perm, cfg.seed)


def prepare(text: str, config: EngineConfig | None = None) -> Document:
    """Tokenise, split into passages and sign `text`; raises EmptyDocumentError when it has no words."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    cfg = config or DEFAULT_CONFIG
    stop = cfg.stopwords or DEFAULT_STOPWORDS
    tokens, content, stems = analyse(text, stop, cfg.stem_prefix)
    if len(tokens) == 0:
        raise EmptyDocumentError("the text has no words (it is empty or only punctuation and spaces)")
    passages = split_passages(text, tokens, cfg.passage_min_words, cfg.passage_max_words, cfg.window_words)
    sigs = _sign(passages, tokens, content, stems, cfg)
    return Document(
        text=text, tokens=tokens, passages=passages, signatures=sigs, config=cfg, content=content, stems=stems,
        sentences=sentence_starts(text, tokens, cfg.sentence_min_words),
    )
