"""Posting, checking, reading and deleting articles through the real app on a SQLite file."""

from __future__ import annotations

import gc
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from service import repository
from service.index_backend import verify
from shingling import EngineConfig
from tests.helpers import FIXTURES, read
from tests.service.conftest import PHRASE, OpenClient, post_seeds

API = "/api/v1"


def named(report: dict[str, Any]) -> set[str]:
    return {o["article"]["external_id"] for o in report["overlaps"]}


def overlap_with(report: dict[str, Any], external_id: str) -> dict[str, Any]:
    return next(o for o in report["overlaps"] if o["article"]["external_id"] == external_id)


def stored_text(client: TestClient, article_id: int) -> str:
    response = client.get(f"{API}/articles/{article_id}")
    assert response.status_code == 200
    return response.json()["text"]


def count(client: TestClient) -> int:
    return client.get(f"{API}/articles").json()["count"]


def test_first_article_overlaps_nothing(seeded: dict[str, dict[str, Any]]) -> None:
    assert seeded["000"]["overlaps"] == []
    assert seeded["000"]["article"]["external_id"] == "seed-000"


def test_report_names_source_with_spans_into_both_texts(
    client: TestClient, seeded: dict[str, dict[str, Any]], seed_texts: dict[str, str]
) -> None:
    report = seeded["001"]
    overlap = overlap_with(report, "seed-000")
    assert overlap["kind"] in ("partial", "near_duplicate", "duplicate")
    assert overlap["article"]["id"] == seeded["000"]["article"]["id"]
    new_text = seed_texts["001"]
    old_text = stored_text(client, overlap["article"]["id"])
    assert old_text == seed_texts["000"]
    hits = [
        p
        for p in overlap["passages"]
        if PHRASE in new_text[p["new"]["start"] : p["new"]["end"]]
        and PHRASE in old_text[p["existing"]["start"] : p["existing"]["end"]]
    ]
    assert hits, overlap["passages"]
    starts = [p["new"]["start"] for p in overlap["passages"]]
    assert starts == sorted(starts)
    for p in overlap["passages"]:
        assert p["text"] == new_text[p["new"]["start"] : p["new"]["end"]]
        assert 0 <= p["existing"]["start"] < p["existing"]["end"] <= len(old_text)
        assert 0 < p["similarity"] <= 1
    assert 0 < overlap["containment"]["new"] <= 1 and 0 < overlap["containment"]["existing"] <= 1


def test_stories_do_not_cross(seeded: dict[str, dict[str, Any]]) -> None:
    assert "seed-003" in named(seeded["004"])
    assert not named(seeded["004"]) & {"seed-000", "seed-001", "seed-002"}
    assert named(seeded["003"]) == set()
    assert named(seeded["002"]) <= {"seed-000", "seed-001"}


def test_overlaps_most_shared_first(client: TestClient, seeded: dict[str, dict[str, Any]]) -> None:
    for stem in seeded:
        report = client.get(f"{API}/articles/{seeded[stem]['article']['id']}/overlaps").json()
        keys = [(max(o["containment"].values()), o["jaccard"]) for o in report["overlaps"]]
        assert keys == sorted(keys, reverse=True)


def test_stored_article_overlaps_seen_from_both_sides(client: TestClient, seeded: dict[str, dict[str, Any]]) -> None:
    first, second = seeded["000"]["article"]["id"], seeded["001"]["article"]["id"]
    report = client.get(f"{API}/articles/{first}/overlaps").json()
    assert report["article"]["id"] == first
    back = overlap_with(report, "seed-001")
    forth = overlap_with(seeded["001"], "seed-000")
    assert back["article"]["id"] == second
    assert back["containment"] == {"new": forth["containment"]["existing"], "existing": forth["containment"]["new"]}
    assert {(p["new"]["start"], p["existing"]["start"]) for p in back["passages"]} == {
        (p["existing"]["start"], p["new"]["start"]) for p in forth["passages"]
    }


