"""`syndet serve`: run the overlap service with uvicorn; several workers need the shared (Redis) index."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from service.api.security import KeyRing
from service.commands.settings import settings_or_exit
from service.core.db import SchemaError
from service.core.logging import logging_config
from service.index_backend import IndexUnavailableError
from service.main import create_app, open_database
from shingling import ParameterMismatchError

__all__ = ["serve"]

WORKER_HEALTHCHECK_SECONDS = 60
"""A spawned worker first re-imports the whole CLI (numpy, trafilatura, ...): uvicorn's 5 s default kills
it before it can answer on a busy machine."""


def serve(
    host: Annotated[str, typer.Option(envvar="SYNDET_HOST", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(min=0, max=65535, envvar="SYNDET_PORT", help="TCP port (0: any free port).")
    ] = 8000,
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
    workers: Annotated[
        int,
        typer.Option(
            min=1, envvar="SYNDET_WORKERS", help="Worker processes (more than 1 needs SYNDET_INDEX_BACKEND=redis)."
        ),
    ] = 1,
) -> None:
    """Serve the HTTP API (docs at /docs). Other settings come from SYNDET_* environment variables."""
    settings = settings_or_exit(database_url)
    console = Console(stderr=True)
    if workers > 1 and settings.index_backend != "redis":
        console.print(
            f"[red]syndet: error:[/red] --workers {workers} needs the shared index: each worker would hold its own "
            "in-process index and miss the others' articles. Set SYNDET_INDEX_BACKEND=redis (and "
            "SYNDET_REDIS_URL), or serve with one worker."
        )
        raise typer.Exit(2)
    try:  # refuse a bad database here, with a message, rather than as a traceback from uvicorn's start-up
        engine, detector = open_database(settings)  # also applies migrations once, before any worker starts
        try:
            detector.index.ping()
            keyed = KeyRing(detector.sessions).configured()
        finally:
            detector.index.close()
            engine.dispose()
    except (ParameterMismatchError, SchemaError, SQLAlchemyError, IndexUnavailableError) as exc:
        console.print(f"[red]syndet: error:[/red] cannot serve {settings.database_url}: {exc}")
        raise typer.Exit(1) from None
    if not keyed:
        console.print(open_writes_warning(host))
    log_config = logging_config(log_level, json_lines=settings.log_format == "json")
    if not access_log:  # requests are logged by the app (service.core.logging), not by uvicorn
        log_config["loggers"]["syndet.access"] = {"level": "WARNING"}
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_config=log_config, access_log=False)
        return
    if database_url is not None:  # workers build their own app from the environment
        os.environ["SYNDET_DATABASE_URL"] = database_url
    uvicorn.run(
        "service.main:create_app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_config=log_config,
        access_log=False,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )


def open_writes_warning(host: str) -> str:
    """The start-up banner while no API key exists: louder when the server listens beyond this machine."""
    local = host in ("127.0.0.1", "localhost", "::1")
    where = "any process on this machine" if local else f"ANYONE WHO CAN REACH {host}"
    return (
        f"[bold red]WARNING: no API key exists, so writes are OPEN: {where} can store and delete articles.[/]\n"
        "[red]Make a key with `syndet keys create NAME` (send it as X-API-Key); from then on writes need one.[/]"
    )
