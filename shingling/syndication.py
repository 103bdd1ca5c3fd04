"""Syndication: which side of an overlapping pair is the likely origin, and which wire the reuse comes from.

Newsrooms and agencies ask more than "do these overlap?": is this wire copy, which agency, who published
first. The answer is read from what the articles say about themselves (a `wire` flag, their source, their
credit lines) and from the comparison:

- **wire label**: a passage matched to an article of a wire agency is `wire_derived` from that agency. When
  neither article is wire copy but they come from different outlets and one of them credits an agency
  ("Additional reporting by Reuters"), the shared passages are `probably_wire_derived` from that agency: both
  probably took the same wire story, even when the original is not in the corpus.
- **direction**: the wire article first; then the earlier `published_at`; then the article that carries an
  agency's own copy, by its dateline, byline, copyright or source line ("LONDON (Reuters) -", "新华社成都9月5日电"),
  against one that does not; then the article whose passages are the larger share of it (a wire story is mostly
  inside the articles that reuse it, not the reverse).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from shingling.attribution import TEXT_KINDS, Attribution
from shingling.comparison import Comparison
from shingling.wires import WireRegistry

WireStatus = Literal["wire_derived", "probably_wire_derived"]


@dataclass(frozen=True)
class ArticleInfo:
    """What an article says about itself: its outlet, whether it is wire copy, when it was published."""

    source: str | None = None
    wire: bool | None = None  # None: inferred from the source
    agency: str | None = None  # the agency when it is wire copy (inferred from the source if not given)
    published_at: datetime | None = None
    attributions: tuple[Attribution, ...] = field(default=())

    def wire_agency(self, registry: WireRegistry) -> str | None:
        """The agency this article is copy of, or None when it is not wire copy."""
        inferred = registry.agency_for_source(self.source) if self.source else None
        if self.wire is False:
            return None
        if self.wire is True:
            return self.agency or inferred or "unknown"
        return self.agency or inferred


@dataclass(frozen=True)
class Syndication:
    """The syndication reading of one overlapping pair (a and b as in the Comparison)."""

    origin: Literal["a", "b"] | None
    reason: str
    wire_status: WireStatus | None = None
    agency: str | None = None

    def swapped(self) -> Syndication:
        flip: dict[str, Literal["a", "b"]] = {"a": "b", "b": "a"}
        return Syndication(flip[self.origin] if self.origin else None, self.reason, self.wire_status, self.agency)

    def to_dict(self, names: tuple[str, str] = ("a", "b")) -> dict[str, Any]:
        origin = names[0] if self.origin == "a" else names[1] if self.origin == "b" else None
        return {
            "origin": origin,
            "reason": self.reason,
            "wire": {"status": self.wire_status, "agency": self.agency} if self.wire_status else None,
        }


# Credits that say the text is the agency's copy; "according to Xinhua" cites a report inside the story.
_COPY_CREDITS = TEXT_KINDS - {"according_to"}


def copy_credits(attributions: tuple[Attribution, ...]) -> list[str]:
    """Agencies an article credits for its text (datelines, "Additional reporting by", bylines...)."""
    return sorted({x.agency for x in attributions if x.agency and x.kind in _COPY_CREDITS})


# Credits that say the article *is* the agency's copy as the agency wrote it, not a story made with its material
# ("Additional reporting by Reuters", "with AFP"): what makes it the likelier origin of text it shares.
_OWN_COPY = frozenset({"dateline", "byline", "copyright", "source_line"})


def own_copy_of(attributions: tuple[Attribution, ...]) -> Attribution | None:
    """The first credit that says the article is an agency's own copy (its dateline, byline, copyright or source
    line), else None."""
    return next((x for x in attributions if x.agency and x.kind in _OWN_COPY), None)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _same_outlet(a: ArticleInfo, b: ArticleInfo) -> bool:
    return bool(a.source and b.source and a.source.strip().casefold() == b.source.strip().casefold())


def describe(
    comparison: Comparison, a: ArticleInfo, b: ArticleInfo, registry: WireRegistry | None = None
) -> Syndication:
    """Direction and wire label of an overlapping pair."""
    reg = registry or WireRegistry.default()
    wire_a, wire_b = a.wire_agency(reg), b.wire_agency(reg)
    status: WireStatus | None = None
    agency: str | None = None
    if wire_a and not wire_b:
        status, agency = "wire_derived", wire_a
    elif wire_b and not wire_a:
        status, agency = "wire_derived", wire_b
    elif wire_a and wire_b:
        status, agency = "wire_derived", wire_a if wire_a == wire_b else None
    elif not _same_outlet(a, b):
        credits_a, credits_b = copy_credits(a.attributions), copy_credits(b.attributions)
        both = sorted(set(credits_a) & set(credits_b))
        either = both or credits_a or credits_b
        if either:
            status, agency = "probably_wire_derived", either[0]
    origin, reason = _direction(comparison, a, b, wire_a, wire_b, reg)
    return Syndication(origin, reason, status, agency)


def _direction(
    c: Comparison, a: ArticleInfo, b: ArticleInfo, wire_a: str | None, wire_b: str | None, registry: WireRegistry
) -> tuple[Literal["a", "b"] | None, str]:
    if bool(wire_a) != bool(wire_b):
        return ("a", "a is wire copy") if wire_a else ("b", "b is wire copy")
    if a.published_at and b.published_at and _utc(a.published_at) != _utc(b.published_at):
        if _utc(a.published_at) < _utc(b.published_at):
            return "a", "a was published first"
        return "b", "b was published first"
    own_a, own_b = own_copy_of(a.attributions), own_copy_of(b.attributions)
    if bool(own_a) != bool(own_b):
        side: Literal["a", "b"] = "a" if own_a else "b"
        own = own_a or own_b
        assert own is not None and own.agency is not None
        name = registry.name(own.agency) if own.agency in registry else own.agency
        return side, f"{side} is {name} copy by its {own.kind.replace('_', ' ')}"
    if abs(c.containment_a - c.containment_b) >= 0.05:
        if c.containment_a > c.containment_b:
            return "a", "more of a lies in the shared passages"
        return "b", "more of b lies in the shared passages"
    return None, "undecided: no wire flag, same or unknown dates, no agency's copy, and the shared passages weigh alike"
