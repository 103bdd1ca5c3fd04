"""A scan split over worker processes reports exactly what one process reports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from service.batch import scanner
from service.batch.pairlist import ListedPair
from service.batch.progress import Feedback
from service.batch.walk import walk
from shingling import EngineConfig
from tests.cli.conftest import ScanResult, paragraphs


@pytest.fixture
def mixed_copies(tmp_path: Path, seed_texts: dict[str, str]) -> Path:
    """The seeds plus 20 articles stitched from their paragraphs (so many pairs share text), one empty."""
    root = tmp_path / "copies"
    root.mkdir()
    paras = [p for text in seed_texts.values() for p in paragraphs(text)]
    for name, text in seed_texts.items():
        (root / f"{name}.txt").write_text(text, "utf-8", newline="")
    for i in range(20):
        picked = [paras[(i * 7 + k * 11) % len(paras)] for k in range(4)]
        (root / f"mix-{i:02d}.txt").write_text("\n\n".join(picked), "utf-8", newline="")
    (root / "empty.txt").write_text("  ...  ", "utf-8")
    return root


def _scan(folder: Path, workers: int) -> tuple[list[str], list[str], list[tuple[str, str, dict]], list[tuple]]:
    config, feedback = EngineConfig(), Feedback(quiet=True)
    loaded = scanner.load(walk(folder, max_bytes=10**7).files, config, feedback, workers=workers)
    found = [(a, b, c.to_dict()) for a, b, c in scanner.lsh_pairs(loaded, config, feedback, workers=workers)]
    ids = sorted(p.article.id for p in loaded.prepared)
    listed = [ListedPair(n + 1, a, b) for n, (a, b) in enumerate(zip(ids, reversed(ids), strict=True))]
    by_list = [(a, b, c.to_dict()) for a, b, c in scanner.listed_pairs(listed, loaded, feedback, workers=workers)]
    return [p.article.id for p in loaded.prepared], [s.message() for s in loaded.skipped], found, by_list


def test_two_workers_give_the_single_process_result(mixed_copies: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scanner, "MIN_PARALLEL", 2)  # use the pool even for this small folder
    single = _scan(mixed_copies, workers=1)
    assert single == _scan(mixed_copies, workers=2)
    ids, skipped, found, _ = single
    assert len(ids) == 25 and len(skipped) == 1 and len(found) > 20


def test_scan_report_is_identical_with_workers(
    mixed_copies: Path, run_scan: Callable[..., ScanResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scanner, "MIN_PARALLEL", 2)
    parallel = run_scan(mixed_copies)
    monkeypatch.setattr(scanner, "default_workers", lambda: 1)
    assert parallel.exit_code == 0 and parallel.stdout == run_scan(mixed_copies).stdout
