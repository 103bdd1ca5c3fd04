"""`syndet ingest DIR`: load a folder of articles into a running syndet server, to check new ones against.

A newsroom or monitor starts with an archive. Posting it through the API, rather than writing to the database
behind the server's back, keeps every guarantee the API gives: the index agrees with the database whatever the
backend (in-process or shared Redis), the server's limits and keys apply, and posting again is safe, since
an article already stored under the same external id (its path under DIR, as `syndet scan` names it) or with
the same text is not stored twice. Articles are posted with `compare=false`, so the server stores and indexes
them without comparing each with what is already stored (3,222 PAN sources into an empty SQLite store, four at a
time: 153 articles/s against 101 with comparisons, and comparing costs more as the store grows); check or post new
articles afterwards to learn their overlaps.

HTML pages are extracted here, as `syndet scan` extracts them (the same extractor the server runs), and posted as
their text with the page's url, site, title and date: the server's work is the store, not the parsing. Their
stored `extracted_from_html` is therefore false.
"""

from __future__ import annotations

import json
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any, TextIO

import httpx
import typer

from service.batch.progress import Feedback
from service.batch.readers import META_FIELDS, Article, read_file, with_folder_source
from service.batch.walk import FoundFile, Skipped
from service.commands.check import api_headers, differing_metadata, error_detail
from service.commands.output import open_output
from service.commands.scan import DEFAULT_MAX_BYTES, ArticleFolder, walk_folder
from service.detection import content_hash

__all__ = ["ingest", "Outcome", "Poster"]

RETRY_STATUSES = frozenset({429, 503})
"""Answers that say "later": the rate limit, a server still loading its index or past its request timeout."""
MAX_WAIT = 30.0  # longest pause between two attempts, whatever Retry-After asks


class IngestAborted(Exception):
    """A problem no later article can get past (no key, a refused key, the server gone): stop the whole load."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one article (or one file or record that could not be read)."""

    id: str
    path: str
    status: str  # stored | already_stored | updated | differs | rejected | failed | skipped
    article_id: int | None = None
    detail: str | None = None


class Poster:
    """Posts articles to one server with `compare=false`, waiting and retrying where the server says "later".

    With `update`, an article already stored under its external id whose text or metadata differ from the
    folder's is replaced (PUT, keeping its id and any metadata the folder does not give); without it, that
    article is reported as `differs`."""

    def __init__(self, client: httpx.Client, *, retries: int = 5, update: bool = False) -> None:
        self.client = client
        self.retries = retries
        self.update = update

    def post(self, article: Article) -> Outcome:
        body: dict[str, Any] = {"text": article.text, "external_id": article.id, **article.meta}
        answer = self._send("POST", "/api/v1/articles", body, article)
        if isinstance(answer, Outcome):
            return answer
        article_id = _article_id(answer)
        if answer.status_code == 201:
            return Outcome(article.id, article.path, "stored", article_id=article_id)
        stored = _stored(answer)
        if stored.get("external_id") != article.id or not _differs(stored, body):
            return Outcome(article.id, article.path, "already_stored", article_id=article_id)
        if not self.update:
            return Outcome(article.id, article.path, "differs", article_id=article_id,
                           detail="stored with another text or metadata; --update replaces it")
        kept = {name: stored[name] for name in META_FIELDS if stored.get(name) is not None}
        answer = self._send("PUT", f"/api/v1/articles/{article_id}", {**kept, **body}, article)
        if isinstance(answer, Outcome):
            return answer
        return Outcome(article.id, article.path, "updated", article_id=article_id)

    def _send(self, method: str, url: str, body: dict[str, Any], article: Article) -> httpx.Response | Outcome:
        """The server's 200 or 201 answer, or the article's outcome when it never came (rejected, failed)."""
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self.client.request(method, url, json=body, params={"compare": "false"})
            except httpx.TimeoutException:
                if last:
                    return Outcome(article.id, article.path, "failed", detail="the server did not answer in time")
                time.sleep(min(2.0**attempt, MAX_WAIT))
                continue
            except httpx.TransportError as exc:
                if last:
                    raise IngestAborted(f"lost the connection to the server ({exc})") from None
                time.sleep(min(2.0**attempt, MAX_WAIT))
                continue
            if response.status_code in (201, 200):
                return response
            if response.status_code in (401, 403):
                raise IngestAborted(f"the server refused the key ({response.status_code}): {error_detail(response)}; "
                                    "pass a write key with --api-key or SYNDET_API_KEY")
            if response.status_code in RETRY_STATUSES and not last:
                time.sleep(_retry_after(response, attempt))
                continue
            status = "rejected" if 400 <= response.status_code < 500 else "failed"
            return Outcome(article.id, article.path, status, detail=f"{response.status_code}: {error_detail(response)}")
        raise AssertionError("unreachable")  # pragma: no cover - the last attempt always returns or raises


