"""The numpy tokeniser gives exactly the regex tokeniser's Tokens, on real articles and on odd Unicode."""

from __future__ import annotations

import numpy as np
import pytest

from shingling import fasttokens
from shingling.normalise import Tokens, tokenize
from shingling.sentences import stem
from shingling.stopwords import DEFAULT
from tests.helpers import article, seeds

ODD = (
    "Ünïcödé: e\u0301té, ﬁnance, ＦＵＬＬ ｗｉｄｔｈ １２３, x² Ⅻ ½, 𝐁𝐨𝐥𝐝 𝟏𝟐, emoji 🙂👍🏽 ok, "
    "Urdu اردو۱۲۳abc می\u200cخواهم, Hindi हिन्दी, 中文字符 and 日本語テキスト, Ελληνικά, Кириллица, "
    "soft\u00adhyphen, zero\u200bspace, lone \ud800 surrogate, tab\tand\r\nnewlines, 3.14 and 1,000,000 "
    "\u200c\u200d only joiners, \u0301 leading mark, NUL\x00inside, ＡＢＣ１２３def"
)


def _same(a: Tokens, b: Tokens) -> bool:
    return (
        a.words == b.words
        and np.array_equal(a.hashes, b.hashes)
        and a.hashes.dtype == b.hashes.dtype
        and np.array_equal(a.starts, b.starts)
        and np.array_equal(a.ends, b.ends)
    )


def _texts() -> list[str]:
    return [article("harbour"), article("orchard"), *seeds().values(), ODD, "", "   ...  ", "a", "１"]


def test_fast_tokens_equal_the_regex_tokeniser() -> None:
    for text in _texts():
        tokens, numbers, numbered = fasttokens._tokenize(text)
        assert numbered is not None or not text  # the compiled path ran
        assert _same(tokens, tokenize(text)), text[:40]


def test_one_accented_word_keeps_english_copy_on_the_compiled_path() -> None:
    text = "\u201cThe port\u2019s 3rd crane\u201d \u2014 closed, said O\u2019Neil. CAF\u00c9 is not ASCII."
    tokens, numbers, numbered = fasttokens._tokenize(text)
    assert numbered is not None and numbers is not None
    assert _same(tokens, tokenize(text))
    assert tokens.words[:4] == ("the", "port", "s", "3") and tokens.words[-4:] == ("cafe", "is", "not", "ascii")


def test_word_forms_are_numbered_once_whatever_their_case() -> None:
    """"The", "THE" and "the" are three forms of one key: each form is numbered once, all give one hash."""
    numbered = fasttokens._Numbered()
    text = "The THE the The"
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    starts, ends = fasttokens.word_bounds(codes)
    numbers = numbered.numbers(text, codes, starts, ends)
    assert numbers.tolist() == [0, 1, 2, 0] and numbered.words == ["the", "the", "the"]
    assert len(set(numbered.hashes.tolist())) == 1
    again = numbered.numbers(text, codes, starts, ends)
    assert again.tolist() == [0, 1, 2, 0] and len(numbered) == 3


def test_the_table_grows_and_keeps_every_form() -> None:
    numbered = fasttokens._Numbered(slots=4)
    words = [f"w{i}x" for i in range(3000)]
    text = " ".join(words)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    starts, ends = fasttokens.word_bounds(codes)
    for lo in range(0, len(starts), 700):  # several batches: the table and the stores grow between them
        numbered.numbers(text, codes, starts[lo : lo + 700], ends[lo : lo + 700])
    found, _ = numbered.find(codes, starts, ends)
    assert len(numbered) == 3002 and len(numbered.table[0]) >= 2 * len(numbered)  # w, x and 3000 numbers
    assert [numbered.words[i] for i in found.tolist()] == [w for word in words for w in (word[0], word[1:-1], word[-1])]


