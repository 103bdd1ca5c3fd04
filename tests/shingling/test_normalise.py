"""Normalisation: what matches what, and offsets that always slice the original text."""

from __future__ import annotations

from shingling import tokenize
from shingling.normalise import normalise_word
from tests.helpers import article


def test_offsets_slice_the_original_text() -> None:
    text = article("harbour")
    tokens = tokenize(text)
    assert len(tokens) > 200
    for word, start, end in zip(tokens.words, tokens.starts, tokens.ends, strict=True):
        assert normalise_word(text[start:end]) == word


def test_case_quotes_dashes_and_compatibility_forms_fold() -> None:
    a = tokenize("“Don’t” — the ﬁnal WORD, said Ｑｕ.")
    b = tokenize('"don\'t" - the final word said qu')
    assert a.words == b.words
    assert list(a.hashes) == list(b.hashes)


def test_accents_and_combining_marks_are_ignored_for_matching() -> None:
    assert tokenize("Café résumé").words == tokenize("cafe\u0301 resume").words == ("cafe", "resume")


def test_non_latin_scripts_tokenise_with_offsets() -> None:
    text = "وزیر اعظم نے کہا کہ مذاکرات\u200c جاری رہیں گے۔ Москва, 12 марта."
    tokens = tokenize(text)
    assert tokens.words[:3] == ("وزیر", "اعظم", "نے")
    assert "москва" in tokens.words and "12" in tokens.words
    for start, end in zip(tokens.starts, tokens.ends, strict=True):
        assert text[start:end].strip() == text[start:end] and end > start


def test_zero_width_characters_do_not_split_or_change_words() -> None:
    assert tokenize("news\u200dpaper").words == ("newspaper",)


def test_text_without_words_has_no_tokens() -> None:
    assert len(tokenize(" \n\t—!?… ")) == 0


def test_marks_or_zero_widths_alone_are_no_word() -> None:
    """A stray accent or joiner between words must not become a token that unrelated texts share."""
    text = "storm \u0301 closes \u200c\u200d the \u00ad port"
    tokens = tokenize(text)
    assert tokens.words == ("storm", "closes", "the", "port")
    assert [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)] == ["storm", "closes", "the", "port"]
