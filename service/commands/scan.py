"""`syndet scan DIR`: compare every article in a folder and report which reuse which, and where."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from service import wires
from service.batch.clusters import connected_components
from service.batch.html_report import HtmlReport, Tee
from service.batch.kinds import Kind, at_least
from service.batch.pairlist import PairListError, read_pair_list
from service.batch.progress import Feedback
from service.batch.readers import with_folder_source
from service.batch.report import Format, ReportWriter, document_entry, make_writer, pair_entry
from service.batch.scanner import Loaded, listed_pairs, load, lsh_pairs, resolve_listed
from service.batch.syndication import ScanSyndication
from service.batch.walk import SUFFIXES, Walk, walk
from service.commands.output import open_output
from shingling import Comparison, EngineConfig
from shingling.stopwords import WordListError, weak_words_with

__all__ = ["WeakWordsOption", "engine_config", "scan"]

DEFAULT_MAX_BYTES = 20_000_000
T = TypeVar("T")


ArticleFolder = Annotated[
    Path,
    typer.Argument(
        metavar="DIR",
        exists=True,
        file_okay=False,
        help="Folder to read recursively: .txt .md .html .htm .json .jsonl (UTF-8).",
    ),
]
"""The folder argument of the commands that read a folder of articles (`scan`, `ingest`)."""


WeakWordsOption = Annotated[
    Path | None,
    typer.Option(
        "--weak-words",
        dir_okay=False,
        help="File of the function words of the articles' language (any number a line, # starts a comment): "
        "matched, but no evidence of reuse, so two reports of one kind written in the genre's formula are not "
        "linked. For languages without a stopword list here (English has one; Urdu's are built in).",
    ),
]
"""The option that adds a language's function words to `EngineConfig.weak_words` (`scan`, `compare`)."""


def engine_config(weak_words_file: Path | None, feedback: Feedback) -> EngineConfig:
    """The engine's configuration with the function words of `weak_words_file` added; exit 2 saying why when the
    file cannot be used."""
    if weak_words_file is None:
        return EngineConfig()
    try:
        return EngineConfig(weak_words=weak_words_with(weak_words_file))
    except WordListError as exc:
        feedback.error(str(exc))
        raise typer.Exit(2) from None


