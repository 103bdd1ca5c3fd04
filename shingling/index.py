"""Candidate search: LSH over passage signatures, answering "which stored documents share a passage with this one?".

The bands are datasketch's: `MinHashLSH`'s optimal (b, r) for the configured threshold and num_perm. In memory
they live in a compact `BandIndex` (numpy arrays, ~5 bytes per passage per band, crowded buckets skipped);
with a `storage_config` (e.g. Redis, shared between processes) the index is datasketch's `MinHashLSH` itself.
Either way a query counts, per stored document, its passages that share a band with a passage of the query,
and the index holds only signatures, so it can always be rebuilt from stored ones (`insert_signatures`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from datasketch import MinHashLSH

from shingling.bandindex import BandIndex
from shingling.bandkernels import passage_hits
from shingling.config import EngineConfig
from shingling.document import DEFAULT_CONFIG, Document
from shingling.errors import ParameterMismatchError
from shingling.signatures import to_lean

_new_tuple = tuple.__new__

DEFAULT_MAX_BUCKET = 500
"""Band buckets shared by more passages than this are skipped (in-memory index only): at that size a bucket
is boilerplate, not evidence of reuse, and it would dominate the cost of every query that touches it."""


class Candidate(NamedTuple):
    """A document a search found: its hits (query passage, stored passage pairs sharing a band) and which of
    its passages were hit (ordinals, ascending)."""

    hits: int
    passages: tuple[int, ...]


@lru_cache(maxsize=16)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """datasketch's (bands, rows) for this threshold and num_perm (equal false-positive and -negative weights)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


