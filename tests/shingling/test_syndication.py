"""Syndication: wire labels, common-wire inference, direction, and site boilerplate that never counts."""

from __future__ import annotations

from datetime import datetime

from shingling import compare, prepare
from shingling.attribution import find_attributions
from shingling.boilerplate import BoilerplateModel
from shingling.syndication import ArticleInfo, describe
from tests.helpers import article, seeds


def info(text: str, source: str | None, **kw: object) -> ArticleInfo:
    return ArticleInfo(source=source, attributions=tuple(find_attributions(text)), **kw)  # type: ignore[arg-type]


def test_seed_passages_shared_by_two_outlets_are_probably_from_the_wire_one_credits() -> None:
    s = seeds()
    c = compare(prepare(s["000"]), prepare(s["001"]))
    assert c.passages
    label = describe(c, info(s["000"], "The Moscow Times"), info(s["001"], "The Independent"))
    assert (label.wire_status, label.agency) == ("probably_wire_derived", "reuters")


def test_citing_an_agency_inside_the_story_is_not_a_wire_credit() -> None:
    s = seeds()
    # 000 and 002 both cite Xinhua as a source of quotes, and neither credits a wire for its text
    c = compare(prepare(s["000"]), prepare(s["002"]))
    label = describe(c, info(s["000"], "The Moscow Times"), info(s["002"], "Some blog"))
    assert label.wire_status is None


def test_a_wire_article_is_the_origin_and_its_reuse_is_wire_derived() -> None:
    wire = article("harbour")
    paper = "Our reporter adds local colour.\n\n" + "\n\n".join(wire.split("\n\n")[2:6])
    c = compare(prepare(paper), prepare(wire))
    label = describe(c, ArticleInfo(source="Daily Bugle"), ArticleInfo(source="Reuters"))
    assert (label.wire_status, label.agency, label.origin) == ("wire_derived", "reuters", "b")
    assert label.reason == "b is wire copy"


def test_direction_by_date_then_by_containment() -> None:
    whole = article("orchard")
    part = "\n\n".join(whole.split("\n\n")[1:4])
    c = compare(prepare(whole), prepare(part))
    early, late = datetime(2024, 5, 1, 8), datetime(2024, 5, 1, 12)
    assert describe(c, ArticleInfo(published_at=late), ArticleInfo(published_at=early)).origin == "b"
    undated = describe(c, ArticleInfo(), ArticleInfo())
    assert undated.origin == "b" and "more of b" in undated.reason


def test_the_side_carrying_an_agencys_copy_is_the_origin_when_dates_do_not_tell() -> None:
    # the whole story is mostly inside the part another paper took, so containment alone names the part; a
    # dateline on the whole story says it is the agency's copy as the agency wrote it
    whole = "LONDON (Reuters) - " + article("orchard")
    part = "\n\n".join(article("orchard").split("\n\n")[1:4])
    c = compare(prepare(whole), prepare(part))
    label = describe(c, info(whole, None), info(part, None))
    assert label.origin == "a" and label.reason == "a is Reuters copy by its dateline"
    # a date still comes first, and a story made with wire material ("Additional reporting by") is no agency's copy
    early, late = datetime(2024, 5, 1, 8), datetime(2024, 5, 1, 12)
    assert describe(c, info(whole, None, published_at=late), info(part, None, published_at=early)).origin == "b"
    credited = article("orchard") + "\n\nAdditional reporting by Reuters"
    c = compare(prepare(credited), prepare(part))
    assert describe(c, info(credited, None), info(part, None)).origin == "b"


def boilerplate_blocks() -> tuple[str, str]:
    """The Independent's donation appeal and comment prompt, as they stand around 001's body."""
    s = seeds()["001"]
    head = s[s.index("Your support helps us") : s.index("Your support makes all the difference.")]
    head += "Your support makes all the difference.\n\n"
    tail = s[s.index("Join our commenting forum") :]
    return head, tail


def test_shared_site_boilerplate_is_never_reuse_but_shared_text_still_is() -> None:
    head, tail = boilerplate_blocks()
    story_1 = head + article("harbour") + "\n\n" + tail
    story_2 = head + article("orchard") + "\n\n" + tail
    story_3 = head + "\n\n".join(article("harbour").split("\n\n")[3:6]) + "\n\n" + tail
    model = BoilerplateModel()
    docs = {name: prepare(text) for name, text in (("1", story_1), ("2", story_2), ("3", story_3))}
    for doc in docs.values():
        model.add("The Independent", doc)

    def ignore(name: str) -> dict[int, str]:
        return model.ignore("The Independent", docs[name], stored=True)

    unrelated = compare(docs["1"], docs["2"], ignore("1"), ignore("2"))
    assert unrelated.passages == () and unrelated.kind is None
    assert unrelated.ignored and {i.reason for i in unrelated.ignored} == {"boilerplate"}
    assert compare(docs["1"], docs["2"]).passages  # without the model the boilerplate would match

    reused = compare(docs["1"], docs["3"], ignore("1"), ignore("3"))
    assert reused.passages
    for p in reused.passages:
        assert "Marta Lindqvist" in p.a.slice(story_1) or "eelgrass" in p.a.slice(story_1)
        assert "Your support" not in p.a.slice(story_1) and "commenting" not in p.b.slice(story_3)


def test_a_line_seen_once_is_not_boilerplate() -> None:
    model = BoilerplateModel()
    doc = prepare(article("harbour"))
    model.add("Site", doc)
    assert model.ignore("Site", doc, stored=True) == {}


def test_versions_of_one_story_are_one_article_to_the_boilerplate_model() -> None:
    """A site that stored a story three times (updated twice) has not made its paragraphs boilerplate: the
    story's reuse by another site is still found, and the site's template is still boilerplate."""
    head, tail = boilerplate_blocks()
    body = article("harbour")
    versions = [
        head + body + "\n\n" + tail,
        head + body + "\n\nUpdated at 14:05 with the council's reply.\n\n" + tail,
        head + body + "\n\nThe council said it would reply on Friday after the vote.\n\n" + tail,
    ]
    other_story = head + article("orchard") + "\n\n" + tail
    model = BoilerplateModel()
    docs = [prepare(text) for text in [*versions, other_story]]
    for doc in docs:
        model.add("The Independent", doc)
    marks = model.ignore("The Independent", docs[0], stored=True)
    marked = " ".join(docs[0].tokens.words[i] for i in sorted(marks))
    assert "eelgrass" not in marked and "lindqvist" not in marked  # the story's words count
    assert marks == {}  # three stories would be needed for the template: there are two (the story, the orchard)

    elsewhere = prepare("\n\n".join(body.split("\n\n")[2:5]))  # another site reuses three paragraphs
    assert compare(docs[0], elsewhere, marks, {}).passages

    model.add("The Independent", prepare(head + "\n\n".join(article("orchard").split("\n\n")[:2]) + "\n\n" + tail))
    model.add("The Independent", prepare(head + "A short item on the ferry timetable.\n\n" + tail))
    template = model.ignore("The Independent", docs[0], stored=True)
    template_words = " ".join(docs[0].tokens.words[i] for i in sorted(template))
    assert "support" in template_words and "commenting" in template_words  # briefs are stories of their own
    assert "eelgrass" not in template_words
