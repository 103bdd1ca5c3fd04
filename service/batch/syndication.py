"""Syndication in the scan: credit lines per article, boilerplate learned per source, and per pair the wire
label and direction (the same fields the service reports).

Sources come from each record's `source` (JSON, JSONL) or the site name trafilatura finds in HTML; plain text
files have none, so nothing is learned about their boilerplate, but their credit lines still count.
"""

from __future__ import annotations

from typing import Any

from service import wires
from service.batch.scanner import Loaded
from service.syndication import attribution_marks, parse_date, within_days
from shingling import Comparison, Document
from shingling.align import Ignore
from shingling.attribution import Attribution, find_attributions
from shingling.boilerplate import BoilerplateModel
from shingling.discount import discount
from shingling.syndication import ArticleInfo, describe
from shingling.wires import WireRegistry

__all__ = ["ScanSyndication"]


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
        for p in loaded.prepared:
            found = find_attributions(p.article.text, self.registry)
            self.attributions[p.article.id] = found
            meta = p.article.meta
            self.info[p.article.id] = ArticleInfo(
                source=meta.get("source"),
                wire=None,
                published_at=parse_date(meta.get("published_at")),
                attributions=tuple(found),
            )
            self.boilerplate.add_keys(meta.get("source"), p.lines)

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
        return {
            "wire": self.info[doc_id].wire_agency(self.registry),
            "attributions": [a.to_dict() for a in self.attributions[doc_id]],
        }

    def wanted(self, a: str, b: str) -> bool:
        """Whether two documents were published within `within_days` of each other (yes when a date is unknown
        or there is no limit)."""
        return within_days(self.info[a].published_at, self.info[b].published_at, self.within_days)

    def apply(
        self, a: str, b: str, comparison: Comparison, doc_a: Document, doc_b: Document
    ) -> tuple[Comparison, dict[str, Any] | None]:
        """The comparison without boilerplate and credit lines, and the pair's wire label and direction."""
        discounted = discount(comparison, doc_a, doc_b, self.ignore(a, doc_a), self.ignore(b, doc_b))
        if not discounted.shared:
            return discounted, None
        label = describe(discounted, self.info[a], self.info[b], self.registry)
        return discounted, label.to_dict(names=(a, b))
