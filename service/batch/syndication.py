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
from shingling import Comparison
from shingling.align import Ignore
from shingling.attribution import Attribution, find_attributions
from shingling.boilerplate import BoilerplateModel
from shingling.discount import discount
from shingling.syndication import ArticleInfo, describe
from shingling.wires import WireRegistry

__all__ = ["ScanSyndication"]


class ScanSyndication:
    """Everything the scan knows about the articles' syndication, learned once from all of them."""

    def __init__(self, loaded: Loaded, registry: WireRegistry | None = None, min_others: int = 2) -> None:
        self.registry = registry or wires.registry()
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
            self.boilerplate.add(meta.get("source"), p.doc)
        self._ignore: dict[str, Ignore] = {}

    def ignore(self, doc_id: str) -> Ignore:
        """The words of a document that never count as reuse, and why."""
        if doc_id not in self._ignore:
            p = self.by_id[doc_id]
            marks = attribution_marks(p.doc, self.attributions[doc_id])
            marks.update(self.boilerplate.ignore(p.article.meta.get("source"), p.doc, stored=True))
            self._ignore[doc_id] = marks
        return self._ignore[doc_id]

    def document_fields(self, doc_id: str) -> dict[str, Any]:
        """What a document's report entry says about its credits and wire status."""
        return {
            "wire": self.info[doc_id].wire_agency(self.registry),
            "attributions": [a.to_dict() for a in self.attributions[doc_id]],
        }

    def within(self, a: str, b: str, days: float | None) -> bool:
        """Whether two documents were published within `days` of each other (True when a date is unknown)."""
        return within_days(self.info[a].published_at, self.info[b].published_at, days)

    def apply(self, a: str, b: str, comparison: Comparison) -> tuple[Comparison, dict[str, Any] | None]:
        """The comparison without boilerplate and credit lines, and the pair's wire label and direction."""
        pa, pb = self.by_id[a], self.by_id[b]
        discounted = discount(comparison, pa.doc, pb.doc, self.ignore(a), self.ignore(b))
        if not discounted.shared:
            return discounted, None
        label = describe(discounted, self.info[a], self.info[b], self.registry)
        return discounted, label.to_dict(names=(a, b))
