"""PAN's plagdet measure, computed the way the official PAN 2013 text-alignment scorer computes it.

The reference is ``pan13-text-alignment-perfmeasures.py`` (pan-webis-de/pan-code, clef13/text-alignment;
Potthast et al., "An Evaluation Framework for Plagiarism Detection", COLING 2010). Its conventions are kept:

- Annotations are indexed by the suspicious ("this") document; a detection touches a case only when both
  name the same suspicious document, overlap there, and (when both are external) name the same source
  document and overlap there too.
- Recall is macro-averaged over cases: each case scores the share of its characters (this + source side)
  covered by the detections touching it; a case in a document without any detection scores 0.
- Precision is recall with cases and detections exchanged (macro-averaged over detections).
- With no cases and no detections recall and precision are 1; with only one of the two empty they are 0.
- Granularity is the mean number of detections touching each detected case; 1 when nothing is detected.
- plagdet = F1 / log2(1 + granularity).
- The official ``main`` reads cases and detections from XML into sets, so duplicates count once;
  :func:`evaluate` does the same.

Overlaps are measured with interval arithmetic instead of per-character bitmaps, which gives the same
integers without allocating an array per annotation.

>>> case = Annotation("susp.txt", 0, 100, "src.txt", 0, 100)
>>> round(evaluate([case], [Annotation("susp.txt", 0, 50, "src.txt", 0, 50)]).plagdet, 4)
0.6667
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import NamedTuple

from bench.common import covered_chars

__all__ = [
    "Annotation",
    "PlagdetResult",
    "case_recall",
    "evaluate",
    "granularity",
    "is_overlapping",
    "macro_avg_precision",
    "macro_avg_recall",
    "plagdet_score",
]


class Annotation(NamedTuple):
    """A plagiarism case or detection: a span of a suspicious document and the span of a source it reuses.

    Intrinsic annotations (``is_external=False``) carry only the suspicious side, with ``""``, 0, 0 for
    the source, as in the official scorer.
    """

    this_reference: str
    this_offset: int
    this_length: int
    source_reference: str
    source_offset: int
    source_length: int
    is_external: bool = True

    @property
    def size(self) -> int:
        """Characters on both sides, the denominator of a case's (or detection's) recall."""
        return self.this_length + self.source_length


@dataclass(frozen=True)
class PlagdetResult:
    """The four PAN figures for one set of cases and detections, with the counts they came from."""

    plagdet: float
    recall: float
    precision: float
    granularity: float
    cases: int
    detections: int

    def to_dict(self) -> dict[str, float | int]:
        """JSON-able figures."""
        return asdict(self)


def is_overlapping(ann1: Annotation, ann2: Annotation) -> bool:
    """True when ann2 overlaps ann1 in the suspicious document (and in the source, when both are external)."""
    detected = (
        ann1.this_reference == ann2.this_reference
        and ann2.this_offset + ann2.this_length > ann1.this_offset
        and ann2.this_offset < ann1.this_offset + ann1.this_length
    )
    if ann1.is_external and ann2.is_external:
        detected = (
            detected
            and ann1.source_reference == ann2.source_reference
            and ann2.source_offset + ann2.source_length > ann1.source_offset
            and ann2.source_offset < ann1.source_offset + ann1.source_length
        )
    return detected


def _this_span(ann: Annotation) -> tuple[int, int]:
    return ann.this_offset, ann.this_offset + ann.this_length


def _source_span(ann: Annotation) -> tuple[int, int]:
    return ann.source_offset, ann.source_offset + ann.source_length


def _overlapping_chars(ann: Annotation, others: Sequence[Annotation]) -> int:
    """Characters of ann (this side plus source side) covered by the annotations overlapping it."""
    touching = [o for o in others if is_overlapping(ann, o)]
    if not touching:
        return 0
    this_chars = covered_chars(*_this_span(ann), (_this_span(o) for o in touching))
    source_chars = covered_chars(*_source_span(ann), (_source_span(o) for o in touching))
    return this_chars + source_chars


def case_recall(case: Annotation, detections: Sequence[Annotation]) -> float:
    """Share of the case's characters (both sides) covered by the detections."""
    if case.size <= 0:
        raise ValueError(f"annotation {case} has no characters; the official scorer divides by its length")
    return _overlapping_chars(case, detections) / case.size


def _by_suspicious(annotations: Iterable[Annotation]) -> dict[str, list[Annotation]]:
    index: dict[str, list[Annotation]] = {}
    for ann in annotations:
        index.setdefault(ann.this_reference, []).append(ann)
    return index


def macro_avg_recall(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Mean over cases of the share of each case detected (0 for cases in documents without detections)."""
    if not cases and not detections:
        return 1.0
    if not cases or not detections:
        return 0.0
    det_index = _by_suspicious(detections)
    total = 0.0
    for tref, doc_cases in _by_suspicious(cases).items():
        doc_dets = det_index.get(tref)
        if not doc_dets:
            continue
        total += sum(case_recall(case, doc_dets) for case in doc_cases)
    return total / len(cases)


def macro_avg_precision(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Mean over detections of the share of each detection inside cases (recall with roles exchanged)."""
    return macro_avg_recall(detections, cases)


def granularity(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Mean number of detections touching each detected case; 1 when no case is detected."""
    if not detections:
        return 1.0
    det_index = _by_suspicious(detections)
    touching = 0
    detected_cases = 0
    for tref, doc_cases in _by_suspicious(cases).items():
        doc_dets = det_index.get(tref)
        if not doc_dets:
            continue
        for case in doc_cases:
            hits = sum(1 for det in doc_dets if is_overlapping(case, det))
            touching += hits
            detected_cases += hits > 0
    if detected_cases == 0:
        return 1.0
    return touching / detected_cases


def plagdet_score(rec: float, prec: float, gran: float) -> float:
    """F1 of recall and precision, discounted by log2(1 + granularity); 0 for degenerate inputs."""
    if (rec == 0 and prec == 0) or prec < 0 or rec < 0 or gran < 1:
        return 0.0
    return ((2 * rec * prec) / (rec + prec)) / math.log(1 + gran, 2)


def evaluate(cases: Iterable[Annotation], detections: Iterable[Annotation]) -> PlagdetResult:
    """Score detections against cases as the official scorer's ``main`` does (macro-averaged, sets)."""
    case_set = list(dict.fromkeys(cases))
    det_set = list(dict.fromkeys(detections))
    for ann in (*case_set, *det_set):
        if ann.this_length < 0 or ann.source_length < 0 or ann.size == 0:
            raise ValueError(f"annotation {ann} is empty or has a negative length")
    rec = macro_avg_recall(case_set, det_set)
    prec = macro_avg_precision(case_set, det_set)
    gran = granularity(case_set, det_set)
    return PlagdetResult(
        plagdet=plagdet_score(rec, prec, gran),
        recall=rec,
        precision=prec,
        granularity=gran,
        cases=len(case_set),
        detections=len(det_set),
    )
