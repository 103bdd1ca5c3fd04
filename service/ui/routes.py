"""`/ui`: server-rendered pages to check an article, browse stored ones and see a pair side by side.

The pages use the same layers as the JSON API (`service.repository`, the app's `OverlapDetector`,
`service.api.intake.read_article`), so what they show is what the API reports, and the same access rules
(`service.api.security`): reading pages is a read, storing a checked article is a write and needs an API
key (typed into the form) once any key exists. With `SYNDET_READ_ACCESS=keyed` the browsing pages are
refused, since a browser cannot send the key header; the check form still works with a key typed in.
Errors are pages too: bad input re-shows the form with what to fix (4xx), unknown ids are a 404 page.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

import regex
from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile, status
from fastapi.responses import FileResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.templating import Jinja2Templates

from service import repository
from service.api.deps import SessionDep, SettingsDep
from service.api.intake import read_article
from service.api.security import authorize
from service.core.config import Settings
from service.detection import OverlapDetector, ReportOptions
from service.models import Article
from service.schemas import ArticleIn, Overlap
from service.ui.labels import agency_name, kind_label, muted_boilerplate
from service.ui.segments import runs, side_html
from service.ui.templating import ASSETS, STATIC, environment
from service.ui.views import PairView, SideView, pair_view, side_view
from shingling import Comparison, Document, EmptyDocumentError, PassagePair, Span
from shingling.align import Ignore
from shingling.comparison import IgnoredPassage
from shingling.syndication import ArticleInfo, Syndication

__all__ = ["router"]

PAGE_SIZE = 50
INLINE_VIEWS = 20
"""Checked (unstored) texts show at most this many side-by-side views on the result page."""
ARTICLE_ROWS = 100
"""An article page lists this many overlaps, most shared first (each needs the other's credit lines)."""

router = APIRouter(prefix="/ui", include_in_schema=False)
templates = Jinja2Templates(env=environment())
templates.env.globals.update(agency_name=agency_name, kind_label=kind_label)

MEDIA = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


def _page(request: Request, name: str, code: int = 200, **context: Any) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=code)


def _error(request: Request, code: int, message: str) -> Response:
    return _page(request, "error.html", code, status_code=code, message=message)


def _detector(request: Request) -> OverlapDetector | None:
    """The app's detector once its index is loaded, else None (the page then says to retry)."""
    detector: OverlapDetector = request.app.state.detector
    return detector if detector.ready else None


def _not_ready(request: Request) -> Response:
    detector: OverlapDetector = request.app.state.detector
    reason = detector.load_error or "the passage index is still being loaded from the database"
    response = _error(request, status.HTTP_503_SERVICE_UNAVAILABLE, f"Not ready: {reason}. Retry shortly.")
    response.headers["Retry-After"] = "2"
    return response


def _refused(request: Request, write: bool = False, key: str | None = None) -> Response | None:
    """An error page when the API's access rules (keys, rate limit) refuse this request, else None."""
    try:
        authorize(request, key or None, write)
    except HTTPException as exc:
        response = _error(request, exc.status_code, str(exc.detail))
        response.headers.update(exc.headers or {})
        return response
    return None


