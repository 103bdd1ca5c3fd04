"""API keys: made at random, stored only as a hash, checked in constant time, required for writes.

A key is shown once, when `syndet keys create` makes it; the database keeps its sha256 (the keys are
256 random bits, so a plain hash cannot be reversed or guessed) and a short prefix to recognise it by.
Requests present it in `X-API-Key`. While no key exists, writes are open (the server says so loudly at
start-up and binds 127.0.0.1 by default); once one has been made, creating and deleting articles need a
valid key, and reads need one too when `SYNDET_READ_ACCESS=keyed`. Revoking every key does not reopen
writes: it closes them until a new key is made. Keys are re-read from the database every
`KeyRing.ttl` seconds, so a key revoked with `syndet keys revoke` stops working within that time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.security import APIKeyHeader
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from service.api.limits import RateLimiter
from service.core.config import Settings
from service.models import ApiKey, utc_now

__all__ = [
    "API_KEY_HEADER",
    "KEY_PREFIX",
    "ActiveKey",
    "KeyRing",
    "ReadAccess",
    "WriteAccess",
    "authorize",
    "create_key",
    "document_access",
    "generate_key",
    "hash_key",
    "list_keys",
    "revoke_key",
]

API_KEY_HEADER = "X-API-Key"
KEY_PREFIX = "syndet_"
SHOWN_PREFIX_CHARS = len(KEY_PREFIX) + 6

SCHEME = "APIKey"
api_key_header = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    scheme_name=SCHEME,
    description="An API key made with `syndet keys create`. Needed for writes once any key exists.",
)
_READ_SCHEME = "APIKeyForReads"  # marks read operations in the generated schema; `document_access` resolves it
read_key_header = APIKeyHeader(name=API_KEY_HEADER, auto_error=False, scheme_name=_READ_SCHEME)


def generate_key() -> str:
    """A new key: the `syndet_` prefix and 256 random bits, URL-safe."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    """What is stored for a key (sha256, hex); the key itself is never stored."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


# -- keys in the database ---------------------------------------------------------------------------


def create_key(session: Session, name: str) -> tuple[ApiKey, str]:
    """Store a new key named `name`; returns the row and the key (the only time it is known)."""
    key = generate_key()
    row = ApiKey(name=name, prefix=key[:SHOWN_PREFIX_CHARS], key_hash=hash_key(key))
    session.add(row)
    session.commit()
    return row, key


def list_keys(session: Session, include_revoked: bool = True) -> list[ApiKey]:
    query = select(ApiKey).order_by(ApiKey.id)
    if not include_revoked:
        query = query.where(ApiKey.revoked_at.is_(None))
    return list(session.scalars(query).all())


def revoke_key(session: Session, key_id: int) -> ApiKey | None:
    """Mark a key revoked (kept for the record); None if no key has this id. Revoking twice is harmless."""
    row = session.get(ApiKey, key_id)
    if row is None:
        return None
    if row.revoked_at is None:
        row.revoked_at = utc_now()
        session.commit()
    return row


# -- checking requests ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActiveKey:
    id: int
    name: str
    key_hash: str


class KeyRing:
    """The active keys' hashes, re-read from the database at most every `ttl` seconds."""

    def __init__(self, sessions: sessionmaker[Session], ttl: float = 2.0) -> None:
        self.sessions = sessions
        self.ttl = ttl
        self._keys: list[ActiveKey] = []
        self._configured = False
        self._loaded_at = float("-inf")
        self._lock = threading.Lock()

    def stale(self) -> bool:
        """Whether the next look at the keys re-reads them from the database."""
        return time.monotonic() - self._loaded_at >= self.ttl

    def refresh(self) -> None:
        """Re-read the keys from the database if they are stale (a database read: call it off the event loop)."""
        with self._lock:
            if not self.stale():
                return
            with self.sessions() as session:
                rows = list_keys(session)
            self._keys = [ActiveKey(r.id, r.name, r.key_hash) for r in rows if r.revoked_at is None]
            self._configured = bool(rows)
            self._loaded_at = time.monotonic()

    def active(self, refresh: bool = True) -> list[ActiveKey]:
        """The active keys (re-read first when stale, unless `refresh` is False)."""
        if refresh:
            self.refresh()
        return self._keys

    def configured(self, refresh: bool = True) -> bool:
        """True once any key has been made (revoked ones included): from then on writes need a key."""
        if refresh:
            self.refresh()
        return self._configured

    async def refreshed(self) -> None:
        """`refresh` for a request: in a worker thread when the keys are due to be re-read (at most every `ttl`
        seconds), else nothing, so that most requests check their key without leaving the event loop."""
        if self.stale():
            await run_in_threadpool(self.refresh)

    def match(self, presented: str, refresh: bool = True) -> ActiveKey | None:
        """The active key `presented` is, compared against every stored hash in constant time."""
        digest = hash_key(presented)
        found = None
        for key in self.active(refresh):
            if hmac.compare_digest(digest, key.key_hash):
                found = key
        return found


