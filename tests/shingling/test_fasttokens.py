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


@pytest.fixture(autouse=True)
def numpy_path_for_every_length(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short texts normally take the regex path; here every text takes the numpy path."""
    monkeypatch.setattr(fasttokens, "_SHORT", 0)


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


def test_fast_tokens_equal_the_regex_tokeniser(monkeypatch: pytest.MonkeyPatch) -> None:
    ascii_words = fasttokens._ascii_words
    paths: list[str] = []

    def spy(*args: object) -> object:
        found = ascii_words(*args)  # type: ignore[arg-type]
        paths.append("ascii" if found is not None else "distinct")
        return found

    monkeypatch.setattr(fasttokens, "_ascii_words", spy)
    for text in _texts():
        paths.clear()
        tokens = fasttokens.tokenize(text)
        assert paths or not text.strip(" .")  # one of the numpy paths ran
        if paths == ["distinct"]:
            assert fasttokens._tokenize(text)[1] is not None
        assert _same(tokens, tokenize(text)), text[:40]


def test_english_copy_with_curly_quotes_takes_the_ascii_path() -> None:
    text = "\u201cThe port\u2019s 3rd crane\u201d \u2014 closed, said O\u2019Neil. CAF\u00c9 is not ASCII."
    assert fasttokens._ascii_words is not None
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    starts, ends = fasttokens._spans(codes)
    assert fasttokens._ascii_words(text, codes, starts, ends) is None  # the É is a non-ASCII letter
    plain = text.replace("CAF\u00c9", "CAFE")
    codes = np.frombuffer(plain.encode("utf-32-le"), dtype=np.uint32)
    starts, ends = fasttokens._spans(codes)
    fast = fasttokens._ascii_words(plain, codes, starts, ends)
    assert fast is not None and _same(fast[0], tokenize(plain))
    assert fast[0].words[:4] == ("the", "port", "s", "3")


def test_fast_tokens_equal_on_random_code_points() -> None:
    rng = np.random.default_rng(3)
    pool = np.concatenate([rng.integers(0, 0x3000, 3000), rng.integers(0x3000, 0x110000, 1000), np.full(500, 32)])
    for _ in range(30):
        text = "".join(map(chr, rng.choice(pool, int(rng.integers(1, 400)))))
        assert _same(fasttokens.tokenize(text), tokenize(text))


def test_a_hash_collision_falls_back_to_the_exact_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fasttokens, "_BASE", np.uint64(0))  # every word of a length hashes alike
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


def test_ascii_path_equals_the_regex_tokeniser_on_random_text() -> None:
    """ASCII letters and digits among non-ASCII punctuation, spaces and symbols (the ASCII-word path)."""
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
    monkeypatch.setattr(fasttokens, "_features", {})
    monkeypatch.setattr(fasttokens, "_numbered", fasttokens._Numbered())
    tokens, content, stems = fasttokens.analyse("The harbour opens and the harbour closes", DEFAULT, 5)
    assert [tokens.words[i] for i in content] == ["harbour", "opens", "harbour", "closes"]
    assert stems[0] == 0 and stems[2] == 0 and stems[1] == real("opens")


def test_ascii_numbering_starts_afresh_when_full_and_gives_the_same_values(monkeypatch: pytest.MonkeyPatch) -> None:
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


def test_ascii_numbering_is_consistent_across_threads() -> None:
    """Threads entering new words at once never read a number the tables they hold lack."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"{article('harbour')} word{i} token{i % 7} item{i * 3}" for i in range(200)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(fasttokens.tokenize, texts))
    assert all(_same(got, tokenize(text)) for got, text in zip(results, texts, strict=True))
