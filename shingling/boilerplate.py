"""Site boilerplate, learned per source: lines that recur across a source's articles never count as reuse.

Share bars, donation appeals, newsletter and comment prompts, copyright footers and "Advertisement" repeat on
every article of a site. A line (paragraph) of an article is boilerplate for its source when the same words
stand as a line in at least `min_others` *other* articles of that source. Lines are keyed by their normalised
words, so spacing, quotes and case do not matter.

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


def distinct_lines(doc: Document) -> np.ndarray:
    """The distinct keys of `doc`'s non-empty lines (uint64, ascending): what the model counts of it."""
    return np.unique(np.fromiter((key for key, _, _ in line_keys(doc)), dtype=np.uint64))


class BoilerplateModel:
    """Counts, per source, in how many articles each line occurs."""

    def __init__(self, min_others: int = 2) -> None:
        self.min_others = min_others
        self._counts: dict[str, Counter[int]] = {}

    def add(self, source: str | None, doc: Document) -> None:
        """Count the lines of an article of `source` (articles without a source teach nothing)."""
        self.add_keys(source, distinct_lines(doc))

    def add_keys(self, source: str | None, keys: np.ndarray) -> None:
        """`add` from the article's `distinct_lines`, kept instead of the prepared article (the scan)."""
        if source:
            self._counts.setdefault(source, Counter()).update(keys.tolist())

    def remove(self, source: str | None, doc: Document) -> None:
        """Forget an article added before (when it is deleted)."""
        if source and source in self._counts:
            counts = self._counts[source]
            counts.subtract(distinct_lines(doc).tolist())
            for key in [k for k, n in counts.items() if n <= 0]:
                del counts[key]

    def ignore(self, source: str | None, doc: Document, stored: bool) -> dict[int, str]:
        """Token index -> "boilerplate" for every word of `doc` in a boilerplate line of its source.

        `stored` says whether `doc` itself was added (then it does not count as one of the others).
        """
        counts = self._counts.get(source or "")
        if not counts:
            return {}
        own = 1 if stored else 0
        marks: dict[int, str] = {}
        for key, lo, hi in line_keys(doc):
            if counts.get(key, 0) - own >= self.min_others:
                marks.update(dict.fromkeys(range(lo, hi), "boilerplate"))
        return marks
