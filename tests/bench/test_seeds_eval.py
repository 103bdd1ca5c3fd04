"""Seed expectations are well formed, the coverage rule behaves, and the seeds evaluation runs end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.seeds_eval import evaluate_seeds, main
from bench.seeds_expectations import (
    EXPECTED_SHARED,
    MIN_COVERAGE,
    STORIES,
    SharedPassage,
    coverage,
    cross_story_pairs,
    locate,
    read_seed,
)
from shingling import PassagePair, Span
from tests.helpers import SEEDS

needs_seeds = pytest.mark.skipif(not (SEEDS / "000.txt").exists(), reason=f"seed articles not at {SEEDS}")


@needs_seeds
@pytest.mark.parametrize("expected", EXPECTED_SHARED, ids=lambda e: e.label)
def test_each_snippet_occurs_once_in_its_seed(expected: SharedPassage) -> None:
    for name, snippet in ((expected.doc_a, expected.snippet_a), (expected.doc_b, expected.snippet_b)):
        start, end = locate(read_seed(SEEDS, name), snippet)
        assert end - start == len(snippet)


def test_expectations_stay_within_a_story() -> None:
    story = {name: i for i, names in enumerate(STORIES) for name in names}
    for expected in EXPECTED_SHARED:
        assert expected.doc_a < expected.doc_b
        assert story[expected.doc_a] == story[expected.doc_b]


def test_locate_rejects_missing_and_repeated_snippets() -> None:
    assert locate("one two three", "two") == (4, 7)
    with pytest.raises(ValueError, match="exactly once"):
        locate("one two", "three")
    with pytest.raises(ValueError, match="exactly once"):
        locate("two and two", "two")


def test_coverage_counts_only_pairs_linking_both_snippets() -> None:
    text_a = "xx shared words here yy"
    text_b = "shared words here zz"
    expected = SharedPassage("t", "000", "001", "shared words here", "shared words here")
    linking = PassagePair(Span(3, 12), Span(0, 9), 1.0)  # "shared wo" on both sides
    elsewhere = PassagePair(Span(3, 20), Span(18, 20), 1.0)  # right in a, wrong place in b
    cov = coverage(expected, text_a, text_b, [linking, elsewhere])
    assert (cov.a, cov.b) == (9 / 17, 9 / 17)
    assert cov.found is (MIN_COVERAGE <= 9 / 17)
    assert not coverage(expected, text_a, text_b, [elsewhere]).found


def test_cross_story_pairs() -> None:
    assert cross_story_pairs([("000", "001"), ("003", "004")]) == []
    assert cross_story_pairs([("002", "003"), ("000", "001"), ("001", "004")]) == [
        ("001", "004"),
        ("002", "003"),
    ]


@needs_seeds
def test_seeds_evaluation_finds_every_expected_passage_and_no_cross_story_link() -> None:
    report = evaluate_seeds(SEEDS)
    assert report.missed == []
    assert report.cross_story == []
    assert report.ok
    assert report.to_dict()["ok"] is True


def test_missing_seeds_dir_skips_with_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "absent")]) == 0
    assert "SKIP" in capsys.readouterr().out
