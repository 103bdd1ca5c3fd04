"""Document-level derivation: a rewritten copy reads as derived, an independent report of the same event not."""

from __future__ import annotations

import numpy as np
import pytest

from shingling import prepare
from shingling.derivation import (
    DEFAULT_RULE,
    DerivationRule,
    bigram_coverage,
    measure,
    ngram_containment,
    sentence_share,
)

AGENCY = """Flood waters forced 4,000 people from their homes in the river valley on Tuesday, the regional
emergency office said. Rescue teams used boats to reach villages cut off by the rising water, and three
shelters were opened in school buildings near the town of Millbrook. The office said the river had risen
two metres overnight after four days of heavy rain and was expected to peak on Wednesday afternoon. Power
was cut to about 12,000 homes as a precaution. No deaths have been reported, but two fishermen are missing
after their boat capsized near the old bridge, the office added. The regional governor will visit the
shelters on Wednesday morning."""

# The newspaper's rewrite: sentences re-ordered, shortened and re-worded, no long verbatim run left.
REWRITE = """About 4,000 people were forced from their homes by flood waters in the river valley on Tuesday.
The river had risen two metres overnight after four days of heavy rain, the regional emergency office said,
and it is expected to peak on Wednesday afternoon. Rescue teams in boats reached villages cut off by the
water; three shelters were opened in school buildings near Millbrook. Two fishermen are missing after their
boat capsized near the old bridge."""

# Same event, same names and numbers, the paper's own reporting and wording.
INDEPENDENT = """Residents of Millbrook spent Tuesday night on camp beds in a school gym after the river burst
its banks, one of roughly 4,000 people now displaced across the valley. "We left with nothing but the dog,"
said Maria Hale, 67, whose ground floor is under a metre of muddy water. Volunteers ferried elderly
neighbours to dry land in private boats before official crews arrived. Local shopkeepers blamed years of
neglected drainage work. Meteorologists warned that more rain is forecast for the weekend, and the
electricity company has switched off supply to thousands of homes. Two men who went fishing near the old
bridge have not been found."""


def test_a_rewritten_copy_is_derived_and_an_independent_report_of_the_same_event_is_not() -> None:
    source = prepare(AGENCY)
    rewrite = measure(prepare(REWRITE), source)
    independent = measure(prepare(INDEPENDENT), source)
    assert rewrite.label() in ("wholly", "partially")
    assert rewrite.derived
    assert independent.label() == "none"
    assert not independent.derived
    assert rewrite.coverage > 2 * independent.coverage
    assert rewrite.sentence_share > independent.sentence_share


def test_a_verbatim_copy_is_wholly_derived_and_a_text_is_wholly_derived_from_itself() -> None:
    source = prepare(AGENCY)
    copy = measure(prepare("Breaking news. " + AGENCY), source)
    assert copy.label() == "wholly"
    assert copy.coverage > 0.9
    itself = measure(source, source)
    assert itself.coverage == 1.0
    assert itself.containment == (1.0, 1.0, 1.0)
    assert itself.sentence_share == 1.0


def test_partial_reuse_is_partially_derived() -> None:
    source = prepare(AGENCY)
    lead = " ".join(AGENCY.split()[:40])  # the first two sentences of the agency copy
    partial = prepare(lead + " " + INDEPENDENT)
    assert measure(partial, source).label() == "partially"


def test_works_on_a_script_without_stopwords() -> None:
    source = prepare(
        "وزیر اعظم نے کہا کہ حکومت سیلاب متاثرین کی مدد کے لیے ہر ممکن اقدامات کرے گی۔"
        " امدادی ٹیمیں روانہ کر دی گئی ہیں۔"
    )
    derived = prepare("حکومت سیلاب متاثرین کی مدد کے لیے ہر ممکن اقدامات کرے گی، وزیر اعظم نے کہا۔")
    result = measure(derived, source)
    assert result.derived
    assert result.coverage > 0.8


def test_a_shared_phrase_counts_once_however_often_both_texts_repeat_it() -> None:
    source = prepare("Child support rules changed. " + "The child support office opened. " * 10)
    repeated = prepare("Child support " * 10 + "is a matter for the courts and for nobody else at all.")
    # content words: 20 of the phrase, then matter, courts, nobody, else; only the first "child support" counts
    assert bigram_coverage(repeated, source) == pytest.approx(2 / 24)