def test_check_stores_nothing(
    client: TestClient, seeded: dict[str, dict[str, Any]], seed_texts: dict[str, str]
) -> None:
    before = client.get(f"{API}/articles?limit=500").json()
    text = seed_texts["001"].replace("Qu Xing", "Mr Qu")
    response = client.post(f"{API}/check", json={"text": text})
    assert response.status_code == 200
    report = response.json()
    assert "seed-000" in named(report)
    assert overlap_with(report, "seed-001")["kind"] in ("duplicate", "near_duplicate")
    assert report["text"] is None and report["extracted_from_html"] is False
    assert client.get(f"{API}/articles?limit=500").json() == before


def test_check_of_stored_text_is_a_duplicate(
    client: TestClient, seeded: dict[str, dict[str, Any]], seed_texts: dict[str, str]
) -> None:
    report = client.post(f"{API}/check", json={"text": seed_texts["003"]}).json()
    top = report["overlaps"][0]
    assert top["article"]["external_id"] == "seed-003"
    assert top["kind"] == "duplicate"
    assert report["content_hash"] == seeded["003"]["article"]["content_hash"]


def test_reuse_inside_a_long_stored_article_is_reported_where_it_is(client: TestClient) -> None:
    # a long candidate is screened on the passages the search hit before it is aligned whole (shingling.screen)
    parts = [read(p).strip() for p in sorted((FIXTURES / "quality" / "articles").glob("*.txt"))]
    long = "\n\n".join(parts)
    floods = read(FIXTURES / "quality" / "articles" / "floods-a.txt")
    start = long.index(floods.strip())
    stored = client.post(f"{API}/articles", json={"text": long, "external_id": "digest"})
    assert stored.status_code == 201 and len(long) > EngineConfig().screen_min_chars
    report = client.post(f"{API}/check", json={"text": floods}).json()
    assert named(report) == {"digest"}
    spans = overlap_with(report, "digest")["passages"]
    assert spans and all(start <= p["existing"]["start"] < p["existing"]["end"] <= start + len(floods.strip())
                         for p in spans)


def test_chinese_wire_copy_is_found_and_an_independent_report_is_not(client: TestClient) -> None:
    # Han characters are words of their own (shingling.normalise): the rewrite's copied and reworded paragraphs
    # are found in the stored wire story, the reporter's own story of the same quake is not linked
    wire = read(FIXTURES / "articles" / "zh-wire.txt")
    assert client.post(f"{API}/articles", json={"text": wire, "external_id": "zh-wire"}).status_code == 201
    report = client.post(f"{API}/check", json={"text": read(FIXTURES / "articles" / "zh-rewrite.txt")}).json()
    assert named(report) == {"zh-wire"}
    overlap = overlap_with(report, "zh-wire")
    assert overlap["containment"]["new"] > 0.6 and overlap["containment"]["existing"] > 0.6
    assert any("四川甘孜州泸定县发生6.8级地震" in wire[p["existing"]["start"] : p["existing"]["end"]]
               for p in overlap["passages"])
    own = client.post(f"{API}/check", json={"text": read(FIXTURES / "articles" / "zh-own.txt")}).json()
    assert own["overlaps"] == []


def test_repost_returns_existing_and_stores_nothing(
    client: TestClient, seeded: dict[str, dict[str, Any]], seed_texts: dict[str, str]
) -> None:
    same_text = client.post(f"{API}/articles", json={"text": seed_texts["001"], "external_id": "another-id"})
    assert same_text.status_code == 200
    existing = seeded["001"]["article"]["id"]
    assert same_text.json() == client.get(f"{API}/articles/{existing}/overlaps").json()
    assert same_text.json()["article"] == seeded["001"]["article"]
    other_text = {"text": "A different text entirely, with words.", "external_id": "seed-004"}
    same_id = client.post(f"{API}/articles", json=other_text)
    assert same_id.status_code == 200
    assert same_id.json()["article"] == seeded["004"]["article"]
    assert count(client) == 5


