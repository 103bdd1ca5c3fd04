"""COUNTER as a folder: what `syndet scan` links among its 400 Urdu texts, against what the corpus says.

    python bench/counter_scan.py ../shared/eval/counter-dev [--keep DIR]

bench/counter.py scores each listed pair alone. A newsroom scans a whole folder instead, where a report of
one kind (an explosion, a cricket score, a film star's plans) meets every other report of that kind. This
writes each pair's agency and newspaper story (headline, blank line, body) as `NNNN-agency.txt` and
`NNNN-paper.txt`, scans the folder with the engine's defaults, and counts the linked pairs:

- a pair's own two texts, by the corpus's label (WD and PD derived, ND not);
- texts of different pairs, by how far apart their dates lie: more than 7 days apart they report different
  events (no reuse: false links, as near as the corpus can say), within 7 days they may share a story;
- two agency texts the corpus holds twice (the same text under two pair ids).
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import corpus_missing, format_table, log  # noqa: E402
from bench.counter import read_story  # noqa: E402

FAR_DAYS = 7


def _date(value: str) -> date | None:
    try:
        return datetime.strptime(value, "%d.%m.%y").date()
    except ValueError:  # the corpus has a few impossible dates ("31.09.14")
        return None


def write_folder(corpus: Path, folder: Path) -> dict[str, dict[str, str]]:
    """The corpus as text files; returns each pair's row of pairs.tsv by pair id."""
    with open(corpus / "pairs.tsv", encoding="utf-8", newline="") as handle:
        rows = {row["pair_id"]: row for row in csv.DictReader(handle, delimiter="\t")}
    for pair_id, row in rows.items():
        (folder / f"{pair_id}-agency.txt").write_text(read_story(corpus / row["source_xml"]), encoding="utf-8")
        (folder / f"{pair_id}-paper.txt").write_text(read_story(corpus / row["derived_xml"]), encoding="utf-8")
    return rows


def count_links(report: dict, rows: dict[str, dict[str, str]], folder: Path) -> Counter[str]:
    """How many linked pairs fall in each of the groups the module docstring names."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.txt")}
    counts: Counter[str] = Counter()
    for pair in report["pairs"]:
        (id_a, side_a), (id_b, side_b) = (name.removesuffix(".txt").split("-") for name in (pair["a"], pair["b"]))
        if id_a == id_b:
            counts[f"own pair, {rows[id_a]['label']}"] += 1
            continue
        if texts[pair["a"]] == texts[pair["b"]]:
            counts["the same text twice"] += 1
            continue
        when = [_date(rows[i]["source_date" if side == "agency" else "derived_date"])
                for i, side in ((id_a, side_a), (id_b, side_b))]
        if None in when:
            counts["other pairs' texts, a date unknown"] += 1
        elif abs((when[0] - when[1]).days) > FAR_DAYS:  # type: ignore[operator]
            counts[f"other pairs' texts, over {FAR_DAYS} days apart"] += 1
        else:
            counts[f"other pairs' texts, within {FAR_DAYS} days"] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the counter-dev folder (pairs.tsv, COUNTER/)")
    parser.add_argument("--keep", type=Path, help="write the texts and report here (default: a temporary folder)")
    args = parser.parse_args(argv)
    if corpus_missing(args.corpus, "pairs.tsv", "COUNTER"):
        return 0
    with tempfile.TemporaryDirectory(prefix="syndet-counter-") as tmp:
        work = args.keep or Path(tmp)
        folder = work / "texts"
        folder.mkdir(parents=True, exist_ok=True)
        rows = write_folder(args.corpus, folder)
        out = work / "scan.json"
        log(f"scanning {len(rows) * 2} texts ...")
        subprocess.run([sys.executable, "-m", "service.cli", "scan", str(folder), "-q", "--out", str(out)], check=True)
        report = json.loads(out.read_text(encoding="utf-8"))
        counts = count_links(report, rows, folder)
    labels = Counter(row["label"] for row in rows.values())
    table = [[group, n] for group, n in sorted(counts.items())]
    print(format_table(["linked pairs", "count"], table))
    print(f"\n(the corpus: {labels['WD']} WD, {labels['PD']} PD and {labels['ND']} ND pairs; "
          f"{len(report['pairs'])} pairs linked in all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
