"""Function words of a language without a stopword list are no evidence of reuse (`stopwords.WEAK`, and
`stopwords.LANGUAGES` in texts written in one of those languages).

Urdu has no stopword list here: its function words stay content words, for the seeds, the signatures and the
derivation measure. But two unrelated Urdu reports of one kind share half their words through postpositions,
auxiliaries and the formula of the genre alone; counted as evidence, they made such pairs "partial" reuse
(a scan of COUNTER's 400 texts linked 327 pairs of texts published more than a week apart).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shingling import EngineConfig, compare, measure, prepare
from shingling.align import _languages, _weak_stems
from shingling.stopwords import ENGLISH, WEAK, WordListError, read_word_list
from tests.helpers import ARTICLES, article

ROMANIAN = ARTICLES.parent / "wordlists" / "ro.txt"
"""Romanian function words, as a deployment would give them (SYNDET_WEAK_WORDS_FILE, `--weak-words`): Romanian has
none built in."""

KARACHI = article("ur-karachi")
"""An agency report (written for these tests): a gas cylinder explodes in a Karachi hotel."""
LAHORE = article("ur-lahore")
"""Another report of the same kind on another accident (a factory roof falls in Lahore): same formula, no reuse."""
KARACHI_RETOLD = article("ur-karachi-retold")
"""A newspaper's version of KARACHI: its second paragraph lightly edited, the rest its own."""


def test_two_unrelated_reports_of_one_kind_share_no_passage() -> None:
    found = compare(prepare(KARACHI), prepare(LAHORE))
    assert found.passages == ()
    assert found.kind is None


def test_a_retold_urdu_paragraph_is_still_found() -> None:
    a, b = prepare(KARACHI), prepare(KARACHI_RETOLD)
    found = compare(a, b)
    assert len(found.passages) == 1
    passage = found.passages[0]
    assert "گیس سلنڈر پھٹنے" in passage.a.slice(a.text) and "گیس سلنڈر پھٹنے" in passage.b.slice(b.text)
    assert "ریسکیو حکام" not in passage.a.slice(a.text)  # the agency's last paragraph was not retold
    assert passage.similarity > 0.8


def test_function_words_stay_content_words_for_everything_else() -> None:
    doc = prepare(KARACHI)
    weak = _weak_stems(doc.config.stem_prefix, doc.config.weak_words)
    assert weak & set(doc.stems.tolist())  # "میں", "کے", "اور"... are still content words of the document
    assert measure(prepare(KARACHI_RETOLD), doc).coverage > 0.35  # and the derivation measure still reads them
    assert not WEAK & ENGLISH


def test_french_function_words_are_built_in_and_taken_only_in_french_text() -> None:
    # two unrelated French reports of one kind (a fire in Paris, a crash near Lyon) written in the genre's formula
    # were near-duplicates through French function words; a French text is now read as French and they share
    # nothing, while a paragraph another paper retold is still found
    fire, crash, retold = (article(n) for n in ("fr-paris-fire", "fr-lyon-crash", "fr-paris-fire-retold"))
    assert _languages(prepare(fire)) == ["fr"]
    assert compare(prepare(fire), prepare(crash)).passages == ()
    found = compare(prepare(fire), prepare(retold))
    assert len(found.passages) == 1 and found.passages[0].similarity > 0.8
    assert "trois morts et plusieurs blessés" in found.passages[0].a.slice(fire)
    # English text is in none of the languages ("car", "plus", "son" stay English content words), nor is Urdu
    assert _languages(prepare(article("harbour"))) == [] and _languages(prepare(KARACHI)) == []


def test_a_deployment_adds_the_function_words_of_its_language() -> None:
    # Romanian has no function words built in: the same two reports of one kind written in Romanian share
    # passages; with Romanian function words they share nothing, and the retold paragraph is still found
    fire, crash, retold = (article(n) for n in ("ro-bucharest-fire", "ro-cluj-crash", "ro-bucharest-fire-retold"))
    romanian = EngineConfig(weak_words=WEAK | read_word_list(ROMANIAN))
    assert _languages(prepare(fire)) == []
    assert compare(prepare(fire), prepare(crash)).passages
    assert compare(prepare(fire, romanian), prepare(crash, romanian)).passages == ()
    found = compare(prepare(fire, romanian), prepare(retold, romanian))
    assert len(found.passages) == 1 and found.passages[0].similarity > 0.8
    assert "trei morți și mai mulți răniți" in found.passages[0].a.slice(fire)
    assert romanian.signature_params() == EngineConfig().signature_params()  # alignment only: no re-signing


@pytest.mark.parametrize(
    ("content", "reason"),
    [(None, "cannot read"), (b"\xff\xfe", "not UTF-8"), (b"# only a comment\n\n", "holds no words")],
)
def test_a_word_list_that_cannot_be_used_says_why(tmp_path: Path, content: bytes | None, reason: str) -> None:
    path = tmp_path / "words.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(WordListError, match=reason):
        read_word_list(path)
