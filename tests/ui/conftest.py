"""Fixtures for the web pages and the scan report: the real app served on 127.0.0.1 with the seeds posted
through the API, a scan report of the seeds, and headless Chromium (skipped where it is not installed)."""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from typer.testing import CliRunner

from service.cli import app as cli
from service.core.config import Settings
from service.main import create_app
from tests.helpers import SEEDS, article, seeds

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SEED_META: dict[str, dict[str, str]] = {
    "000": {
        "source": "The Moscow Times",
        "title": "Chinese Diplomat Urges West to See Russia's Security Fears Over Ukraine",
        "published_at": "2015-02-27T09:00:00Z",
    },
    "001": {
        "source": "The Independent",
        "title": "Ukraine crisis: Top Chinese diplomat backs Putin and says West should 'abandon zero-sum mentality'",
        "published_at": "2015-02-27T17:42:00Z",
    },
    "002": {"title": "China Supports Russia Against Western Powers"},
    "003": {"title": "China urges US to respect Russia’s concerns in stand-off over Ukraine"},
    "004": {"title": "China Urges Calm and Respect for Russia Amid Growing Ukraine Crisis"},
}
"""What the seeds say about themselves (titles, and the outlets and dates the articles name)."""


@dataclass(frozen=True)
class Live:
    """A running server: its base URL and the stored id of each seed ('000'..'004')."""

    base: str
    ids: dict[str, int]

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    """The app under uvicorn on a free port of 127.0.0.1, seeds posted through `POST /api/v1/articles`."""
    texts = seeds()
    folder = tempfile.mkdtemp(prefix="syndet-ui-")
    app = create_app(Settings(database_url=f"sqlite:///{folder}/ui.db"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, name="ui-server", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                pytest.fail("the server did not start")
            time.sleep(0.05)
        assert app.state.detector.wait_ready(30), app.state.detector.load_error
        port = server.servers[0].sockets[0].getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        ids = {}
        with httpx.Client(base_url=base, timeout=60) as client:
            for stem, text in texts.items():
                body = {"text": text, "external_id": f"seed-{stem}", **SEED_META[stem]}
                response = client.post("/api/v1/articles", json=body)
                assert response.status_code == 201, response.text
                ids[stem] = response.json()["article"]["id"]
        yield Live(base, ids)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`syndet scan <seeds> --html report.html --out report.json`: both files and the CLI's result."""
    seeds()  # skips where the seeds are absent
    folder = tmp_path_factory.mktemp("report")
    page, report = folder / "report.html", folder / "report.json"
    result = CliRunner().invoke(cli, ["scan", str(SEEDS), "--html", str(page), "--out", str(report), "-q"])
    assert result.exit_code == 0, result.output
    return {"html": page, "json": report, "result": result}


@pytest.fixture(scope="module")
def boilerplate_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A scan of four articles of one site that all carry 001's donation appeal and comment prompt; two of
    them also share two paragraphs. The report's pair view must grey the site's boilerplate on both sides."""
    s = seeds()["001"]
    head = s[s.index("Your support helps us") : s.index("China has voiced its support")]
    tail = s[s.index("Join our commenting forum") :]
    harbour = article("harbour")
    own = (
        "Our correspondent spent the morning at the quay, where fishermen described a week of cancelled trips.\n\n"
        "Local councillors will meet on Thursday to discuss compensation for the crews."
    )
    kept = "\n\n".join(harbour.split("\n\n")[3:5])
    records = [
        {"id": "original", "text": s},
        {"id": "harbour", "text": f"{head}{harbour}\n\n{tail}"},
        {"id": "orchard", "text": f"{head}{article('orchard')}\n\n{tail}"},
        {"id": "retold", "text": f"{head}{own}\n\n{kept}\n\n{tail}"},
    ]
    folder = tmp_path_factory.mktemp("site")
    docs = folder / "docs"
    docs.mkdir()
    lines = (json.dumps({**r, "source": "The Independent"}) for r in records)
    (docs / "site.jsonl").write_text("\n".join(lines), encoding="utf-8")
    page, report = folder / "report.html", folder / "report.json"
    result = CliRunner().invoke(cli, ["scan", str(docs), "--html", str(page), "--out", str(report), "-q"])
    assert result.exit_code == 0, result.output
    return {"html": page, "json": report}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright; skipped where either is missing (never downloads a browser)."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
