"""Structured logs: one JSON object per line on stderr, each carrying the id of the request it belongs to.

Every HTTP request gets an id (the caller's `X-Request-ID` when it is a sane token, else a new one),
echoed in the response's `X-Request-ID` header and attached to every log record written while the
request runs, so a caller's complaint can be matched to the server's lines. One `request` line per
request replaces uvicorn's access log. Nothing here logs bodies, article text or API keys: the request
line holds the method, the path template, the status, the duration and the key's *name*.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "REQUEST_ID_HEADER",
    "JsonFormatter",
    "RequestContext",
    "current_request_id",
    "logging_config",
]

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_request_id: ContextVar[str | None] = ContextVar("syndet_request_id", default=None)
# Standard LogRecord attributes; anything else on a record was passed with `extra=` and is logged as a field.
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}
_MAX_MESSAGE_CHARS = 2000

access_log = logging.getLogger("syndet.access")


def current_request_id() -> str | None:
    """The id of the request being served in this context, if any."""
    return _request_id.get()


class JsonFormatter(logging.Formatter):
    """A log record as one JSON line: time, level, logger, message, request id and `extra=` fields.

    Messages are cut at 2000 characters so that no exception text can carry a whole article into the log.
    """

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": message[:_MAX_MESSAGE_CHARS],
        }
        request_id = getattr(record, "request_id", None) or _request_id.get()
        if request_id is not None:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and key not in entry and key != "request_id":
                entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)[-_MAX_MESSAGE_CHARS:]
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(level: str = "info", json_lines: bool = True) -> dict[str, Any]:
    """A `logging.config.dictConfig` for the service and uvicorn: JSON lines (or plain text) on stderr.

    uvicorn's access log is left out: `RequestContext` writes one `request` line per request instead.
    """
    formatter: dict[str, Any] = (
        {"()": JsonFormatter} if json_lines else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    )
    handler = {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"}
    upper = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"default": handler},
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": upper, "propagate": False},
            "uvicorn.error": {"level": upper},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "service": {"handlers": ["default"], "level": upper, "propagate": False},
            "syndet": {"handlers": ["default"], "level": upper, "propagate": False},
        },
        "root": {"handlers": ["default"], "level": "WARNING"},
    }


Observer = Callable[[str, str, int, float], None]
"""Called once per finished request with (method, route template, status, seconds)."""


class RequestContext:
    """Pure ASGI middleware: request id in, `X-Request-ID` out, one `request` log line, an observer call.

    The route is reported as its template (`/api/v1/articles/{article_id}`), so ids never become labels.
    """

    def __init__(self, app: ASGIApp, observer: Observer | None = None, log_requests: bool = True) -> None:
        self.app = app
        self.observer = observer
        self.log_requests = log_requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        token = _request_id.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = _route_template(scope)
            if self.observer is not None:
                self.observer(scope["method"], route, status, seconds)
            if self.log_requests:
                state = scope.get("state", {})
                access_log.info(
                    "%s %s %d",
                    scope["method"],
                    route,
                    status,
                    extra={
                        "method": scope["method"],
                        "route": route,
                        "status": status,
                        "duration_ms": round(seconds * 1000, 2),
                        "client": (scope.get("client") or ("-", 0))[0],
                        "key": state.get("api_key_name"),
                    },
                )
            _request_id.reset(token)


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _SANE_ID.fullmatch(text) else None
    return None


def _route_template(scope: Scope) -> str:
    """The matched route's full path template, or `unmatched` (unknown paths must not become metric labels).

    A route included under a prefix knows only its own part (`/articles/{article_id}`); the prefix is the
    part of the request path before it.
    """
    route = scope.get("route")
    template = getattr(route, "path", None)
    if not isinstance(template, str):
        return "unmatched"
    tail = [part for part in template.split("/") if part]
    actual = [part for part in str(scope.get("path", "")).split("/") if part]
    if ":path}" in template or len(actual) < len(tail):
        return template
    return "/" + "/".join(actual[: len(actual) - len(tail)] + tail)
