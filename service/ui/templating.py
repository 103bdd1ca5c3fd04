"""The Jinja environment shared by the web pages and the scan report, with its few filters.

Style sheet and script live in `static/` and are either served (`/ui/static/...`) or inlined (`asset`),
so the scan report is one self-contained file and the pages work offline: nothing is fetched elsewhere.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

__all__ = ["STATIC", "TEMPLATES", "asset", "environment", "json_script", "pct"]

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
ASSETS = ("syndet.css", "pairview.js", "report.js")


@functools.cache
def asset(name: str) -> Markup:
    """A static file's text, to inline in a page (the report carries its style and script with it)."""
    if name not in ASSETS:
        raise KeyError(name)
    return Markup((STATIC / name).read_text(encoding="utf-8"))


def json_script(value: Any) -> Markup:
    """JSON safe inside `<script type="application/json">`: no `<`, so no `</script>` can end it early."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c"))


def pct(value: float) -> str:
    """0.2921 -> '29%'; anything above zero shows at least '<1%'."""
    if 0 < value < 0.005:
        return "<1%"
    return f"{value * 100:.0f}%"


def http_url(value: str | None) -> str:
    """The URL if it is http(s), else "": a stored `url` is caller input, and `javascript:` must not become a link."""
    if not value:
        return ""
    return value if urlsplit(value.strip()).scheme.lower() in ("http", "https") else ""


def when(value: datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.strftime("%Y-%m-%d %H:%M UTC")


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=pct, when=when, json_script=json_script, http_url=http_url)
    env.globals.update(asset=asset)
    return env
