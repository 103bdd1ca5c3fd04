"""`/check`: report which stored articles a text overlaps, storing nothing."""

from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import DetectorDep, SessionDep, SettingsDep
from service.api.intake import read_article
from service.api.routes.articles import INPUT_ERRORS, JSON_BODY, Explain, WithinDays, report_options
from service.api.security import ReadAccess
from service.detection import attributions_out
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
def check_article(
    payload: ArticleIn,
    session: SessionDep,
    detector: DetectorDep,
    settings: SettingsDep,
    within_days: WithinDays = None,
    explain: Explain = False,
) -> CheckReport:
    """Offsets under `new` point into the posted text, or into `text` (returned) when HTML was posted."""
    new = read_article(payload, settings)
    doc = detector.prepare(new.text)
    about = ArticleInfo(
        source=new.source,
        wire=new.wire,
        agency=new.agency,
        published_at=new.published_at,
        attributions=detector.credits(new.text),
    )
    return CheckReport(
        content_hash=new.content_hash,
        extracted_from_html=new.extracted_from_html,
        text=new.text if new.extracted_from_html else None,
        wire=detector.wire_of(about),
        attributions=attributions_out(about.attributions),
        overlaps=detector.overlaps(session, doc, about=about, options=report_options(settings, within_days, explain)),
    )
