"""Alignment rules: where a passage stops (own text between copied paragraphs) and what is too short to report."""

from __future__ import annotations

import numpy as np

from shingling import compare, prepare
from tests.helpers import article


def paragraphs(name: str) -> list[str]:
    return [p for p in article(name).split("\n\n") if p.strip()]


def test_own_paragraph_between_copied_ones_is_not_part_of_a_passage() -> None:
    # a rewrite that keeps two consecutive wire paragraphs but writes one of its own between them: the
    # passages must not run through the own paragraph (a gap on one side only), whatever max_gap allows
    wire = paragraphs("harbour")
    own = paragraphs("orchard")[3]  # 47 words on another subject, less than max_gap
    text_a = "\n\n".join([wire[0], wire[2], own, wire[3], wire[4]])
    text_b = "\n\n".join(wire)
    c = compare(prepare(text_a), prepare(text_b))
    assert len(c.passages) == 2
    start = text_a.index(own)
    for p in c.passages:
        assert p.a.end <= start + 10 or p.a.start >= start + len(own) - 10, p.a.slice(text_a)
    assert any(wire[3][5:60] in p.a.slice(text_a) and wire[4][5:60] in p.a.slice(text_a) for p in c.passages)


def test_a_few_shared_words_inside_running_text_are_not_reuse() -> None:
    phrase = "according to a spokesperson for the regional environment agency"
    harbour, orchard = paragraphs("harbour"), paragraphs("orchard")
    a = " ".join(harbour[1:3]) + f" The plan was approved, {phrase}, on Monday. " + harbour[3]
    b = " ".join(orchard[1:3]) + f" Growers were warned, {phrase}, last week. " + orchard[3]
    assert compare(prepare(a), prepare(b)).passages == ()


def test_a_short_line_reused_whole_is_reported() -> None:
    # a headline is short, but a whole line copied on both sides is a unit of text reused
    headline = paragraphs("harbour")[0]
    a = headline + "\n\n" + "\n\n".join(paragraphs("orchard")[1:4])
    b = headline + "\n\n" + "\n\n".join(paragraphs("orchard")[5:8])
    c = compare(prepare(a), prepare(b))
    assert len(c.passages) == 1
    assert c.passages[0].a.slice(a) == headline and c.passages[0].b.slice(b) == headline


def test_a_nearby_sentence_naming_the_same_things_does_not_extend_a_copied_passage() -> None:
    # the source introduces the copied paragraph with a sentence of its own that repeats its names: the
    # copy's span in the source starts at the paragraph, not at that sentence
    copied = paragraphs("harbour")[3]
    names = " ".join(w.strip(".,\u201c\u201d\"") for w in copied.split()[:12])
    intro = f"Earlier, as reported here: {names}, and more followed later in the day."
    text_a = "\n\n".join([*paragraphs("orchard")[1:3], copied, *paragraphs("orchard")[3:5]])
    text_b = "\n\n".join([*paragraphs("orchard")[5:7], intro + " " + copied, *paragraphs("orchard")[7:9]])
    c = compare(prepare(text_a), prepare(text_b))
    assert len(c.passages) == 1
    assert text_b.index(copied) <= c.passages[0].b.start < text_b.index(copied) + 5


def test_a_summary_may_copy_some_of_its_sentences() -> None:
    from shingling.align import _summaries
    from shingling.config import EngineConfig

    cfg = EngineConfig()
    # three pieces back to back on a (a 150-word summary), spread over 1,500 words of b
    pieces = [(0, 50, 0, 120), (55, 100, 700, 760), (105, 150, 1400, 1500)]
    seeds = _seeds(pieces)
    # one paraphrased piece among copied ones: one summary
    assert _summaries(pieces, [1.0, 0.6, 1.0], seeds, cfg) == [(0, 150, 0, 1500)]
    # copied pieces only: sentences copied from several places, each its own passage
    assert _summaries(pieces, [1.0, 1.0, 1.0], seeds, cfg) == pieces
    # one copied passage that makes up most of it, with a loose piece beside it: a copy, not a summary
    copy_and_stray = [(0, 100, 0, 100), (110, 140, 900, 960)]
    assert _summaries(copy_and_stray, [1.0, 0.5], _seeds(copy_and_stray), cfg) == copy_and_stray


def _seeds(boxes: list[tuple[int, int, int, int]]) -> tuple[np.ndarray, ...]:
    """One seed per box, spanning it (first and last token in a, then in b)."""
    return tuple(np.array([box[i] for box in boxes], dtype=np.int64) for i in range(4))


def test_passages_from_one_place_put_far_apart_are_not_a_summary() -> None:
    from shingling.align import _summaries
    from shingling.config import EngineConfig

    cfg = EngineConfig()
    # two rewritten passages back to back on a, 1,000 words apart on b with nothing shared between them
    apart = [(0, 60, 0, 60), (61, 120, 1000, 1060)]
    assert _summaries(apart, [0.6, 0.6], _seeds(apart), cfg) == apart
    # the same with words of a recurring all along the stretch between: a summary of it
    between = [(20, 22, w, w + 2) for w in range(100, 1000, 100)]
    assert _summaries(apart, [0.6, 0.6], _seeds(apart + between), cfg) == [(0, 120, 0, 1060)]


