"""`syndet check FILE`: ask a running syndet server which stored articles a file overlaps."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from service.dates import parse_date
from service.detection import content_hash

__all__ = ["api_headers", "check", "error_detail"]

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SNIPPET = 100
COLUMNS = ("id", "article", "source", "kind", "this", "stored", "passages", "wire", "origin")
"""`this` and `stored`: the share of each article's words in the shared passages (the JSON has the Jaccard too)."""
ORIGIN = {"new": "this", "existing": "stored", None: "?"}


def check(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="Article to check: .html/.htm as HTML, else text."
        ),
    ],
    server: Annotated[str, typer.Option(help="Base URL of a running `syndet serve`.")] = "http://127.0.0.1:8000",
    api_key: Annotated[
        str | None,
        typer.Option(envvar="SYNDET_API_KEY", help="API key (X-API-Key): --store needs a write key once the server "
                     "has keys, and checks need one where reads are keyed."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the server's JSON report instead of a table.")] = False,
    store: Annotated[bool, typer.Option("--store", help="Also store the article (POST /api/v1/articles).")] = False,
    external_id: Annotated[str | None, typer.Option(help="External id to store the article under.")] = None,
    url: Annotated[str | None, typer.Option(help="URL of the article, stored as metadata.")] = None,
    source: Annotated[str | None, typer.Option(help="Source (publisher) of the article.")] = None,
    title: Annotated[str | None, typer.Option(help="Title of the article.")] = None,
    published_at: Annotated[
        str | None, typer.Option(help="ISO 8601 publication time (direction, --within-days).")
    ] = None,
    wire: Annotated[
        bool | None, typer.Option("--wire/--not-wire", help="The article is (not) wire copy; default: from --source.")
    ] = None,
    agency: Annotated[str | None, typer.Option(help="The wire agency whose copy this is, e.g. Reuters.")] = None,
    within_days: Annotated[
        float | None, typer.Option(min=0, help="Compare only with articles published within N days of this one.")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Also list matches not counted (boilerplate, credit lines).")
    ] = False,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds to wait for the server.")] = 60.0,
) -> None:
    """Report which stored articles FILE shares passages with, and where (nothing is stored without --store).

    Source, date and wire options count for the check too: the source's boilerplate is not reuse, and the
    wire label and the likely origin of each overlap are read from them.
    """
    err = Console(stderr=True)
    try:
        with open(file, encoding="utf-8", newline="") as handle:
            content = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"[red]syndet: error:[/red] cannot read {file}: {exc}")
        raise typer.Exit(2) from None
    body: dict[str, Any] = {"html" if file.suffix.lower() in HTML_SUFFIXES else "text": content}
    metadata = {
        "external_id": external_id, "url": url, "source": source, "title": title, "published_at": published_at,
        "wire": wire, "agency": agency,
    }
    body.update({name: value for name, value in metadata.items() if value is not None})
    params: dict[str, Any] = {}
    if within_days is not None:
        params["within_days"] = within_days
    if explain:
        params["explain"] = "true"

    endpoint = f"{server.rstrip('/')}/api/v1/{'articles' if store else 'check'}"
    try:
        response = httpx.post(endpoint, json=body, params=params, headers=api_headers(api_key), timeout=timeout)
    except httpx.TimeoutException:
        err.print(f"[red]syndet: error:[/red] {server} did not answer within {timeout:g}s")
        raise typer.Exit(2) from None
    except httpx.HTTPError as exc:
        err.print(
            f"[red]syndet: error:[/red] cannot reach a syndet server at {server} ({exc}); is `syndet serve` running?"
        )
        raise typer.Exit(2) from None

    if response.status_code >= 400:
        refused = f"the server refused {file.name} ({response.status_code}): {error_detail(response)}"
        err.print(f"[red]syndet: error:[/red] {refused}")
        raise typer.Exit(1)
    try:
        report = response.json()
    except ValueError:
        err.print(
            f"[red]syndet: error:[/red] {endpoint} answered {response.status_code} with something that is not JSON"
        )
        raise typer.Exit(2) from None

    out = Console()
    if as_json:
        out.print_json(json.dumps(report))
        return
    _render(out, file, report, response.status_code, store)
    stored = report.get("article", {}) if store and response.status_code == 200 else {}
    replace = f"`syndet ingest --update`, or PUT /api/v1/articles/{stored.get('id')}, replaces it"
    if "text" in body and stored.get("content_hash") not in (None, content_hash(content)):
        out.print(f"Its stored text differs from {file.name} (same external id): the report above is of the stored "
                  f"text. {replace}.")
    elif changed := differing_metadata(stored, body):
        out.print(f"Its stored {', '.join(changed)} differ from what you gave and are kept: the report above reads "
                  f"the stored ones. {replace}.")