class PassageIndex:
    """LSH over passage signatures of many documents; `storage_config` is datasketch's (e.g. Redis).

    Without `storage_config` the bands live in memory in a compact `BandIndex`, where buckets of more than
    `max_bucket` passages are skipped (None keeps them all, matching `MinHashLSH` exactly).
    """

    def __init__(
        self,
        config: EngineConfig | None = None,
        storage_config: dict | None = None,
        max_bucket: int | None = DEFAULT_MAX_BUCKET,
    ) -> None:
        self.config = config or DEFAULT_CONFIG
        bands, rows = lsh_params(self.config.lsh_threshold, self.config.num_perm)
        self._lsh: MinHashLSH | None = None
        self._bands: BandIndex | None = None
        if storage_config is None:
            self._bands = BandIndex(bands, rows, max_bucket=max_bucket)
        else:
            self._lsh = MinHashLSH(
                threshold=self.config.lsh_threshold, num_perm=self.config.num_perm, storage_config=storage_config
            )
        self._params = (bands, rows)
        self._passages: dict[str, tuple[int, int]] = {}  # doc_key -> (first passage id, passages)
        self._names: list[str] = []  # documents in insertion order (compact index)
        self._firsts = np.zeros(1024, dtype=np.int64)  # first passage id of each, ascending

    @property
    def params(self) -> tuple[int, int]:
        """datasketch's chosen (bands, rows)."""
        return self._params

    @property
    def nbytes(self) -> int:
        """Bytes of the in-memory index's arrays (0 with an external storage)."""
        if self._bands is None:
            return 0
        return self._bands.nbytes + self._firsts.nbytes

    def __len__(self) -> int:
        return len(self._passages)

    def __contains__(self, doc_key: object) -> bool:
        return doc_key in self._passages

    def keys(self) -> set[str]:
        return set(self._passages)

    def _check(self, doc: Document) -> None:
        if doc.config.signature_params() != self.config.signature_params():
            raise ParameterMismatchError(
                "document signatures were made with other parameters than this index: "
                f"{doc.config.signature_params()} != {self.config.signature_params()}"
            )

    def _signatures(self, signatures: np.ndarray | Iterable[np.ndarray]) -> np.ndarray:
        if not isinstance(signatures, np.ndarray):
            rows = list(signatures)
            signatures = np.stack(rows) if rows else np.empty((0, self.config.num_perm), dtype=np.uint32)
        if signatures.ndim != 2 or signatures.shape[1] != self.config.num_perm:
            raise ParameterMismatchError(
                f"signatures of shape {signatures.shape} do not fit num_perm={self.config.num_perm}"
            )
        return signatures

    def insert(self, doc_key: str, doc: Document) -> None:
        """Index every passage of `doc` under `doc_key` (which must not be indexed already)."""
        self._check(doc)
        self.insert_signatures(doc_key, doc.signatures)

    def insert_signatures(self, doc_key: str, signatures: np.ndarray) -> None:
        """Index stored signatures (shape (passages, num_perm), made with this index's parameters)."""
        if doc_key in self._passages:
            raise KeyError(f"{doc_key!r} is already indexed")
        signatures = self._signatures(signatures)
        if self._bands is None:
            assert self._lsh is not None
            with self._lsh.insertion_session() as session:
                for i, sig in enumerate(signatures):
                    session.insert((doc_key, i), to_lean(sig, self.config.seed), check_duplication=False)
            self._passages[doc_key] = (0, len(signatures))
            return
        first = self._bands.next_id
        self._bands.add(signatures)
        ordinal = len(self._names)
        if ordinal == len(self._firsts):
            self._firsts = np.concatenate([self._firsts, np.zeros_like(self._firsts)])
        self._firsts[ordinal] = first
        self._names.append(doc_key)
        self._passages[doc_key] = (first, len(signatures))

    def remove(self, doc_key: str) -> None:
        """Remove every passage of `doc_key`; KeyError when it is not indexed."""
        first, n = self._passages.pop(doc_key)
        if self._bands is not None:
            self._bands.discard(np.arange(first, first + n))
            return
        assert self._lsh is not None
        for i in range(n):
            self._lsh.remove((doc_key, i))

    def compact(self) -> None:
        """Pack the in-memory index into its fastest, smallest form (after a bulk load; a no-op otherwise)."""
        if self._bands is not None:
            self._bands.compact()

    def query_signatures(
        self, signatures: np.ndarray | Iterable[np.ndarray], exclude: str | None = None
    ) -> dict[str, int]:
        """Candidate documents for these passage signatures, with how many passage hits each got, most first.

        A hit is a (query passage, stored passage) pair sharing at least one band.
        """
        signatures = self._signatures(signatures)
        if self._bands is None:
            return {key: len(found) for key, found in self._query_lsh(signatures, exclude).items()}
        _, ids = self._bands.lookup(signatures)
        return self._ranked(ids, exclude)

    def query_passages(
        self, signatures: np.ndarray | Iterable[np.ndarray], exclude: str | None = None
    ) -> dict[str, Candidate]:
        """The candidates of `query_signatures`, in its order, each with its hit count and which of its passages
        were hit: what screening a long candidate reads (`shingling.screen`)."""
        signatures = self._signatures(signatures)
        if self._bands is None:
            return {key: Candidate(len(found), tuple(sorted(set(found))))
                    for key, found in self._query_lsh(signatures, exclude).items()}
        _, ids = self._bands.lookup(signatures)
        if len(ids) == 0:
            return {}
        # one sort gives both: each passage hit, its document, each document's hits
        within, starts, ordinals, hits = passage_hits(ids, self._firsts[: len(self._names)])
        passages, bounds = within.tolist(), starts.tolist()  # sliced per document as lists
        # tuple.__new__ is what Candidate(n, passages) runs, without its Python-level frame: a news-length
        # lookup at a million passages builds some 55 of them, and they were a tenth of its time
        found: dict[str, Candidate] = {}
        for n, group in self._rank_groups(ordinals, hits):
            for key, j in group:
                found[key] = _new_tuple(Candidate, (n, tuple(passages[bounds[j] : bounds[j + 1]])))
        found.pop(exclude, None)  # type: ignore[arg-type]
        return found

    def _ranked(self, ids: np.ndarray, exclude: str | None) -> dict[str, int]:
        """Documents of the hit passages `ids` (one per (query passage, stored passage) pair) with their hit
        counts, most first, ties by name."""
        if len(ids) == 0:
            return {}
        _, _, ordinals, hits = passage_hits(ids, self._firsts[: len(self._names)])
        return self._by_hits(ordinals, hits, exclude)

    def _by_hits(self, ordinals: np.ndarray, counts: np.ndarray, exclude: str | None) -> dict[str, int]:
        """Documents (`ordinals`) with their hit counts, most first, ties by name; `exclude` left out."""
        hits = {key: n for n, group in self._rank_groups(ordinals, counts) for key, _ in group}
        hits.pop(exclude, None)  # type: ignore[arg-type]
        return hits

    def _rank_groups(self, ordinals: np.ndarray, counts: np.ndarray) -> list[tuple[int, list[tuple[str, int]]]]:
        """The documents (`ordinals`) by hit count, most first: each count with its documents' (name, position
        in `ordinals`), by name. Names are compared only within a group of equal counts, and most groups hold
        one document."""
        order = np.argsort(-counts, kind="stable")
        by_count, positions = counts[order].tolist(), order.tolist()
        names, ordinal = self._names, ordinals.tolist()
        groups: list[tuple[int, list[tuple[str, int]]]] = []
        lo, end = 0, len(positions)
        while lo < end:
            n, hi = by_count[lo], lo + 1
            while hi < end and by_count[hi] == n:
                hi += 1
            if hi - lo == 1:
                groups.append((n, [(names[ordinal[positions[lo]]], positions[lo])]))
            else:
                groups.append((n, sorted([(names[ordinal[j]], j) for j in positions[lo:hi]])))
            lo = hi
        return groups

    def _query_lsh(self, signatures: np.ndarray, exclude: str | None) -> dict[str, list[int]]:
        """datasketch's index: each document's hit passages (an ordinal per hit), most hits first, ties by name."""
        assert self._lsh is not None
        found: dict[str, list[int]] = {}
        for sig in signatures:
            for doc_key, ordinal in self._lsh.query(to_lean(sig, self.config.seed)):
                if doc_key != exclude:
                    found.setdefault(doc_key, []).append(ordinal)
        return dict(sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0])))

    def query(self, doc: Document, exclude: str | None = None) -> dict[str, int]:
        """Candidate documents sharing at least one passage bucket with `doc`, most hits first."""
        self._check(doc)
        return self.query_signatures(doc.query_signatures, exclude=exclude)
