"""Site boilerplate, learned per source: lines that recur across a source's articles never count as reuse.

Share bars, donation appeals, newsletter and comment prompts, copyright footers and "Advertisement" repeat on
every article of a site. A line (paragraph) of an article is boilerplate for its source when the same words
stand as a line in at least `min_others` *other stories* of that source. Lines are keyed by their normalised
words, so spacing, quotes and case do not matter.

A story is an article with its versions: articles of the source whose shared lines hold most of the words of
each (`same_story`: an update that adds an "Updated at" line or a paragraph). Counting articles instead, three
versions of one story made all its paragraphs the site's boilerplate, and the story's reuse by other sites
went unreported. Two different stories share only the template's lines, which are short beside a story's
paragraphs, so they stay apart even when both are briefs.

    >>> from shingling import prepare
    >>> model = BoilerplateModel(min_others=1)
    >>> footer = "Join our commenting forum"
    >>> a = prepare("Storm closes the port.\\n" + footer)
    >>> b = prepare("Frost hits the orchards.\\n" + footer)
    >>> model.add("site", a); model.add("site", b)
    >>> sorted(set(model.ignore("site", a, stored=True).values()))
    ['boilerplate']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import numpy as np
import regex
import xxhash

from shingling.document import Document

_NEWLINE = regex.compile("\n")


def line_keys(doc: Document) -> list[tuple[int, int, int]]:
    """(key, first token, last token + 1) of every non-empty line of `doc`."""
    text, tokens = doc.text, doc.tokens
    out = []
    start = 0
    for end in [*(m.start() for m in _NEWLINE.finditer(text)), len(text)]:
        lo = int(np.searchsorted(tokens.starts, start))
        hi = int(np.searchsorted(tokens.starts, end))
        if hi > lo:
            out.append((xxhash.xxh3_64_intdigest(tokens.hashes[lo:hi].tobytes()), lo, hi))
        start = end + 1
    return out


def line_words(doc: Document) -> dict[int, int]:
    """Each distinct line key of `doc` with its number of words (what `same_story` weighs lines by)."""
    words: dict[int, int] = {}
    for key, lo, hi in line_keys(doc):
        words.setdefault(key, hi - lo)
    return words


STORY_SHARE = 0.7
"""Share of the words of each article that lines they both hold must make up for two articles of one source to
be versions of one story (an update edits or adds a few paragraphs; a template's lines are a small part of
any story, a brief's included)."""


Lines = tuple[np.ndarray, np.ndarray]
"""An article's distinct line keys (ascending) and each one's words (int64): `as_lines`."""


def as_lines(words: Mapping[int, int]) -> Lines:
    """Line keys with their words (`line_words`, or as stored) as two arrays sorted by key: what `same_story`
    compares, and what the scan keeps of an article for the model. Keys are uint64, or int64 when signed."""
    dtype = np.int64 if any(key < 0 for key in words) else np.uint64
    keys = np.fromiter(words, dtype=dtype, count=len(words))
    order = np.argsort(keys)
    return keys[order], np.fromiter(words.values(), dtype=np.int64, count=len(words))[order]


def line_arrays(doc: Document) -> Lines:
    """`as_lines` of a document's `line_words`."""
    return as_lines(line_words(doc))


def same_story(a: Lines, b: Lines, share: float = STORY_SHARE) -> bool:
    """Whether two articles of one source, given as `as_lines`, are versions of one story."""
    _, at, _ = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    shared = int(a[1][at].sum())
    return shared > 0 and shared >= share * int(a[1].sum()) and shared >= share * int(b[1].sum())


class BoilerplateModel:
    """Counts, per source, in how many stories each line occurs.

    Articles are added with their `line_words`; stories are formed when the counts are first read after an
    addition (`same_story` between articles that share one of their heaviest lines, joined transitively)."""

    CANDIDATE_LINES = 3
    """An article's versions are looked for among the articles sharing one of its this many heaviest lines."""
    CROWDED = 50
    """A line held by more articles than this proposes no versions (a long appeal on every page of a site)."""

    def __init__(self, min_others: int = 2) -> None:
        self.min_others = min_others
        self._lines: dict[str, list[Lines]] = {}  # per source, each article's line_arrays
        self._counts: dict[str, Counter[int]] = {}  # per source, stories holding each line (made when read)

    def add(self, source: str | None, doc: Document) -> None:
        """Count the lines of an article of `source` (articles without a source teach nothing)."""
        self.add_lines(source, line_arrays(doc))

    def add_lines(self, source: str | None, lines: Lines) -> None:
        """`add` from the article's `line_arrays`, kept instead of the prepared article (the scan)."""
        if source:
            self._lines.setdefault(source, []).append(lines)
            self._counts.pop(source, None)

    def remove(self, source: str | None, doc: Document) -> None:
        """Forget an article added before (when it is deleted)."""
        if source and source in self._lines:
            keys, words = line_arrays(doc)
            articles = self._lines[source]
            for i, (k, w) in enumerate(articles):
                if np.array_equal(k, keys) and np.array_equal(w, words):
                    del articles[i]
                    self._counts.pop(source, None)
                    break

    def _stories(self, source: str) -> Counter[int]:
        """Stories holding each line of `source` (articles joined into stories first)."""
        known = self._counts.get(source)
        if known is not None:
            return known
        articles = self._lines.get(source, [])
        holders: dict[int, list[int]] = {}
        for i, (keys, _) in enumerate(articles):
            for key in keys.tolist():
                holders.setdefault(key, []).append(i)
        parent = list(range(len(articles)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i, (keys, words) in enumerate(articles):
            heaviest = keys[np.argsort(-words, kind="stable")[: self.CANDIDATE_LINES]].tolist()
            for key in heaviest:
                others = holders[key]
                if len(others) > self.CROWDED:
                    continue
                for j in others:
                    if j != i and root(i) != root(j) and same_story(articles[i], articles[j]):
                        parent[root(j)] = root(i)
        counts: Counter[int] = Counter()
        for key, held in holders.items():
            counts[key] = len({root(i) for i in held})
        self._counts[source] = counts
        return counts

    def ignore(self, source: str | None, doc: Document, stored: bool) -> dict[int, str]:
        """Token index -> "boilerplate" for every word of `doc` in a boilerplate line of its source.

        `stored` says whether `doc` itself was added (then its story does not count as one of the others).
        """
        if not source or source not in self._lines:
            return {}
        counts = self._stories(source)
        own = 1 if stored else 0
        marks: dict[int, str] = {}
        for key, lo, hi in line_keys(doc):
            if counts.get(key, 0) - own >= self.min_others:
                marks.update(dict.fromkeys(range(lo, hi), "boilerplate"))
        return marks
