"""The plagdet scorer must give the official PAN scorer's figures: its unit values, small hand-made cases."""

from __future__ import annotations

import math
import random

import pytest

from bench.plagdet import (
    Annotation,
    case_recall,
    evaluate,
    granularity,
    is_overlapping,
    macro_avg_precision,
    macro_avg_recall,
    plagdet_score,
)

# The annotations of the official unit tests (pan13-text-alignment-perfmeasures.py, TestPerfMeasures).
A1 = Annotation("tref1", 0, 100, "sref1", 0, 100, True)
A2 = Annotation("tref1", 0, 100, "", 0, 0, False)
A3 = Annotation("tref1", 100, 100, "sref1", 100, 100, True)
A4 = Annotation("tref1", 0, 200, "sref1", 0, 200, True)
A5 = Annotation("tref1", 0, 1, "sref1", 0, 1, True)
A6 = Annotation("tref1", 99, 1, "sref1", 99, 1, True)
A7 = Annotation("tref2", 0, 100, "sref2", 0, 100, True)
A8 = Annotation("tref2", 0, 100, "", 0, 0, False)
A9 = Annotation("tref2", 50, 100, "sref2", 50, 100, True)
A10 = Annotation("tref2", 25, 75, "sref2", 25, 75, True)


def test_plagdet_score_official_values() -> None:
    assert plagdet_score(1, 1, 2) == pytest.approx(0.63092975, abs=1e-8)
    assert plagdet_score(0.25, 0.75, 2) == pytest.approx(0.23659865, abs=1e-8)
    assert plagdet_score(1, 1, 1) == 1
    assert plagdet_score(0.5, 1, 1) == 2 / 3
    assert plagdet_score(1, 0.5, 1) == 2 / 3
    for rec, prec, gran in [(-1, 0, 0), (0, -1, 0), (0, 0, -1), (0, 0, 1), (0, 1, 1), (1, 0, 1)]:
        assert plagdet_score(rec, prec, gran) == 0


def test_macro_recall_official_values() -> None:
    assert macro_avg_recall([], []) == 1
    assert macro_avg_recall([A1], []) == 0
    assert macro_avg_recall([], [A1]) == 0
    assert macro_avg_recall([A1], [A1]) == 1
    assert macro_avg_recall([A2], [A2]) == 1
    assert macro_avg_recall([A1, A7], [A1]) == 0.5
    assert macro_avg_recall([A2, A8], [A2]) == 0.5
    assert macro_avg_recall([A1], [A7]) == 0
    assert macro_avg_recall([A2], [A8]) == 0


def test_case_recall_official_values() -> None:
    assert case_recall(A1, []) == 0
    assert case_recall(A1, [A1]) == 1
    assert case_recall(A1, [A2]) == 0.5
    assert case_recall(A1, [A3]) == 0
    assert case_recall(A1, [A4]) == 1
    assert case_recall(A1, [A4, A7]) == 1
    assert case_recall(A1, [A7, A9]) == 0
    assert case_recall(A7, [A9]) == 0.5
    assert case_recall(A7, [A10]) == 0.75
    assert case_recall(A7, [A9, A10]) == 0.75


def test_macro_precision_official_values() -> None:
    assert macro_avg_precision([], []) == 1
    assert macro_avg_precision([A1], []) == 0
    assert macro_avg_precision([], [A1]) == 0
    assert macro_avg_precision([A1], [A1]) == 1
    assert macro_avg_precision([A2], [A2]) == 1
    assert macro_avg_precision([A1, A7], [A1]) == 1
    assert macro_avg_precision([A2, A8], [A2]) == 1
    assert macro_avg_precision([A1], [A4]) == 0.5
    assert macro_avg_precision([A7], [A10]) == 1
    assert macro_avg_precision([A7], [A9, A10]) == 0.75
    assert macro_avg_precision([A1], [A3, A4]) == 0.25


def test_granularity_official_values() -> None:
    assert granularity([], []) == 1
    assert granularity([A1], [A2]) == 1
    assert granularity([A1], [A2, A3]) == 1
    assert granularity([A1], [A2, A3, A4]) == 2
    assert granularity([A1, A3], [A2, A4]) == 1.5


def test_is_overlapping_official_values() -> None:
    assert is_overlapping(A1, A2)
    assert not is_overlapping(A1, A3)
    assert is_overlapping(A1, A4)
    assert not is_overlapping(A1, A7)
    assert not is_overlapping(A1, A8)
    assert not is_overlapping(A1, A9)
    assert not is_overlapping(A1, A10)
    assert is_overlapping(A1, A5)
    assert is_overlapping(A1, A6)


def test_split_detection_halves_plagdet_by_granularity() -> None:
    case = Annotation("s.txt", 100, 200, "r.txt", 0, 200)
    halves = [
        Annotation("s.txt", 100, 100, "r.txt", 0, 100),
        Annotation("s.txt", 200, 100, "r.txt", 100, 100),
    ]
    result = evaluate([case], halves)
    assert (result.recall, result.precision, result.granularity) == (1, 1, 2)
    assert result.plagdet == pytest.approx(1 / math.log2(3))


