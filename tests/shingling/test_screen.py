"""Screening long candidates on their hit passages: what it skips, and that it keeps the reuse it should."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from shingling import Corpus, EngineConfig, PassageIndex, prepare, screened_out
from shingling.screen import passage_spans, window_text
from tests.helpers import FIXTURES, article, read

TOPICS = sorted((FIXTURES / "quality" / "articles").glob("*.txt"))


def _long_text() -> tuple[str, int, int]:
    """The fourteen quality-set articles as one long text, with where `floods-a` lies in it (characters)."""
    parts = [read(p).strip() for p in TOPICS]
    at = [p.stem for p in TOPICS].index("floods-a")
    text = "\n\n".join(parts)
    start = text.index(parts[at])
    return text, start, start + len(parts[at])


def test_passage_spans_are_the_passages_prepare_signs() -> None:
    config = EngineConfig()
    texts = [read(p) for p in TOPICS] + [article("harbour"), article("orchard"), _long_text()[0], "", "One."]
    for text in texts:
        want = [[p.start, p.end] for p in prepare(text).passages] if text.strip(".") else []
        assert passage_spans(text, config).tolist() == want


def test_a_window_is_the_hit_passages_and_their_neighbours_merged() -> None:
    text = "\n\n".join(f"Paragraph {i} " + " ".join(f"w{i}x{j}" for j in range(15)) for i in range(8))
    spans = passage_spans(text, EngineConfig())
    assert len(spans) == 8
    parts = text.split("\n\n")
    assert window_text(text, spans, [3], 1) == "\n\n".join(parts[2:5])
    assert window_text(text, spans, [0, 7], 1) == "\n\n".join(parts[0:2] + parts[6:8])
    assert window_text(text, spans, [2, 4], 1) == "\n\n".join(parts[1:6])  # overlapping neighbours, one stretch
    assert window_text(text, spans, [9], 0) == parts[7]  # past the end: the last passage


def test_a_long_candidate_is_kept_where_it_was_hit_on_its_reuse_and_skipped_where_hit_by_chance() -> None:
    long, start, end = _long_text()
    query = prepare(read(FIXTURES / "quality" / "articles" / "floods-a.txt"))
    assert len(long) > query.config.screen_min_chars
    index = PassageIndex()
    index.insert("long", prepare(long))
    hit = index.query_passages(query.query_signatures)["long"].passages
    spans = passage_spans(long, query.config)
    copied = [i for i in hit if spans[i, 0] < end and start < spans[i, 1]]
    assert len(copied) >= len(hit) - 1  # the search hit the copied article (and at most one passage by chance)
    assert not screened_out(query, long, copied) and not screened_out(query, long, hit)
    far = [i for i in range(len(spans)) if spans[i, 1] < start - 3000 or spans[i, 0] > end + 3000]
    assert far and screened_out(query, long, far[:1])  # a chance hit in another story: not aligned whole
    # short candidates, or screening turned off: always aligned whole
    assert not screened_out(prepare(query.text, replace(query.config, screen_min_chars=0)), long, far[:1])
    short = read(TOPICS[0])
    assert len(short) <= query.config.screen_min_chars and not screened_out(query, short, [0])


@pytest.mark.parametrize("margin", [0, 1, 2])
def test_the_corpus_query_still_finds_reuse_inside_a_long_text(margin: int) -> None:
    config = EngineConfig(screen_margin=margin)
    long, start, end = _long_text()
    corpus = Corpus(config)
    corpus.add("long", long)
    corpus.add("harbour", article("harbour"))
    found = dict(corpus.query(read(FIXTURES / "quality" / "articles" / "floods-a.txt")))
    assert list(found) == ["long"]
    spans = np.array([[p.b.start, p.b.end] for p in found["long"].passages])
    assert spans.min() >= start and spans.max() <= end and found["long"].containment_a > 0.9
