"""Run the engine over the articles: prepare each one, then find and align the pairs that share text.

Pairs come out in a fixed order whatever the file system returns: by the first id, then the second, with
`a < b` (or in the order of a `--pairs` file), so a report can be streamed and still be reproducible.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from service.batch.pairlist import ListedPair, PairListError
from service.batch.progress import Feedback
from service.batch.readers import Article, read_file
from service.batch.walk import FoundFile, Skipped
from shingling import (
    Comparison,
    Document,
    EmptyDocumentError,
    EngineConfig,
    PassageIndex,
    ShinglingError,
    compare,
    prepare,
)

__all__ = ["Loaded", "Prepared", "listed_pairs", "load", "lsh_pairs", "resolve_listed"]


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article and the engine's view of it."""

    article: Article
    doc: Document


@dataclass(slots=True)
class Loaded:
    """Prepared articles, sorted by id, and everything that could not be used."""

    prepared: list[Prepared] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def by_id(self) -> dict[str, Prepared]:
        return {p.article.id: p for p in self.prepared}


def load(files: list[FoundFile], config: EngineConfig, feedback: Feedback) -> Loaded:
    """Read and prepare every file; wordless articles are skipped like unreadable ones."""
    loaded = Loaded()
    seen: set[str] = set()

    def skip(entry: Skipped) -> None:
        loaded.skipped.append(entry)
        feedback.note(entry.message())

    for found in feedback.track(files, total=len(files), description="reading"):
        result = read_file(found)
        for entry in result.skipped:
            skip(entry)
        for article in result.articles:
            record_id = article.id if article.id != article.path else None
            if article.id in seen:
                skip(Skipped(article.path, f"duplicate id {article.id!r}", id=record_id))
                continue
            try:
                doc = prepare(article.text, config)
            except EmptyDocumentError:
                skip(Skipped(article.path, "no words", id=record_id))
                continue
            except ShinglingError as exc:
                skip(Skipped(article.path, str(exc), id=record_id))
                continue
            seen.add(article.id)
            loaded.prepared.append(Prepared(article, doc))
    loaded.prepared.sort(key=lambda p: p.article.id)
    loaded.skipped.sort(key=lambda s: (s.path, s.id or ""))
    return loaded


def lsh_pairs(
    loaded: Loaded, config: EngineConfig, feedback: Feedback
) -> Iterator[tuple[str, str, Comparison]]:
    """Every pair that shares text: LSH over passage signatures proposes, alignment confirms."""
    index = PassageIndex(config)
    total = len(loaded.prepared)
    for p in feedback.track(loaded.prepared, total=total, description="indexing"):
        index.insert(p.article.id, p.doc)
    by_id = loaded.by_id()
    for p in feedback.track(loaded.prepared, total=total, description="comparing"):
        own = p.article.id
        for other in sorted(key for key in index.query(p.doc, exclude=own) if key > own):
            comparison = compare(p.doc, by_id[other].doc)
            if comparison.shared:
                yield own, other, comparison


def resolve_listed(listed: list[ListedPair], loaded: Loaded, feedback: Feedback) -> list[ListedPair]:
    """Keep the listed pairs whose documents were read; an id never seen at all is an error in the file."""
    known = {p.article.id for p in loaded.prepared}
    skipped = {s.id or s.path for s in loaded.skipped}
    usable = []
    for pair in listed:
        missing = [doc_id for doc_id in (pair.a, pair.b) if doc_id not in known]
        unknown = [doc_id for doc_id in missing if doc_id not in skipped]
        if unknown:
            raise PairListError(f"line {pair.line}: no document with id {unknown[0]!r}")
        if missing:
            feedback.note(f"pairs line {pair.line}: {missing[0]!r} was skipped; pair not compared")
            continue
        usable.append(pair)
    return usable


def listed_pairs(
    listed: list[ListedPair], loaded: Loaded, feedback: Feedback
) -> Iterator[tuple[str, str, Comparison]]:
    """Compare exactly the listed pairs, in the file's order and orientation, shared text or not."""
    by_id = loaded.by_id()
    for pair in feedback.track(listed, total=len(listed), description="comparing"):
        yield pair.a, pair.b, compare(by_id[pair.a].doc, by_id[pair.b].doc)
