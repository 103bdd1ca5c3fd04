"""Syndication in the scan: credit lines per article, boilerplate learned per source, and per pair the wire
label and direction (the same fields the service reports).

Sources come from each record's `source` (JSON, JSONL) or the site name trafilatura finds in HTML; plain text
files have none, so nothing is learned about their boilerplate, but their credit lines still count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from service import wires
from service.batch.scanner import Loaded
from service.dates import parse_date
from service.syndication import attribution_marks, within_days
from shingling import Comparison, Document
from shingling.align import Ignore
from shingling.attribution import Attribution, find_attributions
from shingling.boilerplate import BoilerplateModel
from shingling.discount import discount
from shingling.syndication import ArticleInfo, describe
from shingling.wires import WireRegistry

__all__ = ["ScanSyndication", "credit_fields", "file_article_info", "pair_label"]

DISCOUNTED_KEPT = 4096
"""Discounted alignments of pairs of copied texts a worker remembers (the oldest go first)."""


class ScanSyndication:
    """Everything the scan knows about the articles' syndication, learned once from all of them.

    It is the scan's `PairHook`: the workers, which hold the prepared articles, discount and label each pair."""

    def __init__(
        self,
        loaded: Loaded,
        registry: WireRegistry | None = None,
        min_others: int = 2,
        within_days: float | None = None,
    ) -> None:
        self.registry = registry or wires.registry()
        self.within_days = within_days
        self.by_id = loaded.by_id()
        self.boilerplate = BoilerplateModel(min_others=min_others)
        self.attributions: dict[str, list[Attribution]] = {}
        self.info: dict[str, ArticleInfo] = {}
        # Copies of one text. From one source they are one article to the boilerplate model: a site that runs
        # a story three times has not made it boilerplate. And they are discounted alike, so a pair of such
        # copies is discounted once (`apply`).
        self._copy_of: dict[str, tuple[str, str | None]] = {}  # id -> (first id with its text, its source)
        self._copied: set[tuple[str, str | None]] = set()  # those (text, source) held more than once
        self._discounted: dict[tuple[tuple[str, str | None], tuple[str, str | None]], Comparison] = {}
        held: set[tuple[str, str | None]] = set()
        for p, first in zip(loaded.prepared, loaded.originals(), strict=True):
            meta = p.article.meta
            original = loaded.prepared[first].article.id
            copy = (original, meta.get("source"))
            if copy in held:
                self._copied.add(copy)
            else:
                held.add(copy)
                self.boilerplate.add_lines(meta.get("source"), p.lines)
            self._copy_of[p.article.id] = copy
            # credit lines are found in the text alone
            found = self.attributions[original] if original != p.article.id else find_attributions(
                p.article.text, self.registry)
            self.attributions[p.article.id] = found
            self.info[p.article.id] = file_article_info(meta, found)

    def ignore(self, doc_id: str, doc: Document) -> Ignore:
        """The words of a document that never count as reuse, and why (kept with the prepared document)."""
        key = ("scan ignore", id(self))
        marks: Ignore | None = doc.derived.get(key)
        if marks is None:
            marks = attribution_marks(doc, self.attributions[doc_id])
            marks.update(self.boilerplate.ignore(self.by_id[doc_id].article.meta.get("source"), doc, stored=True))
            doc.derived[key] = marks
        return marks

    def document_fields(self, doc_id: str) -> dict[str, Any]:
        """What a document's report entry says about its credits and wire status."""
        return credit_fields(self.info[doc_id], self.registry)

    def wanted(self, a: str, b: str) -> bool:
        """Whether two documents were published within `within_days` of each other (yes when a date is unknown
        or there is no limit)."""
        return within_days(self.info[a].published_at, self.info[b].published_at, self.within_days)

    def apply(
        self, a: str, b: str, comparison: Comparison, doc_a: Document, doc_b: Document
    ) -> tuple[Comparison, dict[str, Any] | None]:
        """The comparison without boilerplate and credit lines, and the pair's wire label and direction."""
        key = (self._copy_of[a], self._copy_of[b])
        discounted = self._discounted.get(key) if key[0] in self._copied or key[1] in self._copied else None
        if discounted is None:
            discounted = discount(comparison, doc_a, doc_b, self.ignore(a, doc_a), self.ignore(b, doc_b))
            if key[0] in self._copied or key[1] in self._copied:
                self._discounted[key] = discounted
                if len(self._discounted) > DISCOUNTED_KEPT:
                    del self._discounted[next(iter(self._discounted))]
        return discounted, pair_label(discounted, self.info[a], self.info[b], self.registry, (a, b))


def file_article_info(meta: Mapping[str, str], attributions: Sequence[Attribution]) -> ArticleInfo:
    """What an article read from a file says about itself: its source and date (a record's or a page's) and its
    credit lines; files carry no wire flag."""
    return ArticleInfo(
        source=meta.get("source"),
        wire=None,
        published_at=parse_date(meta.get("published_at")),
        attributions=tuple(attributions),
    )


def credit_fields(info: ArticleInfo, registry: WireRegistry) -> dict[str, Any]:
    """What a document's report entry says about its credits and wire status."""
    return {"wire": info.wire_agency(registry), "attributions": [a.to_dict() for a in info.attributions]}


def pair_label(
    comparison: Comparison, info_a: ArticleInfo, info_b: ArticleInfo, registry: WireRegistry, names: tuple[str, str]
) -> dict[str, Any] | None:
    """A discounted pair's wire label and direction as reports give them (None when nothing is shared)."""
    if not comparison.shared:
        return None
    return describe(comparison, info_a, info_b, registry).to_dict(names=names)