def _stored(response: httpx.Response) -> dict[str, Any]:
    """The stored article a 200 answer names (empty when the answer is not the expected shape)."""
    try:
        found = response.json()["article"]
    except (ValueError, KeyError, TypeError):
        return {}
    return found if isinstance(found, dict) else {}


def _differs(stored: dict[str, Any], body: dict[str, Any]) -> bool:
    """Whether the folder's article (`body`) has another text than the stored one, or another url, source, title
    or date where it gives one (metadata the folder lacks is kept as stored, also by a replacement)."""
    return stored.get("content_hash") != content_hash(body["text"]) or bool(differing_metadata(stored, body))


def _article_id(response: httpx.Response) -> int | None:
    try:
        return int(response.json()["article"]["id"])
    except (ValueError, KeyError, TypeError):
        return None


def _retry_after(response: httpx.Response, attempt: int) -> float:
    """The pause the server asked for (Retry-After, in seconds), else a doubling one; at most `MAX_WAIT`."""
    try:
        asked = float(response.headers.get("retry-after", ""))
    except ValueError:
        asked = min(2.0**attempt, MAX_WAIT)
    return max(0.0, min(asked, MAX_WAIT))


def ingest(
    directory: ArticleFolder,
    server: Annotated[str, typer.Option(help="Base URL of a running `syndet serve`.")] = "http://127.0.0.1:8000",
    api_key: Annotated[
        str | None,
        typer.Option(envvar="SYNDET_API_KEY", help="A write key (X-API-Key), once the server has keys."),
    ] = None,
    source_from_folder: Annotated[
        bool,
        typer.Option(
            "--source-from-folder",
            help="Articles with no source of their own take their first folder under DIR as source (DIR/SITE/...): "
            "the server then learns each site's boilerplate.",
        ),
    ] = False,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="Replace stored articles whose text or metadata differ from the folder's (corrected stories): "
            "each keeps its id and is indexed anew. Without it they are left as stored and counted as differing.",
        ),
    ] = False,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Articles posted at once.")] = 4,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", dir_okay=False,
            help="Write one JSON line per article here: id, path, status, the server's article_id, detail.",
        ),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Skip files larger than this many bytes.")
    ] = DEFAULT_MAX_BYTES,
    timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds to wait for each answer, and for a starting server to be ready.")
    ] = 60.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no notices; errors only.")] = False,
) -> None:
    """Store every article in DIR on a running server (already stored ones are left as they are, or replaced
    with --update where the folder's text or metadata changed).

    Each article's external id is its path under DIR (plus #N or #id for JSON records), so running it again
    after an interruption stores only what is missing. Exit status 1 when the server rejected some articles,
    2 when nothing could be read or the server cannot be used.
    """
    feedback = Feedback(quiet=quiet)
    found = walk_folder(directory, max_bytes, [out] if out is not None else [], feedback)
    if not found.files:
        why = f"all {len(found.skipped)} file(s) were skipped" if found.skipped else "no files"
        feedback.error(f"nothing to ingest in {directory} ({why})")
        raise typer.Exit(2)
    base = server.rstrip("/")
    with httpx.Client(base_url=base, headers=api_headers(api_key), timeout=timeout) as client:
        _ready_or_exit(client, base, feedback, timeout)
        counts: Counter[str] = Counter()
        try:
            with open_output(out, feedback, to_stdout=False) as stream:
                for entry in found.skipped:
                    _record(_skipped(entry), counts, stream, feedback)
                articles = _articles(found.files, source_from_folder, feedback, counts, stream)
                for outcome in _post_all(Poster(client, update=update), articles, concurrency):
                    _record(outcome, counts, stream, feedback)
        except IngestAborted as exc:
            feedback.error(f"{exc} (stopped; {_summary(counts)}; run it again to go on)")
            raise typer.Exit(2) from None
    if not sum(n for status, n in counts.items() if status != "skipped"):
        feedback.error(f"nothing could be read in {directory} (all {counts['skipped']} file(s) or record(s) skipped)")
        raise typer.Exit(2)
    feedback.note(_summary(counts) + (f"; outcomes in {out}" if out is not None else ""))
    if counts["rejected"] or counts["failed"]:
        raise typer.Exit(1)