def test_get_and_list(client: TestClient, seeded: dict[str, dict[str, Any]], seed_texts: dict[str, str]) -> None:
    client.post(f"{API}/articles", json={"text": "Sheep graze on the hill above the old mill.", "source": "farm"})
    first = seeded["000"]["article"]
    detail = client.get(f"{API}/articles/{first['id']}").json()
    assert detail["text"] == seed_texts["000"]
    assert {k: detail[k] for k in first} == first
    page = client.get(f"{API}/articles", params={"limit": 2, "offset": 1}).json()
    assert page["count"] == 6
    assert [a["external_id"] for a in page["data"]] == ["seed-001", "seed-002"]
    assert "text" not in page["data"][0]
    farm = client.get(f"{API}/articles", params={"source": "farm"}).json()
    assert farm["count"] == 1 and farm["data"][0]["source"] == "farm"


def test_metadata_round_trips(client: TestClient) -> None:
    body = {
        "text": "The harbour master said the ferry would resume on Monday after the storm.",
        "external_id": "ferry-1",
        "url": "https://example.org/ferry",
        "source": "Harbour News",
        "title": "Ferry resumes",
        "published_at": "2024-03-01T09:30:00+01:00",
    }
    created = client.post(f"{API}/articles", json=body)
    assert created.status_code == 201
    assert created.json()["article"]["published_at"] == "2024-03-01T08:30:00Z"
    article = client.get(f"{API}/articles/{created.json()['article']['id']}").json()
    assert article["published_at"] == "2024-03-01T08:30:00Z"
    naive = client.post(f"{API}/articles", json={"text": "Naive times are UTC.", "published_at": "2024-03-01T09:30:00"})
    assert naive.json()["article"]["published_at"] == "2024-03-01T09:30:00Z"
    assert {k: article[k] for k in ("external_id", "url", "source", "title", "text")} == {
        k: body[k] for k in ("external_id", "url", "source", "title", "text")
    }
    assert article["content_hash"] and article["created_at"].endswith("Z")


def test_delete_removes_from_later_reports(
    client: TestClient, seeded: dict[str, dict[str, Any]], seed_texts: dict[str, str]
) -> None:
    gone = seeded["000"]["article"]["id"]
    assert client.delete(f"{API}/articles/{gone}").status_code == 204
    assert client.get(f"{API}/articles/{gone}").status_code == 404
    assert client.get(f"{API}/articles/{gone}/overlaps").status_code == 404
    assert client.delete(f"{API}/articles/{gone}").status_code == 404
    assert count(client) == 4
    assert "seed-000" not in named(client.post(f"{API}/check", json={"text": seed_texts["001"]}).json())
    second = seeded["001"]["article"]["id"]
    assert "seed-000" not in named(client.get(f"{API}/articles/{second}/overlaps").json())
    assert client.get("/readyz").json()["articles"] == 4
    again = client.post(f"{API}/articles", json={"text": seed_texts["000"], "external_id": "seed-000"})
    assert again.status_code == 201
    assert again.json()["article"]["id"] > max(r["article"]["id"] for r in seeded.values())


def test_restart_gives_identical_reports(open_client: OpenClient, seed_texts: dict[str, str]) -> None:
    def reports(client: TestClient) -> list[Any]:
        listing = client.get(f"{API}/articles?limit=500").json()
        stored = [client.get(f"{API}/articles/{a['id']}/overlaps").json() for a in listing["data"]]
        checked = [client.post(f"{API}/check", json={"text": t}).json() for t in seed_texts.values()]
        return [listing, stored, checked]

    with open_client() as client:
        post_seeds(client, seed_texts)
        client.delete(f"{API}/articles/3")
        before = reports(client)
    with open_client() as client:
        assert client.get("/readyz").json() == {"status": "ok", "detail": None, "articles": 4}
        assert reports(client) == before


