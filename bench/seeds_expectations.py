"""What the engine must find in the five seed articles, as data the benchmark and the engine tests share.

Seeds 000, 001 and 002 report one 2015 story (a Chinese diplomat on Ukraine); 003 and 004 one 2022 story
(Wang Yi's call with Blinken). Each :class:`SharedPassage` names a stretch of text that one article reuses
from the other, quoted exactly as it appears in each file (``snippet_a`` in ``doc_a``, ``snippet_b`` in
``doc_b``; the wording may differ, as in "stimulate" vs "agitate"). Nothing may link the two stories.

>>> [e.label for e in EXPECTED_SHARED if e.doc_a == "003"]
['remain calm', 'reasonable security concerns']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bench.common import covered_chars, read_text

__all__ = [
    "EXPECTED_SHARED",
    "MIN_COVERAGE",
    "STORIES",
    "Coverage",
    "SharedPassage",
    "coverage",
    "cross_story_pairs",
    "locate",
    "read_seed",
]

#: Share of each snippet's characters that the reported passages must cover for it to count as found.
MIN_COVERAGE = 0.5

#: The seeds grouped by story; no passage may be reported between two groups.
STORIES: tuple[tuple[str, ...], ...] = (("000", "001", "002"), ("003", "004"))


@dataclass(frozen=True)
class SharedPassage:
    """One expected reuse: ``snippet_a`` of seed ``doc_a`` is reused as ``snippet_b`` in seed ``doc_b``."""

    label: str
    doc_a: str
    doc_b: str
    snippet_a: str
    snippet_b: str


_UNWILLING = (
    "The United States is unwilling to see its presence in any part of the world being weakened, but the "
    "fact is its resources are limited, and it will be to some extent hard work to sustain its influence "
    "in external affairs"
)
_LAVROV = (
    "Russian Foreign Minister Sergei Lavrov accused Western powers of trying to dominate and impose their "
    "ideology on the rest of world"
)

EXPECTED_SHARED: tuple[SharedPassage, ...] = (
    SharedPassage("Lavrov paragraph", "000", "001", _LAVROV, _LAVROV),
    SharedPassage(
        "nature and root cause",
        "000",
        "001",
        'the "nature and root cause" of the crisis was the "game" between Russia and Western powers, '
        "including the United States and the European Union",
        'the "nature and root cause" of the crisis was the "game" between Russia and western powers the '
        "United States and EU",
    ),
    SharedPassage("unwilling to see its presence", "000", "001", _UNWILLING, _UNWILLING),
    SharedPassage(
        "become a distraction",
        "000",
        "001",
        "become a distraction in its foreign policy",
        "become a distraction in its foreign policy",
    ),
    SharedPassage(
        "abandon the zero-sum mentality",
        "000",
        "001",
        "The West should abandon the zero-sum mentality, and take the real security concerns of Russia into "
        "consideration",
        'the West should take "the real security concerns of Russia into consideration"',
    ),
    SharedPassage(
        "remain calm",
        "003",
        "004",
        "We call on all parties to remain calm and refrain from doing things that stimulate tension and "
        "hype up the crisis",
        "We call on all parties to remain calm and refrain from doing things that agitate tension and hype "
        "up the crisis",
    ),
    SharedPassage(
        "reasonable security concerns",
        "003",
        "004",
        "Russia\u2019s reasonable security concerns should be taken seriously and resolved",
        "Russia\u2019s reasonable security concerns should be taken seriously and resolved",
    ),
)


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class _Pair(Protocol):
    @property
    def a(self) -> _Span: ...
    @property
    def b(self) -> _Span: ...


@dataclass(frozen=True)
class Coverage:
    """How much of an expected passage the reported passages cover, on each side."""

    expected: SharedPassage
    a: float
    b: float

    @property
    def found(self) -> bool:
        return self.a >= MIN_COVERAGE and self.b >= MIN_COVERAGE


def read_seed(seeds_dir: Path, name: str) -> str:
    """The seed's text exactly as stored (no newline translation), so offsets match the file."""
    return read_text(seeds_dir / f"{name}.txt")


def locate(text: str, snippet: str) -> tuple[int, int]:
    """Character span [start, end) of the snippet, which must occur exactly once in the text."""
    start = text.find(snippet)
    if start < 0 or text.find(snippet, start + 1) >= 0:
        raise ValueError(f"snippet must occur exactly once in the seed: {snippet[:60]!r}")
    return start, start + len(snippet)


def coverage(expected: SharedPassage, text_a: str, text_b: str, passages: Sequence[_Pair]) -> Coverage:
    """Share of each snippet covered by the passage pairs that overlap both snippets at once.

    ``passages`` are the engine's passage pairs for (doc_a, doc_b), with ``a`` spans into ``text_a``. A pair
    only counts when it links the two snippets to each other, not when it touches them separately.
    """
    span_a, span_b = locate(text_a, expected.snippet_a), locate(text_b, expected.snippet_b)
    linking = [
        p
        for p in passages
        if p.a.start < span_a[1] and p.a.end > span_a[0] and p.b.start < span_b[1] and p.b.end > span_b[0]
    ]
    cov_a = covered_chars(*span_a, ((p.a.start, p.a.end) for p in linking)) / (span_a[1] - span_a[0])
    cov_b = covered_chars(*span_b, ((p.b.start, p.b.end) for p in linking)) / (span_b[1] - span_b[0])
    return Coverage(expected, cov_a, cov_b)


def cross_story_pairs(linked: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs among ``linked`` (seed names that share passages) whose seeds belong to different stories."""
    story = {name: i for i, names in enumerate(STORIES) for name in names}
    return sorted((a, b) for a, b in linked if story[a] != story[b])
