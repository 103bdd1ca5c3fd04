"""`syndet check FILE`: ask a running syndet server which stored articles a file overlaps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

__all__ = ["check"]

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SNIPPET = 100
COLUMNS = ("id", "article", "source", "kind", "in this", "in stored", "jaccard", "passages")


def check(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="Article to check: .html/.htm as HTML, else text."
        ),
    ],
    server: Annotated[str, typer.Option(help="Base URL of a running `syndet serve`.")] = "http://127.0.0.1:8000",
    as_json: Annotated[bool, typer.Option("--json", help="Print the server's JSON report instead of a table.")] = False,
    store: Annotated[bool, typer.Option("--store", help="Also store the article (POST /api/v1/articles).")] = False,
    external_id: Annotated[str | None, typer.Option(help="External id to store the article under.")] = None,
    url: Annotated[str | None, typer.Option(help="URL of the article, stored as metadata.")] = None,
    source: Annotated[str | None, typer.Option(help="Source (publisher) of the article.")] = None,
    title: Annotated[str | None, typer.Option(help="Title of the article.")] = None,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds to wait for the server.")] = 60.0,
) -> None:
    """Report which stored articles FILE shares passages with, and where (nothing is stored without --store)."""
    err = Console(stderr=True)
    try:
        with open(file, encoding="utf-8", newline="") as handle:
            content = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"[red]error:[/red] cannot read {file}: {exc}")
        raise typer.Exit(2) from None
    body: dict[str, Any] = {"html" if file.suffix.lower() in HTML_SUFFIXES else "text": content}
    for name, value in (("external_id", external_id), ("url", url), ("source", source), ("title", title)):
        if value is not None:
            body[name] = value
    if not store and any(value is not None for value in (external_id, url, source, title)):
        err.print("[yellow]note:[/yellow] metadata options only matter with --store")
        body = {k: v for k, v in body.items() if k in ("text", "html")}

    endpoint = f"{server.rstrip('/')}/api/v1/{'articles' if store else 'check'}"
    try:
        response = httpx.post(endpoint, json=body, timeout=timeout)
    except httpx.TimeoutException:
        err.print(f"[red]error:[/red] {server} did not answer within {timeout:g}s")
        raise typer.Exit(2) from None
    except httpx.HTTPError as exc:
        err.print(f"[red]error:[/red] cannot reach a syndet server at {server} ({exc}); is `syndet serve` running?")
        raise typer.Exit(2) from None

    if response.status_code >= 400:
        err.print(f"[red]error:[/red] the server refused {file.name} ({response.status_code}): {_detail(response)}")
        raise typer.Exit(1)
    try:
        report = response.json()
    except ValueError:
        err.print(f"[red]error:[/red] {endpoint} answered {response.status_code} with something that is not JSON")
        raise typer.Exit(2) from None

    out = Console()
    if as_json:
        out.print_json(json.dumps(report))
        return
    _render(out, file, report, response.status_code, store)


def _detail(response: httpx.Response) -> str:
    """The `detail` of an error response, with validation errors flattened to `field: message`."""
    try:
        detail = response.json().get("detail", response.text)
    except (ValueError, AttributeError):
        return response.text.strip() or response.reason_phrase
    if isinstance(detail, list):
        return "; ".join(
            f"{'.'.join(str(p) for p in item.get('loc', []) if p != 'body') or 'body'}: {item.get('msg')}"
            for item in detail
            if isinstance(item, dict)
        )
    return str(detail)


def _render(out: Console, file: Path, report: dict[str, Any], status: int, store: bool) -> None:
    if store:
        article = report["article"]
        verb = "stored as" if status == 201 else "already stored as"
        out.print(f"[bold]{file.name}[/bold] {verb} article [bold]{article['id']}[/bold]")
    else:
        out.print(f"[bold]{file.name}[/bold] checked (not stored)")
    overlaps = report.get("overlaps", [])
    if not overlaps:
        out.print("No overlaps with stored articles.")
        return
    table = Table(title=f"Overlaps with {len(overlaps)} stored article(s)", title_justify="left")
    for column in COLUMNS:
        table.add_column(column, justify="left" if column in ("article", "source", "kind") else "right")
    for overlap in overlaps:
        stored = overlap["article"]
        table.add_row(
            str(stored["id"]),
            stored.get("title") or stored.get("external_id") or stored.get("url") or "",
            stored.get("source") or "",
            overlap["kind"],
            f"{overlap['containment']['new']:.0%}",
            f"{overlap['containment']['existing']:.0%}",
            f"{overlap['jaccard']:.2f}",
            str(len(overlap["passages"])),
        )
    out.print(table)
    for overlap in overlaps:
        out.print(f"\n[bold]Shared with article {overlap['article']['id']}[/bold]")
        for passage in overlap["passages"]:
            new, old = passage["new"], passage["existing"]
            line = Text(f"  [{new['start']}:{new['end']}] ~ [{old['start']}:{old['end']}] ", style="dim")
            line.append(f"{passage['similarity']:.2f} ", style="cyan")
            line.append(_snippet(passage["text"]))
            out.print(line)


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET else flat[: SNIPPET - 1] + "…"
