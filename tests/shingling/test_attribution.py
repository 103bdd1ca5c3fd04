"""Wire credits: the registry's names and case rules, each credit kind with exact spans, the seeds, the floors."""

from __future__ import annotations

import json
import time

import pytest

from bench.attribution_eval import DEFAULT_CASES, FLOORS, check_floors, load_cases, score
from shingling.attribution import KINDS, Attribution, credited_agencies, find_attributions
from shingling.comparison import Span
from shingling.wires import GENERIC, WireAgency, WireRegistry
from tests.helpers import seeds


def found(text: str, registry: WireRegistry | None = None) -> list[tuple[str | None, str, str]]:
    """(agency, kind, spanned text), checking on the way that every span slices the text it reports."""
    out: list[tuple[str | None, str, str]] = []
    for a in find_attributions(text, registry):
        assert text[a.span.start : a.span.end] == a.text
        out.append((a.agency, a.kind, a.text))
    return out


def span_of(text: str, snippet: str) -> Span:
    start = text.index(snippet)
    return Span(start, start + len(snippet))


# -- the seeds ------------------------------------------------------------------------------------------------


def test_seed_001_credits_reuters_for_additional_reporting() -> None:
    text = seeds()["001"]
    credits = find_attributions(text)
    reporting = [a for a in credits if a.kind == "additional_reporting"]
    assert reporting == [
        Attribution(
            "reuters",
            span_of(text, "Additional reporting by Reuters"),
            "additional_reporting",
            "Additional reporting by Reuters",
        )
    ]
    # the Minsk photo is AFP's (an image credit only); Xinhua is cited in the text
    by_kind = {(a.agency, a.kind): a.text for a in credits}
    assert by_kind[("afp", "image_credit")] == "(MAXIM MALINOVSKY | AFP | Getty Images)"
    assert by_kind[("xinhua", "according_to")] == "According to state news agency Xinhua"
    assert credited_agencies(credits) == ["reuters", "xinhua"]
    assert credited_agencies(credits, images=True) == ["afp", "reuters", "xinhua"]


def test_seed_003_credits_reuters_for_text_and_photo() -> None:
    text = seeds()["003"]
    assert find_attributions(text) == [
        Attribution("reuters", span_of(text, "Photo: Reuters"), "image_credit", "Photo: Reuters"),
        Attribution(
            "reuters",
            span_of(text, "Additional reporting by Reuters"),
            "additional_reporting",
            "Additional reporting by Reuters",
        ),
    ]


def test_seed_004_credits_reuters_for_the_image_only() -> None:
    text = seeds()["004"]
    credits = find_attributions(text)
    assert [(a.agency, a.kind, a.span) for a in credits] == [
        ("reuters", "image_credit", span_of(text, "Image: Reuters"))
    ]
    assert credited_agencies(credits) == []


def test_seeds_002_and_000_cite_xinhua_and_nothing_else() -> None:
    s = seeds()
    assert found(s["000"]) == [("xinhua", "according_to", "quoted by state news agency Xinhua")]
    assert found(s["002"]) == [("xinhua", "according_to", "in an interview with the state-run Xinhua")]


