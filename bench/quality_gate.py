"""The quality gate: the engine scored on the project's own labelled set, and on a fixed subset of PAN 2013
pairs where that corpus is present, against floors pinned in ``bench/floors.json``.

    python bench/quality_gate.py                                    # own set: tables, then the floors check
    python bench/quality_gate.py --pan ../shared/eval/pan13-train   # ... and the fixed PAN subset
    python bench/quality_gate.py --pan ../shared/eval/pan13-train --write-floors   # re-pin the floors
    python bench/quality_gate.py --dump /tmp/own-set                # write the generated set to a folder

The own set (``bench/quality_set.py``) is scored exactly as ``bench/pan13.py`` scores PAN: each labelled
pair is aligned with ``compare(variant, article)`` and its passages are scored with PAN's plagdet per
category and overall, plus document-level "is derived" (any passage reported); on top, the share of
derived pairs whose kind matches the expected one, and a retrieval run (every article in one
``PassageIndex``, each variant queried and aligned with every candidate). The PAN subset
(``tests/fixtures/quality/pan_subset.json``, ids only) is aligned pairwise with ``bench/pan13.py``'s own code.

Exit status: 0 when every figure is on the right side of its floor, 1 otherwise (2 on bad arguments).
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import pan13  # noqa: E402
from bench.candidates import passage_signatures, query_signatures  # noqa: E402
from bench.common import format_table, log, write_json  # noqa: E402
from bench.pan13 import OVERALL, CategoryScore, Detection, Pair, RunOutput  # noqa: E402
from bench.plagdet import Annotation  # noqa: E402
from bench.quality_set import FIXTURES, VARIANTS, GatePair, build_set  # noqa: E402
from shingling import Comparison, PassageIndex, compare, prepare  # noqa: E402

FLOORS = Path(__file__).with_name("floors.json")
PAN_SUBSET = FIXTURES / "pan_subset.json"
PAN_PER_CATEGORY = 40
PAN_SEED = "syndet-pan-gate-1"
CEILING_SUFFIXES = ("granularity", "flagged", "/fp")
"""Figures where lower is better: their bound is a ceiling, not a floor."""

Figures = dict[str, float]


# ---------------------------------------------------------------- the own set


def _detections(comparison: Comparison) -> list[Detection]:
    return [
        (p.a.start, p.a.end - p.a.start, p.b.start, p.b.end - p.b.start, round(p.similarity, 4))
        for p in comparison.passages
    ]


def as_pan_pairs(pairs: Sequence[GatePair]) -> list[Pair]:
    """The own set in bench/pan13's terms: the variant is the suspicious side, the article the source."""
    return [Pair(p.category, p.this_id, p.source.name, p.derived, p.cases) for p in pairs]


def run_own(pairs: Sequence[GatePair]) -> tuple[RunOutput, RunOutput, dict[str, str | None]]:
    """Pairwise and retrieval runs over the own set, and the kind reported for each pair."""
    sources = {p.source.name: p.source.text for p in pairs}
    docs = {name: prepare(text) for name, text in sorted(sources.items())}
    pairwise = RunOutput("pairwise")
    kinds: dict[str, str | None] = {}
    start = time.perf_counter()
    for p in pairs:
        comparison = compare(prepare(p.this_text), docs[p.source.name])
        pairwise.detections[(p.this_id, p.source.name)] = _detections(comparison)
        kinds[p.this_id] = comparison.kind
    pairwise.seconds["align"] = time.perf_counter() - start
    retrieval = RunOutput("retrieval")
    start = time.perf_counter()
    index = PassageIndex()
    for name, doc in docs.items():
        index.insert(name, doc)
    for p in pairs:
        if not p.derived:
            continue
        doc = prepare(p.this_text)
        hits = index.query(doc)
        retrieval.candidates[p.this_id] = hits
        for name in sorted(hits):
            retrieval.detections[(p.this_id, name)] = _detections(compare(doc, docs[name]))
    retrieval.seconds["index_query_align"] = time.perf_counter() - start
    return pairwise, retrieval, kinds


