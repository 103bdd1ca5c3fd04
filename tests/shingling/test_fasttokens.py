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


def test_fast_tokens_equal_the_regex_tokeniser() -> None:
    for text in _texts():
        assert fasttokens._tokenize(text)[1] is not None or not text.strip(" .")  # the numpy path ran
        assert _same(fasttokens.tokenize(text), tokenize(text)), text[:40]


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
