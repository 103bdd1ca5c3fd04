"""Score the engine on COUNTER (Urdu news reuse): classify each pair wholly / partially / non-derived.

    python bench/counter.py ../shared/eval/counter-dev [--folds 5] [--repeats 10] [--json out.json]

Each pair is an agency story (source) and a newspaper story (derived); the text given to the engine is the
headline, a blank line, then the body. Two measures of the derived story are read off with the same rule:

- containment (the old rule): ``compare(derived, source)``'s share of the derived story's words inside
  reported passages;
- coverage (``shingling.derivation``): the share of its content words inside a content-word bigram the
  source also has, each distinct bigram once, words matched however the two texts break them. It sees
  rewritten reuse that keeps no passage.

    ND  when value <  low
    WD  when value >= high
    PD  otherwise

(low, high) is the pair on a 0.01 grid (low <= high) with the best 3-class macro F1 on the pairs it is
fitted to, ties going to the smallest low, then the smallest high. For each measure the script prints the
rule fitted on all pairs and its (optimistic) figures, then repeated stratified k-fold figures where each
fold is scored with thresholds fitted on the other folds (the figures to quote), and the engine's untuned
default rule (``shingling.derivation.DEFAULT_RULE``). The other derivation measures (word n-gram
containment, sentence share) are cross-validated the same way for comparison, with a logistic model of
five of them (weights learnt on the training folds, its probability read with the same rule), and the
untuned binary rule "derived when any passage is reported" is printed last.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import BinaryCounts, corpus_missing, format_table, log, write_json  # noqa: E402
from shingling import ShinglingError, compare, prepare  # noqa: E402
from shingling.derivation import DEFAULT_RULE, measure  # noqa: E402

LABELS = ("WD", "PD", "ND")
GRID = [i / 100 for i in range(101)]


@dataclass(frozen=True)
class PairFeatures:
    """One COUNTER pair as the engine sees it."""

    pair_id: str
    label: str
    containment_derived: float
    containment_source: float
    passages: int
    coverage: float = 0.0  # shingling.derivation measures of the derived story against the source
    unigrams: float = 0.0
    bigrams: float = 0.0
    trigrams: float = 0.0
    sentence_share: float = 0.0


Measure = Callable[[PairFeatures], float]

MEASURES: dict[str, Measure] = {
    "containment": lambda p: p.containment_derived,
    "coverage": lambda p: p.coverage,
    "1-gram containment": lambda p: p.unigrams,
    "2-gram containment": lambda p: p.bigrams,
    "3-gram containment": lambda p: p.trigrams,
    "sentence share": lambda p: p.sentence_share,
}
"""Every measure the rule can read; "containment" is the old rule, "coverage" the new one."""


@dataclass(frozen=True)
class Rule:
    """ND below `low`, WD at or above `high`, PD in between (of one measure of the derived story)."""

    low: float
    high: float

    def classify(self, containment: float) -> str:
        if containment < self.low:
            return "ND"
        return "WD" if containment >= self.high else "PD"


def read_story(path: Path) -> str:
    """Headline and body of a COUNTER XML document, as one text."""
    root = ET.parse(path).getroot()
    headline = (root.findtext("headline") or "").strip()
    body = (root.findtext("body") or "").strip()
    return f"{headline}\n\n{body}"


def extract_features(corpus: Path) -> list[PairFeatures]:
    """Compare every pair of pairs.tsv (derived as a, source as b)."""
    features = []
    with open(corpus / "pairs.tsv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            try:
                derived = prepare(read_story(corpus / row["derived_xml"]))
                source = prepare(read_story(corpus / row["source_xml"]))
            except ShinglingError as error:
                log(f"pair {row['pair_id']}: {error}; scored as sharing nothing")
                features.append(PairFeatures(row["pair_id"], row["label"], 0.0, 0.0, 0))
                continue
            c = compare(derived, source)
            d = measure(derived, source)
            features.append(
                PairFeatures(
                    row["pair_id"], row["label"], c.containment_a, c.containment_b, len(c.passages),
                    d.coverage, *d.containment, d.sentence_share,
                )
            )
    return features


# ---------------------------------------------------------------- metrics


def confusion(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, dict[str, int]]:
    """counts[gold][predicted]."""
    counts = {g: dict.fromkeys(LABELS, 0) for g in LABELS}
    for g, p in zip(gold, predicted, strict=True):
        counts[g][p] += 1
    return counts


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Unweighted mean of the per-class F1 of WD, PD and ND."""
    scores = []
    for label in LABELS:
        counts = BinaryCounts()
        for g, p in zip(gold, predicted, strict=True):
            counts.add(p == label, g == label)
        scores.append(counts.f1)
    return sum(scores) / len(scores)