def test_two_stock_phrases_far_apart_in_a_long_text_are_not_a_summary_of_it() -> None:
    from shingling.align import _summaries
    from shingling.config import EngineConfig

    cfg = EngineConfig()
    # two short pieces back to back on a (18 words), at either end of 129 words of b with nothing between: a
    # hole of 112 words. Weighed against the summary's length alone (`summary_max_hole`) no hole is too long
    # for a summary under 100 words; as a share of the stretch (`summary_max_hole_share`) this one is
    pieces = [(37, 44, 68, 76), (48, 54, 189, 196)]
    assert _summaries(pieces, [0.9, 0.9], _seeds(pieces), cfg) == pieces
    # a word of a recurring half way along: the stretch is condensed all along, a summary of it
    middle = [(40, 40, 130, 130)]
    assert _summaries(pieces, [0.9, 0.9], _seeds(pieces + middle), cfg) == [(37, 54, 68, 196)]


def test_a_report_sharing_two_stock_phrases_with_a_round_up_shares_no_passage_with_it() -> None:
    # a cricket report and a round-up of other matches share "five wickets for 61 runs in (just) twenty overs"
    # and "adding 70 (very) late runs before tea" at either end of the round-up; they were joined as a summary
    # of all of it (the round-up 100 % "shared", at similarity 0.13)
    match, roundup = article("en-county-match"), article("en-county-roundup")
    c = compare(prepare(match), prepare(roundup))
    assert c.passages == ()


def test_a_pair_is_a_near_duplicate_only_when_its_passages_read_alike() -> None:
    from shingling.align import _kind
    from shingling.config import EngineConfig

    cfg = EngineConfig()
    assert _kind(cfg, 0.9, 0.8, 0.85) == "near_duplicate"  # an edited copy
    assert _kind(cfg, 0.9, 0.8, 0.33) == "near_duplicate"  # a close rewrite (COUNTER's wholly derived: 0.33-0.79)
    # a text that one loose passage pairs with all of another (a summary's words, PAN's chance chains: 0.08-0.17)
    assert _kind(cfg, 1.0, 0.7, 0.15) == "partial"
    assert _kind(cfg, 0.97, 0.99, 0.99) == "duplicate"


def test_a_rewritten_passage_is_widened_to_its_sentences_only_over_the_other_sides_words() -> None:
    from shingling.align import _sentence_edges, _terms

    cfg = prepare("x").config
    text = ("Harbour pilots guided freighters carefully tonight. Crews unloaded grain, timber and steel quickly. "
            "Meanwhile orchestras rehearsed symphonies, concertos, overtures, sonatas downtown.")
    doc = prepare(text)
    words = text.split()
    crews, meanwhile = words.index("Crews"), words.index("Meanwhile")
    # the passage was trimmed to start at "grain" and end at "quickly"
    lo, hi = words.index("grain,"), meanwhile - 1
    known = _terms(doc, 0, meanwhile - 1)  # the other side has the first two sentences' words
    assert _sentence_edges(doc, lo, hi, known, cfg) == (crews, hi)
    # five words the other side lacks before the edge: a sentence of other text, not widened over
    assert _sentence_edges(doc, meanwhile + 6, len(words) - 1, known, cfg) == (meanwhile + 6, len(words) - 1)


def test_a_summary_over_most_of_a_text_is_a_summary_of_all_of_it() -> None:
    from shingling.align import _whole_texts
    from shingling.config import EngineConfig

    cfg = EngineConfig()
    # a 100-word summary in a long text (a) over words 150-900 of a 1,000-word text (b), with a piece of it
    # found apart just after: one summary of the whole of b
    boxes = [(2000, 2100, 150, 900), (2120, 2140, 950, 970)]
    assert _whole_texts(boxes, 5000, 1000, cfg) == [(2000, 2140, 0, 999)]
    # over less than half of b: left as found
    part = [(2000, 2100, 150, 550)]
    assert _whole_texts(part, 5000, 1000, cfg) == part
    # passages of like length on both sides are not summaries
    copy = [(2000, 2700, 150, 850)]
    assert _whole_texts(copy, 5000, 1000, cfg) == copy


def test_passages_next_to_each_other_in_both_texts_are_one_reuse() -> None:
    from shingling.align import _abutting

    one, two, other = paragraphs("harbour")[1], paragraphs("harbour")[2], paragraphs("orchard")[3]

    def words(text: str, part: str) -> tuple[int, int]:
        doc = prepare(text)
        start = text.index(part)
        first = int(np.searchsorted(doc.tokens.starts, start))
        last = int(np.searchsorted(doc.tokens.starts, start + len(part))) - 1
        return first, last

    a = one + "\n\n" + two
    for b, joined in ((two + "\n\n" + one, True), (two + "\n\n" + other + "\n\n" + one, False)):
        boxes = [(*words(a, one), *words(b, one)), (*words(a, two), *words(b, two))]
        out = _abutting(prepare(a), prepare(b), boxes, prepare(a).config)
        # re-ordered paragraphs side by side in both: one reuse; a paragraph of other text between: two
        assert len(out) == (1 if joined else 2)
