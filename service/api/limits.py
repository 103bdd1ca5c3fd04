"""Limits that keep one caller from starving the others: a per-key rate limit, request timeouts, JSON only.

The rate limit is a token bucket per caller (an API key, or the client address when none is given):
`rate` requests per second on average, bursts of up to `burst`; past that the answer is 429 with a
`Retry-After` that says when the next request will be accepted. The timeout answers 503 (with
`Retry-After`) when a request has not started its response after `seconds`; the work already running in
a thread cannot be stopped and finishes on its own, so a timed-out POST may still be stored (posting it
again then answers 200 with the stored article, never a second copy).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import threading
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass

from fastapi import HTTPException, Request, status
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RateLimiter", "RequestTimeout", "require_json"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets per caller, bounded in number (the least recently seen callers are forgotten first).

    >>> limiter = RateLimiter(rate=1.0, burst=2)
    >>> [limiter.acquire("k", now=0.0) for _ in range(3)]
    [0.0, 0.0, 1.0]
    """

    def __init__(self, rate: float, burst: int, max_callers: int = 10_000) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self.max_callers = max_callers
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def acquire(self, caller: str, now: float | None = None) -> float:
        """Take one token for `caller`: 0.0 when allowed, else the seconds until a token is free."""
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.pop(caller, None) or _Bucket(float(self.burst), now)
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            self._buckets[caller] = bucket
            while len(self._buckets) > self.max_callers:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate

    def check(self, caller: str) -> None:
        """Raise 429 with `Retry-After` (whole seconds, at least 1) when `caller` is over its rate."""
        wait = self.acquire(caller)
        if wait > 0:
            raise HTTPException(
                status_code=status.HTTP_429_TOO_MANY_REQUESTS,
                detail=f"rate limit exceeded: at most {self.rate:g} requests per second (bursts of {self.burst}) "
                f"per API key or client (SYNDET_RATE_LIMIT, SYNDET_RATE_BURST); retry in {math.ceil(wait)} s",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )


class RequestTimeout:
    """Pure ASGI middleware: 503 when the app has not started answering within `seconds`.

    The app keeps running in the background after the timeout; whatever it sends then is dropped.
    """

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds
        self._background: set[asyncio.Task[None]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = asyncio.Event()
        timed_out = False

        async def guarded_send(message: Message) -> None:
            if timed_out:
                return
            if message["type"] == "http.response.start":
                started.set()
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded_send))
        waiter = asyncio.ensure_future(started.wait())
        try:
            await asyncio.wait({task, waiter}, timeout=self.seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
        if task.done() or started.is_set():
            await task  # finished, or streaming its response: let it end (and raise what it raises)
            return
        timed_out = True
        self._background.add(task)
        task.add_done_callback(self._finished_late)
        log.warning("request timed out after %g s; its work goes on in the background", self.seconds)
        body = json.dumps(
            {
                "detail": f"the request took longer than {self.seconds:g} s (SYNDET_REQUEST_TIMEOUT) and was "
                "abandoned; retry later (a timed-out POST may have been stored: posting it again is safe)"
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status.HTTP_503_SERVICE_UNAVAILABLE,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", b"5"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _finished_late(self, task: asyncio.Task[None]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            with contextlib.suppress(Exception):
                log.error("a timed-out request failed later: %s", type(task.exception()).__name__)


async def require_json(request: Request) -> None:
    """415 unless the body is declared JSON (`application/json` or `application/*+json`)."""
    declared = request.headers.get("content-type", "")
    media = declared.split(";", 1)[0].strip().lower()
    if media == "application/json" or (media.startswith("application/") and media.endswith("+json")):
        return
    raise HTTPException(
        status_code=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
        detail="the body must be JSON sent with `Content-Type: application/json` "
        + (f"(got {declared!r})" if declared else "(no Content-Type was given)"),
    )


async def single_query_values(request: Request) -> None:
    """422 for a query parameter the operation does not take, or one given more than once: every parameter of
    this API takes one value, and silently ignoring a misspelt filter or keeping the last of several values
    would answer a question the client did not ask."""
    route = request.scope.get("route")
    known = _query_names(route.dependant) if isinstance(route, APIRoute) else None
    counts = Counter(key for key, _ in request.query_params.multi_items())
    unknown = sorted(key for key in counts if known is not None and key not in known)
    repeated = sorted(key for key, n in counts.items() if n > 1 and key not in unknown)
    problems = []
    if unknown:
        allowed = ", ".join(f"`{key}`" for key in sorted(known or ())) or "none"
        problems.append(f"unknown query parameter(s) {', '.join(f'`{k}`' for k in unknown)} (this operation takes "
                        f"{allowed})")
    if repeated:
        problems.append("each query parameter takes one value; given more than once: "
                        + ", ".join(f"`{key}`" for key in repeated))
    if problems:
        raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, detail="; ".join(problems))


def _query_names(dependant: Dependant) -> set[str]:
    """The query parameters an operation takes, its dependencies' included (a handful: cheap per request)."""
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names
