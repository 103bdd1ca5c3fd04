"""`/healthz` (the process answers) and `/readyz` (database reachable and index loaded)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status
from sqlalchemy.exc import SQLAlchemyError

from service import repository
from service.index_backend import IndexUnavailableError
from service.schemas import Status

router = APIRouter(tags=["health"])


@router.get("/healthz", operation_id="healthz", summary="The process is alive")
def healthz() -> Status:
    return Status(status="ok")


@router.get(
    "/readyz",
    operation_id="readyz",
    summary="Ready to serve: database reachable and passage index loaded",
    responses={503: {"model": Status, "description": "Not ready; `detail` says why."}},
)
def readyz(request: Request, response: Response) -> Status:
    detector = request.app.state.detector
    try:
        with request.app.state.sessions() as session:
            repository.ping(session)
    except SQLAlchemyError as exc:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return Status(status="unavailable", detail=f"database unreachable: {type(exc).__name__}")
    if not detector.ready:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        reason = detector.load_error or "passage index still loading"
        return Status(status="unavailable", detail=reason)
    try:
        articles = len(detector)
    except IndexUnavailableError as exc:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return Status(status="unavailable", detail=str(exc))
    return Status(status="ok", articles=articles)