def _article_id(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


def _label(article: Article) -> str:
    return article.title or article.external_id or f"article {article.id}"


def _stored_side(request: Request, key: str, article: Article, text: str) -> SideView:
    return side_view(
        key,
        _label(article),
        text,
        source=article.source,
        title=article.title,
        url=article.url,
        published_at=article.published_at,
        href=str(request.url_for("ui_article", article_id=str(article.id))),
    )


def _greyed(side: SideView, doc: Document, ignore: Ignore) -> SideView:
    """The side with its source's boilerplate lines greyed too (credit lines already are)."""
    extra = muted_boilerplate(doc, ignore, side.source)
    return dataclasses.replace(side, muted=(*side.muted, *extra)) if extra else side


def _options(settings: Settings) -> ReportOptions:
    """Pages show what the API reports, plus the ignored matches (greyed in the pair views)."""
    return ReportOptions(min_others=settings.boilerplate_min_others, explain=True)


@router.get("/static/{name}", name="ui_static")
def static(name: str) -> Response:
    if name not in ASSETS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no static file {name!r}")
    return FileResponse(STATIC / name, media_type=MEDIA[name[name.rindex(".") :]])


@router.get("", name="ui_home")
@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    return _page(request, "check.html", form={}, error=None)


@router.post("/check", name="ui_check")
def check(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    text: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
    title: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    store: Annotated[bool, Form()] = False,
    api_key: Annotated[str, Form()] = "",
) -> Response:
    """Check a pasted or uploaded article against the stored ones; store it only when asked."""
    form = {"text": text, "title": title, "source": source, "url": url, "store": store}

    def again(status_code: int, message: str, headers: dict[str, str] | None = None) -> Response:
        response = _page(request, "check.html", status_code, form=form, error=message)
        response.headers.update(headers or {})
        return response

    try:
        authorize(request, api_key.strip() or None, store)
    except HTTPException as exc:
        message = str(exc.detail)
        if exc.status_code == status.HTTP_401_UNAUTHORIZED:
            message = (
                "That API key is not active (revoked, mistyped, or from another server)."
                if api_key.strip()
                else f"An API key is needed to {'store' if store else 'check'} articles on this server "
                "(an administrator makes one with `syndet keys create NAME`)."
            )
        return again(exc.status_code, message, dict(exc.headers or {}))

    detector = _detector(request)
    if detector is None:
        return _not_ready(request)
    # a plain (threaded) handler: comparing texts is CPU work that must not hold up the event loop
    upload = file.file.read(settings.max_article_bytes + 1) if file is not None and file.filename else b""
    if upload and text.strip():
        return again(422, "Paste a text or choose a file, not both.")
    if len(upload) > settings.max_article_bytes:
        return again(413, f"The file is larger than {settings.max_article_bytes} bytes (SYNDET_MAX_ARTICLE_BYTES).")
    body, is_html = text, False
    if upload:
        try:
            body = upload.decode("utf-8")
        except UnicodeDecodeError:
            return again(422, "The file is not UTF-8 text. Save it as UTF-8 (or paste its text) and try again.")
        name = (file.filename or "").lower() if file is not None else ""
        is_html = name.endswith((".html", ".htm")) or (file is not None and file.content_type == "text/html")
    if not body.strip():
        return again(422, "Nothing to check: paste an article's text or choose a .txt or .html file.")
    meta = {k: v.strip() or None for k, v in (("title", title), ("source", source), ("url", url))}
    try:
        payload = ArticleIn.model_validate({"html" if is_html else "text": body, **meta})
        new = read_article(payload, settings)
        doc = detector.prepare(new.text)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'form'}: {e['msg']}" for e in exc.errors())
        return again(422, f"Not a valid article: {problems}")
    except HTTPException as exc:
        return again(exc.status_code, str(exc.detail))
    except EmptyDocumentError as exc:
        return again(422, f"Nothing to compare: {exc}")
    if store:
        article, _ = detector.ingest(session, new, doc)
        return RedirectResponse(
            request.url_for("ui_article", article_id=str(article.id)), status.HTTP_303_SEE_OTHER
        )
    mine = side_view("a", title.strip() or "your article", new.text, source=meta["source"], title=meta["title"])
    about = ArticleInfo(source=new.source, attributions=detector.credits(new.text))
    overlaps = detector.overlaps(session, doc, about=about, options=_options(settings))
    views = _overlap_views(
        request, session, detector, settings, (mine, doc, about, False), overlaps[:INLINE_VIEWS], prefixed=True
    )
    return _page(
        request,
        "check_result.html",
        side=mine,
        total=len(overlaps),
        rows=views,
        link=lambda _, view: f"#{view.prefix}view",
        stored=False,
    )