def test_reports_do_not_depend_on_the_document_cache(open_client: OpenClient, seed_texts: dict[str, str]) -> None:
    """With no cache every check reads the candidates' texts again (one query for all of them)."""

    def checks(client: TestClient) -> list[Any]:
        return [client.post(f"{API}/check", json={"text": t}).json() for t in seed_texts.values()]

    with open_client() as client:
        post_seeds(client, seed_texts)
        cached = checks(client)
    with open_client(document_cache_size=0) as client:
        assert checks(client) == cached
        assert any(report["overlaps"] for report in cached)


def test_html_is_extracted_and_said_so(
    client: TestClient, seeded: dict[str, dict[str, Any]], seed_texts: dict[str, str]
) -> None:
    paragraphs = [p.strip() for p in seed_texts["001"].split("\n\n") if len(p.split()) > 8]
    page = (
        "<html><head><title>Copy</title></head><body><nav>Home | World | Sport</nav><article>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article><footer>All rights reserved</footer></body></html>"
    )
    checked = client.post(f"{API}/check", json={"html": page}).json()
    assert checked["extracted_from_html"] is True
    assert PHRASE in checked["text"] and "All rights reserved" not in checked["text"]
    assert "seed-000" in named(checked)
    for p in overlap_with(checked, "seed-000")["passages"]:
        assert p["text"] == checked["text"][p["new"]["start"] : p["new"]["end"]]
    created = client.post(f"{API}/articles", json={"html": page, "external_id": "html-copy"})
    assert created.status_code == 201
    article = client.get(f"{API}/articles/{created.json()['article']['id']}").json()
    assert article["extracted_from_html"] is True and article["text"] == checked["text"]


