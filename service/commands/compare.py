"""`syndet compare A B`: two articles side by side, without a server or a folder: the shared passages, how much
of each they hold, and how much of each one's wording comes from the other even where no passage survived."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from service import wires
from service.batch.progress import Feedback
from service.batch.readers import Article, read_file
from service.batch.report import document_entry
from service.batch.syndication import credit_fields, file_article_info, pair_label
from service.batch.walk import SUFFIXES, FoundFile
from service.commands.scan import DEFAULT_MAX_BYTES, WeakWordsOption, engine_config
from service.syndication import attribution_marks
from shingling import Comparison, Document, ShinglingError, WireRegistry, discount, prepare
from shingling import compare as align
from shingling.attribution import Attribution, find_attributions
from shingling.derivation import measure

__all__ = ["compare"]

SNIPPET = 400
"""Characters of a passage shown in the table (the JSON gives the spans; `--full` shows whole passages)."""

SPEC_HELP = (
    "Article file (.txt .md .html .htm .json .jsonl); one record of a JSON file as FILE#ID (its `id`, or its number "
    "from 0 when it has none), as `syndet scan` names it."
)
First = Annotated[str, typer.Argument(metavar="A", help=SPEC_HELP, show_default=False)]
Second = Annotated[str, typer.Argument(metavar="B", help="The other article, read the same way.", show_default=False)]


class _Side:
    """One article of the pair: what was read, prepared and found in it."""

    def __init__(self, article: Article, doc: Document, credits: list[Attribution]) -> None:
        self.article = article
        self.doc = doc
        self.info = file_article_info(article.meta, credits)


def compare(
    first: First,
    second: Second,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
    full: Annotated[bool, typer.Option("--full", help="Show whole passages, not their first characters.")] = False,
    wires_file: Annotated[
        Path | None,
        typer.Option("--wires", exists=True, dir_okay=False, help="JSON file of more wire agencies (as for scan)."),
    ] = None,
    weak_words_file: WeakWordsOption = None,
) -> None:
    """Compare two articles: shared passages with their spans in both, containments, the kind of reuse, credit
    lines and the likely origin, and how much of each one's wording comes from the other (`derived`).

    `derived` reads a rewrite that kept few whole passages: the share of one text's content words inside a word
    pair the other also has. Under 15 % is `none` (independent reports of one event mostly stay below it), from
    35 % `wholly`. Exit status 2 when a file cannot be read or holds no article to compare.
    """
    feedback = Feedback(quiet=True)  # errors only, worded as the scan words them
    try:
        registry = wires.load(wires_file)
    except wires.WiresFileError as exc:
        feedback.error(str(exc))
        raise typer.Exit(2) from None
    config = engine_config(weak_words_file, feedback)
    sides = []
    for spec in (first, second):
        try:
            article = read_article(spec)
            sides.append(_Side(article, prepare(article.text, config), find_attributions(article.text, registry)))
        except (_Unusable, ShinglingError) as exc:
            feedback.error(f"{spec}: {exc}")
            raise typer.Exit(2) from None
    a, b = sides
    ignore_a, ignore_b = (attribution_marks(side.doc, side.info.attributions) for side in sides)
    found = discount(align(a.doc, b.doc), a.doc, b.doc, ignore_a, ignore_b)
    report = {
        "a": _document(a, registry),
        "b": _document(b, registry),
        **found.to_dict(),
        "syndication": pair_label(found, a.info, b.info, registry, (a.article.id, b.article.id)),
        "derived": {
            "a_from_b": measure(a.doc, b.doc).to_dict(),
            "b_from_a": measure(b.doc, a.doc).to_dict(),
        },
    }
    out = Console()
    if as_json:
        out.print_json(json.dumps(report))
        return
    _render(out, report, found, a, b, full)


class _Unusable(Exception):
    """A file argument that names no single readable article; the message says why."""


def read_article(spec: str) -> Article:
    """The one article `spec` names: a file, or FILE#ID for one record of a JSON or JSONL file."""
    path, record = Path(spec), None
    if not path.is_file() and "#" in spec:
        name, _, record = spec.rpartition("#")
        path = Path(name)
    if not path.exists():
        raise _Unusable("no such file")
    if not path.is_file():
        raise _Unusable("not a regular file")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise _Unusable(f"not an article file: the name must end in one of {', '.join(sorted(SUFFIXES))}")
    if record is not None and suffix not in (".json", ".jsonl"):
        raise _Unusable(f"#{record} names a record, and only .json and .jsonl files hold records")
    st = os.stat(path)
    read = read_file(FoundFile(path.name, str(path), st.st_size, st.st_dev, st.st_ino, DEFAULT_MAX_BYTES))
    if record is not None:
        wanted = f"{path.name}#{record}"
        chosen = [article for article in read.articles if article.id == wanted]
        if not chosen:
            why = next((s.reason for s in read.skipped if s.id == wanted), None)
            known = ", ".join(article.id for article in read.articles[:5]) + (", ..." if len(read.articles) > 5 else "")
            raise _Unusable(why or f"no record {record!r}" + (f" (records: {known})" if read.articles else ""))
        return chosen[0]
    if read.skipped and not read.articles:
        raise _Unusable(read.skipped[0].reason)
    if len(read.articles) != 1:
        known = ", ".join(article.id for article in read.articles[:3])
        raise _Unusable(f"holds {len(read.articles)} articles; name one as FILE#ID ({known}, ...)")
    return read.articles[0]


