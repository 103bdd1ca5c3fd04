"""Chinese and Japanese, where the tokeniser makes each character a word (`normalise._WORD`, as search engines
index these scripts): what the alignment and the derivation measure weigh there instead of single characters.

Two reports of one kind in Japanese share most of the few hundred characters they are written with, kana and
kanji ("警察によると", "病院に運ばれた"): weighed character by character, unrelated accident reports came out as
near-duplicates (35 of 43 unrelated pairs of `tests/fixtures/genre/ja` shared a passage, 20 of 43 in Chinese).
So the alignment's vocabulary is character pairs, close to words (`paired_terms`), its word counts are scaled to
characters (`counted`), and the derivation measure reads character pairs as its words (`paired_words`). Korean
writes spaces between words and is read as any other language.
"""

from __future__ import annotations

import functools
from dataclasses import replace

import numpy as np

from shingling import fasttokens
from shingling.config import EngineConfig
from shingling.document import Document
from shingling.wires import has_cjk as _has_cjk_letter

WORD_CHARS = 2
"""Characters to a word in Chinese and Japanese (a Chinese word is 1.7 characters on average, a Japanese one a
little more with its kana endings): the alignment's word counts (a passage's least matched words, the shortest
reported passage) are this many times larger for two texts written in them."""
MOSTLY = 0.5
"""The share of a text's content words that must be single CJK characters for it to be read as Chinese or
Japanese."""
_MIX = np.uint64(0x9E3779B97F4A7C15)
_HIRAGANA = (0x3040, 0x309F)
"""Hiragana: Japanese particles, endings and auxiliaries ("によ", "ると", "された"); alone, its function words."""


def has_cjk(doc: Document) -> bool:
    """Whether `doc`'s text holds a CJK letter (looked for once a document: a scan of a long non-ASCII text takes
    tens of microseconds, and the alignment asks for every pair)."""
    found = doc.derived.get(_HAS_CJK)
    if found is None:
        found = doc.derived[_HAS_CJK] = _has_cjk_letter(doc.text)
    return bool(found)


_HAS_CJK = ("has cjk",)
_LAYOUT = ("cjk layout",)


def _layout(doc: Document) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per content word, once a document: whether it is one of the characters the tokeniser makes a word of its
    own (Han and kana; `fasttokens.SINGLE`), whether it and the next are such characters written together, and
    whether it is hiragana."""
    found = doc.derived.get(_LAYOUT)
    if found is None:
        starts, ends = doc.tokens.starts[doc.content], doc.tokens.ends[doc.content]
        codes = np.fromiter((ord(doc.text[i]) for i in starts.tolist()), dtype=np.int64, count=len(starts))
        single = (ends - starts == 1) & (fasttokens.char_classes()[codes] == fasttokens.SINGLE)
        kana = single & (codes >= _HIRAGANA[0]) & (codes <= _HIRAGANA[1])
        paired = single[:-1] & single[1:] & (ends[:-1] == starts[1:])  # written next to the next one
        found = doc.derived[_LAYOUT] = (single, paired, kana)
    return found[0], found[1], found[2]


def mostly_cjk(doc: Document) -> bool:
    """Whether most of `doc`'s content words are single CJK characters (a Chinese or Japanese text)."""
    if not len(doc.content) or not has_cjk(doc):
        return False
    return float(_layout(doc)[0][:2000].mean()) >= MOSTLY


def _kana_alone(doc: Document) -> np.ndarray:
    """Per content word: whether its term (`paired_terms`) is hiragana alone, the word paired or not."""
    _, paired, kana = _layout(doc)
    alone = kana.copy()
    alone[:-1] = np.where(paired, kana[:-1] & kana[1:], kana[:-1])
    return alone


def paired_terms(doc: Document) -> np.ndarray:
    """Each content word's stem; a CJK character's paired with the next character's where they are written
    together (the last of a run keeps its own). `doc.stems` itself for texts without CJK characters."""
    stems = doc.stems
    if len(stems) < 2 or not has_cjk(doc):
        return stems
    paired = _layout(doc)[1]
    out = stems.copy()
    with np.errstate(over="ignore"):
        out[:-1][paired] = stems[:-1][paired] * _MIX ^ stems[1:][paired]
    return out


def paired_words(doc: Document, words: list[str]) -> list[str]:
    """`words` (one per content word of `doc`), a CJK character's joined with the next where they are written
    together, as `paired_terms` pairs the stems; pairs of hiragana alone (function words) left out."""
    if len(words) < 2 or not has_cjk(doc):
        return words
    paired, alone = _layout(doc)[1].tolist(), _kana_alone(doc).tolist()
    return [w + words[i + 1] if i < len(paired) and paired[i] else w for i, w in enumerate(words) if not alone[i]]


def kana_terms(doc: Document) -> frozenset[int]:
    """The terms (`paired_terms`) of `doc` that are hiragana alone: Japanese function words, weak in the alignment
    as other languages' are (`align._weak_in`)."""
    if len(doc.content) < 2 or not has_cjk(doc):
        return frozenset()
    return frozenset(paired_terms(doc)[_kana_alone(doc)].tolist())


@functools.lru_cache(maxsize=8)
def counted(cfg: EngineConfig) -> EngineConfig:
    """`cfg` with its word counts in characters (`WORD_CHARS`), for two Chinese or Japanese texts."""
    return replace(
        cfg,
        min_verbatim_words=cfg.min_verbatim_words * WORD_CHARS,
        min_matched_words=cfg.min_matched_words * WORD_CHARS,
        min_report_words=cfg.min_report_words * WORD_CHARS,
        min_passage_words=cfg.min_passage_words * WORD_CHARS,
    )