def kind_table(pairs: Sequence[GatePair], kinds: dict[str, str | None]) -> tuple[list[list[object]], float]:
    """Per category: derived pairs, how many got the expected kind, and what was reported instead."""
    rows: list[list[object]] = []
    right = total = 0
    for category in VARIANTS:
        group = [p for p in pairs if p.category == category and p.derived]
        if not group:
            continue
        ok = sum(kinds[p.this_id] == p.expected_kind for p in group)
        expected = Counter(str(p.expected_kind) for p in group)
        got = Counter(str(kinds[p.this_id]) for p in group)
        rows.append([category, len(group), ok / len(group), _counts(expected), _counts(got)])
        right, total = right + ok, total + len(group)
    accuracy = right / total if total else 0.0
    rows.append([OVERALL, total, accuracy, "", ""])
    return rows, accuracy


def _counts(counter: Counter[str]) -> str:
    return " ".join(f"{k}:{v}" for k, v in sorted(counter.items()))


def own_figures(
    pairs: Sequence[GatePair], pairwise: RunOutput, retrieval: RunOutput, kinds: dict[str, str | None]
) -> tuple[Figures, dict[str, CategoryScore], dict[str, CategoryScore]]:
    """The gated figures of the own set, with the score tables they come from."""
    pan_pairs = as_pan_pairs(pairs)
    scores = pan13.score(pan_pairs, pairwise)
    positives = [p for p in pan_pairs if p.derived]
    rscores = pan13.score(positives, retrieval)
    figures: Figures = {}
    for name, s in scores.items():
        if name in VARIANTS or name == OVERALL:
            figures[f"own/pairwise/{name}/plagdet"] = s.passage.plagdet
        if name == OVERALL:
            figures[f"own/pairwise/{name}/recall"] = s.passage.recall
            figures[f"own/pairwise/{name}/precision"] = s.passage.precision
            figures[f"own/pairwise/{name}/granularity"] = s.passage.granularity
            figures["own/document/precision"] = s.document.precision
            figures["own/document/recall"] = s.document.recall
            figures["own/document/f1"] = s.document.f1
        if name not in VARIANTS and name != OVERALL:  # the negatives: pairs reported as derived
            figures[f"own/pairwise/{name}/flagged"] = float(s.document.fp)
    figures["own/kind/accuracy"] = kind_table(pairs, kinds)[1]
    figures["own/retrieval/overall/plagdet"] = rscores[OVERALL].passage.plagdet
    found = sum(p.src in retrieval.candidates.get(p.susp, {}) for p in positives)
    figures["own/retrieval/candidate_recall"] = found / len(positives) if positives else 0.0
    figures["own/retrieval/unlisted/flagged"] = float(rscores[OVERALL].unlisted_pairs_flagged)
    return figures, scores, rscores


def print_own(pairs: Sequence[GatePair], pairwise: RunOutput, retrieval: RunOutput,
              kinds: dict[str, str | None], rscores: dict[str, CategoryScore]) -> None:
    """The own set's tables, in bench/pan13's format, then the kinds."""
    scores = pan13.score(as_pan_pairs(pairs), pairwise)
    where = FIXTURES.relative_to(Path(__file__).resolve().parents[1])
    print(f"own set: {len(pairs)} pairs ({sum(p.derived for p in pairs)} derived) from {where}")
    pan13.print_scores(pairwise, scores)
    pan13.print_scores(retrieval, rscores)
    rows, _ = kind_table(pairs, kinds)
    print("\n[pairwise] kind of the derived pairs (expected: the README's rule applied to the ground truth)")
    print(format_table(["category", "pairs", "accuracy", "expected", "reported"], rows))


# ---------------------------------------------------------------- the PAN subset


def select_pan_subset(corpus: Path, per_category: int = PAN_PER_CATEGORY) -> dict[str, Any]:
    """A fixed, seeded choice of listed pairs: `per_category` of each category; in 05 half of them annotated
    (only a fifth of 05 is, and a random draw would leave too few to score summaries on)."""
    by_category: dict[str, list[Pair]] = {}
    for pair in pan13.load_pairs(corpus, None):
        by_category.setdefault(pair.category, []).append(pair)
    chosen: dict[str, list[list[str]]] = {}
    for category, group in sorted(by_category.items()):
        rng = random.Random(f"{PAN_SEED}:{category}")
        if category.startswith("05"):
            half = per_category // 2
            annotated = [p for p in group if p.cases]
            picked = rng.sample(annotated, half) + rng.sample([p for p in group if not p.cases], per_category - half)
        else:
            picked = rng.sample(group, per_category)
        chosen[category] = sorted([p.susp, p.src] for p in picked)
    return {
        "corpus": "pan13-text-alignment-training-corpus-2013-01-21 (../shared/eval/pan13-train)",
        "selection": f"bench/quality_gate.py select_pan_subset, seed {PAN_SEED!r}, {per_category} per category, "
        "in 05 half annotated and half not",
        "pairs": chosen,
    }


