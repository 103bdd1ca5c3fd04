"""Remake the screenshots in docs/: the article page and the pair view of seeds 000 and 001, the scan report.

    python docs/screenshots.py            # needs /usr/bin/chromium (Debian's chromium package) and the seeds

Runs the real app on a free port of 127.0.0.1 with a temporary SQLite file, posts the seeds through the API,
and photographs the pages in headless Chromium.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from playwright.sync_api import Page, sync_playwright
from typer.testing import CliRunner

from service.cli import app as cli
from service.core.config import Settings
from service.main import create_app
from tests.helpers import SEEDS, seeds
from tests.ui.conftest import CHROMIUM, CHROMIUM_ARGS, SEED_META

DOCS = Path(__file__).resolve().parent


def serve(folder: str) -> tuple[uvicorn.Server, str]:
    app = create_app(Settings(database_url=f"sqlite:///{folder}/docs.db"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    app.state.detector.wait_ready(30)
    return server, f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"


def settle(page: Page) -> None:
    page.wait_for_timeout(600)  # smooth scrolling


def main() -> None:
    folder = tempfile.mkdtemp(prefix="syndet-docs-")
    server, base = serve(folder)
    ids = {}
    for stem, text in seeds().items():
        body = {"text": text, "external_id": f"seed-{stem}", **SEED_META[stem]}
        ids[stem] = httpx.post(f"{base}/api/v1/articles", json=body, timeout=60).json()["article"]["id"]
    report = Path(folder) / "report.html"
    CliRunner().invoke(cli, ["scan", str(SEEDS), "--html", str(report), "--out", str(Path(folder) / "r.json"), "-q"])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1360, "height": 1000})
        page.goto(f"{base}/ui/articles/{ids['001']}")
        page.screenshot(path=DOCS / "ui-article.png")

        page.goto(f"{base}/ui/pair/{ids['000']}/{ids['001']}")
        far = page.locator(".text[data-side=a] a.first").last
        far.scroll_into_view_if_needed()
        far.click()
        settle(page)
        page.evaluate("() => window.scrollTo(0, document.querySelector('.pair').offsetTop - 8)")
        settle(page)
        page.screenshot(path=DOCS / "ui-pair.png")

        page.goto(report.as_uri())
        page.screenshot(path=DOCS / "report-pairs.png")

        phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        phone.goto(f"{base}/ui/pair/{ids['000']}/{ids['001']}")
        phone.locator("details.passages").evaluate("el => el.open = false")
        phone.evaluate("() => window.scrollTo(0, document.querySelector('.steps').offsetTop - 8)")
        phone.screenshot(path=DOCS / "ui-pair-phone.png")
        browser.close()
    server.should_exit = True
    print("wrote", ", ".join(sorted(p.name for p in DOCS.glob("*.png"))))


if __name__ == "__main__":
    main()
