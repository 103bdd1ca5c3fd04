"""Request body size limit answered with 413 and a JSON `detail`, declared or streamed.

Starlette's `RequestBodyLimitMiddleware` (what FastAPI's `max_body_size` installs) counts streamed
bytes, but answers a too-large declared Content-Length in plain text from outside the app's error
handlers. Here a declared length is refused first, in JSON, and Starlette's limiter only counts
streamed (chunked) bodies, whose 413 goes through the app's HTTPException handler.
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send


class BodySizeLimit:
    """Pure ASGI middleware: 413 when Content-Length, or the bytes actually sent, exceed `max_body_size`."""

    def __init__(self, app: ASGIApp, max_body_size: int) -> None:
        self.app = RequestBodyLimitMiddleware(app, max_body_size=max_body_size)
        self.max_body_size = max_body_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            declared = Headers(scope=scope).get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > self.max_body_size:
                await self._refuse(send, int(declared))
                return
        await self.app(scope, receive, send)

    async def _refuse(self, send: Send, declared: int) -> None:
        body = json.dumps({"detail": too_large_detail(self.max_body_size, declared)}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def too_large_detail(max_body_size: int, declared: int | None = None) -> str:
    size = f"is {declared} bytes" if declared is not None else "is too large"
    return (
        f"the request body {size}; the largest accepted is {max_body_size} bytes "
        "(SYNDET_MAX_BODY_BYTES); articles themselves are limited by SYNDET_MAX_ARTICLE_BYTES"
    )
