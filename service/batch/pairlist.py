"""Read a `--pairs` file: one `idA<TAB>idB` per line, the only pairs to compare (no candidate search)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["ListedPair", "PairListError", "read_pair_list"]


class PairListError(ValueError):
    """The pairs file is malformed; the message names the line and says what was expected."""


@dataclass(frozen=True, slots=True)
class ListedPair:
    """A pair to compare, with the line it came from so later errors can point at it."""

    line: int
    a: str
    b: str


def read_pair_list(path: Path) -> list[ListedPair]:
    """Parse the file; blank lines are ignored and a pair listed twice (either way round) is kept once."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PairListError(f"not valid UTF-8 (bad byte at offset {exc.start})") from None
    pairs: list[ListedPair] = []
    seen: set[frozenset[str]] = set()
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 2 or not all(field.strip() for field in fields):
            raise PairListError(f"line {number}: expected 'idA<TAB>idB', got {line!r}")
        a, b = fields
        if a == b:
            raise PairListError(f"line {number}: {a!r} is paired with itself")
        if frozenset((a, b)) not in seen:
            seen.add(frozenset((a, b)))
            pairs.append(ListedPair(number, a, b))
    if not pairs:
        raise PairListError("no pairs listed (expected lines of 'idA<TAB>idB')")
    return pairs
