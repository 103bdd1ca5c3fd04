"""`syndet scan DIR --html report.html`: one self-contained page to look at the reuse a scan found.

The page carries its style sheet, its script and its data inline (nothing is fetched, it works offline):
the clusters, the pairs ranked by how much they share, and the side-by-side view of every pair. Texts are
embedded once per document and each pair only as runs (`service.ui.segments.runs_json`); the script
builds a pair's view when it is opened, so a report of a few hundred pairs stays light in the browser.

The writer takes the same calls as the other report formats (`start`, `pair`, `finish`), so the scan
feeds it alongside the JSON/CSV report (`Tee`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from service.batch.readers import Article
from service.batch.report import ReportWriter
from service.batch.walk import Skipped
from service.dates import parse_date
from service.ui.templating import environment
from service.ui.views import PairView, SideView, pair_view, rank_key, side_view
from shingling import Comparison, PassagePair, Span
from shingling.comparison import IgnoredPassage
from shingling.syndication import Syndication

__all__ = ["HtmlReport", "Tee", "comparison_from_entry", "syndication_from_entry"]


MAX_PAIRS = 2000
"""Most pairs a page shows (the most shared): each carries both texts side by side, and a large folder can
have a million pairs; the JSON, JSONL and CSV reports hold them all."""


def _rank(entry: dict[str, Any]) -> tuple[Any, ...]:
    return (*rank_key(entry["containment"]["a"], entry["containment"]["b"], entry["jaccard"]), entry["a"], entry["b"])


class HtmlReport:
    """Collects the scan's most shared pairs and writes the page when the scan finishes."""

    def __init__(
        self, out: TextIO, articles: Iterable[Article], title: str = "syndet scan report", max_pairs: int = MAX_PAIRS
    ) -> None:
        self.out = out
        self.title = title
        self.articles = {a.id: a for a in articles}
        self.documents: list[dict[str, Any]] = []
        self.skipped: list[Skipped] = []
        self.params: dict[str, Any] = {}
        self.entries: list[dict[str, Any]] = []
        self.max_pairs = max_pairs
        self.total = 0

    def start(self, documents: list[dict[str, Any]], skipped: list[Skipped], params: dict[str, Any]) -> None:
        self.documents, self.skipped, self.params = documents, skipped, params

    def pair(self, entry: dict[str, Any]) -> None:
        self.entries.append(entry)
        self.total += 1
        if len(self.entries) >= 2 * self.max_pairs:  # keep the most shared: sorted and cut now and then
            self.entries = sorted(self.entries, key=_rank)[: self.max_pairs]

    def finish(self, clusters: list[list[str]]) -> None:
        self.out.write(self.render(clusters))
        self.out.flush()

    def render(self, clusters: list[list[str]]) -> str:
        sides: dict[str, SideView] = {}
        views: list[tuple[dict[str, Any], PairView]] = []
        ranked = sorted(self.entries, key=_rank)[: self.max_pairs]
        for i, entry in enumerate(ranked):
            a, b = self._side(sides, entry["a"]), self._side(sides, entry["b"])
            view = pair_view(
                dataclasses.replace(a, key="a"),
                dataclasses.replace(b, key="b"),
                comparison_from_entry(entry),
                prefix=f"pair-{i}-",
                syndication=syndication_from_entry(entry),
            )
            views.append((entry, view))
        data = {
            "docs": {doc_id: {**_meta(side), "text": side.text} for doc_id, side in sides.items()},
            "pairs": [{"a": e["a"], "b": e["b"], **v.to_json()} for e, v in views],
        }
        in_cluster = {doc_id: n for n, members in enumerate(clusters) for doc_id in members}
        cluster_pairs: list[list[int]] = [[] for _ in clusters]
        for i, (entry, _) in enumerate(views):
            n = in_cluster.get(entry["a"])
            if n is not None and n == in_cluster.get(entry["b"]):
                cluster_pairs[n].append(i)
        template = environment().get_template("report.html")
        return template.render(
            title=self.title,
            documents=self.documents,
            skipped=self.skipped,
            params=self.params,
            clusters=clusters,
            cluster_pairs=cluster_pairs,
            views=views,
            total=self.total,
            data=data,
            generated=datetime.now(UTC),
        )

    def _side(self, sides: dict[str, SideView], doc_id: str) -> SideView:
        if doc_id not in sides:
            article = self.articles[doc_id]
            meta = article.meta
            sides[doc_id] = side_view(
                "a",
                meta.get("title") or doc_id,
                article.text,
                source=meta.get("source"),
                title=meta.get("title"),
                url=meta.get("url"),
                published_at=parse_date(meta.get("published_at")),
            )
        return sides[doc_id]


def _meta(side: SideView) -> dict[str, Any]:
    return {
        "label": side.label,
        "source": side.source,
        "url": side.url,
        "published_at": side.published_at.strftime("%Y-%m-%d %H:%M UTC") if side.published_at else None,
    }


def comparison_from_entry(entry: dict[str, Any]) -> Comparison:
    """The engine's comparison back from a report pair entry (`Comparison.to_dict()` plus the ids)."""

    def pair(p: dict[str, Any]) -> PassagePair:
        return PassagePair(Span(**p["a"]), Span(**p["b"]), p["similarity"])

    return Comparison(
        passages=tuple(pair(p) for p in entry["passages"]),
        containment_a=entry["containment"]["a"],
        containment_b=entry["containment"]["b"],
        jaccard=entry["jaccard"],
        kind=entry["kind"],
        ignored=tuple(IgnoredPassage(pair(p), p["reason"]) for p in entry.get("ignored", ())),
    )


def syndication_from_entry(entry: dict[str, Any]) -> Syndication | None:
    """The pair's wire label and direction as the scan reported them (`Syndication.to_dict` with ids), if it did."""
    found = entry.get("syndication")
    if not found:
        return None
    origin = {entry["a"]: "a", entry["b"]: "b"}.get(found.get("origin") or "")
    wire = found.get("wire") or {}
    return Syndication(origin, found["reason"], wire.get("status"), wire.get("agency"))  # type: ignore[arg-type]


class Tee:
    """Feeds one scan to two report writers (the chosen format and the HTML page)."""

    def __init__(self, *writers: ReportWriter) -> None:
        self.writers = writers

    def start(self, documents: list[dict[str, Any]], skipped: list[Skipped], params: dict[str, Any]) -> None:
        for writer in self.writers:
            writer.start(documents, skipped, params)

    def pair(self, entry: dict[str, Any]) -> None:
        for writer in self.writers:
            writer.pair(entry)

    def finish(self, clusters: list[list[str]]) -> None:
        for writer in self.writers:
            writer.finish(clusters)
