"""The `syndet` command line: one typer app, one module per command under `service/commands/`."""

from __future__ import annotations

import typer

from service.commands import check, compare, db, index, ingest, keys, scan, serve

app = typer.Typer(
    name="syndet",
    help="Find which articles reuse which, and exactly where.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",  # a docstring's paragraphs wrap to the terminal (text between `backticks` as code)
)
app.command("scan")(scan.scan)
app.command("serve")(serve.serve)
app.command("check")(check.check)
app.command("compare")(compare.compare)
app.command("ingest")(ingest.ingest)
app.add_typer(db.app, name="db")
app.add_typer(index.app, name="index")
app.add_typer(keys.app, name="keys")

if __name__ == "__main__":  # pragma: no cover
    app()
