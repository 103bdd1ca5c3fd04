"""Cutting a text into runs for the side-by-side view, and the markup each side gets."""

from __future__ import annotations

import re

from service.ui.segments import PALETTE_SIZE, Muted, colour, runs, runs_json, side_html


def test_runs_cover_the_text_exactly_once_in_order() -> None:
    cut = runs(20, [(3, 9), (12, 15)], [Muted(16, 20, "credit")])
    assert [(r.start, r.end) for r in cut] == [(0, 3), (3, 9), (9, 12), (12, 15), (15, 16), (16, 20)]
    assert [r.passages for r in cut] == [(), (0,), (), (1,), (), ()]
    assert [r.muted for r in cut] == [None, None, None, None, None, "credit"]


def test_overlapping_passages_split_into_runs_coloured_by_the_shortest_passage() -> None:
    cut = runs(10, [(2, 8), (4, 6)])
    expected = [(0, 2, ()), (2, 4, (0,)), (4, 6, (1, 0)), (6, 8, (0,)), (8, 10, ())]
    assert [(r.start, r.end, r.passages) for r in cut] == expected


def test_spans_outside_the_text_are_clipped_and_empty_text_has_no_runs() -> None:
    assert [(r.start, r.end, r.passages) for r in runs(5, [(3, 50)])] == [(0, 3, ()), (3, 5, (0,))]
    assert runs(0, [(0, 0)]) == []


def test_side_html_escapes_the_text_and_links_each_passage_to_its_counterpart() -> None:
    text = 'He said: "<b>war</b> & peace" today. Reuters'
    cut = runs(len(text), [(9, 29)], [Muted(37, 44, "additional reporting: Reuters")])
    html = str(side_html(text, cut, "a", "b", prefix="v1-"))
    assert "<b>" not in html and "&lt;b&gt;war&lt;/b&gt; &amp; peace" in html
    assert 'id="v1-a-p0" href="#v1-b-p0"' in html and 'data-n="1"' in html
    assert '<span class="muted" title="additional reporting: Reuters">Reuters</span>' in html
    assert re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace(
        "&#34;", '"'
    ) == text


def test_a_nested_passage_keeps_its_own_colour_and_link() -> None:
    html = str(side_html("0123456789", runs(10, [(2, 8), (4, 6)]), "b", "a"))
    assert html.count('id="b-p0"') == 1 and html.count('id="b-p1"') == 1
    assert '<a class="p c1 multi first" data-p="1" data-ps="0 1" data-n="2" id="b-p1" href="#a-p1">45</a>' in html
    assert '<mark class="p c0" data-p="0" data-ps="0">67</mark>' in html


def test_a_passage_hidden_under_shorter_ones_gets_an_anchor_where_it_starts() -> None:
    html = str(side_html("0123456789", runs(10, [(2, 4), (2, 6), (4, 6)]), "a", "b"))
    assert '<span class="anchor" data-p="1" data-ps="1" id="a-p1"></span>' in html
    assert html.index('id="a-p1"') < html.index('id="a-p0"')


def test_colours_repeat_after_the_palette_and_runs_json_is_compact() -> None:
    assert [colour(n) for n in (0, 1, PALETTE_SIZE, PALETTE_SIZE + 1)] == [0, 1, 0, 1]
    assert runs_json(runs(4, [(1, 3)], [Muted(3, 4, "x")])) == [[0, 1, [], None], [1, 3, [0], None], [3, 4, [], "x"]]