def test_detection_on_the_wrong_source_counts_against_precision_only() -> None:
    case = Annotation("s.txt", 0, 100, "r.txt", 0, 100)
    right = Annotation("s.txt", 0, 100, "r.txt", 0, 100)
    wrong_source = Annotation("s.txt", 0, 100, "other.txt", 0, 100)
    result = evaluate([case], [right, wrong_source])
    assert (result.recall, result.precision, result.granularity) == (1, 0.5, 1)
    assert result.plagdet == pytest.approx(2 / 3)


def test_source_side_must_overlap_too() -> None:
    case = Annotation("s.txt", 0, 100, "r.txt", 0, 100)
    shifted_source = Annotation("s.txt", 0, 100, "r.txt", 500, 100)
    result = evaluate([case], [shifted_source])
    assert (result.recall, result.precision, result.plagdet) == (0, 0, 0)


def test_partial_overlap_counts_both_sides() -> None:
    case = Annotation("s.txt", 0, 100, "r.txt", 1000, 300)
    det = Annotation("s.txt", 50, 100, "r.txt", 1000, 100)
    result = evaluate([case], [det])
    # case: 50 of 100 this chars + 100 of 300 source chars; detection: 50 of 100 + 100 of 100.
    assert result.recall == pytest.approx(150 / 400)
    assert result.precision == pytest.approx(150 / 200)


def test_cases_without_detections_in_their_document_score_zero() -> None:
    cases = [Annotation("a.txt", 0, 10, "r.txt", 0, 10), Annotation("b.txt", 0, 10, "r.txt", 0, 10)]
    result = evaluate(cases, [Annotation("a.txt", 0, 10, "r.txt", 0, 10)])
    assert (result.recall, result.precision, result.granularity) == (0.5, 1, 1)


def test_no_cases_conventions() -> None:
    assert evaluate([], []).plagdet == 1
    spurious = evaluate([], [Annotation("s.txt", 0, 10, "r.txt", 0, 10)])
    assert (spurious.recall, spurious.precision, spurious.plagdet) == (0, 0, 0)
    missed = evaluate([Annotation("s.txt", 0, 10, "r.txt", 0, 10)], [])
    assert (missed.recall, missed.precision, missed.granularity, missed.plagdet) == (0, 0, 1, 0)


def test_duplicates_count_once_like_the_official_xml_reader() -> None:
    case = Annotation("s.txt", 0, 100, "r.txt", 0, 100)
    result = evaluate([case, case], [case, case])
    assert (result.cases, result.detections, result.granularity, result.plagdet) == (1, 1, 1, 1)


def test_empty_annotation_is_rejected() -> None:
    with pytest.raises(ValueError, match="empty"):
        evaluate([Annotation("s.txt", 0, 10, "r.txt", 0, 10)], [Annotation("s.txt", 5, 0, "r.txt", 5, 0)])


def _brute_force(cases: list[Annotation], dets: list[Annotation]) -> tuple[float, float, float]:
    """Character sets straight from the definition in Potthast et al. (2010), for small inputs."""

    def chars(ann: Annotation) -> set[tuple[str, int]]:
        this_end = ann.this_offset + ann.this_length
        source_end = ann.source_offset + ann.source_length
        this = {(ann.this_reference, i) for i in range(ann.this_offset, this_end)}
        src = {("src:" + ann.source_reference, i) for i in range(ann.source_offset, source_end)}
        return this | src

    def touches(x: Annotation, y: Annotation) -> bool:
        return bool(
            x.this_reference == y.this_reference
            and x.source_reference == y.source_reference
            and chars(x) & {c for c in chars(y) if c[0] == x.this_reference}
            and chars(x) & {c for c in chars(y) if c[0] != x.this_reference}
        )

    def macro(xs: list[Annotation], ys: list[Annotation]) -> float:
        if not xs and not ys:
            return 1.0
        if not xs or not ys:
            return 0.0
        total = 0.0
        for x in xs:
            covered: set[tuple[str, int]] = set()
            for y in ys:
                if touches(x, y):
                    covered |= chars(x) & chars(y)
            total += len(covered) / len(chars(x))
        return total / len(xs)

    hits = [sum(touches(c, d) for d in dets) for c in cases]
    detected = [h for h in hits if h]
    gran = sum(detected) / len(detected) if detected else 1.0
    return macro(cases, dets), macro(dets, cases), gran


def test_agrees_with_a_character_set_reference_on_random_cases() -> None:
    rng = random.Random(7)

    def ann() -> Annotation:
        return Annotation(
            rng.choice(["s1", "s2"]),
            rng.randrange(0, 60),
            rng.randrange(1, 30),
            rng.choice(["r1", "r2"]),
            rng.randrange(0, 60),
            rng.randrange(1, 30),
        )

    for _ in range(300):
        cases = list({ann() for _ in range(rng.randrange(0, 4))})
        dets = list({ann() for _ in range(rng.randrange(0, 5))})
        result = evaluate(cases, dets)
        rec, prec, gran = _brute_force(cases, dets)
        assert result.recall == pytest.approx(rec)
        assert result.precision == pytest.approx(prec)
        assert result.granularity == pytest.approx(gran)
