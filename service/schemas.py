"""Request and response models of the HTTP API (the OpenAPI schema is generated from these)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from service.dates import parse_date

OverlapKind = Literal["duplicate", "near_duplicate", "partial"]
WireStatus = Literal["wire_derived", "probably_wire_derived"]
AGENCY_MAX = 64


class ArticleIn(BaseModel):
    """An article to store or check: exactly one of `text` or `html`, plus optional metadata."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "BEIJING - Western powers should take into consideration ...",
                    "external_id": "moscow-times-2015-02-27-qu-xing",
                    "url": "https://example.org/2015/02/27/qu-xing",
                    "source": "The Moscow Times",
                    "title": "Chinese Diplomat Urges West to See Russia's Security Fears Over Ukraine",
                    "published_at": "2015-02-27T00:00:00Z",
                }
            ]
        },
    )

    text: str | None = Field(default=None, min_length=1, description="Plain text of the article.")
    html: str | None = Field(
        default=None, min_length=1, description="HTML page; its main text is extracted and analysed instead."
    )
    external_id: str | None = Field(
        default=None, min_length=1, max_length=512, description="Caller's id; unique among stored articles."
    )
    url: str | None = Field(default=None, max_length=8192)
    source: str | None = Field(default=None, max_length=512, description="Publisher or feed name.")
    title: str | None = Field(default=None, max_length=8192)
    published_at: datetime | None = Field(default=None, description="ISO 8601 string; naive times are taken as UTC.")
    wire: bool | None = Field(
        default=None,
        description="True: the article is wire copy (of `agency`, else of the agency its `source` names); "
        "false: it is not, whatever its source; unset: inferred from `source` (e.g. \"Reuters\", \"apnews.com\").",
    )
    agency: str | None = Field(
        default=None,
        min_length=1,
        max_length=AGENCY_MAX,
        description="The wire agency whose copy this is, by id or name (\"reuters\", \"Associated Press\"); "
        "implies `wire`.",
    )

    @field_validator("external_id", "url", "source", "title", "agency")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        """Metadata is stored as text, and PostgreSQL text cannot hold NUL (the article text itself can)."""
        if value is not None and "\x00" in value:
            raise ValueError("must not contain NUL (\\u0000) characters")
        return value

    @field_validator("published_at", mode="before")
    @classmethod
    def _iso_string(cls, value: object) -> object:
        if value is None or isinstance(value, datetime):
            return value
        if not isinstance(value, str):
            raise ValueError("must be an ISO 8601 date-time string, e.g. 2015-02-27T09:00:00Z")
        moment = parse_date(value)
        if moment is None:
            raise ValueError(f"must be an ISO 8601 date or date-time, e.g. 2015-02-27T09:00:00Z (got {value[:40]!r})")
        return moment

    @field_validator("published_at")
    @classmethod
    def _as_utc(cls, value: datetime | None) -> datetime | None:
        """Stored and returned in UTC, so a response reads the same before and after a restart."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    @model_validator(mode="after")
    def _one_body(self) -> ArticleIn:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of `text` or `html`")
        if self.wire is False and self.agency is not None:
            raise ValueError("`agency` names the wire agency of wire copy: leave it out when `wire` is false")
        return self

    @property
    def content(self) -> str:
        """The posted body, whichever field it came in."""
        return self.text if self.text is not None else (self.html or "")


class ArticleRef(BaseModel):
    """Enough of a stored article to name it in a report."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    external_id: str | None
    url: str | None
    source: str | None
    title: str | None
    published_at: datetime | None
    wire: str | None = Field(
        default=None,
        description="The agency (id, e.g. \"reuters\") whose copy this article is: as the client said, or "
        "inferred from its source; null when it is not wire copy.",
    )


class ArticlePublic(ArticleRef):
    """A stored article without its text."""

    content_hash: str = Field(description="sha256 of the analysed text (hex).")
    extracted_from_html: bool = Field(description="True when HTML was posted and its extracted text stored.")
    created_at: datetime
    updated_at: datetime | None = Field(
        default=None, description="When its text or metadata were last replaced (PUT); null if never."
    )


