"""The side-by-side view of one pair, as the web pages and the scan report both show it.

A `PairView` holds the two texts, the engine's passage pairs (numbered in the order they appear in the
left text), the greyed credit lines of each side and the wire label. Web pages render it with Jinja
(`html`); the scan report embeds `to_json` and builds the same markup in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from markupsafe import Markup

from service.ui.labels import Party, Reading, credits, muted_credits, read_pair
from service.ui.segments import Muted, Run, colour, runs, runs_json, side_html
from shingling import Comparison, Span
from shingling.attribution import Attribution
from shingling.comparison import IgnoredPassage
from shingling.syndication import Syndication

__all__ = ["PairView", "PassageRow", "SideView", "pair_view", "rank_key", "side_view"]

SNIPPET = 140


@dataclass(frozen=True)
class SideView:
    """One text of a pair and what to say about it."""

    key: str
    label: str
    text: str
    credits: tuple[Attribution, ...]
    muted: tuple[Muted, ...]
    source: str | None = None
    title: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    href: str | None = None

    @property
    def party(self) -> Party:
        return Party(self.label, self.source, self.published_at, self.credits)


def side_view(key: str, label: str, text: str, **meta: Any) -> SideView:
    """A side with its credit lines found (and greyed) by the library's attribution finder."""
    found = credits(text)
    return SideView(key, label, text, found, tuple(muted_credits(found)), **meta)


@dataclass(frozen=True)
class PassageRow:
    """Passage pair number `n` (0-based) and where it stands on each side."""

    n: int
    a: Span
    b: Span
    similarity: float

    @property
    def colour(self) -> int:
        return colour(self.n)


@dataclass
class PairView:
    a: SideView
    b: SideView
    kind: str | None
    containment_a: float
    containment_b: float
    jaccard: float
    passages: list[PassageRow]
    ignored: list[IgnoredPassage]
    reading: Reading
    prefix: str = ""
    _runs: dict[str, list[Run]] = field(default_factory=dict, repr=False)

    def side(self, key: str) -> SideView:
        return self.a if key == "a" else self.b

    def runs(self, key: str) -> list[Run]:
        """The side's text cut into runs: passages coloured; credit lines and ignored matches greyed."""
        if key not in self._runs:
            side = self.side(key)
            spans = [(getattr(p, key).start, getattr(p, key).end) for p in self.passages]
            ignored = [
                Muted(span.start, span.end, f"{i.reason}: matched, not counted as reuse")
                for i in self.ignored
                for span in (getattr(i.pair, key),)
            ]
            self._runs[key] = runs(len(side.text), spans, [*ignored, *side.muted])
        return self._runs[key]

    def html(self, key: str) -> Markup:
        return side_html(self.side(key).text, self.runs(key), key, "b" if key == "a" else "a", self.prefix)

    def snippet(self, row: PassageRow, key: str = "a") -> str:
        text = getattr(row, key).slice(self.side(key).text)
        text = " ".join(text.split())
        return text if len(text) <= SNIPPET else text[: SNIPPET - 1].rstrip() + "…"

    def to_json(self) -> dict[str, Any]:
        """What the scan report's script needs to build this view (texts travel separately, by id)."""
        return {
            "kind": self.kind,
            "containment": {"a": round(self.containment_a, 4), "b": round(self.containment_b, 4)},
            "jaccard": round(self.jaccard, 4),
            "wire": self.reading.wire,
            "wire_reason": self.reading.wire_reason,
            "origin": self.reading.origin,
            "origin_reason": self.reading.origin_reason,
            "passages": [[p.a.start, p.a.end, p.b.start, p.b.end, round(p.similarity, 4)] for p in self.passages],
            "runs": {"a": runs_json(self.runs("a")), "b": runs_json(self.runs("b"))},
        }


def pair_view(
    a: SideView, b: SideView, comparison: Comparison, prefix: str = "", syndication: Syndication | None = None
) -> PairView:
    """The view of `comparison` (a's spans index `a.text`, b's `b.text`), passages in a's reading order.

    `syndication` is the pair's wire label and direction when the caller has it; else it is worked out.
    """
    ordered = sorted(comparison.passages, key=lambda p: (p.a.start, p.a.end, p.b.start))
    rows = [PassageRow(i, p.a, p.b, p.similarity) for i, p in enumerate(ordered)]
    return PairView(
        a=a,
        b=b,
        kind=comparison.kind,
        containment_a=comparison.containment_a,
        containment_b=comparison.containment_b,
        jaccard=comparison.jaccard,
        passages=rows,
        ignored=list(comparison.ignored),
        reading=read_pair(comparison, a.party, b.party, syndication),
        prefix=prefix,
    )


def rank_key(containment_a: float, containment_b: float, jaccard: float) -> tuple[float, float]:
    """Most shared first: the larger containment, then Jaccard (the order the service reports in)."""
    return (-max(containment_a, containment_b), -jaccard)
