"""`/check`: report which stored articles a text overlaps, storing nothing."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from service.api.deps import DetectorDep, SettingsDep
from service.api.intake import read_article
from service.api.routes.articles import INPUT_ERRORS, JSON_BODY, Options
from service.api.security import ReadAccess
from service.core.config import Settings
from service.detection import OverlapDetector, ReportOptions, attributions_out
from service.schemas import ArticleIn, CheckReport
from shingling.syndication import ArticleInfo

router = APIRouter(tags=["check"])


@router.post(
    "/check",
    operation_id="check_article",
    summary="Report which stored articles an article overlaps, without storing it",
    responses=INPUT_ERRORS,
    dependencies=[ReadAccess, JSON_BODY],
)
async def check_article(
    payload: ArticleIn,
    detector: DetectorDep,
    settings: SettingsDep,
    options: Options,
) -> CheckReport:
    """Offsets under `new` point into the posted text, or into `text` (returned) when HTML was posted."""
    # the whole check in one worker thread, its database session included: a sync endpoint with a session
    # dependency sent the request to a worker and back four times (~0.1 ms each), for the session, the
    # endpoint and the response check
    return await run_in_threadpool(_check, payload, detector, settings, options)


def _check(payload: ArticleIn, detector: OverlapDetector, settings: Settings, options: ReportOptions) -> CheckReport:
    new = read_article(payload, settings)
    doc = detector.prepare(new.text)
    about = ArticleInfo(
        source=new.source,
        wire=new.wire,
        agency=new.agency,
        published_at=new.published_at,
        attributions=detector.credits(new.text),
    )
    with detector.sessions() as session:
        overlaps = detector.overlaps(session, doc, about=about, options=options)
    return CheckReport(
        content_hash=new.content_hash,
        extracted_from_html=new.extracted_from_html,
        text=new.text if new.extracted_from_html else None,
        wire=detector.wire_of(about),
        attributions=attributions_out(about.attributions),
        overlaps=overlaps,
    )
