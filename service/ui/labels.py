"""Words the views put on wire copy: credit lines to grey out, the wire label and the likely origin of a pair.

All of it is read by the library (`shingling.attribution` finds credit lines, `shingling.syndication`
decides the wire label and the direction); this module only words it for people.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import regex

from service import wires
from service.ui.segments import Muted
from shingling import Comparison, Document
from shingling.align import Ignore
from shingling.attribution import Attribution, find_attributions
from shingling.syndication import ArticleInfo, Syndication, describe

__all__ = [
    "Party",
    "Reading",
    "agency_name",
    "credits",
    "kind_label",
    "muted_boilerplate",
    "muted_credits",
    "read_pair",
]

WEAK_KINDS = frozenset({"according_to"})
"""Citations in running text ("according to Reuters"): part of a sentence, so never greyed."""

KIND_LABELS = {
    "dateline": "dateline",
    "reporting_by": "reporting credit",
    "additional_reporting": "additional reporting",
    "contributed": "contributed",
    "with_agency": "with agency",
    "according_to": "cites the agency",
    "source_line": "source line",
    "image_credit": "picture credit",
    "copyright": "copyright line",
    "byline": "byline",
}


@functools.lru_cache(maxsize=1024)
def credits(text: str) -> tuple[Attribution, ...]:
    """The credit lines of a text (default registry), remembered: finding them costs 10-50 ms an article."""
    return tuple(find_attributions(text))


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " "))


def agency_name(agency: str | None) -> str:
    """An agency's display name; a credit naming only people has no agency."""
    if agency is None:
        return "people only"
    registry = wires.registry()
    return registry.name(agency) if agency in registry else agency


def muted_credits(found: Sequence[Attribution]) -> list[Muted]:
    """Credit lines and picture credits, greyed in the pair view: attribution, not the article's own text."""
    return [
        Muted(a.span.start, a.span.end, f"{kind_label(a.kind)}: {agency_name(a.agency)}")
        for a in found
        if a.kind not in WEAK_KINDS
    ]


def muted_boilerplate(doc: Document, ignore: Ignore, source: str | None) -> list[Muted]:
    """The lines of `doc` that recur across its source's stored articles, greyed: the site's template."""
    marked = sorted(i for i, reason in ignore.items() if reason == "boilerplate")
    reason = f"boilerplate: recurs in other articles of {source}" if source else "boilerplate"
    out: list[Muted] = []
    lo = prev = -2
    for i in [*marked, -1]:
        if i != prev + 1:
            if lo >= 0:
                out.append(Muted(int(doc.tokens.starts[lo]), int(doc.tokens.ends[prev]), reason))
            lo = i
        prev = i
    return out


@dataclass(frozen=True)
class Reading:
    """The syndication reading of a pair, in words: wire label (or None) and likely origin (or None)."""

    wire: str | None
    wire_reason: str
    origin: str | None
    origin_reason: str


@dataclass(frozen=True)
class Party:
    """One side of a pair as far as syndication goes."""

    label: str
    source: str | None
    published_at: datetime | None
    credits: Sequence[Attribution]


def read_pair(comparison: Comparison, left: Party, right: Party, found: Syndication | None = None) -> Reading:
    """`shingling.syndication.describe` of a pair (or its result `found`, when the caller has it), in words."""
    found = found or describe(comparison, _info(left), _info(right))
    origin = None if found.origin is None else (left if found.origin == "a" else right).label
    return Reading(_wire_text(found), _wire_reason(found, left, right), origin, _sides(found.reason))


def _info(side: Party) -> ArticleInfo:
    return ArticleInfo(source=side.source, published_at=side.published_at, attributions=tuple(side.credits))


def _wire_text(found: Syndication) -> str | None:
    if found.wire_status is None:
        return None
    name = agency_name(found.agency) if found.agency else "a wire agency"
    return f"{name} copy" if found.wire_status == "wire_derived" else f"probably {name}"


def _wire_reason(found: Syndication, left: Party, right: Party) -> str:
    if found.wire_status is None:
        return "no wire source and no wire credit"
    if found.wire_status == "wire_derived":
        wire = [s for s in (left, right) if s.source and wires.registry().agency_for_source(s.source)]
        return "; ".join(f"{s.label} comes from {s.source}" for s in wire) or "marked as wire copy"
    quoted = [
        f"{s.label} credits {agency_name(c.agency)}: “{c.text}”"
        for s in (left, right)
        for c in s.credits
        if c.agency == found.agency and c.kind not in WEAK_KINDS and c.kind != "image_credit"
    ]
    return "; ".join(dict.fromkeys(quoted)) or f"credited to {agency_name(found.agency)}"


_SIDE_WORD = regex.compile(r"\b([ab])\b")


def _sides(reason: str) -> str:
    """The library names the sides a and b; the views call them left and right."""
    return _SIDE_WORD.sub(lambda m: "the left text" if m.group(1) == "a" else "the right text", reason)