# -- each kind ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LONDON (Reuters) - Oil rose.", [("reuters", "dateline", "LONDON (Reuters) -")]),
        ("BEIJING, Jan 27 (Reuters) - China said", [("reuters", "dateline", "BEIJING, Jan 27 (Reuters) -")]),
        ("WASHINGTON (AP) — The Senate voted.", [("ap", "dateline", "WASHINGTON (AP) —")]),
        ("(AFP) - Police said", [("afp", "dateline", "(AFP) -")]),
        ("HARRISBURG, Pa. (AP) — The governor", [("ap", "dateline", "HARRISBURG, Pa. (AP) —")]),
        ("MOSCOW, January 27. /TASS/. Russia", [("tass", "dateline", "MOSCOW, January 27. /TASS/.")]),
        ("New Delhi, Jan 27 (PTI) The court ruled", [("pti", "dateline", "New Delhi, Jan 27 (PTI)")]),
        (
            "Reporting by Ben Blanchard; Editing by Kim Coghill",
            [(None, "reporting_by", "Reporting by Ben Blanchard; Editing by Kim Coghill")],
        ),
        (
            "Additional reporting by John Smith in Paris; editing by Jane Doe",
            [(None, "additional_reporting", "Additional reporting by John Smith in Paris; editing by Jane Doe")],
        ),
        (
            "The Associated Press contributed to this report.",
            [("ap", "contributed", "The Associated Press contributed to this report")],
        ),
        ("Talks resume on Monday. — with AFP", [("afp", "with_agency", "— with AFP")]),
        ("(with Reuters)", [("reuters", "with_agency", "(with Reuters)")]),
        ("Rain hampered rescuers.\n- with agencies", [(GENERIC, "with_agency", "- with agencies")]),
        ("Twelve died, according to Reuters.", [("reuters", "according_to", "according to Reuters")]),
        ("The mayor told Reuters on Friday.", [("reuters", "according_to", "told Reuters")]),
        ("The plant will close, Xinhua reported.", [("xinhua", "according_to", "Xinhua reported")]),
        (
            "Sources: Reuters, AP",
            [("ap", "source_line", "Sources: Reuters, AP"), ("reuters", "source_line", "Sources: Reuters, AP")],
        ),
        ("Source: Xinhua", [("xinhua", "source_line", "Source: Xinhua")]),
        ("Image: Reuters.", [("reuters", "image_credit", "Image: Reuters")]),
        ("A man walks in Kabul. AFP/Getty Images", [("afp", "image_credit", "AFP/Getty Images")]),
        ("Kyiv. REUTERS/Gleb Garanich", [("reuters", "image_credit", "REUTERS/Gleb Garanich")]),
        ("© Reuters 2022", [("reuters", "copyright", "© Reuters 2022")]),
        (
            "Copyright 2024 The Associated Press. All rights reserved.",
            [("ap", "copyright", "Copyright 2024 The Associated Press. All rights reserved")],
        ),
        ("By Reuters\nJan 27, 2022", [("reuters", "byline", "By Reuters")]),
        ("By AFP", [("afp", "byline", "By AFP")]),
        ("By JOSH BOAK, Associated Press", [("ap", "byline", "By JOSH BOAK, Associated Press")]),
    ],
)
def test_each_kind(text: str, expected: list[tuple[str | None, str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        '"Reuters is biased," he said.',
        "“I told Reuters everything I knew,” she said.",
        "Thomson Reuters shares rose 2% on Tuesday.",
        "The Reuters Institute report found that trust fell.",
        "Students took the AP Biology exam.",
        "Announcements over the PA system told passengers to sit.",
        "PA Governor Josh Shapiro signed the bill.",
        "The AFP said it had charged a man after a raid in Sydney.",
        "Download the app; the APP is free.",
        "Anadolu Efes beat Real Madrid.",
        "DEFENCE MINISTER SAYS TROOPS WILL STAY",
        "Paul Julius Reuter founded the agency in 1851.",
        "Reuters contributed $1 million to the fund.",
        "The Associated Press reported record revenue last year.",
        "Reporting by The New York Times has revealed the payments.",
        "Photo: Getty Images",
        "Shanghai (Getty Images)",
        "OAS Document CP/GT/CSH-13/92, 12 February 1992.",
        "Jupiter's moon Europa, photographed in 2022 (European Space Agency/NASA)",
        "I lived in PA/NJ for years before moving west.",
        "The full list is at http://www.example.org/regions/MENA.html for now.",
        "Write to desk@afp.example.com or see www.reuters.com for details.",
    ],
)
def test_not_a_credit(text: str) -> None:
    assert found(text) == []


def test_ambiguous_abbreviation_needs_a_credit_form() -> None:
    # "PA" is Pennsylvania as often as the agency: running text trusts it only before "news agency"
    assert found("He told PA the news.") == []
    assert found("He told the PA news agency the news.") == [("pa", "according_to", "told the PA news agency")]
    assert found("LONDON (PA) - Rail fares rise.") == [("pa", "dateline", "LONDON (PA) -")]
    assert found("Pittsburgh, PA — Rail fares rise.") == []


def test_multi_line_credit_block_is_one_attribution_in_any_newline_style() -> None:
    for nl in ("\n", "\r\n", "\r"):
        text = f"The talks continue.{nl}{nl}Reporting by Jan Strupczewski{nl}Editing by Mark Heinrich{nl}"
        block = f"Reporting by Jan Strupczewski{nl}Editing by Mark Heinrich"
        assert find_attributions(text) == [Attribution(None, span_of(text, block), "reporting_by", block)]


@pytest.mark.parametrize(
    "role",
    ["Reporting", "REPORTING", "rEpOrTiNg", "WRITING", "Editing", "COMPILED", "REPORT\u0130NG", "WR\u0130T\u0130NG"],
)
def test_blocks_are_found_whatever_the_case_of_their_role_word(role: str) -> None:
    # blocks are looked for only in texts holding a role word (a fast substring test first): it must not miss
    # any the case-insensitive pattern finds, the dotted capital I included (lower() makes it two characters)
    text = f"The talks continue.\n\n{role} by Jan Strupczewski\n"
    block = f"{role} by Jan Strupczewski"
    assert found(text) == [(None, "reporting_by", block)]


def test_block_agency_takes_the_kind_of_its_clause() -> None:
    text = "Reporting by Kanishka Singh; additional reporting by AFP; Editing by Leslie Adler"
    assert found(text) == [("afp", "additional_reporting", text)]


def test_unicode_spaces_dashes_and_extra_whitespace() -> None:
    assert found("LONDON\u00a0(Reuters)\u00a0\u2013 Oil rose.") == [
        ("reuters", "dateline", "LONDON\u00a0(Reuters)\u00a0\u2013")
    ]
    assert found("KYIV (AP) \u2015 Shelling.") == [("ap", "dateline", "KYIV (AP) \u2015")]
    text = "Prices stay high.\n\nAdditional   reporting  by   Reuters  \n"
    assert found(text) == [("reuters", "additional_reporting", "Additional   reporting  by   Reuters")]


def test_spans_are_sorted_and_results_deterministic() -> None:
    text = (
        "TOKYO (Reuters) - The Nikkei fell.\nA man walks past a board. REUTERS/Issei Kato\n"
        "Analysts were cautious, according to Kyodo News.\nReporting by Junko Fujita; Editing by Sam Holmes"
    )
    first = find_attributions(text)
    assert [a.kind for a in first] == ["dateline", "image_credit", "according_to", "reporting_by"]
    assert [a.span for a in first] == sorted(a.span for a in first)
    assert find_attributions(text) == first
    assert first[0].to_dict() == {
        "agency": "reuters",
        "kind": "dateline",
        "span": {"start": 0, "end": 17},
        "text": "TOKYO (Reuters) -",
    }


def test_long_lines_and_dense_names_stay_linear() -> None:
    # each of these once took minutes (a block search per role word, line scans back to the start)
    clauses = "; ".join(f"Reporting by John Smith{i}" for i in range(1000))
    dense = " ".join(["Reuters"] * 1000) + "\nLONDON (Reuters) - Oil rose."
    started = time.perf_counter()
    assert find_attributions(clauses) == []
    assert found(dense) == [("reuters", "dateline", "LONDON (Reuters) -")]
    assert time.perf_counter() - started < 30  # about a second on a busy machine


def test_offsets_count_python_characters() -> None:
    text = "Émigrés 🇺🇦 said so, according to AFP."
    (a,) = find_attributions(text)
    assert text[a.span.start : a.span.end] == "according to AFP"


# -- the registry ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "agency"),
    [
        ("Reuters UK", "reuters"),
        ("reuters.com", "reuters"),
        ("https://www.reuters.com/world/china/x-2022-01-27/", "reuters"),
        ("uk.reuters.com", "reuters"),
        ("AP News", "ap"),
        ("apnews.com", "ap"),
        ("The Associated Press", "ap"),
        ("AFP", "afp"),
        ("afp", "afp"),
        ("Agence France-Presse", "afp"),
        ("PA Media", "pa"),
        ("Yahoo News via Reuters", "reuters"),
        ("Xinhua", "xinhua"),
        ("The Independent", None),
        ("independent.co.uk", None),
        ("Thomson Reuters Foundation", None),
        ("Michael Bloomberg", None),
        ("", None),
    ],
)
def test_agency_for_source(source: str, agency: str | None) -> None:
    assert WireRegistry.default().agency_for_source(source) == agency


