"""Chinese and Japanese, written without spaces between words: each Han or kana character is a word.

The fixtures (written for this project) are a wire story on an earthquake (`zh-wire`), a newspaper story that
copies its first two paragraphs, rewords the third and adds its own (`zh-rewrite`), and a reporter's own story
on the same quake (`zh-own`): same place, same magnitude, no shared passage.
"""

from __future__ import annotations

import numpy as np

from shingling import compare, fasttokens, measure, prepare
from shingling.normalise import tokenize
from tests.helpers import article

JAPANESE = (
    "東京株式市場で日経平均株価は三日続落した。外国為替市場で円高が進んだことを受け、輸出関連株を中心に売りが"
    "広がった。市場関係者は、米国の金利動向を見極めたいとの声が多いと話している。"
)


def test_each_han_or_kana_character_is_a_word_and_other_scripts_are_unchanged() -> None:
    text = "北京时间周一，A股收涨2.5%。コーヒーを飲む ﾃｽﾄ Zürich's 3rd"
    assert tokenize(text).words == (
        "北", "京", "时", "间", "周", "一", "a", "股", "收", "涨", "2", "5", "コ", "ー", "ヒ", "ー", "を", "飲", "む",
        "テ", "ス", "ト", "zurich", "s", "3", "rd",
    )
    # Han numerals are digits first ("〇" is both): the compiled tokeniser's table must agree with the pattern
    assert tokenize("２０〇３年〇〇七").words == ("20〇3", "年", "〇〇", "七")
    for text in ("２０〇３年〇〇七", "一〇二〡号〸", *(article(name) for name in ("zh-wire", "zh-own", "zh-rewrite"))):
        fast, exact = fasttokens.tokenize(text), tokenize(text)
        assert fast.words == exact.words and np.array_equal(fast.starts, exact.starts)
        assert np.array_equal(fast.ends, exact.ends) and np.array_equal(fast.hashes, exact.hashes)


def test_a_chinese_rewrite_of_wire_copy_is_found_where_it_stands() -> None:
    wire, rewrite = article("zh-wire"), article("zh-rewrite")
    found = compare(prepare(rewrite), prepare(wire))
    assert found.kind is not None and found.containment_a > 0.6 and found.containment_b > 0.6
    copied = "据中国地震台网正式测定，9月5日12时52分，四川甘孜州泸定县发生6.8级地震"
    reworded = "目前这次地震已经导致21人死亡"  # the third paragraph, reworded
    own = "本市多家公益组织"  # the newspaper's own paragraph
    spans = [(p.a.slice(rewrite), p.b.slice(wire)) for p in found.passages]
    assert any(copied in a and copied in b for a, b in spans)
    assert any(reworded in a and "截至目前，地震已造成21人遇难" in b for a, b in spans)
    assert not any(own in a for a, _ in spans)
    assert measure(prepare(rewrite), prepare(wire)).label() != "none"


def test_independent_chinese_reports_of_one_event_share_no_passage() -> None:
    own = prepare(article("zh-own"))
    for other in ("zh-wire", "zh-rewrite"):
        assert compare(own, prepare(article(other))).passages == ()
        assert measure(own, prepare(article(other))).label() == "none"


def test_a_trimmed_japanese_copy_is_found() -> None:
    copy = JAPANESE[:60] + "。一方、新興市場は堅調だった。"
    found = compare(prepare(copy), prepare(JAPANESE))
    assert len(found.passages) == 1 and found.containment_a > 0.6
    assert found.passages[0].b.slice(JAPANESE).startswith("東京株式市場で日経平均株価は三日続落した")
