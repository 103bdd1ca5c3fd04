"""`syndet serve`: run the overlap service with uvicorn (one process: the index lives in memory)."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from service.core.config import Settings
from service.core.db import SchemaError
from service.main import create_app, open_database
from shingling import ParameterMismatchError

__all__ = ["serve"]


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port (0: any free port).")] = 8000,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar="SYNDET_DATABASE_URL",
            help="SQLAlchemy URL of the article store (default: sqlite:///syndet.db here).",
        ),
    ] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = True,
) -> None:
    """Serve the HTTP API (docs at /docs). Other settings come from SYNDET_* environment variables."""
    settings = Settings() if database_url is None else Settings(database_url=database_url)
    try:  # refuse a bad database here, with a message, rather than as a traceback from uvicorn's start-up
        engine, _ = open_database(settings)
        engine.dispose()
    except (ParameterMismatchError, SchemaError, SQLAlchemyError) as exc:
        Console(stderr=True).print(f"[red]error:[/red] cannot serve {settings.database_url}: {exc}")
        raise typer.Exit(1) from None
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, access_log=access_log)
