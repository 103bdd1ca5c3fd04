"""Check the engine on the five seed articles: every expected shared passage found, nothing across stories.

    python bench/seeds_eval.py ../shared/seeds [--json out.json]

Prints one line per expectation (found/missed, with the share of each snippet covered), every passage the
engine reports between seeds, and exits 1 when an expectation is missed or the two stories are linked.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import corpus_missing, format_table, write_json  # noqa: E402
from bench.seeds_expectations import (  # noqa: E402
    EXPECTED_SHARED,
    MIN_COVERAGE,
    STORIES,
    Coverage,
    coverage,
    cross_story_pairs,
    read_seed,
)
from shingling import Comparison, compare, prepare  # noqa: E402


@dataclass(frozen=True)
class SeedsReport:
    """The engine's comparisons of every seed pair, checked against the expectations."""

    texts: dict[str, str]
    comparisons: dict[tuple[str, str], Comparison]
    checks: list[Coverage]
    cross_story: list[tuple[str, str]]

    @property
    def missed(self) -> list[str]:
        return [c.expected.label for c in self.checks if not c.found]

    @property
    def ok(self) -> bool:
        return not self.missed and not self.cross_story

    def to_dict(self) -> dict[str, Any]:
        """JSON-able figures, with each reported passage's text (first 80 characters per side)."""
        pairs = {}
        for (a, b), c in self.comparisons.items():
            pairs[f"{a}-{b}"] = c.to_dict() | {
                "snippets": [[p.a.slice(self.texts[a])[:80], p.b.slice(self.texts[b])[:80]] for p in c.passages]
            }
        return {
            "ok": self.ok,
            "min_coverage": MIN_COVERAGE,
            "expectations": [
                {
                    "label": c.expected.label,
                    "docs": [c.expected.doc_a, c.expected.doc_b],
                    "found": c.found,
                    "coverage_a": round(c.a, 4),
                    "coverage_b": round(c.b, 4),
                }
                for c in self.checks
            ],
            "cross_story": [list(p) for p in self.cross_story],
            "pairs": pairs,
        }


def evaluate_seeds(seeds_dir: Path) -> SeedsReport:
    """Compare every pair of seeds and check the expectations."""
    names = [name for story in STORIES for name in story]
    texts = {name: read_seed(seeds_dir, name) for name in names}
    docs = {name: prepare(text) for name, text in texts.items()}
    comparisons = {(a, b): compare(docs[a], docs[b]) for a, b in itertools.combinations(names, 2)}
    checks = [
        coverage(e, texts[e.doc_a], texts[e.doc_b], comparisons[(e.doc_a, e.doc_b)].passages) for e in EXPECTED_SHARED
    ]
    crossing = cross_story_pairs(pair for pair, c in comparisons.items() if c.passages)
    return SeedsReport(texts, comparisons, checks, crossing)


def print_report(report: SeedsReport) -> None:
    """The human-readable figures, on stdout."""
    print(f"Expected shared passages (found: each snippet >= {MIN_COVERAGE:.0%} covered by linking passages)")
    rows: list[list[object]] = [
        [c.expected.label, f"{c.expected.doc_a}/{c.expected.doc_b}", "yes" if c.found else "MISSED", c.a, c.b]
        for c in report.checks
    ]
    print(format_table(["expectation", "docs", "found", "cover a", "cover b"], rows))
    print("\nPairs the engine links")
    rows = [
        [f"{a}-{b}", c.kind, c.containment_a, c.containment_b, len(c.passages)]
        for (a, b), c in report.comparisons.items()
        if c.passages
    ]
    print(format_table(["pair", "kind", "contain a", "contain b", "passages"], rows))
    for (a, b), c in report.comparisons.items():
        for p in c.passages:
            print(f"  {a}-{b} {p.similarity:.2f}  a: {p.a.slice(report.texts[a])[:90]!r}")
            print(f"  {' ' * 12}b: {p.b.slice(report.texts[b])[:90]!r}")
    print(f"\nCross-story pairs (must be none): {report.cross_story or 'none'}")
    found = len(report.checks) - len(report.missed)
    print(f"{found}/{len(report.checks)} expectations found; {'OK' if report.ok else 'FAIL'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("seeds_dir", type=Path, help="folder with 000.txt .. 004.txt")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if corpus_missing(args.seeds_dir, "000.txt", "seed articles"):
        return 0
    report = evaluate_seeds(args.seeds_dir)
    print_report(report)
    if args.json:
        write_json(args.json, report.to_dict())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
