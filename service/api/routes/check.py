"""`/check`: report which stored articles a text overlaps, storing nothing."""

from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import DetectorDep, SessionDep, SettingsDep
from service.api.intake import read_article
from service.api.routes.articles import INPUT_ERRORS, JSON_BODY
from service.api.security import ReadAccess
from service.schemas import ArticleIn, CheckReport

router = APIRouter(tags=["check"])


@router.post(
    "/check",
    operation_id="check_article",
    summary="Report which stored articles an article overlaps, without storing it",
    responses=INPUT_ERRORS,
    dependencies=[ReadAccess, JSON_BODY],
)
def check_article(
    payload: ArticleIn, session: SessionDep, detector: DetectorDep, settings: SettingsDep
) -> CheckReport:
    """Offsets under `new` point into the posted text, or into `text` (returned) when HTML was posted."""
    new = read_article(payload, settings)
    doc = detector.prepare(new.text)
    return CheckReport(
        content_hash=new.content_hash,
        extracted_from_html=new.extracted_from_html,
        text=new.text if new.extracted_from_html else None,
        overlaps=detector.overlaps(session, doc),
    )
