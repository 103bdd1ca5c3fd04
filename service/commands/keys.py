"""`syndet keys create|list|revoke`: the API keys that writes (and optionally reads) need.

A key is printed once, on stdout, when it is created; only its hash is stored, so a lost key cannot be
shown again: revoke it and create another. A running server notices new and revoked keys within seconds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from service.api.security import create_key, describe, list_keys, revoke_key
from service.commands.settings import settings_or_exit
from service.core.db import make_engine, make_session_factory
from service.models import ApiKey

__all__ = ["app"]

app = typer.Typer(
    name="keys",
    help="Create, list and revoke the API keys that writes need (X-API-Key).",
    no_args_is_help=True,
    add_completion=False,
)

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="SYNDET_DATABASE_URL",
        help="SQLAlchemy URL of the article store (default: sqlite:///syndet.db here).",
    ),
]
err = Console(stderr=True)


@contextmanager
def _session(database_url: str | None) -> Iterator[Session]:
    """A session on the server's database; exits 1 with a message when it cannot be used."""
    settings = settings_or_exit(database_url)
    engine = make_engine(settings.database_url)
    try:
        if not inspect(engine).has_table(ApiKey.__tablename__):
            err.print(
                f"[red]syndet: error:[/red] {engine.url.render_as_string(hide_password=True)} has no API key table "
                "yet: run `syndet db upgrade` (or start `syndet serve` once) first"
            )
            raise typer.Exit(1)
        with make_session_factory(engine)() as session:
            yield session
    except SQLAlchemyError as exc:
        err.print(f"[red]syndet: error:[/red] cannot use {settings.database_url}: {type(exc).__name__}: {exc.args[0]}")
        raise typer.Exit(1) from None
    finally:
        engine.dispose()


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Who or what the key is for, e.g. 'wire-ingest'.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Make a new key and print it (once: only its hash is kept)."""
    name = name.strip()
    if not name or len(name) > ApiKey.NAME_MAX:
        err.print(f"[red]syndet: error:[/red] the name must be 1 to {ApiKey.NAME_MAX} characters")
        raise typer.Exit(2)
    with _session(database_url) as session:
        row, key = create_key(session, name)
    err.print(f"created API key {row.id} ({row.name}); send it as X-API-Key. It is shown only now:")
    typer.echo(key)


@app.command("list")
def list_(
    database_url: DatabaseUrl = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array instead of a table.")] = False,
) -> None:
    """Every key with its name, prefix and dates (never the key itself)."""
    with _session(database_url) as session:
        rows = [describe(row) for row in list_keys(session)]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        err.print("no API keys yet: writes are open to anyone who can reach the server")
        return
    table = Table("id", "name", "prefix", "created", "revoked")
    for row in rows:
        table.add_row(*(str(row[c]) if row[c] is not None else "" for c in ("id", "name", "prefix", "created_at")),
                      str(row["revoked_at"] or ""))
    Console().print(table)


@app.command("revoke")
def revoke(
    key_id: Annotated[int, typer.Argument(metavar="ID", help="The key's id (see `syndet keys list`).")],
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke a key: requests using it are refused (401) within seconds."""
    with _session(database_url) as session:
        row = revoke_key(session, key_id)
        if row is None:
            err.print(f"[red]syndet: error:[/red] no API key with id {key_id}")
            raise typer.Exit(1)
        left = len(list_keys(session, include_revoked=False))
    err.print(f"revoked API key {row.id} ({row.name}); {left} active key(s) left")
    if left == 0:
        err.print("[yellow]note:[/yellow] no active key left: nobody can write until a new key is made")