def test_stopwords_are_left_out_before_pairing() -> None:
    source = prepare("The minister of the interior spoke.")
    derived = prepare("A minister for interior affairs resigned.")
    assert bigram_coverage(derived, source) == pytest.approx(2 / 4)  # "minister interior" of 4 content words


def test_texts_that_share_only_stopwords_share_nothing() -> None:
    source = prepare("Most of the time it was in the hands of the council.")
    derived = prepare("Rain fell for most of the week and in the end of the season farmers lost crops.")
    assert bigram_coverage(derived, source) == 0.0
    assert ngram_containment(derived, source, 2) > 0  # plain n-gram containment does count them


def test_sentence_share_matches_a_direct_count() -> None:
    source = prepare(AGENCY)
    derived = prepare(REWRITE)
    terms_d = _sentence_stems(derived)
    terms_s = _sentence_stems(source)
    expected = np.mean([max(len(t & s) for s in terms_s) >= 0.5 * len(t) for t in terms_d if t])
    assert sentence_share(derived, source) == pytest.approx(expected)


def _sentence_stems(doc: object) -> list[set[int]]:
    from shingling.document import Document

    assert isinstance(doc, Document)
    ends = [*doc.sentences.tolist()[1:], len(doc.tokens)]
    out = []
    for start, end in zip(doc.sentences.tolist(), ends, strict=True):
        inside = (doc.content >= start) & (doc.content < end)
        out.append(set(doc.stems[inside].tolist()))
    return out


def test_unrelated_texts_share_nothing() -> None:
    result = measure(prepare(INDEPENDENT), prepare("Quarterly earnings at the chip maker beat forecasts."))
    assert result.label() == "none"
    assert result.coverage < 0.05


def test_short_texts_measure_zero_without_failing() -> None:
    one = prepare("Flood")
    assert measure(one, prepare(AGENCY)).coverage == 0.0
    assert measure(prepare(AGENCY), one).coverage == 0.0
    assert measure(one, one).containment[0] == 1.0


def test_rule_boundaries_and_validation() -> None:
    rule = DerivationRule(0.2, 0.4)
    assert [rule.classify(x) for x in (0.0, 0.199, 0.2, 0.399, 0.4, 1.0)] == [
        "none", "none", "partially", "partially", "wholly", "wholly",
    ]
    assert DEFAULT_RULE.low <= DEFAULT_RULE.high
    with pytest.raises(ValueError, match="low <= high"):
        DerivationRule(0.5, 0.2)


def test_to_dict_reports_the_label_and_rounded_figures() -> None:
    d = measure(prepare(REWRITE), prepare(AGENCY)).to_dict()
    assert d["label"] in ("wholly", "partially")
    assert set(d) == {"label", "coverage", "containment", "sentence_share"}


def test_the_own_quality_set_every_derived_pair_is_derived_and_no_negative_is() -> None:
    from bench.quality_set import build_set

    wrong = []
    for pair in build_set():
        result = measure(prepare(pair.this_text), prepare(pair.source.text))
        if result.derived != pair.derived:
            wrong.append((pair.category, pair.this_id, round(result.coverage, 3)))
    assert not wrong


def test_a_text_of_only_stopwords_has_no_coverage_and_no_sentences() -> None:
    stop = prepare("It is what it was, and so on.")
    assert measure(stop, prepare(AGENCY)) == measure(stop, prepare(AGENCY))
    assert measure(stop, prepare(AGENCY)).coverage == 0.0
    assert measure(stop, stop).sentence_share == 0.0
    assert measure(prepare(AGENCY), stop).sentence_share == 0.0


def test_words_written_together_in_one_text_and_apart_in_the_other_match() -> None:
    apart = prepare("The vice president visited the flood zone on Monday.")
    together = prepare("The vicepresident visited the flood zone on Monday.")
    assert bigram_coverage(apart, together) == 1.0  # "vice president" is the source's one word
    assert bigram_coverage(together, apart) == 1.0  # "vicepresident" is the source's two words
    # a derived word that is also a single source word is no bigram: it alone shares nothing
    assert bigram_coverage(prepare("Vicepresident"), together) == 0.0
