"""Function words that carry no evidence of reuse on their own; alignment seeds skip them.

English is the bulk of news reuse; other languages have no stopwords here and are matched on all words. Urdu's
function words are also `WEAK`: matched (seeds, signatures), but no evidence when the alignment weighs vocabulary.
"""

from __future__ import annotations

from pathlib import Path

ENGLISH: frozenset[str] = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves s t d ll m re ve
    said says say one two new mr mrs ms""".split()
)


URDU: frozenset[str] = frozenset(
    """میں کے کی کا کو سے نے پر تک لیے لئے کیلئے کیلیے والا والی والے بارے ذریعے مطابق طرف جانب ساتھ بغیر علاوہ
    دوران بعد پہلے قبل تحت درمیان سمیت اور یا لیکن مگر کہ جبکہ بلکہ تاہم اگر تو کیونکہ چونکہ لہذا پھر جب تب ہے ہیں
    ہوں ہو تھا تھی تھے تھیں ہوا ہوئی ہوئے ہوگا ہوگی ہوگے گا گی گے رہا رہی رہے رہیں چکا چکی چکے سکتا سکتی سکتے
    جاتا جاتی جاتے جائے جائیں جانے گیا گئی گئے گئیں ہوگیا ہوگئی ہوگئے ہوچکا ہوچکی ہوچکے کیا کر کرنے کرتے کرتی کرتا
    کرکے کرے کریں کرنا دیا دی دیے دیئے دیں دینے لیا لی لیں یہ وہ اس ان انہوں انھوں انہیں انھیں اسے جو جس جن
    جنہوں کوئی کچھ سب ہر ایسے ایسا ایسی اپنے اپنی اپنا خود بھی ہی نہیں نہ صرف بہت زیادہ کم ایک دو کہا کہنا""".split()
)
"""Urdu function words (postpositions, conjunctions, auxiliaries and light verbs, pronouns, particles), from the
grammar, not from any corpus. Urdu phrasing lives in them, so they stay content words (seeds, signatures and the
derivation measure need them: without them COUNTER's coverage loses 0.06 binary F1); they are only `WEAK`."""

WEAK: frozenset[str] = URDU
"""Function words of languages that have no stopword list here, which the alignment does not count as evidence
that a passage was reused: two unrelated Urdu reports of one kind ("in X, N people were killed and many injured
in an explosion") share half their words through these alone. See `align._terms`."""

DEFAULT: frozenset[str] = ENGLISH
"""Stopwords used unless configured. Languages without a list are matched on all their words: on the Urdu
COUNTER corpus an Urdu function-word list lost more seeds than it removed noise (binary F1 0.76 -> 0.63)."""


class WordListError(ValueError):
    """A word list file that cannot be used; the message says why."""


def read_word_list(path: str | Path) -> frozenset[str]:
    """The words of a UTF-8 file, any number a line (`#` starts a comment): a deployment's function words for
    its language, to add to `WEAK` (`EngineConfig.weak_words`)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise WordListError(f"cannot read the word list {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise WordListError(f"the word list {path} is not UTF-8 (bad byte at offset {exc.start})") from None
    words = frozenset(word for line in text.splitlines() for word in line.partition("#")[0].split())
    if not words:
        raise WordListError(f"the word list {path} holds no words (one or more a line, # starts a comment)")
    return words


def weak_words_with(path: str | Path) -> frozenset[str]:
    """`WEAK` and the words of the file at `path` (`read_word_list`): a deployment's `EngineConfig.weak_words`."""
    return WEAK | read_word_list(path)