def figures(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Accuracy, 3-class macro F1, derived-vs-not (WD or PD vs ND) binary figures."""
    binary = BinaryCounts()
    for g, p in zip(gold, predicted, strict=True):
        binary.add(p != "ND", g != "ND")
    return {
        "accuracy": sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold),
        "macro_f1": macro_f1(gold, predicted),
        "binary": binary.to_dict(),
    }


# ---------------------------------------------------------------- the rule


def _f1(predicted: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """Per-row F1 of boolean predictions (rows: candidate rules) against one boolean truth vector."""
    tp = (predicted & actual).sum(axis=1)
    fp = (predicted & ~actual).sum(axis=1)
    fn = (~predicted & actual).sum(axis=1)
    denominator = 2 * tp + fp + fn
    return np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), 0.0)


def fit_rule(pairs: Sequence[PairFeatures], value: Measure = MEASURES["containment"]) -> Rule:
    """The thresholds on `value` with the best macro F1 on these pairs (ties: smallest low, then smallest
    high)."""
    x = np.array([value(p) for p in pairs])
    gold = np.array([p.label for p in pairs])
    highs = np.array(GRID)[:, None]
    best_score, best = -1.0, Rule(0.0, 0.0)
    for low in GRID:
        nd = np.broadcast_to(x < low, (len(GRID), len(x)))
        wd = (x >= highs) & ~nd
        pd = ~nd & ~wd
        score = (_f1(wd, gold == "WD") + _f1(pd, gold == "PD") + _f1(nd, gold == "ND")) / 3
        score[np.array(GRID) < low] = -1.0  # high must not be below low
        i = int(np.argmax(score))  # first maximum: the smallest high
        if score[i] > best_score + 1e-12:
            best_score, best = float(score[i]), Rule(low, GRID[i])
    return best


def stratified_folds(pairs: Sequence[PairFeatures], k: int, rng: random.Random) -> list[list[int]]:
    """k folds of pair indices, each label spread evenly over the folds."""
    folds: list[list[int]] = [[] for _ in range(k)]
    for label in LABELS:
        members = [i for i, p in enumerate(pairs) if p.label == label]
        rng.shuffle(members)
        for n, i in enumerate(members):
            folds[n % k].append(i)
    return folds


LOGISTIC_INPUTS = ("coverage", "1-gram containment", "3-gram containment", "sentence share", "containment")


def fit_logistic(pairs: Sequence[PairFeatures], inputs: Sequence[str] = LOGISTIC_INPUTS, l2: float = 1.0) -> Measure:
    """A measure learnt from `pairs`: the probability of "derived" (WD or PD) under a logistic model of the
    standardised `inputs`, fitted by Newton steps with an L2 penalty of `l2` on the weights."""
    x = np.array([[MEASURES[name](p) for name in inputs] for p in pairs])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.c_[np.ones(len(x)), (x - mean) / scale]
    y = np.array([p.label != "ND" for p in pairs], dtype=float)
    penalty = np.r_[0.0, np.full(len(inputs), l2)]
    w = np.zeros(z.shape[1])
    for _ in range(25):
        prob = 1 / (1 + np.exp(-z @ w))
        gradient = z.T @ (prob - y) + penalty * w
        hessian = (z * (prob * (1 - prob))[:, None]).T @ z + np.diag(penalty)
        w -= np.linalg.solve(hessian, gradient)

    def probability(p: PairFeatures) -> float:
        v = (np.array([MEASURES[name](p) for name in inputs]) - mean) / scale
        return float(1 / (1 + np.exp(-(w[0] + v @ w[1:]))))

    return probability


def cross_validate(
    pairs: Sequence[PairFeatures],
    k: int,
    repeats: int,
    seed: int,
    value: Measure = MEASURES["containment"],
    learn: Callable[[Sequence[PairFeatures]], Measure] | None = None,
) -> dict[str, Any]:
    """Repeated stratified k-fold: every pair predicted by a rule fitted without it; figures per repeat.

    With `learn`, the measure itself is learnt on the training folds first (e.g. `fit_logistic`). The folds
    depend only on the seed and the labels, so every measure is scored on the same folds."""
    runs = []
    rules = []
    for repeat in range(repeats):
        predicted = [""] * len(pairs)
        for fold in stratified_folds(pairs, k, random.Random(seed + repeat)):
            held = set(fold)
            training = [p for i, p in enumerate(pairs) if i not in held]
            measure_ = learn(training) if learn else value
            rule = fit_rule(training, measure_)
            rules.append(rule)
            for i in fold:
                predicted[i] = rule.classify(measure_(pairs[i]))
        runs.append(figures([p.label for p in pairs], predicted))

    def spread(values: list[float]) -> dict[str, float]:
        return {"mean": statistics.fmean(values), "sd": statistics.pstdev(values)}

    return {
        "folds": k,
        "repeats": repeats,
        "accuracy": spread([r["accuracy"] for r in runs]),
        "macro_f1": spread([r["macro_f1"] for r in runs]),
        "binary_f1": spread([r["binary"]["f1"] for r in runs]),
        "low": {"min": min(r.low for r in rules), "max": max(r.low for r in rules)},
        "high": {"min": min(r.high for r in rules), "max": max(r.high for r in rules)},
    }


def print_confusion(counts: dict[str, dict[str, int]]) -> None:
    print(format_table(["gold \\ predicted", *LABELS], [[g, *(counts[g][p] for p in LABELS)] for g in LABELS]))


DEFAULT_RULE_LABELS = {"wholly": "WD", "partially": "PD", "none": "ND"}


def summary(result: dict[str, Any]) -> str:
    binary = result["binary"]
    return (
        f"accuracy {result['accuracy']:.4f}  macro F1 {result['macro_f1']:.4f}  derived-vs-not F1 {binary['f1']:.4f} "
        f"(P {binary['precision']:.4f}, R {binary['recall']:.4f})"
    )


def score_measure(name: str, pairs: Sequence[PairFeatures], args: argparse.Namespace) -> dict[str, Any]:
    """Print and return one measure's distribution by label, fitted rule and cross-validated figures."""
    value = MEASURES[name]
    gold = [p.label for p in pairs]
    print(f"\n== {name} of the derived story, by gold label")
    rows: list[list[object]] = []
    for label in LABELS:
        values = sorted(value(p) for p in pairs if p.label == label)
        quartiles = statistics.quantiles(values, n=4) if len(values) > 1 else values * 3
        shared = sum(p.passages > 0 for p in pairs if p.label == label)
        rows.append([label, len(values), values[0], *quartiles, values[-1], shared])
    print(format_table(["label", "pairs", "min", "q1", "median", "q3", "max", "any passage"], rows))

    rule = fit_rule(pairs, value)
    predicted = [rule.classify(value(p)) for p in pairs]
    fitted = figures(gold, predicted)
    print(f"Rule fitted on all {len(pairs)} pairs: ND < {rule.low:.2f} <= PD < {rule.high:.2f} <= WD (optimistic)")
    print(summary(fitted))
    print_confusion(confusion(gold, predicted))

    cv = cross_validate(pairs, args.folds, args.repeats, args.seed, value)
    print(f"Cross-validated ({args.folds}-fold stratified, {args.repeats} repeats; thresholds refitted per fold)")
    for metric in ("accuracy", "macro_f1", "binary_f1"):
        print(f"{metric:10s} {cv[metric]['mean']:.4f} +- {cv[metric]['sd']:.4f}")
    print(
        f"thresholds fitted on the folds: low {cv['low']['min']:.2f}..{cv['low']['max']:.2f}, "
        f"high {cv['high']['min']:.2f}..{cv['high']['max']:.2f}"
    )
    return {
        "rule": {"low": rule.low, "high": rule.high},
        "fitted": fitted,
        "confusion": confusion(gold, predicted),
        "cross_validated": cv,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the counter-dev folder (pairs.tsv, COUNTER/)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if corpus_missing(args.corpus, "pairs.tsv", "COUNTER corpus"):
        return 0
    start = time.perf_counter()
    pairs = extract_features(args.corpus)
    gold = [p.label for p in pairs]
    print(f"{len(pairs)} pairs: " + ", ".join(f"{label} {gold.count(label)}" for label in LABELS))
    report: dict[str, Any] = {"pairs": len(pairs)}
    for name in ("containment", "coverage"):
        report[name] = score_measure(name, pairs, args)
    value = MEASURES["coverage"]
    default = [DEFAULT_RULE_LABELS[DEFAULT_RULE.classify(value(p))] for p in pairs]
    untuned_default = figures(gold, default)
    print(
        f"\nCoverage with the engine's untuned default rule (ND < {DEFAULT_RULE.low:.2f} <= PD < "
        f"{DEFAULT_RULE.high:.2f} <= WD): {summary(untuned_default)}"
    )
    print_confusion(confusion(gold, default))
    report["coverage"]["default_rule"] = {"low": DEFAULT_RULE.low, "high": DEFAULT_RULE.high, **untuned_default}

    print(f"\nEvery measure, cross-validated the same way ({args.folds}-fold, {args.repeats} repeats)")
    rows: list[list[object]] = []
    metrics = ("binary_f1", "macro_f1", "accuracy")
    report["measures"] = {}
    for name, fn in MEASURES.items():
        if name in report:
            cv = report[name]["cross_validated"]
        else:
            cv = cross_validate(pairs, args.folds, args.repeats, args.seed, fn)
        report["measures"][name] = cv
        rows.append([name, *(f"{cv[m]['mean']:.4f} +- {cv[m]['sd']:.4f}" for m in metrics)])
    cv = cross_validate(pairs, args.folds, args.repeats, args.seed, learn=fit_logistic)
    report["measures"]["logistic"] = cv
    name = f"logistic ({len(LOGISTIC_INPUTS)} above)"
    rows.append([name, *(f"{cv[m]['mean']:.4f} +- {cv[m]['sd']:.4f}" for m in metrics)])
    print(format_table(["measure", "binary F1", "macro F1", "accuracy"], rows))
    print(f"(logistic: derived-vs-not model of {', '.join(LOGISTIC_INPUTS)}, weights learnt per training fold)")

    any_passage = ["PD" if p.passages else "ND" for p in pairs]
    untuned = figures(gold, any_passage)["binary"]
    print(
        f"\nUntuned binary rule (derived when any passage): F1 {untuned['f1']:.4f} "
        f"(P {untuned['precision']:.4f}, R {untuned['recall']:.4f}; "
        f"tp {untuned['tp']} fp {untuned['fp']} fn {untuned['fn']} tn {untuned['tn']})"
    )
    seconds = time.perf_counter() - start
    print(f"\nwall time: {seconds:.1f}s")
    if args.json:
        report.update(any_passage_binary=untuned, seconds=seconds)
        write_json(args.json, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
