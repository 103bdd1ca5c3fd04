"""The quality gate: CI fails when a detection-quality figure drops below its floor in bench/floors.json.

The own set is always gated; the fixed PAN 2013 subset only where ../shared/eval/pan13-train exists (set
SYNDET_EVAL to point elsewhere). A failure prints every figure next to its bound. If a change lowers a figure
on purpose (a trade-off worth making), re-pin with
``python bench/quality_gate.py --pan ../shared/eval/pan13-train --write-floors`` and say why in the commit.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.quality_gate import check, gate, load_floors, run_pan

REPO = Path(__file__).resolve().parents[2]
PAN = Path(os.environ.get("SYNDET_EVAL", REPO.parent / "shared" / "eval")) / "pan13-train"
RE_PIN = "python bench/quality_gate.py --pan ../shared/eval/pan13-train --write-floors"


def _assert_meets_floors(figures: dict[str, float]) -> None:
    ok, table = check(figures, load_floors())
    print(table)
    assert ok, f"quality below the floors of bench/floors.json (re-pin only on purpose: {RE_PIN})\n{table}"


def test_own_set_meets_floors() -> None:
    _assert_meets_floors(gate(None, verbose=False))


@pytest.mark.skipif(
    not (PAN / "pairs.jsonl").exists(),
    reason=f"PAN 2013 corpus not found at {PAN}: the PAN subset gate is skipped (set SYNDET_EVAL)",
)
def test_pan_subset_meets_floors() -> None:
    _assert_meets_floors(run_pan(PAN, workers=2).figures)
