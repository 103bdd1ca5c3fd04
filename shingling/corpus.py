"""An in-memory corpus: add texts, then ask for every pair that shares text, or for one text's matches."""

from __future__ import annotations

from shingling.align import compare
from shingling.comparison import Comparison
from shingling.config import EngineConfig
from shingling.document import Document, prepare
from shingling.index import PassageIndex
from shingling.screen import screened_out


def _strength(c: Comparison) -> tuple[float, float]:
    return (max(c.containment_a, c.containment_b), c.jaccard)


class Corpus:
    """Documents by id, an LSH index over their passages, and alignment of the candidates it finds."""

    def __init__(self, config: EngineConfig | None = None) -> None:
        self.index = PassageIndex(config)
        self.config = self.index.config
        self.documents: dict[str, Document] = {}

    def __len__(self) -> int:
        return len(self.documents)

    def add(self, doc_id: str, text: str | Document) -> Document:
        """Prepare and index a text (or an already prepared Document) under `doc_id`."""
        if doc_id in self.documents:
            raise KeyError(f"{doc_id!r} was added already")
        doc = text if isinstance(text, Document) else prepare(text, self.config)
        self.index.insert(doc_id, doc)
        self.documents[doc_id] = doc
        return doc

    def candidates(self) -> list[tuple[str, str]]:
        """Every pair (a < b) whose passages share an LSH bucket, sorted."""
        found: set[tuple[str, str]] = set()
        for doc_id, doc in self.documents.items():
            for other in self.index.query(doc, exclude=doc_id):
                found.add((doc_id, other) if doc_id < other else (other, doc_id))
        return sorted(found)

    def pairs(self) -> list[tuple[str, str, Comparison]]:
        """Every pair (a < b) that shares text, aligned; sorted by ids, so the result is deterministic. Every
        candidate pair is aligned whole (no screening: each text is prepared already)."""
        out = []
        for a, b in self.candidates():
            c = compare(self.documents[a], self.documents[b])
            if c.shared:
                out.append((a, b, c))
        return out

    def query(self, text: str | Document, exclude: str | None = None) -> list[tuple[str, Comparison]]:
        """Every added document sharing text with `text`, most shared first (the new text is side a); long
        candidates are screened on their hit passages first, as the service screens them (`shingling.screen`)."""
        doc = text if isinstance(text, Document) else prepare(text, self.config)
        found = self.index.query_passages(doc.query_signatures, exclude=exclude)
        out = []
        for other in sorted(found):
            if screened_out(doc, self.documents[other].text, found[other].passages):
                continue
            c = compare(doc, self.documents[other])
            if c.shared:
                out.append((other, c))
        out.sort(key=lambda item: (-_strength(item[1])[0], -_strength(item[1])[1], item[0]))
        return out