def test_fast_tokens_equal_on_random_code_points() -> None:
    rng = np.random.default_rng(3)
    pool = np.concatenate([rng.integers(0, 0x3000, 3000), rng.integers(0x3000, 0x110000, 1000), np.full(500, 32)])
    for _ in range(30):
        text = "".join(map(chr, rng.choice(pool, int(rng.integers(1, 400)))))
        assert _same(fasttokens.tokenize(text), tokenize(text))


def test_hash_collisions_never_mislabel_a_word(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a multiplier of 0 every word's code-point hash depends on its length alone: the table must tell
    words apart by their code points."""
    monkeypatch.setattr(fasttokens, "_BASE", np.uint64(0))
    monkeypatch.setattr(fasttokens, "_numbered", fasttokens._Numbered())
    for text in _texts():
        assert _same(fasttokens.tokenize(text), tokenize(text))


def test_analyse_gives_prepares_content_words_and_stems() -> None:
    for text in _texts():
        tokens, content, stems = fasttokens.analyse(text, DEFAULT, 5)
        words = tokenize(text).words
        expected = [i for i, w in enumerate(words) if w not in DEFAULT and not (len(w) == 1 and w.isascii())]
        assert content.tolist() == expected and content.dtype == np.int64
        assert stems.tolist() == [fasttokens.word_hash(stem(words[i], 5)) for i in expected]
        assert stems.dtype == np.uint64 and tokens.words == words


def test_ascii_words_equal_the_regex_tokeniser_on_random_text() -> None:
    """ASCII letters and digits among non-ASCII punctuation, spaces and symbols."""
    rng = np.random.default_rng(5)
    pool = list("abcXYZ019 .,;'-\n\t")
    pool += ["\u201c", "\u201d", "\u2019", "\u2014", "\u00a0", "\u2026", "\U0001f642", "\u00b0"]
    for _ in range(200):
        text = "".join(rng.choice(pool, int(rng.integers(1, 300))))
        assert _same(fasttokens.tokenize(text), tokenize(text)), repr(text)


def test_a_content_word_whose_stem_hashes_to_zero_stays_a_content_word(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopwords are remembered as stem 0; a real stem hashing to 0 must not be taken for one."""
    real = fasttokens.word_hash
    monkeypatch.setattr(fasttokens, "word_hash", lambda w: 0 if w == "harbo" else real(w))
    monkeypatch.setattr(fasttokens, "_numbered", fasttokens._Numbered())
    tokens, content, stems = fasttokens.analyse("The harbour opens and the harbour closes", DEFAULT, 5)
    assert [tokens.words[i] for i in content] == ["harbour", "opens", "harbour", "closes"]
    assert stems[0] == 0 and stems[2] == 0 and stems[1] == real("opens")


def test_numbering_starts_afresh_when_full_and_gives_the_same_values(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process-wide word numbers are bounded: past `_MAX_CACHE` words a new numbering starts, and the
    tokens, content words and stems stay those of the regex path."""
    monkeypatch.setattr(fasttokens, "_MAX_CACHE", 5)
    monkeypatch.setattr(fasttokens, "_numbered", fasttokens._Numbered())
    numberings = set()
    for text in [article("harbour"), article("orchard"), article("harbour")]:
        tokens, content, stems = fasttokens.analyse(text, DEFAULT, 5)
        numberings.add(id(fasttokens._numbered))
        words = tokenize(text).words
        assert _same(tokens, tokenize(text))
        expected = [i for i, w in enumerate(words) if w not in DEFAULT and not (len(w) == 1 and w.isascii())]
        assert content.tolist() == expected
        assert stems.tolist() == [fasttokens.word_hash(stem(words[i], 5)) for i in expected]
    assert len(numberings) == 3


def test_numbering_is_consistent_across_threads() -> None:
    """Threads entering new words at once never read a number the tables they hold lack."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"{article('harbour')} word{i} token{i % 7} item{i * 3}" for i in range(200)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(fasttokens.tokenize, texts))
    assert all(_same(got, tokenize(text)) for got, text in zip(results, texts, strict=True))
