"""Candidate search: datasketch MinHash LSH over passage signatures, answering "which stored documents
share a passage with this one?".

Keys in the LSH are `(doc_key, passage_number)`; a query collects the documents behind every passage hit.
The index holds only signatures, so it can always be rebuilt from stored ones (`insert_signatures`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
from datasketch import MinHashLSH

from shingling.config import EngineConfig
from shingling.document import DEFAULT_CONFIG, Document
from shingling.errors import ParameterMismatchError
from shingling.signatures import to_lean


class PassageIndex:
    """LSH over passage signatures of many documents; `storage_config` is datasketch's (e.g. Redis)."""

    def __init__(self, config: EngineConfig | None = None, storage_config: dict | None = None) -> None:
        self.config = config or DEFAULT_CONFIG
        self._lsh = MinHashLSH(
            threshold=self.config.lsh_threshold,
            num_perm=self.config.num_perm,
            storage_config=storage_config,
        )
        self._passages: dict[str, int] = {}

    @property
    def params(self) -> tuple[int, int]:
        """datasketch's chosen (bands, rows)."""
        return self._lsh.b, self._lsh.r

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

    def insert(self, doc_key: str, doc: Document) -> None:
        """Index every passage of `doc` under `doc_key` (which must not be indexed already)."""
        self._check(doc)
        self.insert_signatures(doc_key, doc.signatures)

    def insert_signatures(self, doc_key: str, signatures: np.ndarray) -> None:
        """Index stored signatures (shape (passages, num_perm), made with this index's parameters)."""
        if doc_key in self._passages:
            raise KeyError(f"{doc_key!r} is already indexed")
        if signatures.ndim != 2 or signatures.shape[1] != self.config.num_perm:
            raise ParameterMismatchError(
                f"signatures of shape {signatures.shape} do not fit num_perm={self.config.num_perm}"
            )
        with self._lsh.insertion_session() as session:
            for i, sig in enumerate(signatures):
                session.insert((doc_key, i), to_lean(sig, self.config.seed), check_duplication=False)
        self._passages[doc_key] = len(signatures)

    def remove(self, doc_key: str) -> None:
        """Remove every passage of `doc_key`; KeyError when it is not indexed."""
        n = self._passages.pop(doc_key)
        for i in range(n):
            self._lsh.remove((doc_key, i))

    def query_signatures(self, signatures: Iterable[np.ndarray], exclude: str | None = None) -> dict[str, int]:
        """Candidate documents for these passage signatures, with how many passage hits each got."""
        hits: Counter[str] = Counter()
        for sig in signatures:
            for doc_key, _ in self._lsh.query(to_lean(sig, self.config.seed)):
                if doc_key != exclude:
                    hits[doc_key] += 1
        return dict(hits)

    def query(self, doc: Document, exclude: str | None = None) -> dict[str, int]:
        """Candidate documents sharing at least one passage bucket with `doc`."""
        self._check(doc)
        return self.query_signatures(doc.signatures, exclude=exclude)
