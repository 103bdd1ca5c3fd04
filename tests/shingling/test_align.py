"""Alignment: reused passages are found wherever they moved, however lightly edited, with exact spans."""

from __future__ import annotations

import random

import pytest

from shingling import Corpus, compare, prepare
from tests.helpers import article


def paragraphs(name: str) -> list[str]:
    return [p for p in article(name).split("\n\n") if p.strip()]


def covered(text: str, spans: list[tuple[int, int]], snippet: str) -> bool:
    """True when some reported span contains `snippet`."""
    return any(snippet in text[s:e] for s, e in spans)


def test_identical_texts_are_duplicates() -> None:
    text = article("harbour")
    c = compare(prepare(text), prepare(text))
    assert c.kind == "duplicate"
    assert c.containment_a == pytest.approx(1.0) and c.containment_b == pytest.approx(1.0)
    assert len(c.passages) == 1 and c.passages[0].a.slice(text) == c.passages[0].b.slice(text)


def test_reordered_copy_finds_every_paragraph() -> None:
    paras = paragraphs("harbour")
    shuffled = paras[:]
    random.Random(7).shuffle(shuffled)
    a, b = "\n\n".join(paras), "\n\n".join(shuffled)
    c = compare(prepare(a), prepare(b))
    assert c.kind in ("duplicate", "near_duplicate")
    assert c.containment_a > 0.9 and c.containment_b > 0.9
    spans_b = [(p.b.start, p.b.end) for p in c.passages]
    for para in paras[1:]:
        assert covered(b, spans_b, para[20:80])


def test_edited_copy_inside_other_text_is_partial_with_exact_spans() -> None:
    wire = paragraphs("harbour")[3]  # the Lindqvist quote paragraph
    edited = (wire.replace("largest", "biggest").replace("since the breakwater", "since the old breakwater")
              .replace("We listened", "We have listened"))
    host = paragraphs("orchard")
    text_b = "\n\n".join(host[:4] + [edited] + host[4:])
    text_a = article("harbour")
    c = compare(prepare(text_a), prepare(text_b))
    assert c.kind == "partial"
    assert len(c.passages) == 1
    p = c.passages[0]
    assert "Marta Lindqvist" in p.a.slice(text_a) and "Marta Lindqvist" in p.b.slice(text_b)
    assert "frost" not in p.b.slice(text_b) and "Petrovic" not in p.b.slice(text_b)
    assert 0.5 < p.similarity < 1.0
    assert 0.05 < c.containment_b < 0.3


def test_reuse_across_a_paragraph_boundary_and_inside_a_paragraph() -> None:
    paras = paragraphs("harbour")
    # the end of one paragraph and the start of the next, copied as one block into other text
    tail = paras[4].split(". ")[-1]
    head = paras[5].split(". ")[0]
    borrowed = f"{tail} {head}."
    text_b = "\n\n".join(paragraphs("orchard")[:3]) + " " + borrowed + "\n\n" + paragraphs("orchard")[3]
    c = compare(prepare(article("harbour")), prepare(text_b))
    assert len(c.passages) == 1
    assert c.passages[0].b.slice(text_b).startswith(tail.split()[0])
    assert c.passages[0].a.slice(article("harbour")).endswith("whether to appeal")


def test_paragraphless_text_is_aligned_by_windows() -> None:
    words = article("harbour").split()
    filler = article("orchard").split()
    a = " ".join(words)  # one huge block, no line breaks
    b = " ".join(filler[:120] + words[80:200] + filler[120:])
    c = compare(prepare(a), prepare(b))
    assert len(c.passages) == 1
    got = c.passages[0].b.slice(b)
    assert " ".join(words[80:200]).rstrip(".,") in got
    assert len(got.split()) <= 120 + 2  # at most an identical neighbouring word on each side


def test_non_latin_text_reuse_is_found() -> None:
    rng = random.Random(3)
    letters = "ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنوہیے"
    vocab = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 7))) for _ in range(800)]
    words = [rng.choice(vocab) for _ in range(600)]
    text_a = "۔ ".join(" ".join(words[i : i + 12]) for i in range(0, 300, 12))
    shared = " ".join(words[300:360])
    text_b = " ".join(rng.choice(vocab) for _ in range(150)) + "۔\n\n" + shared + "۔\n\n" + " ".join(words[400:])
    text_a += "\n\n" + shared
    c = compare(prepare(text_a), prepare(text_b))
    assert [p.a.slice(text_a) for p in c.passages] == [shared]
    assert [p.b.slice(text_b) for p in c.passages] == [shared]


def test_unrelated_articles_share_nothing() -> None:
    c = compare(prepare(article("harbour")), prepare(article("orchard")))
    assert c.kind is None and c.passages == ()


def test_compare_is_symmetric() -> None:
    a, b = prepare(article("harbour")), prepare("\n\n".join(paragraphs("harbour")[2:6]))
    assert compare(b, a) == compare(a, b).swapped()


def test_corpus_pairs_do_not_depend_on_insertion_order() -> None:
    texts = {
        "h": article("harbour"),
        "o": article("orchard"),
        "h2": "\n\n".join(paragraphs("harbour")[3:7]),
        "o2": "\n\n".join(paragraphs("orchard")[1:4]),
    }
    results = []
    for order in (["h", "o", "h2", "o2"], ["o2", "h2", "o", "h"]):
        corpus = Corpus()
        for key in order:
            corpus.add(key, texts[key])
        results.append([(a, b, c.to_dict()) for a, b, c in corpus.pairs()])
    assert results[0] == results[1]
    assert [(a, b) for a, b, _ in results[0]] == [("h", "h2"), ("o", "o2")]