def _ready_or_exit(client: httpx.Client, base: str, feedback: Feedback, wait_for: float) -> None:
    """Wait up to `wait_for` seconds while the server says 503 on /readyz (it loads its index at start-up);
    exit 2 when it cannot be reached or is not ready by then."""
    deadline = time.monotonic() + wait_for
    while True:
        try:
            response = client.get("/readyz")
        except httpx.HTTPError as exc:
            feedback.error(f"cannot reach a syndet server at {base} ({exc}); is `syndet serve` running?")
            raise typer.Exit(2) from None
        if response.status_code == 200:
            return
        if response.status_code != 503 or time.monotonic() >= deadline:
            feedback.error(f"the server at {base} is not ready ({response.status_code}): {error_detail(response)}")
            raise typer.Exit(2)
        time.sleep(1.0)


def _articles(files: list[FoundFile], source_from_folder: bool, feedback: Feedback, counts: Counter[str],
              stream: TextIO | None) -> Iterator[Article]:
    """The articles of every file in order, with a bar over the files; unreadable ones recorded as skipped."""
    for found in feedback.track(files, total=len(files), description="storing"):
        result = read_file(found)
        for entry in result.skipped:
            _record(_skipped(entry), counts, stream, feedback)
        for article in result.articles:
            yield with_folder_source(article) if source_from_folder else article


def _skipped(entry: Skipped) -> Outcome:
    return Outcome(entry.id or entry.path, entry.path, "skipped", detail=entry.reason)


def _post_all(poster: Poster, articles: Iterator[Article], concurrency: int) -> Iterator[Outcome]:
    """Post the articles with `concurrency` requests in flight, yielding the outcomes in the articles' order;
    reading waits while twice that many are under way, so memory stays bounded however large the folder."""
    with ThreadPoolExecutor(concurrency, thread_name_prefix="ingest") as pool:
        pending: deque[Future[Outcome]] = deque()
        try:
            for article in articles:
                if len(pending) >= 2 * concurrency:
                    yield pending.popleft().result()
                pending.append(pool.submit(poster.post, article))
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def _record(outcome: Outcome, counts: Counter[str], stream: TextIO | None, feedback: Feedback) -> None:
    counts[outcome.status] += 1
    if outcome.status in ("rejected", "failed", "skipped"):
        feedback.note(f"{outcome.status} {outcome.id}: {outcome.detail}")
    if stream is not None:
        stream.write(json.dumps({k: v for k, v in asdict(outcome).items() if v is not None}) + "\n")


def _summary(counts: Counter[str]) -> str:
    said = (f"{counts['stored']} stored, {counts['already_stored']} already stored, {counts['rejected']} rejected, "
            f"{counts['failed']} failed, {counts['skipped']} skipped")
    if counts["updated"]:
        said += f", {counts['updated']} updated"
    if counts["differs"]:
        said += f"; {counts['differs']} stored with another text or metadata (--update replaces them)"
    return said
