"""Syndication in the service: credit lines with spans, wire labels and direction, boilerplate learned per
source from the stored corpus (and forgotten on delete), the ignored listing, the time window, migration 0004."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient

from service.core.db import alembic_config, make_engine, upgrade
from tests.backends.support import Backend
from tests.helpers import article
from tests.service.conftest import OpenClient

API = "/api/v1"
SITE = "The Independent"


def post(client: TestClient, text: str, **meta: Any) -> dict[str, Any]:
    response = client.post(f"{API}/articles", json={"text": text, **meta})
    assert response.status_code == 201, response.text
    return response.json()


def check(client: TestClient, text: str, query: str = "", **meta: Any) -> dict[str, Any]:
    response = client.post(f"{API}/check{query}", json={"text": text, **meta})
    assert response.status_code == 200, response.text
    return response.json()


def report(client: TestClient, article_id: int, query: str = "") -> dict[str, Any]:
    response = client.get(f"{API}/articles/{article_id}/overlaps{query}")
    assert response.status_code == 200, response.text
    return response.json()


def overlap(body: dict[str, Any], article_id: int) -> dict[str, Any] | None:
    return next((o for o in body["overlaps"] if o["article"]["id"] == article_id), None)


def site_wrapped(seed: str, body: str) -> str:
    """`body` between 001's donation appeal and its comment prompt, as The Independent prints every story."""
    head = seed[seed.index("Your support helps us") : seed.index("China has voiced its support")]
    tail = seed[seed.index("Join our commenting forum") :]
    return head + body + "\n\n" + tail


def paragraphs(name: str, lo: int, hi: int) -> str:
    return "\n\n".join(article(name).split("\n\n")[lo:hi])


def only_the_quote(found: dict[str, Any] | None) -> bool:
    """The overlap holds one passage: the three harbour paragraphs `mixed` quotes, nothing of the wrapper."""
    quote = paragraphs("harbour", 3, 6)
    texts = [p["text"] for p in found["passages"]] if found else []
    return len(texts) == 1 and texts[0] in quote and len(texts[0]) > 0.95 * len(quote)


def test_reuters_credits_of_001_and_003_with_spans(client: TestClient, seed_texts: dict[str, str]) -> None:
    for stem in ("001", "003"):
        text = seed_texts[stem]
        credits = [a for a in check(client, text)["attributions"] if a["kind"] == "additional_reporting"]
        assert [(a["agency"], text[a["span"]["start"] : a["span"]["end"]]) for a in credits] == [
            ("reuters", "Additional reporting by Reuters")
        ]
        assert all(a["text"] == text[a["span"]["start"] : a["span"]["end"]] for a in credits)
    stored = post(client, seed_texts["001"], external_id="seed-001")
    detail = client.get(f"{API}/articles/{stored['article']['id']}").json()
    assert detail["attributions"] == stored["article"]["attributions"]
    assert ("reuters", "additional_reporting") in {(a["agency"], a["kind"]) for a in detail["attributions"]}
    assert detail["wire"] is None


def test_000_and_001_share_probable_reuters_copy_and_000_came_first(
    client: TestClient, seed_texts: dict[str, str]
) -> None:
    first = post(client, seed_texts["000"], source="The Moscow Times", published_at="2015-02-27T09:00:00Z")
    second = post(client, seed_texts["001"], source=SITE, published_at="2015-02-27T17:42:00Z")
    found = overlap(second, first["article"]["id"])
    assert found is not None and found["passages"]
    assert found["syndication"] == {
        "origin": "existing",
        "reason": "existing was published first",
        "wire": {"status": "probably_wire_derived", "agency": "reuters"},
    }
    # seen from 000's side, the same pair: 000 (now "new") is the origin
    back = overlap(report(client, first["article"]["id"]), second["article"]["id"])
    assert back is not None
    assert back["syndication"]["origin"] == "new"
    assert back["syndication"]["wire"] == {"status": "probably_wire_derived", "agency": "reuters"}


