"""Helpers the benchmark scripts share: reading corpora exactly, skipping when absent, tables, counts."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def read_text(path: Path) -> str:
    """The file's text with no newline translation, so character offsets match the corpus annotations."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def covered_chars(start: int, end: int, intervals: Iterable[tuple[int, int]]) -> int:
    """Number of characters of [start, end) inside the union of the [s, e) intervals."""
    total, reach = 0, start
    for s, e in sorted((max(s, start), min(e, end)) for s, e in intervals):
        s = max(s, reach)
        if e > s:
            total += e - s
            reach = e
    return total


def log(message: str) -> None:
    """Progress and notes go to stderr; stdout is for results."""
    print(message, file=sys.stderr, flush=True)


def corpus_missing(path: Path, marker: str, what: str) -> bool:
    """True (after saying so) when the corpus is absent, so the script can exit 0 instead of failing CI."""
    if (path / marker).exists():
        return False
    print(f"SKIP: {what} not found at {path} (expected {path / marker}); nothing to evaluate.")
    return True


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table: floats to 4 places, columns right-aligned except the first."""

    def cell(value: object) -> str:
        return f"{value:.4f}" if isinstance(value, float) else str(value)

    cells = [list(headers), *([cell(v) for v in row] for row in rows)]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = [row[0].ljust(widths[0]), *(v.rjust(w) for v, w in zip(row[1:], widths[1:], strict=True))]
        lines.append("  ".join(parts))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_json(path: Path, payload: dict[str, Any]) -> None:
    """Write figures for later comparison (CI floors, tuning notes)."""
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    log(f"wrote {path}")


@dataclass
class BinaryCounts:
    """Confusion counts of a yes/no decision, with the usual ratios (0 where undefined)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }
