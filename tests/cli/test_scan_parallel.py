"""A scan split over worker processes reports exactly what one process reports."""

from __future__ import annotations

import gc
import io
import tracemalloc
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
    found = [(a, b, c.to_dict()) for a, b, c, _ in scanner.lsh_pairs(loaded, feedback, workers=workers)]
    ids = sorted(p.article.id for p in loaded.prepared)
    listed = [ListedPair(n + 1, a, b) for n, (a, b) in enumerate(zip(ids, reversed(ids), strict=True))]
    by_list = [(a, b, c.to_dict()) for a, b, c, _ in scanner.listed_pairs(listed, loaded, feedback, workers=workers)]
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


def test_articles_evicted_from_a_small_cache_are_prepared_again_with_the_same_result(
    mixed_copies: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers keep prepared articles in a bounded cache; one too small for the folder makes them prepare
    articles again, and the pairs must not change."""
    made: list[int] = []
    real_prepare = scanner.prepare

    def counting(text: str, config: EngineConfig | None = None) -> object:
        made.append(len(text))
        return real_prepare(text, config)

    monkeypatch.setattr(scanner, "prepare", counting)  # one process (workers=1), so the calls can be counted
    config, feedback = EngineConfig(), Feedback(quiet=True)
    loaded = scanner.load(walk(mixed_copies, max_bytes=10**7).files, config, feedback, workers=1)
    assert len(made) == 26  # each file read once (one has no words)

    def pairs(cache_bytes: int) -> tuple[list[tuple[str, str, dict]], int, str]:
        made.clear()
        notes = io.StringIO()
        found = scanner.lsh_pairs(loaded, Feedback(stream=notes), workers=1, cache_bytes=cache_bytes)
        return [(a, b, c.to_dict()) for a, b, c, _ in found], len(made), notes.getvalue()

    roomy, roomy_made, roomy_notes = pairs(2**30)
    tight, tight_made, tight_notes = pairs(100_000)  # one or two of the 25 articles
    assert tight == roomy and len(roomy) > 20
    assert roomy_made == 25  # each article prepared once more, to query it and compare it
    assert tight_made > 2 * roomy_made  # evicted articles were prepared again
    assert roomy_notes == ""
    assert "outgrow each worker's cache" in tight_notes and "--cache-mb" in tight_notes  # why it is slower


def test_cache_option_leaves_the_report_as_it_is(mixed_copies: Path, run_scan: Callable[..., ScanResult]) -> None:
    default = run_scan(mixed_copies)
    assert default.exit_code == 0 and run_scan(mixed_copies, "--cache-mb", "1").stdout == default.stdout
    assert run_scan(mixed_copies, "--cache-mb", "0").exit_code == 2  # a usage error, not a crash


def test_the_scan_keeps_no_prepared_article_in_memory(mixed_copies: Path) -> None:
    """What `load` keeps is the texts, counts and the index, not the prepared articles (~100 bytes a word
    before comparing, ~150 after): that is what lets a folder of a hundred thousand articles fit."""
    config, feedback = EngineConfig(), Feedback(quiet=True)
    files = walk(mixed_copies, max_bytes=10**7).files
    scanner.load(files, config, feedback, workers=1)  # warm: compiled kernels, stopword tables
    gc.collect()
    tracemalloc.start()
    loaded = scanner.load(files, config, feedback, workers=1)
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    words = sum(p.words for p in loaded.prepared)
    text = sum(len(p.article.text) for p in loaded.prepared)
    assert words > 4_000
    assert held - text < 40 * words, ((held - text) / words, "bytes a word besides the texts")
