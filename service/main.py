"""Build the FastAPI app: settings, database, detector, routers and the mapping of errors to HTTP."""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request, status
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from service import wires
from service.api.body_limit import BodySizeLimit, too_large_detail
from service.api.limits import RateLimiter, RequestTimeout, single_query_values
from service.api.routes import articles, check, health, metrics
from service.api.security import KeyRing, document_access
from service.core.config import Settings
from service.core.db import make_engine, make_session_factory, require_current_schema, upgrade
from service.core.logging import RequestContext
from service.detection import ArticleConflict, OverlapDetector
from service.index_backend import IndexBackend, IndexUnavailableError, make_index_backend
from service.ui.routes import router as ui_router
from shingling import EmptyDocumentError, ParameterMismatchError, ShinglingError
from shingling.warm import warm_up

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
DESCRIPTION = (
    "POST an article, learn which stored articles it overlaps and exactly where: every shared passage "
    "with character offsets into both texts."
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service app. Start-up creates missing tables, refuses a database whose signature parameters
    differ from the running ones (ParameterMismatchError), then rebuilds the index in the background
    (`/readyz` answers 503 and detection endpoints 503 until it is done)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine, detector = open_database(settings)
        app.state.sessions = detector.sessions
        app.state.detector = detector
        app.state.keys = KeyRing(detector.sessions)
        detector.on_candidates = service_metrics.observe_candidates
        service_metrics.bind(app.state)
        if not app.state.keys.configured():
            log.warning(
                "NO API KEY EXISTS: anyone who can reach this server can store and delete articles; "
                "make one with `syndet keys create NAME`"
            )
        loader = threading.Thread(target=_load_quietly, args=(detector,), name="index-load", daemon=True)
        loader.start()
        try:
            yield
        finally:
            loader.join(timeout=30)
            gc.unfreeze()  # what start-up made may be collected again once the app is gone
            detector.index.close()
            engine.dispose()

    app = FastAPI(
        title="syndet",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    service_metrics = metrics.ServiceMetrics()
    app.state.settings = settings
    app.state.metrics = service_metrics
    app.state.rate_limiter = RateLimiter(settings.rate_limit, settings.rate_burst) if settings.rate_limit else None
    app.add_middleware(BodySizeLimit, max_body_size=settings.max_body_bytes)
    app.add_middleware(RequestTimeout, seconds=settings.request_timeout)
    app.add_middleware(RequestContext, observer=service_metrics.observe_request)
    app.include_router(health.router)
    app.include_router(metrics.router)
    one_value = [Depends(single_query_values)]
    app.include_router(articles.router, prefix=API_PREFIX, dependencies=one_value)
    app.include_router(check.router, prefix=API_PREFIX, dependencies=one_value)
    app.include_router(ui_router)
    _add_error_handlers(app, settings)
    document_access(app, settings)
    return app


def open_database(settings: Settings) -> tuple[Engine, OverlapDetector]:
    """Connect, migrate the schema (when asked; else refuse an outdated one with SchemaError), and refuse
    (ParameterMismatchError) a database whose stored signatures were made with other parameters.
    The detector's index is still empty: call `load()`."""
    if settings.migrate_on_start:
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url, echo=settings.database_echo)
    index: IndexBackend | None = None
    try:
        require_current_schema(engine)
        wires.use(wires.load(settings.wires_file))
        config = settings.engine_config()
        index = make_index_backend(settings, config)
        detector = OverlapDetector(
            config,
            make_session_factory(engine),
            cache_size=settings.document_cache_size,
            cache_bytes=settings.document_cache_mb * 2**20,
            max_candidates=settings.max_candidates,
            index=index,
        )
        detector.check_parameters()
    except BaseException:
        if index is not None:
            index.close()
        engine.dispose()
        raise
    return engine, detector


def _load_quietly(detector: OverlapDetector) -> None:
    """Run the rebuild (a failure is kept in `detector.load_error` and reported by `/readyz`), then warm the
    engine up (`shingling.warm`): a first compile takes 20-40 s, and loading the compiled kernels a second or
    two, which the first requests would otherwise wait for. Readiness does not wait for it: with several
    workers behind one socket, a worker not ready yet answers reads 503.

    Then everything start-up made (imports, the index's structures) is moved out of the cyclic garbage
    collector's sight (`gc.freeze`): it lives as long as the server, and each full collection walked it again,
    stopping every request for 150 ms at a million stored passages (in process, 400 checks at 100k: full
    collections 276 ms in all, longest 148 ms; frozen, 13 ms)."""
    with contextlib.suppress(Exception):
        detector.load()
    try:  # the kernels a check runs, compiled or loaded from numba's cache before the first requests need them
        warm_up(detector.config, detector.registry)
    except Exception:  # a check would meet the same error and report it
        log.exception("warming up the engine failed")
    gc.collect()
    gc.freeze()


def _add_error_handlers(app: FastAPI, settings: Settings) -> None:
    """Domain errors become 4xx with a `detail` that says what to fix; a lost database becomes 503."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == status.HTTP_413_CONTENT_TOO_LARGE and exc.detail == "Content Too Large":
            exc = StarletteHTTPException(exc.status_code, too_large_detail(settings.max_body_bytes))
        elif exc.status_code == status.HTTP_400_BAD_REQUEST and exc.detail == "There was an error parsing the body":
            exc = StarletteHTTPException(
                exc.status_code, "the request body could not be read as JSON: it must be UTF-8 encoded JSON"
            )
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        """FastAPI's 422, minus the echoed input (which can be megabytes of article)."""
        errors = [{k: v for k, v in e.items() if k in ("type", "loc", "msg")} for e in exc.errors()]
        for error, original in zip(errors, exc.errors(), strict=True):
            if error.get("type") == "json_invalid" and "error" in (original.get("ctx") or {}):
                error["msg"] = f"JSON decode error: {original['ctx']['error']}"  # says what, never echoes input
            elif error.get("type") == "value_error":  # our validators' own words, without pydantic's "Value error, "
                error["msg"] = str(error.get("msg", "")).removeprefix("Value error, ")
        return JSONResponse(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, content={"detail": errors})

    @app.exception_handler(EmptyDocumentError)
    async def empty_document(_: Request, exc: EmptyDocumentError) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            content={"detail": f"nothing to compare: {exc}"},
        )

    @app.exception_handler(ArticleConflict)
    async def article_conflict(_: Request, exc: ArticleConflict) -> JSONResponse:
        return JSONResponse(status_code=status.HTTP_409_CONFLICT, content={"detail": str(exc)})

    @app.exception_handler(ParameterMismatchError)
    async def parameter_mismatch(_: Request, exc: ParameterMismatchError) -> JSONResponse:
        return JSONResponse(status_code=status.HTTP_409_CONFLICT, content={"detail": str(exc)})

    @app.exception_handler(ShinglingError)
    async def engine_error(_: Request, exc: ShinglingError) -> JSONResponse:
        return JSONResponse(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, content={"detail": str(exc)})

    @app.exception_handler(IndexUnavailableError)
    async def index_unavailable(_: Request, exc: IndexUnavailableError) -> JSONResponse:
        log.error("passage index unavailable: %s", exc)
        return JSONResponse(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            content={"detail": f"the passage index is unavailable: {exc}"},
            headers={"Retry-After": "2"},
        )

    @app.exception_handler(OperationalError)
    async def database_unavailable(_: Request, exc: OperationalError) -> JSONResponse:
        log.error("database error: %s", type(exc.orig).__name__)  # not `exc`: it holds the SQL parameters
        return JSONResponse(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            content={"detail": "the database is unavailable or busy; retry shortly"},
            headers={"Retry-After": "2"},
        )
