"""`syndet db`: the database schema (Alembic migrations shipped with the package)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from service import repository
from service.batch.progress import Feedback
from service.commands.settings import settings_or_exit
from service.core.db import (
    SchemaError,
    current_revision,
    head_revision,
    make_engine,
    make_session_factory,
    require_current_schema,
    upgrade,
)
from service.detection import canonical_params, passage_rows
from service.syndication import document_lines
from shingling import EmptyDocumentError, prepare

__all__ = ["app"]

app = typer.Typer(help="Database schema: apply migrations, show the revision.", no_args_is_help=True)

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="SYNDET_DATABASE_URL",
        help="SQLAlchemy URL of the article store (default: sqlite:///syndet.db here).",
    ),
]


def _url(database_url: str | None) -> str:
    return database_url or settings_or_exit().database_url


def _fail(message: str) -> typer.Exit:
    Console(stderr=True, highlight=False).print(f"[red]syndet: error:[/red] {message}")
    return typer.Exit(1)


@app.command("upgrade")
def upgrade_command(
    database_url: DatabaseUrl = None,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Apply pending migrations (creates the schema in an empty database)."""
    try:
        before, after = upgrade(_url(database_url), revision)
    except (SchemaError, SQLAlchemyError) as exc:
        raise _fail(str(exc)) from None
    if before == after:
        typer.echo(f"database already at revision {after}")
    else:
        typer.echo(f"database upgraded from {before or 'empty'} to {after}")


@app.command("current")
def current_command(database_url: DatabaseUrl = None) -> None:
    """Print the database's schema revision and the newest this syndet knows; exit 1 when they differ."""
    engine = make_engine(_url(database_url))
    try:
        current = current_revision(engine)
    except SQLAlchemyError as exc:
        raise _fail(f"cannot read the schema revision: {exc}") from None
    finally:
        engine.dispose()
    head = head_revision()
    typer.echo(f"database: {current or 'none'}\nsyndet:   {head}")
    if current != head:
        raise typer.Exit(1)


@app.command("resign")
def resign_command(
    database_url: DatabaseUrl = None,
    delete_unsignable: Annotated[
        bool,
        typer.Option(help="Delete the articles that have no words under these parameters (the service would "
                     "refuse them now) instead of stopping."),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary, errors only.")] = False,
) -> None:
    """Re-make, from the stored texts, the passages and signatures of every article signed with other engine
    parameters than this syndet's (after an upgrade that changed them, or other SYNDET_NUM_PERM, SYNDET_SEED,
    SYNDET_SHINGLE_SIZE). Nothing is lost: each article is re-signed in one transaction, and an interrupted run
    goes on where it stopped. Run it with the service stopped; the index is rebuilt when the service starts."""
    feedback = Feedback(quiet=quiet)
    settings = settings_or_exit(database_url)
    engine = make_engine(settings.database_url)
    try:
        require_current_schema(engine)
        config = settings.engine_config()
        params = canonical_params(config)
        sessions = make_session_factory(engine)
        with sessions() as session:
            ids = repository.ids_signed_otherwise(session, params)
        unsignable: list[int] = []
        for article_id in feedback.track(ids, total=len(ids), description="re-signing"):
            with sessions() as session:
                article = repository.get_article(session, article_id, with_text=True)
                if article is None:
                    continue  # deleted meanwhile
                try:
                    doc = prepare(article.text, config)
                except EmptyDocumentError:
                    unsignable.append(article_id)
                    if delete_unsignable:
                        repository.delete_article(session, article_id)
                        session.commit()
                    continue
                spans, signatures = passage_rows(doc)
                repository.replace_signatures(session, article, spans, signatures, params, document_lines(doc))
                session.commit()
    except (SchemaError, SQLAlchemyError) as exc:
        raise _fail(str(exc)) from None
    finally:
        engine.dispose()
    if unsignable and delete_unsignable:
        feedback.note(f"deleted {len(unsignable)} article(s) without words: ids {', '.join(map(str, unsignable))}")
    elif unsignable:
        raise _fail(
            f"re-signed {len(ids) - len(unsignable)} article(s), but {len(unsignable)} have no words under these "
            "parameters and were left as they were "
            f"(ids {', '.join(map(str, unsignable[:20]))}{' ...' if len(unsignable) > 20 else ''}); run again "
            "with --delete-unsignable to delete them (the service would refuse them now)"
        )
    feedback.note(
        f"re-signed {len(ids) - len(unsignable)} article(s); the index is rebuilt when the service starts"
    )