@router.get("/articles", name="ui_articles")
def articles(
    request: Request, session: SessionDep, q: str = "", source: str = "", page: str = "1"
) -> Response:
    """Stored articles, newest first; search by title, filter by source."""
    if (refused := _refused(request)) is not None:
        return refused
    number = int(page) if page.isdigit() and 0 < len(page) < 7 else 1
    rows, count = repository.search_articles(
        session,
        limit=PAGE_SIZE,
        offset=(max(number, 1) - 1) * PAGE_SIZE,
        title=q.strip() or None,
        source=source or None,
    )
    pages = max((count + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return _page(
        request,
        "articles.html",
        rows=rows,
        count=count,
        q=q,
        source=source,
        sources=repository.list_sources(session),
        page=number,
        pages=pages,
        label=_label,
    )


@router.get("/articles/{article_id}", name="ui_article")
def article(request: Request, article_id: str, session: SessionDep, settings: SettingsDep) -> Response:
    """One article: metadata, credit lines, its overlaps ranked by how much they share, and its text with
    credit lines and the source's boilerplate greyed."""
    if (refused := _refused(request)) is not None:
        return refused
    found = _stored(session, article_id)
    if found is None:
        return _error(request, 404, f"No stored article has the id {article_id!r}.")
    detector = _detector(request)
    if detector is None:
        return _not_ready(request)
    doc = detector.stored_document(session, found)
    if doc is None:
        return _error(request, 404, f"Article {article_id} was deleted.")
    about = detector.stored_info(found, detector.stored_credits(found, doc))
    (ignore,) = detector.ignore_marks(session, [(doc, about, True)], settings.boilerplate_min_others)
    side = _greyed(_stored_side(request, "a", found, doc.text), doc, ignore)
    overlaps = detector.overlaps(session, doc, exclude=found.id, about=about, options=_options(settings))
    views = _overlap_views(
        request, session, detector, settings, (side, doc, about, True), overlaps[:ARTICLE_ROWS], prefixed=False
    )

    def link(overlap: Overlap, _: PairView) -> str:
        return request.url_for("ui_pair", a_id=str(found.id), b_id=str(overlap.article.id)).path

    return _page(
        request,
        "article.html",
        article=found,
        side=side,
        words=doc.words,
        text_html=side_html(doc.text, runs(len(doc.text), [], side.muted), "a", "b", prefix="text-"),
        rows=views,
        total=len(overlaps),
        link=link,
    )


@router.get("/pair/{a_id}/{b_id}", name="ui_pair")
def pair(request: Request, a_id: str, b_id: str, session: SessionDep, settings: SettingsDep) -> Response:
    """Two stored articles side by side, each shared passage in one colour on both sides."""
    if (refused := _refused(request)) is not None:
        return refused
    a, b = _stored(session, a_id), _stored(session, b_id)
    missing = [x for x, found in ((a_id, a), (b_id, b)) if found is None]
    if missing or a is None or b is None:
        return _error(request, 404, f"No stored article has the id {missing[0]!r}.")
    if a.id == b.id:
        return _error(request, 422, "Pick two different articles to compare.")
    detector = _detector(request)
    if detector is None:
        return _not_ready(request)
    doc_a, doc_b = detector.stored_document(session, a), detector.stored_document(session, b)
    if doc_a is None or doc_b is None:
        return _error(request, 404, "One of the two articles was deleted.")
    found = detector.compare_stored(session, a, doc_a, b, doc_b, settings.boilerplate_min_others)
    view = pair_view(
        _greyed(_stored_side(request, "a", a, doc_a.text), doc_a, found.ignore_a),
        _greyed(_stored_side(request, "b", b, doc_b.text), doc_b, found.ignore_b),
        found.comparison,
        syndication=found.syndication,
    )
    return _page(request, "pair.html", view=view, a=a, b=b)


def _stored(session: Session, article_id: str) -> Article | None:
    number = _article_id(article_id)
    return None if number is None else repository.get_article(session, number)


def _overlap_views(
    request: Request,
    session: Session,
    detector: OverlapDetector,
    settings: Settings,
    mine: tuple[SideView, Document, ArticleInfo, bool],
    overlaps: list[Overlap],
    prefixed: bool,
) -> list[tuple[Overlap, PairView]]:
    """Each overlap with its pair view (the stored article on the right, boilerplate greyed on both sides)."""
    side, doc, about, stored_mine = mine
    articles = repository.articles_by_id(session, (o.article.id for o in overlaps))
    others = []
    for overlap in overlaps:
        other = articles.get(overlap.article.id)
        other_doc = detector.stored_document(session, other) if other is not None else None
        if other is not None and other_doc is not None:
            others.append((overlap, other, other_doc))
    infos = [detector.stored_info(other, detector.stored_credits(other, d)) for _, other, d in others]
    sides = [(doc, about, stored_mine), *((d, info, True) for (_, _, d), info in zip(others, infos, strict=True))]
    ignore_mine, *ignores = detector.ignore_marks(session, sides, settings.boilerplate_min_others)
    side = _greyed(side, doc, ignore_mine)
    out = []
    for i, ((overlap, other, other_doc), ignore) in enumerate(zip(others, ignores, strict=True)):
        view = pair_view(
            side,
            _greyed(_stored_side(request, "b", other, other_doc.text), other_doc, ignore),
            _comparison(overlap),
            prefix=f"v{i}-" if prefixed else "",
            syndication=_syndication(overlap),
        )
        out.append((overlap, view))
    return out


def _comparison(overlap: Overlap) -> Comparison:
    """The service's overlap report as the engine's comparison (new on the left, stored on the right)."""
    return Comparison(
        passages=tuple(
            PassagePair(Span(p.new.start, p.new.end), Span(p.existing.start, p.existing.end), p.similarity)
            for p in overlap.passages
        ),
        containment_a=overlap.containment.new,
        containment_b=overlap.containment.existing,
        jaccard=overlap.jaccard,
        kind=overlap.kind,
        ignored=tuple(
            IgnoredPassage(
                PassagePair(Span(i.new.start, i.new.end), Span(i.existing.start, i.existing.end), i.similarity),
                i.reason,
            )
            for i in overlap.ignored or ()
        ),
    )


_SIDE_NAME = regex.compile(r"\b(new|existing)\b")


def _syndication(overlap: Overlap) -> Syndication:
    """The overlap's wire label and direction in the engine's terms (a: the new article, b: the stored one)."""
    found = overlap.syndication
    side = {"new": "a", "existing": "b"}
    origin = side[found.origin] if found.origin else None
    reason = _SIDE_NAME.sub(lambda m: side[m.group(1)], found.reason)
    wire = found.wire
    return Syndication(origin, reason, wire.status if wire else None, wire.agency if wire else None)  # type: ignore[arg-type]
