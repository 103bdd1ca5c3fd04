"""Reuse kinds ranked from weakest to strongest, for `--min-kind` and `--cluster-on`."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Kind", "at_least"]


class Kind(StrEnum):
    """A comparison's kind, as named by the engine; the order of the members is their strength."""

    partial = "partial"
    near_duplicate = "near_duplicate"
    duplicate = "duplicate"


_RANK = {kind.value: rank for rank, kind in enumerate(Kind, start=1)}


def at_least(kind: str | None, minimum: Kind | None) -> bool:
    """True when `kind` is `minimum` or stronger; with no minimum everything passes, even "nothing shared".

    >>> at_least("duplicate", Kind.near_duplicate), at_least("partial", Kind.near_duplicate)
    (True, False)
    """
    if minimum is None:
        return True
    return kind is not None and _RANK.get(kind, 0) >= _RANK[minimum.value]