def scan(
    directory: ArticleFolder,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", dir_okay=False, help="Write the report here instead of stdout."),
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="json: one object. jsonl: a {documents,skipped,params} line, one line per pair, "
            "a {clusters} line. csv: one row per pair.",
        ),
    ] = Format.json,
    pairs_file: Annotated[
        Path | None,
        typer.Option(
            "--pairs",
            exists=True,
            dir_okay=False,
            readable=True,
            help="Compare only these pairs (lines of two document ids separated by a tab); every listed pair is "
            "reported.",
        ),
    ] = None,
    min_kind: Annotated[
        Kind | None,
        typer.Option("--min-kind", help="Report only pairs of this kind or stronger."),
    ] = None,
    cluster_on: Annotated[
        Kind,
        typer.Option("--cluster-on", help="Weakest kind of pair that joins two documents in a cluster."),
    ] = Kind.near_duplicate,
    with_text: Annotated[
        bool,
        typer.Option("--with-text", help="Include each document's text (what the offsets index)."),
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            dir_okay=False,
            help="Also write one self-contained HTML page: clusters, ranked pairs, each pair side by side.",
        ),
    ] = None,
    max_bytes: Annotated[
        int,
        typer.Option("--max-bytes", min=1, help="Skip files larger than this many bytes."),
    ] = DEFAULT_MAX_BYTES,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="No progress bars, no notices; errors only."),
    ] = False,
    within_days: Annotated[
        float | None,
        typer.Option(
            "--within-days", min=0, help="Compare only articles published within N days of each other (when dated)."
        ),
    ] = None,
    source_from_folder: Annotated[
        bool,
        typer.Option(
            "--source-from-folder",
            help="Articles with no source of their own (plain text files, pages and records without one) take "
            "their first folder under DIR as source: with a folder per site, each site's boilerplate is learned "
            "and never counts as reuse.",
        ),
    ] = False,
    cache_mb: Annotated[
        int | None,
        typer.Option(
            "--cache-mb",
            min=1,
            help="Prepared articles each worker process keeps in memory (MiB); by default its share of half the "
            "free memory, 256-4096. Larger is faster on a big folder: an article no longer cached is "
            "prepared again when a pair needs it.",
            show_default=False,
        ),
    ] = None,
    wires_file: Annotated[
        Path | None,
        typer.Option(
            "--wires",
            dir_okay=False,
            help='JSON file of more wire agencies: {"nampa": {"name": "Namibia Press Agency", "aliases": ["NAMPA"]}}.',
        ),
    ] = None,
    weak_words_file: WeakWordsOption = None,
) -> None:
    """Find the articles in DIR that share text: pairs with aligned passages, and clusters of copies.

    Offsets count characters of each file read as UTF-8 with no newline translation.
    For HTML and JSON records they index the extracted or record text, which --with-text includes.
    The report goes to stdout or --out; progress and notices go to stderr.
    """
    feedback = Feedback(quiet=quiet)
    try:
        wires.use(wires.load(wires_file))
    except wires.WiresFileError as exc:
        feedback.error(str(exc))
        raise typer.Exit(2) from None
    config = engine_config(weak_words_file, feedback)
    listed = _parse_pairs_option(read_pair_list, pairs_file) if pairs_file is not None else None
    loaded = _load(directory, [p for p in (out, html) if p is not None], max_bytes, config, feedback,
                   index=listed is None)
    if source_from_folder:
        loaded.prepared = [replace(p, article=with_folder_source(p.article)) for p in loaded.prepared]
    if listed is not None:
        listed = _parse_pairs_option(resolve_listed, listed, loaded, feedback)

    syndication = ScanSyndication(loaded, within_days=within_days)
    documents = [
        {
            **document_entry(p.article, words=p.words, passages=p.passages, with_text=with_text),
            **syndication.document_fields(p.article.id),
        }
        for p in loaded.prepared
    ]
    params: dict[str, Any] = {
        "engine": config.to_dict(),
        "scan": {
            "candidates": "pairs-file" if listed is not None else "lsh",
            "min_kind": min_kind.value if min_kind else None,
            "cluster_on": cluster_on.value,
            "max_bytes": max_bytes,
            "within_days": within_days,
            "source_from_folder": source_from_folder,
        },
    }
    cache = cache_mb * 2**20 if cache_mb is not None else None
    pairs = (
        listed_pairs(listed, loaded, feedback, hook=syndication, cache_bytes=cache)
        if listed is not None
        else lsh_pairs(loaded, feedback, hook=syndication, cache_bytes=cache)
    )
    try:
        with open_output(out, feedback) as stream, open_output(html, feedback, "--html", to_stdout=False) as page:
            writer = make_writer(fmt, stream)
            if page is not None:
                writer = Tee(writer, HtmlReport(page, (p.article for p in loaded.prepared)))
            writer.start(documents, loaded.skipped, params)
            reported, clusters = _write_pairs(writer, pairs, min_kind=min_kind, cluster_on=cluster_on)
            writer.finish(clusters)
    except BrokenPipeError:  # the reader stopped listening (`syndet scan DIR | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    feedback.note(
        f"{len(documents)} document(s), {len(loaded.skipped)} skipped, {reported} pair(s), "
        f"{len(clusters)} cluster(s)" + (f"; report in {out}" if out is not None else "")
        + (f"; HTML report in {html}" if html is not None else "")
    )


def _parse_pairs_option(parse: Callable[..., T], *args: Any) -> T:
    """Run a --pairs parsing step, turning its line-numbered error into a usage error (exit status 2)."""
    try:
        return parse(*args)
    except PairListError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--pairs'") from None


def walk_folder(directory: Path, max_bytes: int, exclude: list[Path], feedback: Feedback) -> Walk:
    """The article files under `directory` (`walk`), saying how many other files were left aside."""
    found = walk(directory, max_bytes=max_bytes, exclude=exclude)
    if found.ignored:
        feedback.note(f"ignored {found.ignored} file(s) not ending in {', '.join(sorted(SUFFIXES))}")
    return found


def _load(
    directory: Path, reports: list[Path], max_bytes: int, config: EngineConfig, feedback: Feedback, index: bool
) -> Loaded:
    """Walk and read DIR (never the report files themselves); exit with status 2 when nothing could be read."""
    found = walk_folder(directory, max_bytes, reports, feedback)
    for entry in found.skipped:
        feedback.note(entry.message())
    loaded = load(found.files, config, feedback, index=index)
    loaded.skipped = sorted(found.skipped + loaded.skipped, key=lambda s: (s.path, s.id or ""))
    if not loaded.prepared:
        why = f"all {len(loaded.skipped)} file(s) or record(s) were skipped" if loaded.skipped else "no files"
        feedback.error(f"nothing could be read in {directory} ({why})")
        raise typer.Exit(2)
    return loaded


def _write_pairs(
    writer: ReportWriter,
    pairs: Iterable[tuple[str, str, Comparison, dict[str, Any] | None]],
    *,
    min_kind: Kind | None,
    cluster_on: Kind,
) -> tuple[int, list[list[str]]]:
    """Stream the pairs strong enough for --min-kind; cluster on those strong enough for --cluster-on."""
    edges, reported = [], 0
    for a, b, comparison, label in pairs:
        if at_least(comparison.kind, cluster_on):
            edges.append((a, b))
        if at_least(comparison.kind, min_kind):
            writer.pair(pair_entry(a, b, {**comparison.to_dict(), "syndication": label}))
            reported += 1
    return reported, connected_components(edges)