def test_undated_seeds_still_get_the_wire_label(seeded: dict[str, dict[str, Any]]) -> None:
    found = overlap(seeded["001"], seeded["000"]["article"]["id"])
    assert found is not None
    assert found["syndication"]["wire"] == {"status": "probably_wire_derived", "agency": "reuters"}
    assert found["syndication"]["origin"] in ("new", "existing", None) and found["syndication"]["reason"]


def test_wire_copy_and_a_paper_reusing_it(client: TestClient) -> None:
    wire = post(client, paragraphs("harbour", 1, 6), source="Reuters", wire=True)
    assert wire["article"]["wire"] == "reuters"
    paper = post(client, article("harbour"), source="The Coastal Gazette")
    assert paper["article"]["wire"] is None
    found = overlap(paper, wire["article"]["id"])
    assert found is not None
    assert found["article"]["wire"] == "reuters"
    assert found["syndication"] == {
        "origin": "existing",
        "reason": "existing is wire copy",
        "wire": {"status": "wire_derived", "agency": "reuters"},
    }
    back = overlap(report(client, wire["article"]["id"]), paper["article"]["id"])
    assert back is not None and back["syndication"]["origin"] == "new"


def test_wire_flag_and_agency_as_the_client_says(client: TestClient) -> None:
    named = post(client, article("orchard"), source="Valley Feed", wire=True, agency="Associated Press")
    assert named["article"]["wire"] == "ap"
    assert check(client, "Some words here.", source="Reuters", wire=False)["wire"] is None
    assert check(client, "Some words here.", source="reuters.com")["wire"] == "reuters"
    listed = client.get(f"{API}/articles").json()["data"]
    assert [a["wire"] for a in listed] == ["ap"]
    refused = client.post(f"{API}/check", json={"text": "Some words.", "wire": False, "agency": "Reuters"})
    assert refused.status_code == 422 and "agency" in refused.text


def _site(client: TestClient, seed: str) -> dict[str, int]:
    """Three stories of one site, two of them wrapped in 001's boilerplate blocks."""
    return {
        "original": post(client, seed, source=SITE)["article"]["id"],
        "harbour": post(client, site_wrapped(seed, article("harbour")), source=SITE)["article"]["id"],
        "orchard": post(client, site_wrapped(seed, article("orchard")), source=SITE)["article"]["id"],
    }


def mixed(seed: str) -> str:
    """Another story of the site quoting three harbour paragraphs in the middle of the orchard story."""
    orchard = article("orchard").split("\n\n")
    return site_wrapped(seed, "\n\n".join([*orchard[:3], paragraphs("harbour", 3, 6), *orchard[3:]]))


def test_site_boilerplate_links_nothing_but_shared_text_still_does(
    client: TestClient, seed_texts: dict[str, str]
) -> None:
    seed = seed_texts["001"]
    ids = _site(client, seed)
    assert overlap(report(client, ids["harbour"]), ids["orchard"]) is None
    assert overlap(report(client, ids["original"]), ids["orchard"]) is None
    # a story of the site quoting harbour paragraphs: the quote is reported, the wrapper is not
    text = mixed(seed)
    body = check(client, text, "?explain=true", source=SITE)
    found = overlap(body, ids["harbour"])
    assert found is not None and only_the_quote(found)
    # the ignored listing names the boilerplate, with spans into both texts
    harbour_text = client.get(f"{API}/articles/{ids['harbour']}").json()["text"]
    ignored = found["ignored"]
    assert ignored and {i["reason"] for i in ignored} == {"boilerplate"}
    new_sides = " ".join(text[i["new"]["start"] : i["new"]["end"]] for i in ignored)
    old_sides = " ".join(harbour_text[i["existing"]["start"] : i["existing"]["end"]] for i in ignored)
    for block in ("Your support helps us to tell the story", "Join our commenting forum"):
        assert block in new_sides and block in old_sides
    assert all(o["ignored"] is None for o in check(client, text, source=SITE)["overlaps"])
    # stored, it reports the same from its side
    stored = post(client, text, source=SITE)
    again = overlap(stored, ids["harbour"])
    assert only_the_quote(again)


