"""Write the scan report as one JSON object, as JSON lines, or as CSV rows.

- `json`: `{"documents", "pairs", "clusters", "skipped", "params"}` in one object, the pairs written as they
  are found.
- `jsonl`: a first line `{"documents", "skipped", "params"}`, then one pair object per line as soon as it is
  found, then a last line `{"clusters"}`; a consumer tells the lines apart by their keys (pairs have "a").
- `csv`: a header row and one row per pair; documents, clusters and skipped files are not written
  (skipped files are still named on stderr).

A skipped entry is `{"path", "reason"}`, plus `"id"` (`path#N`) when it is one record of a JSON file.
"""

from __future__ import annotations

import csv
import json
from enum import StrEnum
from typing import Any, Protocol, TextIO

from service.batch.readers import META_FIELDS, Article
from service.batch.walk import Skipped

__all__ = [
    "CSV_HEADER",
    "Format",
    "ReportWriter",
    "document_entry",
    "make_writer",
    "passages_column",
    "pair_entry",
]

CSV_HEADER = (
    "a", "b", "kind", "containment_a", "containment_b", "jaccard", "passages", "spans", "origin", "wire", "agency",
)
"""One row a pair; `origin`, `wire` and `agency` are its `syndication` reading (empty when none is given)."""


class Format(StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def document_entry(article: Article, *, words: int, passages: int, with_text: bool) -> dict[str, Any]:
    """A document's report entry; `text` (what the offsets index) only when asked for."""
    entry: dict[str, Any] = {
        "id": article.id,
        "path": article.path,
        "chars": len(article.text),
        "words": words,
        "passages": passages,
    }
    entry.update((key, article.meta[key]) for key in META_FIELDS if key in article.meta)
    if with_text:
        entry["text"] = article.text
    return entry


def pair_entry(a: str, b: str, comparison: dict[str, Any]) -> dict[str, Any]:
    """A pair's report entry: the two ids, then the engine's `Comparison.to_dict()`."""
    return {"a": a, "b": b, **comparison}


def passages_column(entry: dict[str, Any]) -> str:
    """Passages as `a_start-a_end:b_start-b_end;...`, compact enough for one CSV cell.

    >>> passages_column({"passages": [{"a": {"start": 0, "end": 9}, "b": {"start": 4, "end": 13}}]})
    '0-9:4-13'
    """
    return ";".join(
        f"{p['a']['start']}-{p['a']['end']}:{p['b']['start']}-{p['b']['end']}" for p in entry["passages"]
    )


class ReportWriter(Protocol):
    """Receives the report in the order the scan produces it; `pair` may be called zero or more times."""

    def start(self, documents: list[dict[str, Any]], skipped: list[Skipped], params: dict[str, Any]) -> None:
        ...

    def pair(self, entry: dict[str, Any]) -> None: ...

    def finish(self, clusters: list[list[str]]) -> None: ...


def make_writer(fmt: Format, out: TextIO) -> ReportWriter:
    writers: dict[Format, type[_JsonReport | _JsonlReport | _CsvReport]] = {
        Format.json: _JsonReport,
        Format.jsonl: _JsonlReport,
        Format.csv: _CsvReport,
    }
    return writers[fmt](out)


class _JsonReport:
    """One JSON object, the same bytes as `json.dump(report, indent=2)`, but each pair is written as it comes:
    a scan of a large folder can find a million pairs, which as a list in memory took gigabytes."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.pairs = 0
        self.tail: dict[str, Any] = {}

    def start(self, documents: list[dict[str, Any]], skipped: list[Skipped], params: dict[str, Any]) -> None:
        self.out.write('{\n  "documents": ' + _nested(documents) + ',\n  "pairs": [')
        self.tail = {"skipped": [s.to_dict() for s in skipped], "params": params}

    def pair(self, entry: dict[str, Any]) -> None:
        self.out.write(("," if self.pairs else "") + "\n    " + _nested(entry, 4))
        self.pairs += 1

    def finish(self, clusters: list[list[str]]) -> None:
        self.out.write(("\n  ]" if self.pairs else "]") + ',\n  "clusters": ' + _nested(clusters))
        for key, value in self.tail.items():
            self.out.write(f",\n  {json.dumps(key)}: " + _nested(value))
        self.out.write("\n}\n")
        self.out.flush()


def _nested(value: Any, depth: int = 2) -> str:
    """`value` as `json.dump(..., indent=2)` writes it `depth` spaces in (its first line is not indented)."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + " " * depth)


class _JsonlReport:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def _line(self, obj: dict[str, Any]) -> None:
        self.out.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.out.flush()

    def start(self, documents: list[dict[str, Any]], skipped: list[Skipped], params: dict[str, Any]) -> None:
        self._line({"documents": documents, "skipped": [s.to_dict() for s in skipped], "params": params})

    def pair(self, entry: dict[str, Any]) -> None:
        self._line(entry)

    def finish(self, clusters: list[list[str]]) -> None:
        self._line({"clusters": clusters})


class _CsvReport:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.writer = csv.writer(out, lineterminator="\n")

    def start(self, documents: list[dict[str, Any]], skipped: list[Skipped], params: dict[str, Any]) -> None:
        self.writer.writerow(CSV_HEADER)

    def pair(self, entry: dict[str, Any]) -> None:
        containment = entry["containment"]
        syndication = entry.get("syndication") or {}
        wire = syndication.get("wire") or {}
        self.writer.writerow(
            (
                entry["a"],
                entry["b"],
                entry["kind"] or "",
                containment["a"],
                containment["b"],
                entry["jaccard"],
                len(entry["passages"]),
                passages_column(entry),
                syndication.get("origin") or "",
                wire.get("status") or "",
                wire.get("agency") or "",
            )
        )
        self.out.flush()

    def finish(self, clusters: list[list[str]]) -> None:
        self.out.flush()