def test_registry_from_a_setting() -> None:
    extra = WireRegistry.default().with_extra(
        {
            "nampa": {
                "name": "Namibia Press Agency",
                "aliases": ["Namibia Press Agency"],
                "strict_aliases": ["NAMPA"],
                "domains": ["nampa.org"],
            },
            "reuters": ["Reuters News"],
        }
    )
    assert "nampa" in extra and "nampa" not in WireRegistry.default()
    assert extra.name("nampa") == "Namibia Press Agency"
    assert extra["reuters"].aliases == (*WireRegistry.default()["reuters"].aliases, "Reuters News")  # added to
    assert found("WINDHOEK (NAMPA) - Rain fell.", extra) == [("nampa", "dateline", "WINDHOEK (NAMPA) -")]
    assert found("He told NAMPA so.", extra) == []  # strict: a credit form only
    assert extra.agency_for_source("https://www.nampa.org/x") == "nampa"
    # a setting round-trips, and a registry of only some agencies finds only those
    assert WireRegistry.from_dict(extra.to_dict()).to_dict() == extra.to_dict()
    only = WireRegistry.from_dict({"reuters": ["Reuters"]})
    assert found("LONDON (Reuters) - x\nPARIS (AFP) - y", only) == [("reuters", "dateline", "LONDON (Reuters) -")]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"Bad Id": ["X"]}, "lowercase"),
        ({"x": {"aliases": []}}, "no aliases"),
        ({"x": {"alias": ["X"]}}, "unknown keys"),
        ({"x": {"aliases": "X"}}, "list of strings"),
        ({"x": {"aliases": ["X"], "vetoes": ["("]}}, "not a valid pattern"),
        ({"x": 3}, "expected a list"),
    ],
)
def test_bad_settings_say_what_to_fix(setting: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WireRegistry.from_dict(setting)


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        WireRegistry([WireAgency("x", "X", ("X",)), WireAgency("x", "Y", ("Y",))])


def test_mentions_are_flagged_not_dropped_when_asked() -> None:
    registry = WireRegistry.default()
    text = "Thomson Reuters; PA; the PA news agency and AFP"
    flags = [(text[m.start : m.end], m.ambiguous, m.vetoed) for m in registry.mentions(text, everything=True)]
    assert flags == [
        ("Reuters", False, True),
        ("PA", True, False),
        ("PA news agency", False, False),
        ("AFP", False, False),
    ]
    assert [text[m.start : m.end] for m in registry.mentions(text, loose=True)] == ["PA news agency", "AFP"]


def test_longer_names_of_other_agencies_win() -> None:
    registry = WireRegistry.default()
    text = "the Associated Press of Pakistan, the Associated Press, Korean Central News Agency, Central News Agency"
    assert [m.agency for m in registry.mentions(text)] == ["app", "ap", "kcna", "cna"]


# -- the labelled set -----------------------------------------------------------------------------------------


def test_labelled_set_meets_the_pinned_floors() -> None:
    cases = load_cases(DEFAULT_CASES)
    assert len(cases) >= 120
    kinds = {e.kind for c in cases for e in c.expected}
    assert kinds == set(KINDS)
    below = check_floors(score(cases))
    assert not below, "attribution quality below tests/fixtures/attribution/floors.json:\n" + "\n".join(below)


def test_floors_cover_every_kind() -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["floors"]
    assert {f"{k}/f1" for k in KINDS} | {"overall/precision", "overall/recall", "overall/f1"} == set(floors)


def test_the_names_pattern_inside_credits_matches_every_name_whole() -> None:
    """The names are one tree of common prefixes in the credit patterns: every alias, as written and in capitals,
    still matches whole (not cut to a shorter name that shares its start: "AP" of "APA", "Interfax" of
    "Interfax-Ukraine"), and a name glued to a longer word does not match."""
    import regex

    from shingling.wires import _variants

    registry = WireRegistry.default()
    names, cjk_names = regex.compile(registry.alternation()), regex.compile(registry.alternation(cjk=True))
    every = {v for a in registry for n in (*a.aliases, *a.strict_aliases) for v in _variants(n, clitics=False)}
    assert len(every) > 150
    for name in every:
        cjk = regex.search(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]", name) is not None
        for pattern in (cjk_names,) if cjk else (names, cjk_names):
            found = pattern.match(name + " said.")
            assert found is not None and found.group(0) == name, name
    for pattern in (names, cjk_names):
        assert pattern.match("APAC said") is None and pattern.match("Reutersville") is None
    # next to a CJK letter a name needs no boundary ("路透社报道", "AP통신은"); next to a Latin one it still does
    assert cjk_names.match("路透社报道").group(0) == "路透社" and cjk_names.match("AP통신은").group(0) == "AP"
    assert names.match("AP통신은") is None and cjk_names.match("APs") is None


def test_russian_and_arabic_credits() -> None:
    """The wire credits of Russian and Arabic news: TASS's dateline, citations in running text with the agency's
    name declined or glued to a particle, and an agency as a company is no credit."""
    def found(text: str) -> list[tuple[str | None, str, str]]:
        return [(a.agency, a.kind, a.text) for a in find_attributions(text)]

    assert found("МОСКВА, 27 января. /ТАСС/. Президент подписал указ.") == [
        ("tass", "dateline", "МОСКВА, 27 января. /ТАСС/.")
    ]
    assert found("Об этом сообщил агентству «Интерфакс» источник.") == [
        ("interfax", "according_to", "сообщил агентству «Интерфакс»")
    ]
    assert found("وقال مسؤول حكومي لرويترز إن القرار نهائي.") == [
        ("reuters", "according_to", "وقال مسؤول حكومي لرويترز")
    ]
    assert found("وفقا لوكالة الأنباء الفرنسية، قتل ثلاثة أشخاص.") == [
        ("afp", "according_to", "وفقا لوكالة الأنباء الفرنسية")
    ]
    assert found("Генеральный директор ТАСС выступил на форуме.") == []
    assert found("أعلنت رويترز عن أرباح قياسية هذا العام.") == []


def test_chinese_japanese_and_korean_credits() -> None:
    """The credits of Chinese, Japanese and Korean news, written without spaces or with particles glued to the
    names: the agencies' datelines, citations, picture credits and footers; words that hold an agency's name or
    a short form of it are no credit ("共同声明" is a joint statement, "新华社区" a neighbourhood, "신화" a myth)."""
    def found(text: str) -> list[tuple[str | None, str, str]]:
        return [(a.agency, a.kind, a.text) for a in find_attributions(text)]

    assert found("新华社北京12月7日电（记者王晓明）国家统计局7日发布数据。") == [
        ("xinhua", "dateline", "新华社北京12月7日电（记者王晓明）")
    ]
    assert found("据韩联社7日报道，韩国统计厅当天公布了数据。") == [("yonhap", "according_to", "据韩联社7日报道")]
    assert found("（中央社記者王小明台北7日電）行政院今天表示。") == [
        ("cna", "dateline", "（中央社記者王小明台北7日電）")
    ]
    assert found("【ワシントン共同】米政府は7日、発表した。") == [("kyodo", "dateline", "【ワシントン共同】")]
    assert found("共同通信によると、首相は7日に訪米する。") == [("kyodo", "according_to", "共同通信によると")]
    assert found("(서울=연합뉴스) 김철수 기자 = 정부는 7일 발표했다.") == [("yonhap", "dateline", "(서울=연합뉴스)")]
    assert found("AP통신은 7일(현지시간) 국방부 관계자를 인용해 이같이 보도했다.") == [
        ("ap", "according_to", "AP통신은 7일(현지시간) 국방부 관계자를 인용해 이같이 보도했다")
    ]
    assert found("시진핑 주석이 회담하고 있다. [신화=연합뉴스]") == [
        ("xinhua", "image_credit", "[신화=연합뉴스]"), ("yonhap", "image_credit", "[신화=연합뉴스]")
    ]
    assert found("<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>") == [
        ("yonhap", "copyright", "저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지")
    ]
    for text in ("两国发表共同声明。", "新华社区居民委员会召开会议。", "그리스 신화에 나오는 이야기다.",
                 "美联储宣布加息。", "该公司与路透社签署了合作协议。", "一名路透社摄影记者在采访时受伤。",
                 "タスクフォースを設置した。"):
        assert found(text) == [], text