def test_delete_forgets_lines_so_too_few_remain_for_boilerplate(
    client: TestClient, seed_texts: dict[str, str]
) -> None:
    ids = _site(client, seed_texts["001"])
    assert overlap(report(client, ids["harbour"]), ids["orchard"]) is None
    assert client.delete(f"{API}/articles/{ids['original']}").status_code == 204
    # only one other article of the site holds the blocks now: they are no longer boilerplate
    found = overlap(report(client, ids["harbour"]), ids["orchard"])
    assert found is not None
    assert any("Your support helps us" in p["text"] for p in found["passages"])
    assert any("Join our commenting forum" in p["text"] for p in found["passages"])


def test_lines_count_per_source_and_min_others_is_a_setting(
    open_client: OpenClient, seed_texts: dict[str, str]
) -> None:
    seed = seed_texts["001"]
    with open_client() as client:
        harbour = post(client, site_wrapped(seed, article("harbour")), source=SITE)["article"]["id"]
        orchard = post(client, site_wrapped(seed, article("orchard")), source=SITE)["article"]["id"]
        post(client, seed, source="Another Site")  # the same blocks elsewhere teach nothing about this site
        assert overlap(report(client, harbour), orchard) is not None
    with open_client(boilerplate_min_others=1) as client:
        assert overlap(report(client, harbour), orchard) is None


def test_within_days_keeps_close_and_undated_articles(client: TestClient) -> None:
    base = article("orchard")
    posted = {
        "same_day": post(client, base, published_at="2024-05-01T08:00:00Z"),
        "next_day": post(client, base.replace("Sunday", "Monday"), published_at="2024-05-02T12:00:00Z"),
        "two_years": post(client, base.replace("Sunday", "Friday"), published_at="2022-05-01T12:00:00Z"),
        "undated": post(client, base.replace("Sunday", "Saturday")),
    }
    ids = {name: body["article"]["id"] for name, body in posted.items()}
    text = base.replace("Sunday", "Tuesday")
    everything = check(client, text, published_at="2024-05-01T12:00:00Z")
    assert {o["article"]["id"] for o in everything["overlaps"]} == set(ids.values())
    close = check(client, text, "?within_days=30", published_at="2024-05-01T12:00:00Z")
    assert {o["article"]["id"] for o in close["overlaps"]} == {ids["same_day"], ids["next_day"], ids["undated"]}
    half_day = check(client, text, "?within_days=0.5", published_at="2024-05-01T12:00:00Z")
    assert {o["article"]["id"] for o in half_day["overlaps"]} == {ids["same_day"], ids["undated"]}
    # an undated check is compared with everything
    assert len(check(client, text, "?within_days=1")["overlaps"]) == 4
    stored = report(client, ids["same_day"], "?within_days=2")
    assert {o["article"]["id"] for o in stored["overlaps"]} == {ids["next_day"], ids["undated"]}


@pytest.mark.parametrize("value", ["-1", "abc", "nan", "inf", "100000"])
def test_within_days_refuses_bad_values(client: TestClient, value: str) -> None:
    response = client.post(f"{API}/check?within_days={value}", json={"text": "Some words."})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "within_days"]
    assert client.get(f"{API}/articles/1/overlaps?within_days={value}").status_code == 422


def _downgrade(url: str, revision: str) -> None:
    engine = make_engine(url, foreign_keys=False)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def _site_reports(open_client: OpenClient, seed: str) -> tuple[dict[str, int], dict[str, dict[str, Any]]]:
    """`_site`'s three stories stored, and each one's overlaps report."""
    with open_client() as client:
        ids = _site(client, seed)
        return ids, {name: report(client, article_id) for name, article_id in ids.items()}


