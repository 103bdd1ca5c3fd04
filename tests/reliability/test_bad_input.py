"""Hostile and malformed input: each answered with the right 4xx and a `detail` that says what is wrong,
and the stored corpus exactly as it was afterwards (issue 8's bad-input suite)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers import article
from tests.reliability.conftest import API, OpenClient, snapshot

WORDS = "The harbour master said the ferry would resume on Monday after the storm had passed."
JSON = {"content-type": "application/json"}
NO_WORDS = "has no words"


def raw(payload: Any) -> bytes:
    """JSON exactly as a client could send it (lone surrogates stay escaped, as `json.dumps` writes them)."""
    return json.dumps(payload).encode()


CASES = [
    # (id, body bytes, content type, status, what `detail` must say)
    ("empty-body", b"", "application/json", 422, "Field required"),
    ("empty-object", b"{}", "application/json", 422, "exactly one of `text` or `html`"),
    ("text-and-html", raw({"text": WORDS, "html": f"<p>{WORDS}</p>"}), "application/json", 422, "exactly one of"),
    ("only-whitespace", raw({"text": " \n\t\u00a0\u3000 \r\n "}), "application/json", 422, NO_WORDS),
    ("only-punctuation", raw({"text": "!!! ... -- ?? «» “” ;; ***"}), "application/json", 422, NO_WORDS),
    ("ten-mb-of-one-word", raw({"text": "word " * 2_000_000}), "application/json", 413, "SYNDET_MAX_ARTICLE_BYTES"),
    ("one-mb-paragraph", raw({"text": (WORDS + " ") * 12_000}), "application/json", 413, "SYNDET_MAX_ARTICLE_BYTES"),
    ("100k-tiny-paragraphs", raw({"text": "Ok.\n\n" * 100_000}), "application/json", 413, "SYNDET_MAX_PARAGRAPHS"),
    ("100k-one-line-paragraphs", raw({"text": "a\n" * 100_000}), "application/json", 413, "SYNDET_MAX_PARAGRAPHS"),
    ("raw-nul-bytes", b'{"text": "The harbour\x00master"}', "application/json", 422, "Invalid control character"),
    ("only-nul-characters", raw({"text": "\u0000" * 64}), "application/json", 422, NO_WORDS),
    ("lone-surrogate", raw({"text": f"{WORDS} \ud800 more"}), "application/json", 422, "unicode string"),
    ("invalid-utf8", b'{"text": "The harbour \xff\xfe master"}', "application/json", 400, "UTF-8"),
    ("latin1-encoded", '{"text": "café crème"}'.encode("latin-1"), "application/json", 400, "UTF-8"),
    ("only-zero-width", raw({"text": "\u200b\u200c\u200d\u2060\ufeff" * 20}), "application/json", 422, NO_WORDS),
    ("only-combining-marks", raw({"text": "\u0301\u0308\u0327 \u0301" * 20}), "application/json", 422, NO_WORDS),
    ("only-bidi-controls", raw({"text": "\u202e\u202b\u200f\u061f\u202c \u2067\u2069" * 10}), "application/json",
     422, NO_WORDS),
    ("deeply-nested-html", raw({"html": "<div>" * 100_000 + WORDS + "</div>" * 100_000}), "application/json",
     422, "no article text could be extracted"),
    ("html-only-scripts", raw({"html": "<html><head><script>var a = 'words words';</script><style>p{}</style>"
                                       "</head><body><script>document.write('x')</script></body></html>"}),
     "application/json", 422, "no article text could be extracted"),
    ("text-plain", WORDS.encode(), "text/plain", 415, "application/json"),
    ("form-encoded", b"text=hello+world", "application/x-www-form-urlencoded", 415, "application/json"),
    ("multipart", b"--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhi\r\n--b--\r\n",
     "multipart/form-data; boundary=b", 415, "application/json"),
    ("no-content-type", raw({"text": WORDS}), None, 415, "no Content-Type"),
    ("malformed-json", b'{"text": "unterminated', "application/json", 422, "JSON decode error"),
    ("trailing-garbage", raw({"text": WORDS}) + b" }", "application/json", 422, "JSON decode error"),
    ("json-array", raw([WORDS]), "application/json", 422, "valid dictionary"),
    ("json-string", raw(WORDS), "application/json", 422, "valid dictionary"),
    ("text-not-string", raw({"text": ["a", "b"]}), "application/json", 422, "valid string"),
    ("unknown-field", raw({"text": WORDS, "tags": ["x"]}), "application/json", 422, "Extra inputs are not permitted"),
    ("unknown-field-only", raw({"body": WORDS}), "application/json", 422, "Extra inputs are not permitted"),
    ("huge-external-id", raw({"text": WORDS, "external_id": "x" * 100_000}), "application/json", 422,
     "at most 512 characters"),
]


@pytest.fixture
def seeded(open_client: OpenClient) -> Iterator[TestClient]:
    with open_client() as client:
        for name in ("harbour", "orchard"):
            response = client.post(f"{API}/articles", json={"text": article(name), "external_id": name})
            assert response.status_code == 201, response.text
        yield client


def detail_text(response: Any) -> str:
    detail = response.json()["detail"]
    return detail if isinstance(detail, str) else " ".join(f"{e['loc']} {e['msg']}" for e in detail)


@pytest.mark.parametrize("endpoint", ["articles", "check"])
def test_each_bad_body_gets_the_right_4xx_and_changes_nothing(seeded: TestClient, endpoint: str) -> None:
    before = snapshot(seeded)
    failures = []
    for name, body, content_type, status, says in CASES:
        headers = {"content-type": content_type} if content_type else {}
        response = seeded.post(f"{API}/{endpoint}", content=body, headers=headers)
        detail = detail_text(response) if response.headers.get("content-type") == "application/json" else ""
        if response.status_code != status or says not in detail:
            failures.append(f"{name}: {response.status_code} {response.text[:200]}")
        elif isinstance(response.json()["detail"], list):  # validation errors never echo the input back
            assert all(set(error) == {"type", "loc", "msg"} for error in response.json()["detail"]), name
    assert not failures, "\n".join(failures)
    assert snapshot(seeded) == before


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/articles/0", 422, "greater than or equal to 1"),
        ("/articles/-1", 422, "greater than or equal to 1"),
        ("/articles/2147483648", 422, "less than or equal to 2147483647"),
        ("/articles/9223372036854775808", 422, "less than or equal to 2147483647"),
        ("/articles/" + "9" * 400, 422, "less than or equal to 2147483647"),
        ("/articles/2147483647", 404, "no article with id 2147483647"),
        ("/articles/1e3", 422, "valid integer"),
        ("/articles/%00", 422, "valid integer"),
        ("/articles/2147483648/overlaps", 422, "less than or equal to 2147483647"),
        ("/articles?offset=99999999999999999999", 422, "less than or equal to 2147483647"),
        ("/articles?offset=-5", 422, "greater than or equal to 0"),
        ("/articles?limit=100000", 422, "less than or equal to 500"),
    ],
)
def test_huge_negative_and_malformed_ids(seeded: TestClient, path: str, status: int, says: str) -> None:
    before = snapshot(seeded)
    for method in ("GET", "DELETE") if "?" not in path and not path.endswith("overlaps") else ("GET",):
        response = seeded.request(method, f"{API}{path}")
        assert response.status_code == status, (method, response.text)
        assert says in detail_text(response)
    assert snapshot(seeded) == before


def test_request_body_over_the_limit_is_refused_before_it_is_read(open_client: OpenClient) -> None:
    with open_client(max_body_bytes=64 * 1024) as client:
        response = client.post(f"{API}/articles", content=raw({"text": WORDS * 2000}), headers=JSON)
        assert response.status_code == 413 and "SYNDET_MAX_BODY_BYTES" in response.json()["detail"]
        assert snapshot(client)["listing"]["count"] == 0


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("قال وزير الخارجية إن المحادثات ستستأنف يوم الاثنين في جنيف بعد توقف قصير.", id="arabic-rtl"),
        pytest.param("\u202bשר החוץ אמר כי השיחות יתחדשו ביום שני בז'נבה\u202c after a pause.", id="hebrew-embedded"),
        pytest.param("Cafe\u0301 owners in Zu\u0308rich said the fe\u0301te would resume on Monday.", id="combining"),
        pytest.param("The harbour\u200b master said the fer\u00adry would\u200d resume on Monday.", id="zero-width"),
        pytest.param("The harbour\u0000 master said the ferry would resume on Monday.", id="nul-inside"),
        pytest.param("Emoji 🎉 and CJK 渡轮周一恢复 and Devanagari नौका सोमवार को फिर चलेगी.", id="mixed-scripts"),
    ],
)
def test_unusual_but_valid_text_is_stored_exactly(open_client: OpenClient, text: str) -> None:
    """Not everything strange is bad: real text in any script is stored and read back character for character."""
    with open_client() as client:
        created = client.post(f"{API}/articles", json={"text": text})
        assert created.status_code == 201, created.text
        stored = client.get(f"{API}/articles/{created.json()['article']['id']}").json()
        assert stored["text"] == text
        again = client.post(f"{API}/check", json={"text": text}).json()["overlaps"]
        assert [o["article"]["id"] for o in again] == [stored["id"]]
        assert all(p["text"] == text[p["new"]["start"] : p["new"]["end"]] for p in again[0]["passages"])