class SpanOut(BaseModel):
    """Character offsets `[start, end)` into an article's text."""

    start: int
    end: int


class AttributionOut(BaseModel):
    """A credit line, dateline or byline naming a wire agency (`agency` null: a credit naming only people)."""

    agency: str | None
    kind: str = Field(description="dateline, reporting_by, additional_reporting, contributed, with_agency, "
                      "according_to, source_line, image_credit, copyright or byline.")
    span: SpanOut
    text: str


class ArticleCredited(ArticlePublic):
    """A stored article with the credit lines found in its text."""

    attributions: list[AttributionOut]


class ArticleDetail(ArticleCredited):
    """A stored article with the text every reported offset points into."""

    text: str


class ArticlesPublic(BaseModel):
    """One page of stored articles and how many match in total."""

    data: list[ArticlePublic]
    count: int


class PassageMatch(BaseModel):
    """One shared passage: where it is in the new article and in the stored one."""

    new: SpanOut
    existing: SpanOut
    similarity: float
    text: str = Field(description="The passage as it appears in the new article.")


class Containment(BaseModel):
    """Share of each article's words that lie inside the shared passages (0..1)."""

    new: float
    existing: float


class WireLabel(BaseModel):
    """Where the shared passages come from: a wire article in the pair (`wire_derived`), or an agency that
    one of the two credits while neither is wire copy (`probably_wire_derived`)."""

    status: WireStatus
    agency: str | None = Field(description="Agency id, e.g. \"reuters\"; null when two wires differ.")


class SyndicationOut(BaseModel):
    """The pair's likely origin and wire label (as `syndet scan` reports them)."""

    origin: Literal["new", "existing"] | None = Field(
        description="The likely original: the wire copy, else the one published first, else the one carrying an "
        "agency's own copy (its dateline, byline, copyright or source line), else the one more of which lies in "
        "the shared passages; null when undecided."
    )
    reason: str
    wire: WireLabel | None


class IgnoredMatch(BaseModel):
    """A passage both texts hold that does not count as reuse, and why (`boilerplate` or `attribution`)."""

    new: SpanOut
    existing: SpanOut
    similarity: float
    reason: str


class Overlap(BaseModel):
    """How the new article overlaps one stored article. Credit lines, datelines and the sources' boilerplate
    are left out of `passages`, `containment`, `jaccard` and `kind`."""

    article: ArticleRef
    kind: OverlapKind
    containment: Containment
    jaccard: float
    passages: list[PassageMatch]
    syndication: SyndicationOut
    ignored: list[IgnoredMatch] | None = Field(
        default=None, description="Matches not counted as reuse; only with `explain=true`, else null."
    )


class ArticleReport(BaseModel):
    """A stored article and its overlaps with every other stored article, most shared first."""

    article: ArticleCredited
    overlaps: list[Overlap] | None = Field(
        description="Most shared first; null when the article was posted with `compare=false` (not compared)."
    )


class CheckReport(BaseModel):
    """Overlaps of an article that was checked but not stored."""

    content_hash: str
    extracted_from_html: bool
    text: str | None = Field(
        default=None, description="Extracted text when HTML was posted (offsets point into it), else null."
    )
    wire: str | None = Field(description="The agency whose copy the checked article is (as for stored articles).")
    attributions: list[AttributionOut] = Field(description="Credit lines found in the checked text.")
    overlaps: list[Overlap]


class Status(BaseModel):
    """Liveness or readiness."""

    status: Literal["ok", "unavailable"]
    detail: str | None = None
    articles: int | None = None


class ErrorItem(BaseModel):
    """One reason a request was invalid: where (`loc`) and what (`msg`)."""

    type: str
    loc: list[str | int]
    msg: str


class ErrorOut(BaseModel):
    """Every error answer: `detail` says what to fix, as a sentence or as a list of invalid fields."""

    detail: str | list[ErrorItem]