def test_migration_0004_backfills_lines_of_stored_articles(
    open_client: OpenClient, backend: Backend, seed_texts: dict[str, str]
) -> None:
    seed = seed_texts["001"]
    ids, before = _site_reports(open_client, seed)
    assert overlap(before["harbour"], ids["orchard"]) is None
    # the database as revision 0003 left it: no wire columns, no lines
    _downgrade(backend.database_url, "0003")
    assert upgrade(backend.database_url, "0004") == ("0003", "0004")
    upgrade(backend.database_url)
    with open_client() as client:
        after = {name: report(client, article_id) for name, article_id in ids.items()}
        assert after == before
        assert overlap(after["harbour"], ids["orchard"]) is None
        # stored before the upgrade or after, articles count alike
        late = post(client, mixed(seed), source=SITE)
        assert only_the_quote(overlap(late, ids["harbour"]))


def test_a_wires_file_adds_agencies_to_the_service(open_client: OpenClient, tmp_path: Path) -> None:
    agencies = tmp_path / "wires.json"
    agencies.write_text(json.dumps({"nampa": {"name": "Namibia Press Agency", "aliases": ["Nampa"]}}))
    body = paragraphs("harbour", 1, 6)
    with open_client(wires_file=agencies) as client:
        stored = post(client, body, source="NAMPA")
        assert stored["article"]["wire"] == "nampa"
        checked = check(client, "WINDHOEK (Nampa) - " + body, source="The Namibian")
        assert [a["agency"] for a in checked["attributions"]] == ["nampa"]
        found = overlap(checked, stored["article"]["id"])
        assert found is not None
        assert found["syndication"]["wire"] == {"status": "wire_derived", "agency": "nampa"}
        assert found["syndication"]["origin"] == "existing"
    with open_client() as client:  # without the file the agency is unknown again
        assert client.get(f"{API}/articles/{stored['article']['id']}").json()["wire"] is None


