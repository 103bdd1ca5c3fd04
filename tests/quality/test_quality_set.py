"""The own labelled set is deterministic and its ground truth says what the generator did; floors round the
way bench/floors.json says."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from bench.quality_gate import PAN_PER_CATEGORY, PAN_SUBSET, bound_for, check, listed_only, load_floors
from bench.quality_set import (
    CATEGORIES,
    NEGATIVES,
    GatePair,
    Piece,
    build_set,
    edit_pieces,
    lay_out,
    load_articles,
    split_sentences,
    truth,
)

PAIRS = build_set()


def _case_texts(pair: GatePair) -> list[tuple[str, str]]:
    return [
        (
            pair.this_text[c.this_offset : c.this_offset + c.this_length],
            pair.source.text[c.source_offset : c.source_offset + c.source_length],
        )
        for c in pair.cases
    ]


def test_the_set_is_the_same_every_time() -> None:
    again = build_set()
    assert [(p.this_id, p.this_text, p.cases) for p in again] == [(p.this_id, p.this_text, p.cases) for p in PAIRS]


def test_every_category_is_there_and_ids_are_unique() -> None:
    counts = Counter(p.category for p in PAIRS)
    assert set(counts) == set(CATEGORIES)
    assert len({(p.this_id, p.source.name) for p in PAIRS}) == len(PAIRS)


def test_articles_are_original_length_news() -> None:
    articles = load_articles()
    assert len(articles) >= 10
    for article in articles.values():
        assert 150 <= len(article.text.split()) <= 400, article.name
        assert sum(a.topic == article.topic for a in articles.values()) >= 2  # a same-topic hard negative


@pytest.mark.parametrize("category", ["verbatim", "embedded", "reordered", "mixed"])
def test_copied_cases_cut_the_same_words_from_both_sides(category: str) -> None:
    for pair in (p for p in PAIRS if p.category == category):
        assert pair.cases
        for this, source in _case_texts(pair):
            assert this.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'") == source


def test_negatives_have_no_cases_and_positives_an_expected_kind() -> None:
    for pair in PAIRS:
        assert (pair.category in NEGATIVES) == (not pair.cases)
        assert (pair.expected_kind is None) == (pair.category in NEGATIVES)
    kinds = {p.category: p.expected_kind for p in PAIRS if p.category in ("verbatim", "edited", "embedded")}
    assert kinds == {"verbatim": "duplicate", "edited": "near_duplicate", "embedded": "partial"}


def test_wire_cases_keep_dropped_sentences_but_split_at_dropped_paragraphs() -> None:
    article = load_articles()["floods-a"]
    p1, p2, p4 = (article.paragraphs[i] for i in (1, 2, 4))
    pieces = [[Piece(p1[0], (1, 0, 0))], [Piece(p2[0], (2, 0, 0))], [Piece(p4[0], (4, 0, 0))]]
    cases = truth(article, "v", lay_out(pieces))
    assert len(cases) == 2
    first = cases[0]
    # paragraph 2's first sentence only, yet the case runs over paragraph 1 into paragraph 2
    assert article.text[first.source_offset : first.source_offset + first.source_length].endswith(p2[0])


def test_light_edits_change_about_the_rate_asked() -> None:
    article = load_articles()["council-a"]
    pieces = [Piece(s, (p, i, i)) for p, para in enumerate(article.paragraphs) for i, s in enumerate(para)]
    edited, changed = edit_pieces(pieces, random.Random(1), 0.1)
    words = len(article.text.split())
    assert 0.07 * words <= changed <= 0.11 * words
    assert [pc.source for pc in edited] == [pc.source for pc in pieces]


def test_quoted_sentences_stay_whole() -> None:
    assert split_sentences('He said: "It is late. We go." Then he left.') == (
        'He said: "It is late. We go."',
        "Then he left.",
    )


def test_pan_subset_is_ids_only_and_fixed_size() -> None:
    subset = json.loads(PAN_SUBSET.read_text(encoding="utf-8"))
    assert set(subset) == {"corpus", "selection", "pairs"}
    for keys in subset["pairs"].values():
        assert len(keys) == PAN_PER_CATEGORY
        for susp, src in keys:
            assert susp.startswith("suspicious-document") and src.startswith("source-document")


def test_bounds_round_just_under_and_just_over() -> None:
    assert bound_for("own/pairwise/overall/plagdet", 0.9571) == 0.95
    assert bound_for("own/pairwise/overall/plagdet", 0.96) == 0.95
    assert bound_for("own/pairwise/overall/granularity", 1.0723) == 1.08
    assert bound_for("own/pairwise/overall/granularity", 1.0) == 1.01
    assert bound_for("own/pairwise/negative-unrelated/flagged", 2.0) == 2.0


def test_check_fails_below_a_floor_and_on_missing_bounds() -> None:
    floors = {"own/a/plagdet": 0.9, "own/a/granularity": 1.05}
    assert check({"own/a/plagdet": 0.91, "own/a/granularity": 1.0}, floors)[0]
    assert not check({"own/a/plagdet": 0.89, "own/a/granularity": 1.0}, floors)[0]
    assert not check({"own/a/plagdet": 0.91, "own/a/granularity": 1.06}, floors)[0]
    assert not check({"own/a/plagdet": 0.91}, floors)[0]
    assert not check({"own/a/plagdet": 0.91, "own/a/granularity": 1.0, "own/b/plagdet": 1.0}, floors)[0]


def test_floors_file_bounds_every_gated_figure_name_it_knows() -> None:
    floors = load_floors()
    assert any(name.startswith("own/") for name in floors)
    assert all(0 <= value <= 2 or name.endswith(("flagged", "/fp")) for name, value in floors.items())


def test_listed_only_rescoring_leaves_out_unlisted_pairs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = [[0, 100, 0, 100]]
    rows = [
        {"mode": "pairwise", "category": "02-x", "susp": "s", "src": "r", "listed": True, "case_spans": case,
         "detection_spans": [[0, 100, 0, 100, 1.0]]},
        {"mode": "retrieval", "category": "02-x", "susp": "s", "src": "r", "listed": True, "case_spans": case,
         "detection_spans": []},
        {"mode": "retrieval", "category": "02-x", "susp": "s", "src": "q", "listed": False, "case_spans": [],
         "detection_spans": [[0, 100, 0, 100, 1.0]]},
    ]
    details = tmp_path / "details.jsonl"
    details.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    listed_only(details)
    gap = [line.split() for line in capsys.readouterr().out.splitlines() if line.startswith("overall")][-1]
    assert gap[1:] == ["1.0000", "0.0000", "1.0000"]  # the missed listed pair counts, the unlisted one does not
