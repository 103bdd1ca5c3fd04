"""SYNDET_WEAK_WORDS_FILE: a deployment's language's function words are no evidence of reuse in its checks."""

from __future__ import annotations

from service.core.config import Settings
from tests.helpers import ARTICLES, article
from tests.service.conftest import OpenClient

ROMANIAN = ARTICLES.parent / "wordlists" / "ro.txt"  # a language with no function words built in


def overlapping(client: object, text: str) -> list[str]:
    report = client.post("/api/v1/check", json={"text": text}).json()  # type: ignore[attr-defined]
    return [o["article"]["external_id"] for o in report["overlaps"]]


def test_a_server_takes_the_function_words_of_its_articles_language(open_client: OpenClient) -> None:
    with open_client() as client:
        for name in ("ro-bucharest-fire", "ro-bucharest-fire-retold"):
            assert client.post("/api/v1/articles", json={"text": article(name), "external_id": name}).status_code == 201
        assert "ro-bucharest-fire" in overlapping(client, article("ro-cluj-crash"))
    # the same store served with Romanian function words: the unrelated report of one kind is no longer linked,
    # the retold paragraph still is (alignment only: the stored signatures stay valid, nothing is re-signed)
    with open_client(weak_words_file=ROMANIAN) as client:
        assert overlapping(client, article("ro-cluj-crash")) == []
        assert "ro-bucharest-fire-retold" in overlapping(client, article("ro-bucharest-fire"))


def test_the_setting_adds_to_the_built_in_function_words() -> None:
    default = Settings().engine_config().weak_words
    romanian = Settings(weak_words_file=ROMANIAN).engine_config().weak_words
    assert default < romanian and {"pentru", "potrivit", "și"} <= romanian
