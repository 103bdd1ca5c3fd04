"""What the engine reports for a pair of texts: passage pairs with spans in both, containments, a kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["duplicate", "near_duplicate", "partial"]


@dataclass(frozen=True, order=True)
class Span:
    """Character offsets `[start, end)` into a text as the caller gave it."""

    start: int
    end: int

    def slice(self, text: str) -> str:
        return text[self.start : self.end]

    def to_dict(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True)
class PassagePair:
    """One reused passage: where it stands in a, where in b, and how alike the two sides are (0..1)."""

    a: Span
    b: Span
    similarity: float

    def swapped(self) -> PassagePair:
        return PassagePair(self.b, self.a, self.similarity)

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a.to_dict(), "b": self.b.to_dict(), "similarity": round(self.similarity, 4)}


@dataclass(frozen=True)
class IgnoredPassage:
    """A passage pair that matched but does not count as reuse, and why (e.g. "boilerplate")."""

    pair: PassagePair
    reason: str

    def swapped(self) -> IgnoredPassage:
        return IgnoredPassage(self.pair.swapped(), self.reason)

    def to_dict(self) -> dict[str, Any]:
        return {**self.pair.to_dict(), "reason": self.reason}


@dataclass(frozen=True)
class Comparison:
    """The alignment of two texts. Containment is the share of each text's words inside reported passages."""

    passages: tuple[PassagePair, ...]
    containment_a: float
    containment_b: float
    jaccard: float
    kind: Kind | None
    ignored: tuple[IgnoredPassage, ...] = ()

    @property
    def shared(self) -> bool:
        return bool(self.passages)

    def swapped(self) -> Comparison:
        """The same comparison seen from b's side."""
        if not self.passages and not self.ignored and self.containment_a == self.containment_b:
            return self  # nothing shared looks the same from both sides (and most comparisons share nothing)
        return Comparison(
            passages=tuple(sorted((p.swapped() for p in self.passages), key=lambda p: (p.a, p.b))),
            containment_a=self.containment_b,
            containment_b=self.containment_a,
            jaccard=self.jaccard,
            kind=self.kind,
            ignored=tuple(sorted((i.swapped() for i in self.ignored), key=lambda i: (i.pair.a, i.pair.b))),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "containment": {"a": round(self.containment_a, 4), "b": round(self.containment_b, 4)},
            "jaccard": round(self.jaccard, 4),
            "passages": [p.to_dict() for p in self.passages],
            **({"ignored": [i.to_dict() for i in self.ignored]} if self.ignored else {}),
        }


NOTHING_SHARED = Comparison(passages=(), containment_a=0.0, containment_b=0.0, jaccard=0.0, kind=None)
