"""The /ui pages against the real server with the seeds stored: what each page must show, and bad input."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from service.api.security import create_key
from service.core.config import Settings
from service.main import create_app
from tests.helpers import article, seeds
from tests.ui.conftest import SEED_META, Live

PHRASE = "become a distraction in its foreign policy"


@pytest.fixture(scope="module")
def http(live: Live) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.base, timeout=60) as client:
        yield client


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[TestClient]:
    """An app of its own (for tests that store articles), with seeds 000 and 001 stored."""
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'fresh.db'}"))
    with TestClient(app) as client:
        assert app.state.detector.wait_ready(30)
        for stem in ("000", "001"):
            body = {"text": seeds()[stem], "external_id": f"seed-{stem}", **SEED_META[stem]}
            assert client.post("/api/v1/articles", json=body).status_code == 201
        yield client


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_pages_link_only_to_this_server(http: httpx.Client, live: Live) -> None:
    """No CDN, nothing fetched elsewhere: every script and style sheet is served under /ui/static."""
    page = http.get(f"/ui/pair/{live.ids['000']}/{live.ids['001']}").text
    assets = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', page)
    assert assets and all(a.startswith("/ui/static/") for a in assets)
    for asset in assets:
        response = http.get(asset)
        assert response.status_code == 200 and response.text
    assert http.get("/ui/static/secret.py").status_code == 404
    assert http.get("/ui/static/..%2Fmain.py").status_code == 404


def test_article_list_is_newest_first_and_searches_titles_and_filters_sources(http: httpx.Client) -> None:
    page = http.get("/ui/articles").text
    titles = [SEED_META[s]["title"] for s in ("001", "000")]
    assert "5 articles" in text_of(page)
    # dated ones by publication date (001 after 000); undated ones by when they were stored
    assert page.index(_html(titles[0])) < page.index(_html(titles[1]))
    found = text_of(http.get("/ui/articles", params={"q": "chinese DIPLOMAT"}).text)
    assert "2 articles match" in found and "Ukraine crisis" in found and "Supports Russia" not in found
    only = text_of(http.get("/ui/articles", params={"source": "The Independent"}).text)
    assert "1 article match" in only and "Ukraine crisis" in only and "Urges West" not in only
    assert "0 articles match" in text_of(http.get("/ui/articles", params={"q": "100%_"}).text)
    assert http.get("/ui/articles", params={"page": "x"}).status_code == 200


def _html(text: str) -> str:
    return text.replace("'", "&#39;")


def test_article_page_shows_metadata_credits_and_ranked_overlaps(http: httpx.Client, live: Live) -> None:
    page = http.get(f"/ui/articles/{live.ids['001']}").text
    words = text_of(page)
    assert "The Independent" in words and "seed-001" in words and "2015-02-27 17:42 UTC" in words
    # its attribution lines, with agency and kind
    assert "Reuters · additional reporting: “Additional reporting by Reuters”" in words
    assert "Agence France-Presse · picture credit" in words
    # overlaps ranked, with both containments, the kind and the wire label; 000 shares the most
    rows = re.findall(r"<tr>\s*<td class=\"num\">(\d+)</td>(.*?)</tr>", page, re.S)
    assert [n for n, _ in rows] == ["1", "2"]
    first = text_of(rows[0][1])
    assert "Chinese Diplomat Urges West" in first and "partial" in first and "probably Reuters" in first
    assert re.search(r"\d+% \d+% 0\.\d\d \d+", first)
    pair_link = f'href="/ui/pair/{live.ids["001"]}/{live.ids["000"]}"'
    assert pair_link in rows[0][1]


def test_pair_view_colours_each_passage_on_both_sides(http: httpx.Client, live: Live) -> None:
    page = http.get(f"/ui/pair/{live.ids['000']}/{live.ids['001']}").text
    count = int(re.search(r'data-count="(\d+)"', page).group(1))  # type: ignore[union-attr]
    assert count >= 2
    for n in range(count):
        # each passage shows in its own colour on both sides, and links to its counterpart
        a = re.search(rf'<a class="p c(\d)[^"]*" data-p="{n}"[^>]*id="a-p{n}" href="#b-p{n}">', page)
        b = re.search(rf'<a class="p c(\d)[^"]*" data-p="{n}"[^>]*id="b-p{n}" href="#a-p{n}">', page)
        assert a and b and a.group(1) == b.group(1) == str(n % 8)
    assert PHRASE in text_of(page)
    # the credit line of 001 is greyed, with the reason on hover
    assert '<span class="muted" title="additional reporting: Reuters">Additional reporting by Reuters</span>' in page
    assert "probably Reuters" in page


def test_unknown_or_bad_ids_are_404_pages_not_errors(http: httpx.Client, live: Live) -> None:
    for path in ("/ui/articles/99999", "/ui/articles/abc", "/ui/articles/-1", f"/ui/pair/{live.ids['000']}/99999"):
        response = http.get(path)
        assert response.status_code == 404, path
        assert "text/html" in response.headers["content-type"] and "No stored article" in response.text
    same = http.get(f"/ui/pair/{live.ids['000']}/{live.ids['000']}")
    assert same.status_code == 422 and "two different articles" in same.text


def test_check_shows_overlaps_side_by_side_and_stores_nothing(fresh: TestClient) -> None:
    text = seeds()["001"]
    response = fresh.post("/ui/check", data={"text": text, "title": "pasted copy"})
    assert response.status_code == 200
    page = response.text
    assert "checked, not stored" in page and "Chinese Diplomat Urges West" in page
    assert 'id="v0-a-p0" href="#v0-b-p0"' in page and 'id="v0-b-p0" href="#v0-a-p0"' in page
    assert PHRASE in text_of(page)
    assert fresh.get("/api/v1/articles").json()["count"] == 2


def test_check_can_store_and_then_shows_the_article(fresh: TestClient) -> None:
    response = fresh.post(
        "/ui/check", data={"text": seeds()["002"], "source": "Example Wire", "store": "true"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert fresh.get("/api/v1/articles").json()["count"] == 3
    page = fresh.get(response.headers["location"]).text
    assert "Example Wire" in page and "Overlaps" in page


def test_a_replaced_article_page_says_when_and_shows_the_new_text(fresh: TestClient) -> None:
    first = fresh.get("/api/v1/articles").json()["data"][0]
    assert "Replaced" not in text_of(fresh.get(f"/ui/articles/{first['id']}").text)
    corrected = seeds()["000"] + "\n\nCorrection: the diplomat spoke on Thursday."
    assert fresh.put(f"/api/v1/articles/{first['id']}", json={"text": corrected}).status_code == 200
    page = text_of(fresh.get(f"/ui/articles/{first['id']}").text)
    assert "Replaced" in page and "the diplomat spoke on Thursday" in page


def test_check_reads_an_uploaded_html_file(fresh: TestClient) -> None:
    body = "".join(f"<p>{p}</p>" for p in seeds()["001"].split("\n\n"))
    page = f"<html><head><title>t</title></head><body><nav>Home</nav><article>{body}</article></body></html>"
    response = fresh.post("/ui/check", files={"file": ("copy.html", page.encode(), "text/html")})
    assert response.status_code == 200
    assert "Chinese Diplomat Urges West" in response.text


@pytest.mark.parametrize(
    ("data", "files", "status", "message"),
    [
        ({"text": "   "}, None, 422, "Nothing to check"),
        ({"text": "...!"}, None, 422, "Nothing to compare"),
        ({"text": "words here"}, {"file": ("a.txt", b"more words", "text/plain")}, 422, "not both"),
        ({}, {"file": ("a.txt", b"\xff\xfe\x00bad", "text/plain")}, 422, "not UTF-8"),
        ({"text": "words", "url": "x" * 9000}, None, 422, "Not a valid article"),
        ({}, {"file": ("big.txt", b"word " * 300_000, "text/plain")}, 413, "larger than"),
    ],
)
def test_bad_input_reshows_the_form_with_what_to_fix(
    fresh: TestClient, data: dict[str, str], files: dict[str, tuple[str, bytes, str]] | None, status: int, message: str
) -> None:
    app_settings: Settings = fresh.app.state.settings  # type: ignore[attr-defined]
    app_settings.max_article_bytes = 1_000_000
    response = fresh.post("/ui/check", data=data, files=files)
    assert response.status_code == status, response.text[:500]
    assert message in response.text and '<form class="stack"' in response.text
    assert fresh.get("/api/v1/articles").json()["count"] == 2


def make_key(client: TestClient) -> str:
    """A new API key, seen by the server at once (its key ring re-reads keys on every request)."""
    state = client.app.state  # type: ignore[attr-defined]
    state.keys.ttl = 0
    with state.sessions() as session:
        _, key = create_key(session, "ui-test")
    return key


def test_storing_from_the_form_needs_a_key_once_keys_exist(fresh: TestClient) -> None:
    key = make_key(fresh)
    form = {"text": seeds()["002"], "store": "true"}
    refused = fresh.post("/ui/check", data=form, follow_redirects=False)
    assert refused.status_code == 401 and "An API key is needed to store" in refused.text
    wrong = fresh.post("/ui/check", data={**form, "api_key": "syndet_wrong"}, follow_redirects=False)
    assert wrong.status_code == 401 and "not active" in wrong.text
    assert fresh.get("/api/v1/articles").json()["count"] == 2
    stored = fresh.post("/ui/check", data={**form, "api_key": key}, follow_redirects=False)
    assert stored.status_code == 303
    assert fresh.get("/api/v1/articles", headers={"X-API-Key": key}).json()["count"] == 3
    # checking (a read) stays open
    assert fresh.post("/ui/check", data={"text": seeds()["002"]}).status_code == 200


def test_keyed_reads_close_the_browsing_pages_but_not_the_form(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'keyed.db'}", read_access="keyed"))
    with TestClient(app) as client:
        assert app.state.detector.wait_ready(30)
        key = make_key(client)
        for path in ("/ui/articles", "/ui/articles/1", "/ui/pair/1/2"):
            response = client.get(path)
            assert response.status_code == 401 and "API key" in response.text, path
        assert client.get("/ui").status_code == 200
        assert client.post("/ui/check", data={"text": seeds()["000"]}).status_code == 401
        assert client.post("/ui/check", data={"text": seeds()["000"], "api_key": key}).status_code == 200


def test_a_stored_url_becomes_a_link_only_when_it_is_http(fresh: TestClient) -> None:
    for n, url in enumerate(("javascript:alert(1)", "https://example.org/story")):
        body = {"text": seeds()["002"] + f"\n\nEdition {n}.", "external_id": f"u{n}", "url": url}
        article_id = fresh.post("/api/v1/articles", json=body).json()["article"]["id"]
        page = fresh.get(f"/ui/articles/{article_id}").text
        assert url in page
        assert ('href="javascript:' in page) is False
        assert (f'href="{url}"' in page) is url.startswith("https")


def test_site_boilerplate_is_greyed_on_the_pair_article_and_check_pages(tmp_path: Path) -> None:
    s = seeds()["001"]
    head = s[s.index("Your support helps us") : s.index("China has voiced its support")]
    tail = s[s.index("Join our commenting forum") :]
    orchard = article("orchard").split("\n\n")
    quoting = "\n\n".join([*orchard[:3], *article("harbour").split("\n\n")[3:6], *orchard[3:]])
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'site.db'}"))
    with TestClient(app) as client:
        assert app.state.detector.wait_ready(30)
        ids = [
            client.post("/api/v1/articles", json={"text": text, "source": "The Independent"}).json()["article"]["id"]
            for text in (s, f"{head}{article('harbour')}\n\n{tail}", f"{head}{quoting}\n\n{tail}")
        ]
        checked = {"text": f"{head}{article('orchard')}\n\n{tail}", "source": "The Independent"}
        pages = {
            "pair": client.get(f"/ui/pair/{ids[2]}/{ids[1]}").text,
            "article": client.get(f"/ui/articles/{ids[1]}").text,
            "check": client.post("/ui/check", data=checked).text,
        }
        for name, page in pages.items():
            for block in ("Your support helps us to tell the story", "Join our commenting forum"):
                greyed = f'class="[^"]*muted[^"]*" title="boilerplate[^"]*"[^>]*>{block}'
                assert re.search(greyed, page), (name, block)
        # the pair shares the three harbour paragraphs only; the boilerplate is not a passage
        assert int(re.search(r'data-count="(\d+)"', pages["pair"]).group(1)) == 1  # type: ignore[union-attr]
        assert "recurs in other articles of The Independent" in pages["article"]


def test_pair_page_shows_the_wire_label_and_the_wire_as_origin(tmp_path: Path) -> None:
    harbour = article("harbour")
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'wire.db'}"))
    with TestClient(app) as client:
        assert app.state.detector.wait_ready(30)
        copy = "\n\n".join(harbour.split("\n\n")[1:6])
        wire = {"text": copy, "source": "Reuters", "title": "Wire story", "wire": True}
        paper = {"text": harbour, "source": "The Coastal Gazette", "title": "Paper story"}
        a = client.post("/api/v1/articles", json=paper).json()["article"]["id"]
        b = client.post("/api/v1/articles", json=wire).json()["article"]["id"]
        words = text_of(client.get(f"/ui/pair/{a}/{b}").text)
        assert "Reuters copy" in words
        assert "likely origin: Wire story (the right text is wire copy)" in words
