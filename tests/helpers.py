"""Shared test helpers: where the fixture articles and the project's shared seeds live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = FIXTURES / "articles"
SEEDS = Path(os.environ.get("SYNDET_SEEDS", Path(__file__).resolve().parents[2] / "shared" / "seeds"))


def read(path: Path) -> str:
    """A file's text as the engine's offsets count it: UTF-8, no newline translation."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def article(name: str) -> str:
    return read(ARTICLES / f"{name}.txt")


def seeds() -> dict[str, str]:
    """The five seed articles by id ('000'..'004'); skips the test where ../shared/seeds is absent."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (set SYNDET_SEEDS)")
    return {p.stem: read(p) for p in sorted(SEEDS.glob("*.txt"))}