def _document(side: _Side, registry: WireRegistry) -> dict[str, Any]:
    entry = document_entry(side.article, words=len(side.doc.tokens), passages=len(side.doc.passages), with_text=False)
    entry.update(credit_fields(side.info, registry))
    return entry


def _render(out: Console, report: dict[str, Any], found: Comparison, a: _Side, b: _Side, full: bool) -> None:
    name_a, name_b = a.article.id, b.article.id
    if found.passages:
        out.print(f"[bold]{name_a}[/bold] and [bold]{name_b}[/bold] share {len(found.passages)} passage(s): "
                  f"[bold]{found.kind}[/bold]")
    else:
        out.print(f"[bold]{name_a}[/bold] and [bold]{name_b}[/bold] share no passage")
    figures = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for column in ("", "words", "in shared passages", "wording from the other (derived)"):
        figures.add_column(column, justify="left" if not column else "right")
    for side, key, name in ((a, "a_from_b", f"a: {name_a}"), (b, "b_from_a", f"b: {name_b}")):
        derived = report["derived"][key]
        share = found.containment_a if side is a else found.containment_b
        wording = f"{derived['coverage']:.0%} ({derived['label']})"
        figures.add_row(name, str(len(side.doc.tokens)), f"{share:.0%}", wording)
    out.print(figures)
    if found.passages:
        out.print(f"Jaccard {found.jaccard:.2f}")
    syndication = report["syndication"] or {}
    if syndication.get("reason"):
        out.print(f"origin: {syndication.get('origin') or '?'} ({syndication['reason']})")
    if syndication.get("wire"):
        out.print(f"wire: {syndication['wire']['agency'] or 'a wire'} ({syndication['wire']['status']})")
    for side, name in ((a, name_a), (b, name_b)):
        if side.info.attributions:
            out.print(f"credit lines in {name}: " + "; ".join(
                f"{c.text!r} ({c.kind}{', ' + c.agency if c.agency else ''})" for c in side.info.attributions))
    if not found.passages:
        return
    table = Table(show_lines=True, expand=True)
    table.add_column(name_a, ratio=1)
    table.add_column(name_b, ratio=1)
    table.add_column("similarity", justify="right", width=10)
    for passage in found.passages:
        table.add_row(
            _cell(a.doc.text, passage.a.start, passage.a.end, full),
            _cell(b.doc.text, passage.b.start, passage.b.end, full),
            f"{passage.similarity:.2f}",
        )
    out.print(table)


def _cell(text: str, start: int, end: int, full: bool) -> Text:
    cell = Text(f"[{start}:{end}] ", style="dim")
    body = " ".join(text[start:end].split())
    cell.append(body if full or len(body) <= SNIPPET else body[: SNIPPET - 1] + "…")
    return cell
