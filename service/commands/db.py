"""`syndet db`: the database schema (Alembic migrations shipped with the package)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from service.core.config import Settings
from service.core.db import SchemaError, current_revision, head_revision, make_engine, upgrade

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
    return database_url or Settings().database_url


def _fail(message: str) -> typer.Exit:
    Console(stderr=True, highlight=False).print(f"[red]error:[/red] {message}")
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
