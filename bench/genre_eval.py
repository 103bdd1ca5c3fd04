"""Unrelated reports of one kind, and rewrites, in the languages other than English: linked or not.

    python -m bench.genre_eval [DIR] [--json out.json] [--weak-words FILE]

DIR (default: tests/fixtures/genre) holds a folder per language. Each holds short reports of one genre written in
its formula (a road accident, a fire, a burglary: different events, alike in phrasing) and rewrites of some of
them; `MANIFEST.txt` lists the derived pairs ("r1.txt a1.txt"), every other pair of the folder is unrelated.
The texts were written for the project (by sessions that had not seen the engine's word lists), not taken from
papers. Every pair is compared (`shingling.compare`, as `syndet compare` does, no candidate search), and the
table says per language how many unrelated pairs share a passage (false links: the genre's stock phrases and
function words read as reuse) and how many derived pairs do, with their containment. Exit 1 when a derived pair
is missed (`tests/quality/test_genre_set.py` also bounds the links).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import format_table, write_json  # noqa: E402
from shingling import EngineConfig, compare, prepare  # noqa: E402
from shingling.stopwords import LANGUAGES, weak_words_with  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "genre"


@dataclass
class LanguageReport:
    """One language's pairs: unrelated ones linked, derived ones found (with the lower containment)."""

    language: str
    texts: int = 0
    unrelated: int = 0
    linked: list[tuple[str, str, float]] = field(default_factory=list)
    derived: list[tuple[str, str, float]] = field(default_factory=list)

    @property
    def built_in(self) -> bool:
        return self.language in LANGUAGES

    @property
    def reading(self) -> str:
        """How the language's function words are told from evidence of reuse."""
        if self.built_in:
            return "built-in list"
        return "character pairs" if self.language in ("zh", "ja") else "none"

    @property
    def found(self) -> int:
        return sum(1 for *_, c in self.derived if c > 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "texts": self.texts,
            "unrelated_pairs": self.unrelated,
            "linked": [list(x) for x in self.linked],
            "derived": [list(x) for x in self.derived],
            "function_words": self.reading,
        }


def evaluate(folder: Path, config: EngineConfig) -> LanguageReport:
    """Compare every pair of texts in one language's folder."""
    derived = {frozenset(line.split()) for line in (folder / "MANIFEST.txt").read_text("utf-8").splitlines()
               if line.strip()}
    docs = {p.name: prepare(p.read_text("utf-8"), config) for p in sorted(folder.glob("*.txt"))
            if p.name != "MANIFEST.txt"}
    report = LanguageReport(folder.name, texts=len(docs))
    for a, b in itertools.combinations(sorted(docs), 2):
        comparison = compare(docs[a], docs[b])
        shared = min(comparison.containment_a, comparison.containment_b) if comparison.passages else 0.0
        if frozenset((a, b)) in derived:
            report.derived.append((a, b, shared))
        else:
            report.unrelated += 1
            if comparison.passages:
                report.linked.append((a, b, shared))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--weak-words", type=Path, help="more function words (as `syndet scan --weak-words`)")
    args = parser.parse_args(argv)
    config = EngineConfig()
    if args.weak_words:
        config = replace(config, weak_words=weak_words_with(args.weak_words))
    reports = [evaluate(folder, config) for folder in sorted(p for p in args.dir.iterdir() if p.is_dir())]
    rows = [
        (r.language, r.reading, r.texts, f"{len(r.linked)} / {r.unrelated}",
         f"{r.found} / {len(r.derived)}", min((c for *_, c in r.derived), default=0.0))
        for r in reports
    ]
    headers = ("language", "function words", "texts", "unrelated pairs linked", "derived pairs found",
               "lowest containment of a derived pair")
    print(format_table(headers, rows))
    for r in reports:
        for a, b, c in r.linked:
            print(f"  linked   {r.language}: {a} {b} (containment {c:.2f})")
        for a, b, c in r.derived:
            if c == 0:
                print(f"  missed   {r.language}: {a} {b}")
    if args.json:
        write_json(args.json, {r.language: r.to_dict() for r in reports})
    return 0 if all(r.found == len(r.derived) for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