def test_a_bad_wires_file_stops_the_start_with_its_reason(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from service.cli import app as cli

    bad = tmp_path / "wires.json"
    bad.write_text(json.dumps({"Bad Id": ["X"]}))
    result = CliRunner(env={"COLUMNS": "300"}).invoke(cli, ["serve"], env={"SYNDET_WIRES_FILE": str(bad)})
    assert result.exit_code == 2
    assert "SYNDET_WIRES_FILE" in result.output and "not a valid registry" in result.output
    assert "Traceback" not in result.output


def test_storing_takes_the_time_window_and_the_ignored_listing_too(
    client: TestClient, seed_texts: dict[str, str]
) -> None:
    first = post(client, seed_texts["000"], source="The Moscow Times", published_at="2015-02-27T09:00:00Z")
    body = {"text": seed_texts["001"], "source": "The Independent", "published_at": "2015-02-27T17:42:00Z"}
    narrow = client.post(f"{API}/articles?within_days=0.1", json=body)
    assert narrow.status_code == 201 and narrow.json()["overlaps"] == []  # 000 is 8.7 hours older
    again = client.post(f"{API}/articles?explain=true", json=body)  # the same text: the stored one, reported
    assert again.status_code == 200
    found = overlap(again.json(), first["article"]["id"])
    assert found is not None and found["ignored"] is not None
    assert client.post(f"{API}/articles?within_days=-1", json=body).status_code == 422


def _versions(client: TestClient, seed: str) -> list[int]:
    """Three versions of one harbour story of the site: as first stored, with an "Updated" line, with a paragraph
    more (each a new article, as a crawler that stores every version makes them)."""
    story = site_wrapped(seed, article("harbour") + "\n\nFirst published on Tuesday.")
    texts = [story, story + "\n\nUpdated at 14:05 GMT.", story + "\n\nThe council will reply on Friday after the vote."]
    return [post(client, t, source=SITE, external_id=f"harbour-v{i}")["article"]["id"] for i, t in enumerate(texts)]


def test_versions_of_one_story_do_not_make_it_boilerplate(client: TestClient, seed_texts: dict[str, str]) -> None:
    """Three stored versions of one story are one story to the site's boilerplate: another site's reuse of it is
    reported with each version, and the third version shares the whole story with the first two. The site's
    template, in articles of other stories, is still boilerplate."""
    seed = seed_texts["001"]
    orchard = post(client, site_wrapped(seed, article("orchard")), source=SITE)["article"]["id"]
    post(client, seed, source=SITE)
    versions = _versions(client, seed)
    third = report(client, versions[2])
    for version in versions[:2]:  # the whole story is shared (the site's template, shared with orchard, is not)
        found = overlap(third, version)
        assert found is not None and any("eelgrass" in p["text"] and "Lindqvist" in p["text"]
                                         for p in found["passages"])
    assert overlap(third, orchard) is None  # they share the template only
    reuse = check(client, "Elsewhere today:\n\n" + paragraphs("harbour", 2, 6), source="Another Site")
    for version in versions:
        found = overlap(reuse, version)
        assert found is not None and any("eelgrass" in p["text"] or "Lindqvist" in p["text"]
                                         for p in found["passages"])


def test_migration_0007_keeps_reports_and_files_new_versions_under_their_story(
    open_client: OpenClient, backend: Backend, seed_texts: dict[str, str]
) -> None:
    seed = seed_texts["001"]
    ids, before = _site_reports(open_client, seed)
    _downgrade(backend.database_url, "0006")
    assert upgrade(backend.database_url) == ("0006", "0007")
    with open_client() as client:
        assert {name: report(client, article_id) for name, article_id in ids.items()} == before
        versions = _versions(client, seed)  # stored after the upgrade: filed under one story
        reuse = check(client, paragraphs("harbour", 2, 6), source="Another Site")
        assert all(overlap(reuse, version) is not None for version in versions)


@pytest.mark.parametrize(
    ("wire", "wire_source", "paper", "paper_source", "credit", "label", "outside"),
    [
        # a French paper's "(Avec AFP)": read, labels the pair, and lies outside every shared passage
        ("fr-venissieux-wire", "Agence locale", "fr-venissieux-paper", "Le Progrès",
         ("afp", "with_agency", "(Avec AFP)"), ("probably_wire_derived", "afp"), ("new", "(Avec AFP)")),
        # a story stored with source "新华社" is Xinhua's own copy; the paper's "据新华社报道" is read, and the wire's
        # dateline lies outside every shared passage
        ("zh-wire", "新华社", "zh-rewrite", "成都商报", ("xinhua", "according_to", "据新华社报道"),
         ("wire_derived", "xinhua"), ("existing", "新华社成都9月5日电")),
    ],
    ids=["french-afp", "chinese-xinhua"],
)
def test_credits_in_other_languages_label_the_pair_and_are_no_reuse(
    client: TestClient,
    wire: str,
    wire_source: str,
    paper: str,
    paper_source: str,
    credit: tuple[str, str, str],
    label: tuple[str, str],
    outside: tuple[str, str],
) -> None:
    """Credit lines and agency names in French and Chinese count as in English."""
    stored = post(client, article(wire), source=wire_source)
    text = article(paper)
    body = check(client, text, source=paper_source)
    agency, kind, credit_text = credit
    assert [(a["agency"], a["kind"], a["span"]["start"], a["text"]) for a in body["attributions"]] == [
        (agency, kind, text.index(credit_text), credit_text)
    ]
    found = overlap(body, stored["article"]["id"])
    assert found is not None and found["passages"]
    assert found["syndication"]["wire"] == {"status": label[0], "agency": label[1]}
    side, words = outside
    start = (text if side == "new" else article(wire)).index(words)
    assert all(p[side]["end"] <= start or p[side]["start"] >= start + len(words) for p in found["passages"])
