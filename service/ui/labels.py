"""What the views say about wire copy: credit lines to grey out, and a wire label for an overlapping pair.

Built only from the library's wire registry and credit-line finder (`shingling.wires`,
`shingling.attribution`); nothing here changes what counts as reuse.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from service.ui.segments import Muted
from shingling.attribution import Attribution, find_attributions
from shingling.wires import WireRegistry

__all__ = ["Party", "WireLabel", "agency_name", "credits", "kind_label", "muted_credits", "wire_label"]

WEAK_KINDS = frozenset({"according_to"})
"""Credits that cite an agency's reporting in running text: used only when no stronger credit exists."""

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


def agency_name(agency: str | None, registry: WireRegistry | None = None) -> str:
    """An agency's display name; a credit naming only people has no agency."""
    if agency is None:
        return "people only"
    registry = registry or WireRegistry.default()
    return registry.name(agency) if agency in registry else agency


def muted_credits(found: Sequence[Attribution], registry: WireRegistry | None = None) -> list[Muted]:
    """Credit lines and picture credits, greyed in the pair view: attribution, not the article's own text.

    Citations in running text ("according to Reuters") stay as they are: they are part of a sentence.
    """
    return [
        Muted(a.span.start, a.span.end, f"{kind_label(a.kind)}: {agency_name(a.agency, registry)}")
        for a in found
        if a.kind not in WEAK_KINDS
    ]


@dataclass(frozen=True)
class Party:
    """One side of an overlapping pair, as far as wire copy goes."""

    label: str
    source: str | None
    credits: Sequence[Attribution]


@dataclass(frozen=True)
class WireLabel:
    """Which agency the shared passages probably come from, and on what grounds."""

    agencies: tuple[str, ...]
    text: str
    reason: str
    certain: bool


def wire_label(a: Party, b: Party, registry: WireRegistry | None = None) -> WireLabel | None:
    """A wire label for the passages `a` and `b` share.

    - One side's source is a wire agency ("Reuters", "apnews.com"): its copy ("Reuters copy").
    - Else, two different outlets and one credits an agency for its text: "probably <agency>",
      from the strongest credits found (datelines, credit blocks, bylines before "according to").
    - Else (same outlet, or no credit): None.
    """
    registry = registry or WireRegistry.default()
    for party in (a, b):
        agency = registry.agency_for_source(party.source) if party.source else None
        if agency is not None:
            name = registry.name(agency)
            return WireLabel((agency,), f"{name} copy", f"{party.label} comes from {name} ({party.source})", True)
    if a.source and b.source and a.source.strip().casefold() == b.source.strip().casefold():
        return None
    credits = [(party, c) for party in (a, b) for c in party.credits if c.agency and c.kind != "image_credit"]
    strong = [(party, c) for party, c in credits if c.kind not in WEAK_KINDS]
    chosen = strong or credits
    if not chosen:
        return None
    agencies = tuple(sorted({c.agency for _, c in chosen if c.agency}))
    names = " or ".join(registry.name(x) for x in agencies)
    reason = "; ".join(
        dict.fromkeys(f'{party.label} credits {registry.name(c.agency or "")}: "{c.text}"' for party, c in chosen)
    )
    return WireLabel(agencies, f"probably {names}", reason, False)
