"""The benchmark scripts' own conventions: PAN13 scoring of listed/unlisted pairs, COUNTER's threshold rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.counter import PairFeatures, Rule, figures, fit_rule, macro_f1, read_story, stratified_folds
from bench.pan13 import OVERALL, SUMMARY_ANNOTATED, Pair, RunOutput, sample_pairs, score
from bench.plagdet import Annotation


def _pair(category: str, susp: str, src: str, *cases: tuple[int, int, int, int]) -> Pair:
    spans = tuple(Annotation(susp, t, tl, src, s, sl) for t, tl, s, sl in cases)
    return Pair(category, susp, src, bool(spans), spans)


PAIRS = [
    _pair("02-no-obfuscation", "s1", "r1", (0, 100, 0, 100)),
    _pair("01-no-plagiarism", "s2", "r2"),
    _pair("05-summary-obfuscation", "s3", "r3", (0, 50, 0, 50)),
    _pair("05-summary-obfuscation", "s3", "r4"),
]


def test_pairwise_scores_per_category_and_overall() -> None:
    out = RunOutput("pairwise", detections={("s1", "r1"): [(0, 100, 0, 100, 1.0)], ("s3", "r4"): [(0, 10, 0, 10, 1.0)]})
    scores = score(PAIRS, out)
    assert scores["02-no-obfuscation"].passage.plagdet == 1
    assert scores["01-no-plagiarism"].passage.plagdet == 1  # nothing reported on a category without cases
    assert scores["05-summary-obfuscation"].passage.precision == 0  # detection on an unannotated pair
    assert scores[SUMMARY_ANNOTATED].pairs == 1
    assert scores[SUMMARY_ANNOTATED].passage.detections == 0
    doc = scores[OVERALL].document
    assert (doc.tp, doc.fp, doc.fn, doc.tn) == (1, 1, 1, 1)


def test_retrieval_charges_unlisted_detections_to_the_suspicious_documents_category() -> None:
    out = RunOutput(
        "retrieval",
        detections={("s1", "r1"): [(0, 100, 0, 100, 1.0)], ("s1", "r9"): [(0, 100, 0, 100, 1.0)], ("s2", "r2"): []},
    )
    scores = score(PAIRS, out)
    verbatim = scores["02-no-obfuscation"]
    assert (verbatim.unlisted_pairs_flagged, verbatim.unlisted_detections) == (1, 1)
    assert (verbatim.passage.recall, verbatim.passage.precision) == (1, 0.5)
    assert verbatim.document.fp == 1
    assert scores[OVERALL].unlisted_pairs_flagged == 1


def test_sample_is_seeded_and_independent_of_other_categories() -> None:
    many = [_pair("02-x", f"s{i}", "r") for i in range(50)] + [_pair("03-y", f"t{i}", "r") for i in range(50)]
    both = sample_pairs(many, 5, seed=1)
    alone = sample_pairs([p for p in many if p.category == "02-x"], 5, seed=1)
    assert [p for p in both if p.category == "02-x"] == alone
    assert both == sample_pairs(many, 5, seed=1)


def _features(label: str, containment: float) -> PairFeatures:
    return PairFeatures("0000", label, containment, containment, int(containment > 0))


def test_rule_boundaries() -> None:
    rule = Rule(0.1, 0.7)
    assert [rule.classify(x) for x in (0.0, 0.099, 0.1, 0.69, 0.7, 1.0)] == ["ND", "ND", "PD", "PD", "WD", "WD"]


def test_fit_rule_separates_separable_labels_with_the_smallest_thresholds() -> None:
    pairs = [_features("ND", x) for x in (0.0, 0.05)] + [_features("PD", x) for x in (0.2, 0.4)]
    pairs += [_features("WD", x) for x in (0.8, 0.95)]
    rule = fit_rule(pairs)
    assert (rule.low, rule.high) == (0.06, 0.41)
    predicted = [rule.classify(p.containment_derived) for p in pairs]
    assert macro_f1([p.label for p in pairs], predicted) == 1


def test_figures_binary_treats_wd_and_pd_as_derived() -> None:
    result = figures(["WD", "PD", "ND", "ND"], ["PD", "PD", "WD", "ND"])
    assert result["accuracy"] == 0.5
    assert (result["binary"]["tp"], result["binary"]["fp"], result["binary"]["tn"]) == (2, 1, 1)


def test_stratified_folds_cover_every_pair_once() -> None:
    import random

    pairs = [_features(label, 0.0) for label in ("WD", "PD", "ND") for _ in range(7)]
    folds = stratified_folds(pairs, 5, random.Random(0))
    assert sorted(i for fold in folds for i in fold) == list(range(len(pairs)))
    assert max(len(f) for f in folds) - min(len(f) for f in folds) <= 3


def test_read_story_joins_headline_and_body(tmp_path: Path) -> None:
    path = tmp_path / "0001.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><COUNTER_document classification="PD">'
        "<headline> سرخی </headline><body>متن یہاں ہے۔</body></COUNTER_document>",
        encoding="utf-8",
    )
    assert read_story(path) == "سرخی\n\nمتن یہاں ہے۔"


@pytest.mark.parametrize("module", ["bench.pan13", "bench.counter"])
def test_absent_corpus_skips_with_exit_0(module: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import importlib

    main = importlib.import_module(module).main
    assert main([str(tmp_path / "absent")]) == 0
    assert "SKIP" in capsys.readouterr().out