def differing_metadata(stored: dict[str, Any], body: dict[str, Any]) -> list[str]:
    """The metadata fields `body` gives that a stored article (as the API returns it) holds otherwise; dates are
    compared as the server reads them ("2015-02-27" is "2015-02-27T00:00:00Z"). Fields `body` leaves out are not
    compared: a replacement keeps them as stored."""
    changed = [name for name in ("url", "source", "title") if body.get(name) not in (None, stored.get(name))]
    when = body.get("published_at")
    if when is not None and _instant(stored.get("published_at")) != _instant(when):
        changed.append("published_at")
    return changed


def _instant(value: object) -> datetime | str | None:
    """A date-time as the server reads it (`service.dates.parse_date`); a value that does not parse, as written."""
    if not isinstance(value, str):
        return None
    return parse_date(value) or value


def api_headers(api_key: str | None) -> dict[str, str]:
    """The request headers that carry an API key, if one is given."""
    return {"X-API-Key": api_key} if api_key else {}


def error_detail(response: httpx.Response) -> str:
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
        table.add_column(
            column,
            justify="right" if column in ("id", "this", "stored", "passages") else "left",
            min_width=8 if column in ("passages", "wire") else None,
        )
    for overlap in overlaps:
        stored = overlap["article"]
        table.add_row(
            str(stored["id"]),
            stored.get("title") or stored.get("external_id") or stored.get("url") or "",
            stored.get("source") or "",
            overlap["kind"],
            f"{overlap['containment']['new']:.0%}",
            f"{overlap['containment']['existing']:.0%}",
            str(len(overlap["passages"])),
            _wire_label(overlap.get("syndication") or {}),
            ORIGIN.get((overlap.get("syndication") or {}).get("origin"), "?"),
        )
    out.print(table)
    credits = report.get("attributions", report.get("article", {}).get("attributions", []))
    if credits:
        out.print("Credit lines in this article: " + "; ".join(
            f"{c['text']!r} ({c['kind']}{', ' + c['agency'] if c.get('agency') else ''})" for c in credits
        ))
    for overlap in overlaps:
        out.print(f"\n[bold]Shared with article {overlap['article']['id']}[/bold]")
        for passage in overlap["passages"]:
            new, old = passage["new"], passage["existing"]
            line = Text(f"  [{new['start']}:{new['end']}] ~ [{old['start']}:{old['end']}] ", style="dim")
            line.append(f"{passage['similarity']:.2f} ", style="cyan")
            line.append(_snippet(passage["text"]))
            out.print(line)
        syndication = overlap.get("syndication") or {}
        if syndication.get("reason"):
            origin = ORIGIN.get(syndication.get("origin"), "?")
            out.print(Text(f"  origin: {origin} ({syndication['reason']})", style="dim"))
        for ignored in overlap.get("ignored") or []:
            new, old = ignored["new"], ignored["existing"]
            out.print(Text(f"  not counted ({ignored['reason']}): [{new['start']}:{new['end']}] ~ "
                           f"[{old['start']}:{old['end']}]", style="dim"))


def _wire_label(syndication: dict[str, Any]) -> str:
    """"reuters" for wire-derived passages, "reuters?" when only probably so, "" when no wire is involved."""
    label = syndication.get("wire") or {}
    if not label:
        return ""
    agency = label.get("agency") or "wire"
    return agency if label.get("status") == "wire_derived" else f"{agency}?"


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET else flat[: SNIPPET - 1] + "…"
