"""Many copies of one text (a wire story on every site that runs it): aligned once, every pair reported."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from service.batch import scanner, syndication
from tests.cli.conftest import ScanResult

COPIES = 6


@pytest.fixture
def copies_dir(tmp_path: Path, seed_texts: dict[str, str]) -> Path:
    """Seed 000 as six records of two sites on six days, with seeds 001 and 002 beside them."""
    root = tmp_path / "copies"
    root.mkdir()
    for stem in ("001", "002"):
        (root / f"{stem}.txt").write_text(seed_texts[stem], "utf-8", newline="")
    records = [
        {"id": f"copy-{i}", "text": seed_texts["000"], "source": ("site-a", "site-b")[i % 2],
         "published_at": f"2015-02-{20 + (i * 5) % COPIES:02d}T08:00:00Z"}
        for i in range(COPIES)
    ]
    (root / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", "utf-8")
    return root


def _counted(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(module, name)

    def counting(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_copies_are_aligned_once_and_every_pair_is_reported(
    copies_dir: Path, run_scan: Callable[..., ScanResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scanner, "default_workers", lambda: 1)  # the counts below are this process's
    aligned = _counted(monkeypatch, scanner, "compare")
    discounted = _counted(monkeypatch, syndication, "discount")
    report = run_scan(copies_dir).json()
    pairs = {(p["a"], p["b"]): p for p in report["pairs"]}
    copies = [f"feed.jsonl#copy-{i}" for i in range(COPIES)]
    among = [(a, b) for i, a in enumerate(copies) for b in copies[i + 1 :]]
    assert all(pairs[key]["kind"] == "duplicate" for key in among)
    # and each copy with 001 and 002 (three copies from one site do not make the text that site's boilerplate),
    # and 001 with 002
    assert len(pairs) == len(among) + 2 * COPIES + 1
    # three texts: one alignment a pair of texts (4), where one a pair would be 28; and one discounting a pair of
    # (text, source): the copies of sites a and b in four orders, and 001 and 002 with each site's and each other
    assert len(aligned) == 4 and len(discounted) == 9
    # copies pair alike with the other texts, but each pair's direction follows its own two dates
    for other in ("001.txt", "002.txt"):
        spans = {json.dumps(pairs[(other, c)]["passages"]) for c in copies}  # ids in order: 0 < f
        assert len(spans) == 1
    dated = {c: f"2015-02-{20 + (i * 5) % COPIES:02d}" for i, c in enumerate(copies)}
    for a, b in among:
        earlier = a if dated[a] < dated[b] else b
        assert pairs[(a, b)]["syndication"]["origin"] == earlier


def test_a_story_updated_twice_is_still_found_reused(
    tmp_path: Path, seed_texts: dict[str, str], run_scan: Callable[..., ScanResult]
) -> None:
    """Three versions of seed 000 from one site (an "Updated" line, then an added paragraph) are one story to
    that site's boilerplate: each version still pairs with 002, which rewrites 000."""
    root = tmp_path / "versions"
    root.mkdir()
    text = seed_texts["000"]
    versions = [text, text + "\n\nUpdated at 14:05 GMT.", text + "\n\nUpdated at 16:40 GMT.\n\nQu spoke in Brussels."]
    records = [{"id": f"v{i}", "text": t, "source": "site-a"} for i, t in enumerate(versions)]
    records.append({"id": "rewrite", "text": seed_texts["002"], "source": "site-b"})
    (root / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", "utf-8")
    pairs = {(p["a"], p["b"]): p for p in run_scan(root).json()["pairs"]}
    for i in range(3):
        found = pairs[("feed.jsonl#rewrite", f"feed.jsonl#v{i}")]
        assert found["passages"] and found["kind"] == "partial"
    assert all(pairs[(f"feed.jsonl#v{i}", f"feed.jsonl#v{j}")]["kind"] in ("duplicate", "near_duplicate")
               for i in range(3) for j in range(i + 1, 3))