def test_health(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/readyz").status_code == 200


def test_what_start_up_made_is_kept_out_of_full_garbage_collections(open_client: OpenClient) -> None:
    # each full collection walked the index's and the imports' objects again, stopping every request for up to
    # 150 ms at a million passages: once loaded they are frozen (gc.freeze), and unfrozen when the app stops
    with open_client() as client:
        deadline = time.monotonic() + 30
        while gc.get_freeze_count() == 0 and time.monotonic() < deadline:
            time.sleep(0.01)  # the loader thread freezes just after it says the index is ready
        assert gc.get_freeze_count() > 0
        assert client.get("/readyz").status_code == 200
    assert gc.get_freeze_count() == 0


def test_openapi_operation_ids(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {
        "create_article",
        "check_article",
        "get_article",
        "list_articles",
        "delete_article",
        "replace_article",
        "get_article_overlaps",
    } <= ids


def test_text_is_kept_exactly(client: TestClient) -> None:
    """Offsets point into the stored text, so it must come back byte for byte: CRLF, NUL, accents, emoji."""
    text = "Ünïcode façade — Straße 😀\r\nSecond line with a\x00NUL and\ttab.\r\n\r\nThird paragraph here.  "
    created = client.post(f"{API}/articles", json={"text": text})
    assert created.status_code == 201
    assert client.get(f"{API}/articles/{created.json()['article']['id']}").json()["text"] == text


def test_storing_without_comparing_answers_no_overlaps_and_indexes_the_article(
    client: TestClient, seed_texts: dict[str, str]
) -> None:
    """`compare=false` (what `syndet ingest` posts): the article is stored and indexed, its report says null
    overlaps rather than an empty list, and an article posted later is compared with it."""
    first = client.post(f"{API}/articles", params={"compare": "false"},
                        json={"text": seed_texts["000"], "external_id": "seed-000", "source": "The Moscow Times"})
    assert first.status_code == 201 and first.json()["overlaps"] is None
    assert first.json()["article"]["external_id"] == "seed-000"
    second = client.post(f"{API}/articles", params={"compare": "false"}, json={"text": seed_texts["001"]})
    assert second.status_code == 201 and second.json()["overlaps"] is None  # it overlaps 000, but was not compared
    again = client.post(f"{API}/articles", params={"compare": "false"}, json={"text": seed_texts["000"]})
    assert again.status_code == 200 and again.json()["article"]["id"] == first.json()["article"]["id"]
    assert again.json()["overlaps"] is None
    later = client.post(f"{API}/articles", json={"text": seed_texts["002"]})
    assert later.status_code == 201 and named(later.json()) == {"seed-000", None}
    assert count(client) == 3
    wrong = client.post(f"{API}/articles", params={"compare": "perhaps"}, json={"text": seed_texts["003"]})
    assert wrong.status_code == 422 and "compare" in str(wrong.json()["detail"])
    assert count(client) == 3


def _index_agrees(client: TestClient) -> None:
    """The index holds exactly the stored articles' passages (what `syndet index verify` checks)."""
    detector = client.app.state.detector  # type: ignore[attr-defined]
    with detector.sessions() as session:
        found = verify(detector.index, session)
    assert found.ok, found.problems


def test_replacing_an_article_keeps_its_id_and_reindexes_its_new_text(
    client: TestClient, seeded: dict[str, dict[str, Any]], seed_texts: dict[str, str]
) -> None:
    """A corrected story: PUT gives the article the new text and metadata under the same id. Reports point into
    the new text, checks find it by the new text and no longer by the old, and the index agrees with the
    database."""
    target = seeded["003"]["article"]["id"]
    corrected = seed_texts["003"] + "\n\nCorrection: an earlier version of this story misstated the date of the talks."
    replaced = client.put(f"{API}/articles/{target}", json={"text": corrected, "source": "Desk B", "title": "Fixed"})
    assert replaced.status_code == 200, replaced.text
    article = replaced.json()["article"]
    assert article["id"] == target and article["external_id"] == "seed-003"  # an omitted external id is kept
    assert seeded["003"]["article"]["updated_at"] is None
    assert article["updated_at"] is not None and article["updated_at"] >= article["created_at"]
    assert client.get(f"{API}/articles/{target}").json()["updated_at"] == article["updated_at"]
    assert (article["source"], article["title"]) == ("Desk B", "Fixed")
    assert named(replaced.json()) == {"seed-004"}  # compared as the new text, excluding itself
    assert stored_text(client, target) == corrected
    assert count(client) == 5
    checked = overlap_with(client.post(f"{API}/check", json={"text": corrected}).json(), "seed-003")
    assert checked["kind"] == "duplicate"
    old = overlap_with(client.post(f"{API}/check", json={"text": seed_texts["003"]}).json(), "seed-003")
    assert old["containment"]["existing"] < checked["containment"]["existing"]  # the correction is not in it
    _index_agrees(client)

    # now a different story altogether: the old one's reuse is gone from every report
    swapped = client.put(f"{API}/articles/{target}", json={"text": seed_texts["000"] + "\n\nUpdated at noon."})
    assert swapped.status_code == 200
    assert "seed-003" not in named(client.post(f"{API}/check", json={"text": seed_texts["004"]}).json())
    assert "seed-003" in named(client.post(f"{API}/check", json={"text": seed_texts["001"]}).json())
    spans = overlap_with(client.get(f"{API}/articles/{seeded['001']['article']['id']}/overlaps").json(), "seed-003")
    text = stored_text(client, target)
    assert any(PHRASE in text[p["existing"]["start"] : p["existing"]["end"]] for p in spans["passages"])
    _index_agrees(client)


def test_replacing_with_the_same_text_changes_only_the_metadata(
    client: TestClient, seeded: dict[str, dict[str, Any]], seed_texts: dict[str, str]
) -> None:
    target = seeded["001"]["article"]["id"]
    same = client.put(f"{API}/articles/{target}", params={"compare": "false"},
                      json={"text": seed_texts["001"], "external_id": "independent-1", "source": "The Independent"})
    assert same.status_code == 200 and same.json()["overlaps"] is None
    assert same.json()["article"]["external_id"] == "independent-1"
    assert same.json()["article"]["content_hash"] == seeded["001"]["article"]["content_hash"]
    assert "independent-1" in named(client.post(f"{API}/check", json={"text": seed_texts["000"]}).json())
    listed = client.get(f"{API}/articles", params={"source": "The Independent"}).json()
    assert [a["id"] for a in listed["data"]] == [target]
    _index_agrees(client)


def test_a_refused_replacement_changes_nothing(
    client: TestClient, seeded: dict[str, dict[str, Any]], seed_texts: dict[str, str]
) -> None:
    """Another article's text or external id is a 409 naming it; an unknown id a 404; a bad body a 422. The
    stored article, its passages and the index stay as they were."""
    target, other = seeded["000"]["article"]["id"], seeded["002"]["article"]["id"]
    clash = client.put(f"{API}/articles/{target}", json={"text": seed_texts["002"]})
    assert clash.status_code == 409 and f"article {other} already has this text" in clash.json()["detail"]
    taken = client.put(f"{API}/articles/{target}", json={"text": "A new text here.", "external_id": "seed-002"})
    assert taken.status_code == 409 and "seed-002" in taken.json()["detail"]
    assert client.put(f"{API}/articles/999999", json={"text": "A new text here."}).status_code == 404
    for body in ({"text": ""}, {"text": "..."}, {}, {"text": "x", "html": "<p>x</p>"}, {"text": "x", "extra": 1}):
        bad = client.put(f"{API}/articles/{target}", json=body)
        assert bad.status_code == 422, (body, bad.text)
    assert client.put(f"{API}/articles/0", json={"text": "A new text here."}).status_code == 422
    assert stored_text(client, target) == seed_texts["000"]
    assert client.get(f"{API}/articles/{target}").json()["external_id"] == "seed-000"
    assert "seed-000" in named(client.post(f"{API}/check", json={"text": seed_texts["001"]}).json())
    assert count(client) == 5
    _index_agrees(client)


def test_a_replacement_the_database_fails_to_commit_leaves_the_old_article_indexed(
    client: TestClient, seeded: dict[str, dict[str, Any]], seed_texts: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old passages leave the index before the commit; when the database then fails (injected here: the
    connection drops as the rows are written), they are put back, and the client gets a 503."""
    target = seeded["003"]["article"]["id"]

    def lost_connection(*_: Any, **__: Any) -> None:
        raise OperationalError("UPDATE articles ...", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(repository, "replace_article", lost_connection)
    failed = client.put(f"{API}/articles/{target}", json={"text": seed_texts["003"] + "\n\nA late correction."})
    assert failed.status_code == 503, failed.text
    monkeypatch.undo()
    assert stored_text(client, target) == seed_texts["003"]
    assert overlap_with(client.post(f"{API}/check", json={"text": seed_texts["003"]}).json(), "seed-003")["kind"] == (
        "duplicate")
    _index_agrees(client)


def test_an_article_is_found_by_its_external_id(client: TestClient, seeded: dict[str, dict[str, Any]]) -> None:
    """A client that keeps its own ids finds the stored article (and so its id, for PUT or DELETE) by one."""
    found = client.get(f"{API}/articles", params={"external_id": "seed-002"}).json()
    assert found["count"] == 1 and [a["id"] for a in found["data"]] == [seeded["002"]["article"]["id"]]
    assert client.get(f"{API}/articles", params={"external_id": "nobody"}).json() == {"data": [], "count": 0}
    both = client.get(f"{API}/articles", params={"external_id": "seed-002", "source": "elsewhere"}).json()
    assert both["count"] == 0
    assert client.get(f"{API}/articles", params={"external_id": "x" * 513}).status_code == 422
