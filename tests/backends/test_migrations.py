"""Schema migrations: a database made before migrations is adopted and converted without losing a byte."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from service.cli import app
from service.core.db import SchemaError, current_revision, head_revision, make_engine, require_current_schema, upgrade
from service.models import Base
from tests.backends.support import Backend

NUL_TEXT = "Ünïcode façade — Straße 😀\r\nSecond line with a\x00NUL.\r\n\r\nThird paragraph here.  "


def _legacy_database(path: Path) -> str:
    """A database as `create_all` made it before migrations: revision 0001's tables, no version table."""
    url = f"sqlite:///{path}"
    upgrade(url, "0001")
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE alembic_version")
        for n in (1, 2):
            db.execute(
                "INSERT INTO articles (text, extracted_from_html, content_hash, signature_params, created_at) "
                "VALUES (?, 0, ?, '{}', '2026-01-01 00:00:00')",
                (f"{NUL_TEXT} {n}", f"hash{n}"),
            )
            db.execute(
                "INSERT INTO passages (article_id, position, start, \"end\", signature) VALUES (?, 0, 0, 5, x'00ff')",
                (n,),
            )
        db.execute("DELETE FROM passages WHERE article_id = 2")
        db.execute("DELETE FROM articles WHERE id = 2")
    return url


def test_legacy_sqlite_database_is_adopted_and_converted(tmp_path: Path) -> None:
    url = _legacy_database(tmp_path / "legacy.db")
    assert upgrade(url) == ("0001", head_revision())
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT text FROM articles")).scalar_one() == f"{NUL_TEXT} 1".encode()
            assert connection.execute(text("SELECT count(*) FROM passages")).scalar_one() == 1
            connection.execute(
                text(
                    "INSERT INTO articles (text, extracted_from_html, content_hash, signature_params, created_at) "
                    "VALUES (x'41', 0, 'new', '{}', '2026-01-01 00:00:00')"
                )
            )
            new_id = connection.execute(text("SELECT max(id) FROM articles")).scalar_one()
        assert new_id == 3, "AUTOINCREMENT survived the table rebuild: a deleted id is never reused"
        _assert_schema_matches_models(engine)
    finally:
        engine.dispose()


def test_fresh_database_matches_models(any_backend: Backend) -> None:
    backend_db_url = any_backend.database_url
    assert upgrade(backend_db_url) == (None, head_revision())
    assert upgrade(backend_db_url) == (head_revision(), head_revision())
    engine = make_engine(backend_db_url)
    try:
        require_current_schema(engine)
        _assert_schema_matches_models(engine)
    finally:
        engine.dispose()


def _assert_schema_matches_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_outdated_schema_is_refused_with_what_to_run(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    engine = make_engine(url)
    try:
        with pytest.raises(SchemaError, match="syndet db upgrade"):
            require_current_schema(engine)
        assert current_revision(engine) == "0001"
    finally:
        engine.dispose()


def test_db_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    behind = runner.invoke(app, ["db", "current", "--database-url", url])
    assert behind.exit_code == 1 and "database: none" in behind.output
    done = runner.invoke(app, ["db", "upgrade", "--database-url", url])
    assert done.exit_code == 0 and f"to {head_revision()}" in done.output
    assert runner.invoke(app, ["db", "current", "--database-url", url]).exit_code == 0
    broken = runner.invoke(app, ["db", "upgrade", "--database-url", "postgresql+psycopg://nobody@127.0.0.1:1/x"])
    assert broken.exit_code == 1 and "Traceback" not in broken.output


def test_candidate_versions_are_read_from_the_index_on_sqlite(tmp_path: Path) -> None:
    # a check reads every candidate's content hash: on SQLite from the covering index of migration 0005, never
    # through the row (the text stands before the hash, so each read walked the text's overflow pages)
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from service import repository
    from service.models import Article

    url = f"sqlite:///{tmp_path / 'versions.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            for n in range(3):
                new = repository.NewArticle(text=f"{NUL_TEXT * 500} {n}", content_hash=f"hash{n}",
                                            extracted_from_html=False)
                repository.add_article(session, new, [(0, 5)], [b"\x00\xff"], "{}")
            session.commit()
            ids = sorted(session.scalars(select(Article.id)).all())
            assert repository.article_versions(session, [*ids, 999]) == {i: f"hash{n}" for n, i in enumerate(ids)}
            compiled = repository._VERSIONS_SQLITE.compile(engine)
            plan = session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + str(compiled).replace("(__[POSTCOMPILE_ids])", "(1, 2)")
            ).fetchall()
        assert any("COVERING INDEX ix_articles_id_content_hash" in row[-1] for row in plan)
    finally:
        engine.dispose()
