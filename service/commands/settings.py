"""The service settings as a command reads them: a bad SYNDET_* value is a message and exit 2, not a traceback."""

from __future__ import annotations

import typer
from pydantic import ValidationError
from rich.console import Console

from service.core.config import Settings

__all__ = ["settings_or_exit"]


def settings_or_exit(database_url: str | None = None) -> Settings:
    """`Settings()` from the environment (with `database_url` when given); exit 2 naming each bad variable."""
    try:
        return Settings() if database_url is None else Settings(database_url=database_url)
    except ValidationError as exc:
        console = Console(stderr=True, highlight=False)
        for error in exc.errors():
            name = "SYNDET_" + "_".join(str(part) for part in error["loc"]).upper()
            console.print(f"[red]syndet: error:[/red] {name}: {error['msg']} (got {error.get('input')!r})")
        raise typer.Exit(2) from None