def load_pan_subset(corpus: Path, subset: Path = PAN_SUBSET) -> list[Pair]:
    """The listed pairs named in the subset file, with their cases from the corpus."""
    wanted = {tuple(key) for keys in json.loads(subset.read_text(encoding="utf-8"))["pairs"].values() for key in keys}
    pairs = [p for p in pan13.load_pairs(corpus, None) if p.key in wanted]
    if len(pairs) != len(wanted):
        raise ValueError(f"{len(wanted) - len(pairs)} pairs of {subset} are not listed in {corpus}/pairs.jsonl")
    return pairs


@dataclass
class PanRun:
    """The PAN subset's runs and scores, and the gated figures drawn from them."""

    pairwise: RunOutput
    scores: dict[str, CategoryScore]
    retrieval: RunOutput
    rscores: dict[str, CategoryScore]
    candidates: list[dict[str, Any]]
    figures: Figures = field(default_factory=dict)


def candidate_run(corpus: Path, pairs: list[Pair], pairwise: RunOutput, workers: int) -> RunOutput:
    """Retrieval restricted to the listed pairs: the subset's sources in one PassageIndex, each suspicious
    document queried; a listed pair keeps its pairwise detections only when its source is a candidate.
    Unlisted candidates are not aligned (the full `bench/pan13.py --mode retrieval` run measures them)."""
    out = RunOutput("retrieval")
    start = time.perf_counter()
    sources, suspicious = sorted({p.src for p in pairs}), sorted({p.susp for p in pairs})
    paths = [corpus / "src" / s for s in sources] + [corpus / "susp" / s for s in suspicious]
    with multiprocessing.get_context("fork").Pool(max(workers, 1)) as pool:
        signatures = dict(pool.map(passage_signatures, paths[: len(sources)], chunksize=8))
        signatures.update(pool.map(query_signatures, paths[len(sources) :], chunksize=8))  # as a check queries
    index = PassageIndex()
    for name in sources:
        sig = signatures[name]
        if sig is not None:
            index.insert_signatures(name, sig)
    for susp in suspicious:
        sig = signatures[susp]
        out.candidates[susp] = {} if sig is None else index.query_signatures(sig)
    for p in pairs:
        if p.src in out.candidates[p.susp]:
            out.detections[p.key] = pairwise.detections.get(p.key, [])
    out.seconds["prepare_index_query"] = time.perf_counter() - start
    return out


def run_pan(corpus: Path, workers: int = 2) -> PanRun:
    """The fixed subset with bench/pan13's code: pairwise plagdet per category, then the same pairs as
    retrieval would leave them (see `candidate_run`), so the two are directly comparable."""
    pairs = load_pan_subset(corpus)
    out = pan13.run_pairwise(corpus, pairs, workers)
    retrieval = candidate_run(corpus, pairs, out, workers)
    scores, rscores = pan13.score(pairs, out), pan13.score(pairs, retrieval)
    run = PanRun(out, scores, retrieval, rscores, pan13.retrieval_figures(pairs, retrieval))
    figures = run.figures
    for name, s in run.scores.items():
        if name.startswith("01"):
            figures[f"pan/pairwise/{name}/fp"] = float(s.document.fp)
            continue
        figures[f"pan/pairwise/{name}/plagdet"] = s.passage.plagdet
        figures[f"pan/pairwise/{name}/granularity"] = s.passage.granularity
        if name == OVERALL:
            figures[f"pan/pairwise/{name}/recall"] = s.passage.recall
            figures[f"pan/pairwise/{name}/precision"] = s.passage.precision
            figures["pan/document/f1"] = s.document.f1
    for name, s in run.rscores.items():
        if not name.startswith("01"):
            figures[f"pan/retrieval/{name}/plagdet"] = s.passage.plagdet
    for row in run.candidates:
        if row["annotated_pairs"]:
            figures[f"pan/retrieval/{row['category']}/candidate_recall"] = row["candidate_recall"]
    return run