def _keyed(request: Request, write: bool) -> bool:
    """Whether the request needs a key once keys exist: writes always, reads when `SYNDET_READ_ACCESS=keyed`."""
    settings: Settings = request.app.state.settings
    return write or settings.read_access == "keyed"


def authorize(request: Request, presented: str | None, write: bool) -> ActiveKey | None:
    """The access rules for a caller already in a worker thread (the HTML pages): keys re-read when due."""
    keyed = _keyed(request, write)
    if presented or keyed:
        request.app.state.keys.refresh()
    return _decide(request, presented, keyed)


async def _authorize(request: Request, presented: str | None, write: bool) -> ActiveKey | None:
    """The access rules as a dependency, run on the event loop: a sync one went to a worker thread and back on
    every request, though the keys are re-read from the database at most every `KeyRing.ttl` seconds (then in
    a worker thread)."""
    keyed = _keyed(request, write)
    if presented or keyed:
        await request.app.state.keys.refreshed()
    return _decide(request, presented, keyed)


def _decide(request: Request, presented: str | None, keyed: bool) -> ActiveKey | None:
    """Rate-limit the caller, then refuse a wrong key (always) or a missing one (when `keyed` and keys exist),
    against the keys as last read."""
    ring: KeyRing = request.app.state.keys
    limiter: RateLimiter | None = request.app.state.rate_limiter
    key = ring.match(presented, refresh=False) if presented else None
    if limiter is not None:
        client = request.client.host if request.client else "unknown"
        limiter.check(f"key:{key.id}" if key is not None else f"client:{client}")
    if presented and key is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=f"the {API_KEY_HEADER} header does not hold an active API key (revoked, mistyped, or "
            "from another server)",
            headers={"WWW-Authenticate": API_KEY_HEADER},
        )
    if key is None and keyed and ring.configured(refresh=False):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=f"this endpoint needs an API key in the {API_KEY_HEADER} header "
            "(an administrator makes one with `syndet keys create NAME`)",
            headers={"WWW-Authenticate": API_KEY_HEADER},
        )
    if key is not None:
        request.state.api_key_name = key.name
    return key


async def write_access(
    request: Request, presented: Annotated[str | None, Depends(api_key_header)]
) -> ActiveKey | None:
    """Creating or deleting articles: a valid key once any key has been made."""
    return await _authorize(request, presented, write=True)


async def read_access(
    request: Request, presented: Annotated[str | None, Depends(read_key_header)]
) -> ActiveKey | None:
    """Reading and checking: open, or keyed like writes when `SYNDET_READ_ACCESS=keyed`."""
    return await _authorize(request, presented, write=False)


WriteAccess = Depends(write_access)
ReadAccess = Depends(read_access)


def document_access(app: FastAPI, settings: Settings) -> None:
    """Make the OpenAPI schema say what reads need: the key optional (`open`) or required (`keyed`)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        schema.get("components", {}).get("securitySchemes", {}).pop(_READ_SCHEME, None)
        read: list[dict[str, list[str]]] = [{SCHEME: []}] if settings.read_access == "keyed" else [{SCHEME: []}, {}]
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if {_READ_SCHEME: []} in operation.get("security", []):
                    operation["security"] = read
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def describe(key: ApiKey) -> dict[str, str | int | None]:
    """A key's public fields (never its hash), for listings."""
    return {
        "id": key.id,
        "name": key.name,
        "prefix": key.prefix,
        "created_at": _iso(key.created_at),
        "revoked_at": _iso(key.revoked_at),
    }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")
