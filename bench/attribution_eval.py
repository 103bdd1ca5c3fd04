"""Score wire-credit detection (`shingling.attribution`) against a labelled set of credit lines.

    python -m bench.attribution_eval [CASES] [--json out.json]
    python -m bench.attribution_eval --check          # exit 1 when a figure is below its pinned floor
    python -m bench.attribution_eval --write-floors   # re-pin the floors just under today's figures

CASES is a JSONL file (default: tests/fixtures/attribution/cases.jsonl), one case a line:
`{"text": ..., "expected": [{"agency": "reuters" | null, "kind": "dateline", "snippet": "LONDON (Reuters) -"}]}`.
A found attribution is correct when agency and kind match an expected one and the two spans overlap by at
least half of each (so neither a stub nor a runaway span counts); each expected credit matches at most once.
Prints precision, recall and F1 overall and per kind, then every error, on stdout. Floors are pinned in
tests/fixtures/attribution/floors.json (tests/shingling/test_attribution.py checks them); re-pin only on
purpose, and say why in the commit.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import BinaryCounts, format_table, write_json  # noqa: E402
from shingling.attribution import KINDS, Attribution, find_attributions  # noqa: E402

DEFAULT_CASES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "attribution" / "cases.jsonl"
FLOORS = DEFAULT_CASES.with_name("floors.json")
MIN_OVERLAP = 0.5


@dataclass(frozen=True)
class Expected:
    """One labelled credit, its span located from the snippet (which must occur once in the text)."""

    agency: str | None
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Case:
    line: int
    text: str
    expected: tuple[Expected, ...]


@dataclass
class Report:
    """Counts overall and per kind, and the errors: ("missed" | "spurious", case, what)."""

    overall: BinaryCounts = field(default_factory=BinaryCounts)
    per_kind: dict[str, BinaryCounts] = field(default_factory=lambda: defaultdict(BinaryCounts))
    errors: list[tuple[str, Case, str]] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        """The gated figures: precision, recall and F1 overall, F1 per kind."""
        out = {f"overall/{m}": getattr(self.overall, m) for m in ("precision", "recall", "f1")}
        out |= {f"{kind}/f1": c.f1 for kind, c in sorted(self.per_kind.items())}
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_dict(),
            "per_kind": {k: v.to_dict() for k, v in sorted(self.per_kind.items())},
            "errors": [{"error": e, "line": c.line, "what": w} for e, c, w in self.errors],
        }


def load_cases(path: Path) -> list[Case]:
    """Read the labelled set; a snippet missing from its text, or ambiguous, is an error in the set."""
    cases = []
    with open(path, encoding="utf-8", newline="") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            row = json.loads(raw)
            text = row["text"]
            expected = []
            for e in row["expected"]:
                start = text.find(e["snippet"])
                if start < 0 or text.count(e["snippet"]) != 1:
                    raise ValueError(f"{path}:{n}: snippet {e['snippet']!r} must occur exactly once in the text")
                if e["kind"] not in KINDS:
                    raise ValueError(f"{path}:{n}: unknown kind {e['kind']!r}; expected one of {', '.join(KINDS)}")
                expected.append(Expected(e["agency"], e["kind"], start, start + len(e["snippet"])))
            cases.append(Case(n, text, tuple(expected)))
    return cases


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """True when the shared part is at least MIN_OVERLAP of each span."""
    shared = min(a_end, b_end) - max(a_start, b_start)
    return shared > 0 and shared >= MIN_OVERLAP * (a_end - a_start) and shared >= MIN_OVERLAP * (b_end - b_start)


def score(cases: list[Case]) -> Report:
    report = Report()
    for case in cases:
        found = find_attributions(case.text)
        unmatched = list(case.expected)
        for a in found:
            hit = next((e for e in unmatched if _same(a, e)), None)
            report.per_kind[a.kind].add(predicted=True, actual=hit is not None)
            report.overall.add(predicted=True, actual=hit is not None)
            if hit is None:
                report.errors.append(("spurious", case, f"{a.agency} {a.kind} {a.text!r}"))
            else:
                unmatched.remove(hit)
        for e in unmatched:
            report.per_kind[e.kind].add(predicted=False, actual=True)
            report.overall.add(predicted=False, actual=True)
            report.errors.append(("missed", case, f"{e.agency} {e.kind} {case.text[e.start : e.end]!r}"))
    return report


def _same(a: Attribution, e: Expected) -> bool:
    return a.agency == e.agency and a.kind == e.kind and overlaps(a.span.start, a.span.end, e.start, e.end)


def print_report(report: Report, cases: list[Case]) -> None:
    labelled = sum(len(c.expected) for c in cases)
    negatives = sum(1 for c in cases if not c.expected)
    print(f"{len(cases)} cases, {labelled} labelled credits, {negatives} cases with none")
    rows: list[list[object]] = [
        [kind, c.tp, c.fp, c.fn, c.precision, c.recall, c.f1]
        for kind, c in sorted(report.per_kind.items(), key=lambda kv: KINDS.index(kv[0]))  # type: ignore[arg-type]
    ]
    o = report.overall
    rows.append(["overall", o.tp, o.fp, o.fn, o.precision, o.recall, o.f1])
    print(format_table(["kind", "tp", "fp", "fn", "precision", "recall", "f1"], rows))
    print(f"\nErrors ({len(report.errors)})")
    for error, case, what in report.errors:
        print(f"  {error:8} line {case.line:3}: {what}   in {case.text[:70]!r}")


def floor_for(value: float) -> float:
    """Just under the figure: rounded down to 0.01, and 0.01 lower when it is already round (1.0 -> 0.99)."""
    down = math.floor(round(value * 100, 6)) / 100
    return round(down - 0.01 if down == value and value > 0 else down, 2)


def write_floors(report: Report, path: Path = FLOORS) -> None:
    data = {
        "_about": "Floors of bench/attribution_eval.py on tests/fixtures/attribution/cases.jsonl, checked by "
        "tests/shingling/test_attribution.py. Written by `python -m bench.attribution_eval --write-floors`.",
        "floors": {name: floor_for(value) for name, value in report.figures().items()},
    }
    write_json(path, data)


def check_floors(report: Report, path: Path = FLOORS) -> list[str]:
    """The figures below their floor (a floor without a figure counts too: the floors file is out of date)."""
    floors = json.loads(path.read_text(encoding="utf-8"))["floors"]
    figures = report.figures()
    return [
        f"{name}: {figures.get(name, float('nan')):.4f} < floor {bound:.2f}"
        for name, bound in sorted(floors.items())
        if not figures.get(name, -1.0) >= bound
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", type=Path, nargs="?", default=DEFAULT_CASES, help="labelled JSONL file")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--check", action="store_true", help=f"exit 1 when below the floors of {FLOORS.name}")
    parser.add_argument("--write-floors", action="store_true", help=f"re-pin {FLOORS.name} from these figures")
    args = parser.parse_args(argv)
    cases = load_cases(args.cases)
    report = score(cases)
    print_report(report, cases)
    if args.json:
        write_json(args.json, report.to_dict())
    if args.write_floors:
        write_floors(report)
    if args.check:
        below = check_floors(report)
        print("\nFloors: " + ("OK" if not below else "BELOW\n  " + "\n  ".join(below)))
        return 1 if below else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