def print_pan(corpus: Path, run: PanRun) -> None:
    print(f"\nPAN subset: {len(run.pairwise.detections)} listed pairs of {corpus} ({PAN_SUBSET.name})")
    pan13.print_scores(run.pairwise, run.scores)
    print("\n(retrieval: the listed pairs whose source the index returns; unlisted candidates not aligned)")
    pan13.print_scores(run.retrieval, run.rscores)
    print(format_table(list(run.candidates[0]), [list(row.values()) for row in run.candidates]))


# ---------------------------------------------------------------- floors


def is_ceiling(name: str) -> bool:
    return name.endswith(CEILING_SUFFIXES)


def bound_for(name: str, value: float) -> float:
    """Just under the current figure, rounded down to 0.01 (just over, rounded up, for a ceiling); counts
    are pinned exactly."""
    if name.endswith(("flagged", "/fp")):
        return value
    if is_ceiling(name):
        up = math.ceil(round(value * 100, 6)) / 100
        return round(up + 0.01 if up == value else up, 2)
    down = math.floor(round(value * 100, 6)) / 100
    return round(down - 0.01 if down == value and value > 0 else down, 2)


def load_floors(path: Path = FLOORS) -> dict[str, float]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: float(v) for group in ("own", "pan") for name, v in data.get(group, {}).items()}


def write_floors(figures: Figures, path: Path = FLOORS, keep: dict[str, float] | None = None) -> None:
    """Pin a bound for every figure; groups not measured this time keep their old bounds."""
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data: dict[str, Any] = {
        "_about": "Bounds of bench/quality_gate.py (checked by tests/quality): a figure must stay >= its bound, "
        "except granularity, flagged and fp figures, which must stay <= it. Written by "
        "`python bench/quality_gate.py --pan ../shared/eval/pan13-train --write-floors` just under the "
        "engine's scores (0.01 steps; counts exact).",
    }
    for group in ("own", "pan"):
        measured = {k: bound_for(k, v) for k, v in sorted(figures.items()) if k.startswith(f"{group}/")}
        data[group] = measured or old.get(group, {})
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    log(f"wrote {path}")


def check(figures: Figures, floors: dict[str, float]) -> tuple[bool, str]:
    """Every measured figure against its bound; the table says which fail. A figure without a bound, or a
    bound without a figure in a measured group, fails too (the floors file is out of date)."""
    rows: list[list[object]] = []
    ok = True
    groups = {name.split("/", 1)[0] for name in figures}
    for name in sorted(set(figures) | {n for n in floors if n.split("/", 1)[0] in groups}):
        value, bound = figures.get(name), floors.get(name)
        if value is None or bound is None:
            passed, shown = False, "missing"
        else:
            passed = value <= bound if is_ceiling(name) else value >= bound
            shown = "ok" if passed else "BELOW FLOOR" if not is_ceiling(name) else "ABOVE CEILING"
        ok &= passed
        sign = "<=" if is_ceiling(name) else ">="
        rows.append([name, "-" if value is None else value, f"{sign} {'-' if bound is None else bound}", shown])
    return ok, format_table(["figure", "value", "bound", "status"], rows)


# ---------------------------------------------------------------- command line


