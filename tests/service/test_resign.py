"""`syndet db resign`: a database signed with other engine parameters is re-signed from its stored texts."""

from __future__ import annotations

from sqlalchemy import select, update
from typer.testing import CliRunner

from service.cli import app
from service.core.db import make_engine, make_session_factory
from service.detection import canonical_params
from service.models import Article, Passage
from shingling import EngineConfig, prepare
from tests.backends.support import Backend
from tests.service.conftest import PHRASE, OpenClient

API = "/api/v1"


def _resign(backend: Backend, *args: str) -> tuple[int, str]:
    result = CliRunner(env={"COLUMNS": "300"}).invoke(
        app, ["db", "resign", "--database-url", backend.database_url, *args], env=backend.env
    )
    return result.exit_code, result.output


def test_a_database_signed_with_other_parameters_is_resigned_and_served(
    open_client: OpenClient, backend: Backend, seed_texts: dict[str, str]
) -> None:
    with open_client(num_perm=64) as client:
        ids = {
            stem: client.post(f"{API}/articles", json={"text": seed_texts[stem], "source": f"paper {stem}"}).json()[
                "article"
            ]["id"]
            for stem in ("000", "001", "003")
        }
    code, output = _resign(backend)
    assert code == 0, output
    assert "re-signed 3 article(s)" in output and "Traceback" not in output

    engine = make_engine(backend.database_url)
    try:
        with make_session_factory(engine)() as session:
            params = set(session.scalars(select(Article.signature_params)).all())
            assert params == {canonical_params(EngineConfig())}
            stored = session.scalars(select(Passage).where(Passage.article_id == ids["001"])).all()
            assert [(p.start, p.end) for p in stored] == [(p.start, p.end) for p in prepare(seed_texts["001"]).passages]
    finally:
        engine.dispose()

    with open_client() as client:  # default parameters: served, and 001 still names 000 with the quote
        report = client.get(f"{API}/articles/{ids['001']}/overlaps").json()
        found = [o for o in report["overlaps"] if o["article"]["id"] == ids["000"]]
        assert found and any(PHRASE in p["text"] for p in found[0]["passages"])
        assert all(o["article"]["id"] != ids["003"] for o in report["overlaps"])
    code, output = _resign(backend)
    assert code == 0 and "re-signed 0 article(s)" in output  # nothing left to do


def test_an_article_without_words_stops_the_run_unless_deletion_is_asked(
    open_client: OpenClient, backend: Backend, seed_texts: dict[str, str]
) -> None:
    with open_client() as client:
        kept = client.post(f"{API}/articles", json={"text": seed_texts["000"]}).json()["article"]["id"]
        empty = client.post(f"{API}/articles", json={"text": seed_texts["003"]}).json()["article"]["id"]
    engine = make_engine(backend.database_url)
    try:  # as an older normaliser stored them: other parameters, and a text that is now no words at all
        with make_session_factory(engine)() as session:
            session.execute(update(Article).values(signature_params='{"normaliser_version":"2"}'))
            article = session.get(Article, empty)
            assert article is not None
            article.text = "\u0301 \u200d \u0301"
            session.commit()
    finally:
        engine.dispose()
    code, output = _resign(backend)
    assert code == 1 and f"ids {empty}" in output and "--delete-unsignable" in output and "Traceback" not in output
    assert "re-signed 1 article(s)" in output  # the others were done, each in its own transaction
    code, output = _resign(backend, "--delete-unsignable")
    assert code == 0, output
    assert f"deleted 1 article(s) without words: ids {empty}" in output and "re-signed 0 article(s)" in output
    with open_client() as client:
        assert client.get(f"{API}/articles/{empty}").status_code == 404
        assert client.get(f"{API}/articles/{kept}").status_code == 200
