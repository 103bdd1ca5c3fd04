"""Fixtures for `syndet scan`: real seed articles copied into a temporary folder, and a runner."""

from __future__ import annotations

import html
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from service.commands.scan import scan

SEEDS = Path(os.environ.get("SYNDET_SEEDS", Path(__file__).resolve().parents[3] / "shared" / "seeds"))
PHRASE = "become a distraction in its foreign policy"
"""Quoted in seeds 000 and 001: a reused passage must contain it on both sides."""


def read(path: Path) -> str:
    """A file's text as report offsets count it: UTF-8, no newline translation."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """The five seed articles by stem ('000'..'004'); skips where ../shared/seeds is absent."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (set SYNDET_SEEDS)")
    return {p.stem: read(p) for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture
def seeds_dir(tmp_path: Path, seed_texts: dict[str, str]) -> Path:
    """A copy of the seeds folder, so tests may add files next to them."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def html_page(title: str, body: list[str]) -> str:
    """A news page with the boilerplate trafilatura must drop: navigation, a cookie banner, a footer."""
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{html.escape(title)} | The Moscow Times</title>
<link rel="canonical" href="https://www.themoscowtimes.com/2015/02/27/a44283">
<meta property="og:site_name" content="The Moscow Times">
<meta property="article:published_time" content="2015-02-27T10:00:00Z"></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News section</a></li>
<li><a href="/subscribe">Subscribe to our weekly newsletter today</a></li></ul></nav>
<div class="cookie">We use cookies to improve your experience on our website and for analytics.</div>
<article><h1>{html.escape(title)}</h1>
{paras}
</article>
<footer><p>Copyright The Moscow Times. All rights reserved. Read our privacy policy and terms of use.</p>
</footer></body></html>
"""


@pytest.fixture
def mixed_dir(tmp_path: Path, seed_texts: dict[str, str]) -> Path:
    """One story in four formats: 000 as HTML, 001 as Markdown, 003 in JSONL, 004 and 002 in a JSON list."""
    root = tmp_path / "mixed"
    (root / "web").mkdir(parents=True)
    s000 = paragraphs(seed_texts["000"])
    (root / "web" / "moscow-times.html").write_text(html_page(s000[0].lstrip("# "), s000[3:]), "utf-8")
    (root / "independent.md").write_text("# Independent\n\n" + seed_texts["001"], "utf-8", newline="")
    record_003 = {
        "id": "scmp-2022",
        "text": seed_texts["003"],
        "url": "https://www.scmp.com/news/china/article/3164906",
        "source": "South China Morning Post",
        "title": "China urges US to respect Russia's concerns",
        "published_at": "2022-01-27",
    }
    (root / "feed.jsonl").write_text(
        json.dumps(record_003) + "\n\n" + json.dumps({"text": "  "}) + "\n", "utf-8"
    )
    batch = [{"text": seed_texts["004"], "source": "The National Interest"}, {"text": seed_texts["002"]}]
    (root / "batch.json").write_text(json.dumps(batch, ensure_ascii=False), "utf-8")
    return root


@dataclass
class ScanResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> dict[str, Any]:
        return json.loads(self.stdout)


_app = typer.Typer()
_app.command()(scan)


@pytest.fixture
def run_scan() -> Callable[..., ScanResult]:
    """Run `syndet scan` in-process with real arguments; stdout and stderr kept apart."""

    def run(*args: str | Path) -> ScanResult:
        result = CliRunner().invoke(_app, [str(a) for a in args])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return ScanResult(result.exit_code, result.stdout, result.stderr)

    return run
