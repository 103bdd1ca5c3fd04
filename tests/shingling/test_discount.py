"""Boilerplate and credit lines cut out of passages, even where they stand right next to real shared text."""

from __future__ import annotations

from shingling import compare, prepare
from shingling.align import Ignore
from shingling.discount import discount
from shingling.document import Document
from tests.helpers import article

APPEAL = (
    "Our journalism is free to read because thousands of readers chip in every month. If you value independent "
    "reporting from the coast, please consider a small monthly gift so that we can keep our reporters on the "
    "quays and in the council chamber for another year."
)
OWN_A = (
    "Residents of the old town met on Wednesday evening to discuss the decision. Several said they would ask "
    "the council for a traffic plan before any lorries use the harbour road, and a petition has been opened."
)
OWN_B = (
    "In neighbouring towns the news was greeted with caution. Ferry passengers asked whether timetables would "
    "change during the dredging, and tourism officials warned of noise over two summers of building work."
)


def _paragraphs(n: int) -> list[str]:
    return [p for p in article("harbour").split("\n\n") if len(p.split()) > 20][:n]


def _marks(doc: Document, line: str, reason: str = "boilerplate") -> Ignore:
    """Every word of each occurrence of `line` in `doc`, marked with `reason`."""
    marks: Ignore = {}
    start = doc.text.find(line)
    while start >= 0:
        end = start + len(line)
        for i, (s, e) in enumerate(zip(doc.tokens.starts.tolist(), doc.tokens.ends.tolist(), strict=True)):
            if s >= start and e <= end:
                marks[i] = reason
        start = doc.text.find(line, end)
    return marks


def _texts(pieces: list[str]) -> Document:
    return prepare("\n\n".join(pieces))


def test_boilerplate_next_to_shared_text_is_cut_off_the_passage() -> None:
    real = _paragraphs(3)
    a, b = _texts([APPEAL, *real, OWN_A]), _texts([APPEAL, *real, OWN_B])
    plain = compare(a, b)
    assert any(p.a.slice(a.text).startswith("Our journalism") for p in plain.passages)  # aligned as one

    cut = discount(plain, a, b, _marks(a, APPEAL), _marks(b, APPEAL))
    assert cut.passages
    for p in cut.passages:
        assert "journalism" not in p.a.slice(a.text) and "journalism" not in p.b.slice(b.text)
    shared = " ".join(p.a.slice(a.text) for p in cut.passages)
    assert all(paragraph[:60] in shared for paragraph in real)  # the real text is still reported
    assert [i.reason for i in cut.ignored] == ["boilerplate"]
    assert "journalism" in cut.ignored[0].pair.a.slice(a.text) and "journalism" in cut.ignored[0].pair.b.slice(b.text)
    assert cut.containment_a < plain.containment_a


def test_boilerplate_between_shared_paragraphs_splits_the_passage() -> None:
    first, second = _paragraphs(4)[:2], _paragraphs(4)[2:]
    a, b = _texts([*first, APPEAL, *second, OWN_A]), _texts([OWN_B, *first, APPEAL, *second])
    cut = discount(compare(a, b), a, b, _marks(a, APPEAL), _marks(b, APPEAL))
    assert len(cut.passages) == 2
    assert all("journalism" not in p.a.slice(a.text) for p in cut.passages)
    assert cut.passages[0].a.slice(a.text).startswith(first[0][:40])
    assert cut.passages[1].a.slice(a.text).startswith(second[0].lstrip('"')[:40])  # spans start at a word


def test_credit_line_at_the_start_of_a_copied_passage_is_attribution() -> None:
    real = _paragraphs(3)
    credit = "Additional reporting by Reuters"
    a, b = _texts([credit, *real, OWN_A]), _texts([credit, *real, OWN_B])
    cut = discount(compare(a, b), a, b, _marks(a, credit, "attribution"), _marks(b, credit, "attribution"))
    assert cut.passages and all("Reuters" not in p.a.slice(a.text) for p in cut.passages)


def test_nothing_ignored_leaves_the_comparison_as_it_is() -> None:
    real = _paragraphs(3)
    a, b = _texts([*real, OWN_A]), _texts([*real, OWN_B])
    plain = compare(a, b)
    assert discount(plain, a, b, _marks(a, APPEAL), {}) == plain


def test_a_repost_made_only_of_site_lines_stays_a_copy() -> None:
    a = _texts([APPEAL, OWN_A])
    b = _texts([APPEAL, OWN_A])
    every = {i: "boilerplate" for i in range(len(a.tokens))}
    plain = compare(a, b)
    assert plain.kind == "duplicate"
    assert discount(plain, a, b, every, every) == plain


def test_a_copy_cut_by_a_credit_line_pairs_each_piece_with_itself_only() -> None:
    """The pieces on either side of a cut are matched in place, not also with text higher up that shares a
    few of their words (here the caption above the credit shares "leaders", "ceasefire", "eastern")."""
    caption = "European leaders meet in Minsk and agree on a ceasefire in eastern Ukraine beginning on February 14"
    credit = "(MAXIM MALINOVSKY | AFP | Getty Images)"
    after = (
        "Though EU leaders brokered a ceasefire earlier this month, there remains a risk that the regional conflict "
        "could quickly deteriorate, with an ongoing dispute over gas supplies and recent accusations of further "
        "troop movement as potential triggers.\n\nMeanwhile delegations have criticised the rebels in eastern "
        "Ukraine for their continued attacks on the ceasefire line."
    )
    text = "\n\n".join([*_paragraphs(3), caption, f"{caption} {credit}", after])
    a, b = prepare(text), prepare(text)
    cut = discount(compare(a, b), a, b, _marks(a, credit, "attribution"), _marks(b, credit, "attribution"))
    assert len(cut.passages) == 2
    assert all(p.a == p.b and p.similarity == 1.0 for p in cut.passages)
    assert [i.reason for i in cut.ignored] == ["attribution"]


def test_a_word_left_between_ignored_lines_is_no_passage() -> None:
    """A cut keeps what the alignment would report: not a lone count after the credit line of a copy."""
    credit = "Additional reporting by Reuters"
    text = "\n\n".join([*_paragraphs(3), credit, "61"])
    a, b = prepare(text), prepare(text)
    cut = discount(compare(a, b), a, b, _marks(a, credit, "attribution"), _marks(b, credit, "attribution"))
    assert len(cut.passages) == 1
    assert not cut.passages[0].a.slice(a.text).endswith("61")