def listed_only(details: Path) -> None:
    """Rescore a `bench/pan13.py --details` file on the listed pairs every mode in it aligned, and print how
    far retrieval falls below pairwise: what the index loses, leaving out the unlisted pairs it also flags."""
    runs: dict[str, tuple[list[Pair], RunOutput]] = {}
    with open(details, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if not row["listed"]:
                continue
            pairs, out = runs.setdefault(row["mode"], ([], RunOutput(row["mode"])))
            cases = tuple(Annotation(row["susp"], t, tl, row["src"], s, sl) for t, tl, s, sl in row["case_spans"])
            pairs.append(Pair(row["category"], row["susp"], row["src"], bool(cases), cases))
            out.detections[(row["susp"], row["src"])] = [tuple(d) for d in row["detection_spans"]]
    common = set.intersection(*({p.key for p in pairs} for pairs, _ in runs.values())) if runs else set()
    for _, out in runs.values():
        out.detections = {k: v for k, v in out.detections.items() if k in common}
    scores = {mode: pan13.score([p for p in pairs if p.key in common], out) for mode, (pairs, out) in runs.items()}
    for mode, (_, out) in runs.items():
        pan13.print_scores(out, scores[mode])
    if {"pairwise", "retrieval"} <= set(scores):
        rows = [
            [name, s.passage.plagdet, scores["retrieval"][name].passage.plagdet,
             s.passage.plagdet - scores["retrieval"][name].passage.plagdet]
            for name, s in scores["pairwise"].items()
            if name in scores["retrieval"]
        ]
        print("\nlisted pairs only: plagdet pairwise vs retrieval")
        print(format_table(["category", "pairwise", "retrieval", "gap"], rows))


def dump(pairs: Sequence[GatePair], folder: Path) -> None:
    """The generated texts as files, and the labels as JSON lines, for reading or for `syndet scan`."""
    for p in pairs:
        for rel, text in ((f"{p.this_id}.txt", p.this_text), (f"articles/{p.source.name}.txt", p.source.text)):
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    with open(folder / "pairs.jsonl", "w", encoding="utf-8") as handle:
        for p in pairs:
            row = {
                "category": p.category,
                "this": f"{p.this_id}.txt",
                "source": f"articles/{p.source.name}.txt",
                "expected_kind": p.expected_kind,
                "cases": [[c.this_offset, c.this_length, c.source_offset, c.source_length] for c in p.cases],
            }
            handle.write(json.dumps(row) + "\n")
    log(f"wrote {len(pairs)} pairs to {folder}")


def gate(pan_corpus: Path | None, workers: int = 2, verbose: bool = True) -> Figures:
    """Every gated figure: the own set always, the PAN subset when its corpus is given and present."""
    pairs = build_set()
    pairwise, retrieval, kinds = run_own(pairs)
    figures, _, rscores = own_figures(pairs, pairwise, retrieval, kinds)
    if verbose:
        print_own(pairs, pairwise, retrieval, kinds, rscores)
    if pan_corpus is not None and (pan_corpus / "pairs.jsonl").exists():
        run = run_pan(pan_corpus, workers)
        figures.update(run.figures)
        if verbose:
            print_pan(pan_corpus, run)
    elif pan_corpus is not None:
        print(f"SKIP: PAN 2013 corpus not found at {pan_corpus}; only the own set is gated.")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pan", type=Path, help="the pan13-train folder, to gate the fixed PAN subset too")
    parser.add_argument("--workers", type=int, default=2, help="processes for the PAN subset (default 2)")
    parser.add_argument("--write-floors", action="store_true", help=f"re-pin {FLOORS.name} from these figures")
    parser.add_argument("--select-pan-subset", action="store_true", help=f"(re)write {PAN_SUBSET.name} from --pan")
    parser.add_argument("--dump", type=Path, help="write the generated own set to this folder and stop")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--listed-only", type=Path, metavar="DETAILS",
                        help="rescore a bench/pan13.py --details file on its listed pairs only, and stop")
    args = parser.parse_args(argv)
    if args.listed_only:
        listed_only(args.listed_only)
        return 0
    if args.dump:
        dump(build_set(), args.dump)
        return 0
    if args.select_pan_subset:
        if args.pan is None or not (args.pan / "pairs.jsonl").exists():
            parser.error("--select-pan-subset needs --pan with the PAN 2013 corpus")
        text = json.dumps(select_pan_subset(args.pan), indent=1)
        PAN_SUBSET.write_text(re.sub(r'\[\s+("[^"]+"),\s+("[^"]+")\s+\]', r"[\1, \2]", text) + "\n", encoding="utf-8")
        log(f"wrote {PAN_SUBSET}")
    start = time.perf_counter()
    figures = gate(args.pan, args.workers)
    print(f"\nwall time: {time.perf_counter() - start:.1f}s")
    if args.json:
        write_json(args.json, {"figures": figures})
    if args.write_floors:
        write_floors(figures)
    ok, table = check(figures, load_floors() if FLOORS.exists() else {})
    print("\nfloors (" + FLOORS.name + ")\n" + table)
    print("PASS" if ok else "FAIL: a figure is on the wrong side of its bound (see above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
