"""Passages for signatures: paragraphs where the text has them, windows of words where it has not."""

from __future__ import annotations

import pytest

from shingling import EmptyDocumentError, EngineConfig, prepare
from tests.helpers import article


def test_blank_line_paragraphs_become_passages() -> None:
    text = article("harbour")
    doc = prepare(text)
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    # short paragraphs (the headline) are joined to the next, none is split
    assert 1 < len(doc.passages) <= len(paragraphs)
    for p in doc.passages:
        assert text[p.start : p.end] == text[p.start : p.end].strip()


def test_one_paragraph_per_line() -> None:
    text = article("harbour").replace("\n\n", "\n")
    assert [(p.tok_start, p.tok_end) for p in prepare(text).passages] == [
        (p.tok_start, p.tok_end) for p in prepare(article("harbour")).passages
    ]


def test_hard_wrapped_text_gets_overlapping_windows() -> None:
    words = article("orchard").split()
    wrapped = "\n".join(" ".join(words[i : i + 9]) for i in range(0, len(words), 9))
    cfg = EngineConfig()
    doc = prepare(wrapped, cfg)
    assert len(doc.passages) > 3
    assert all(p.words <= cfg.window_words for p in doc.passages)
    # windows overlap by half, so every word lies in some passage
    assert doc.passages[0].tok_start == 0 and doc.passages[-1].tok_end == len(doc.tokens)
    assert doc.passages[1].tok_start < doc.passages[0].tok_end


def test_signatures_have_one_row_per_passage() -> None:
    doc = prepare(article("orchard"))
    assert doc.signatures.shape == (len(doc.passages), doc.config.num_perm)


@pytest.mark.parametrize("text", ["", "   \n\n ", "?!… — ‘’"])
def test_wordless_text_is_refused(text: str) -> None:
    with pytest.raises(EmptyDocumentError):
        prepare(text)


def _python_breaks(text: str) -> list[int]:
    """The breaks as first written in Python: blank lines by regex, else lines unless hard-wrapped."""
    import regex

    blank = [m.end() for m in regex.finditer(r"\n[ \t\r\f\v\u00a0]*\n", text)]
    if blank:
        return blank
    lines = [m.end() for m in regex.finditer(r"\n", text)]
    if not lines:
        return []
    stripped = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if not stripped:
        return []
    avg = sum(len(ln) for ln in stripped) / len(stripped)
    ending = sum(1 for ln in stripped if ln[-1] in ".!?\"'”’»:;؟۔。") / len(stripped)
    if avg < 100 and ending < 0.5:
        return []
    return lines


@pytest.mark.parametrize("seed", range(5))
def test_compiled_breaks_equal_the_python_rules(seed: int) -> None:
    import random

    from shingling.paragraphs import _breaks

    rng = random.Random(seed)
    pieces = ["word ", "longer words here ", "\n", "\n\n", "\n \u00a0\t\n", "\r\n", " ", "\u3000", "\x1c", ".", "?",
              "\u201d", "\u06d4", "\U0001f642", "x" * 120, "\n\n\n", "\v", "\u2028"]
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert _breaks(text).tolist() == _python_breaks(text), repr(text)
