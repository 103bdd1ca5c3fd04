"""Request and response models of the HTTP API (the OpenAPI schema is generated from these)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

OverlapKind = Literal["duplicate", "near_duplicate", "partial"]


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

    @field_validator("external_id", "url", "source", "title")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        """Metadata is stored as text, and PostgreSQL text cannot hold NUL (the article text itself can)."""
        if value is not None and "\x00" in value:
            raise ValueError("must not contain NUL (\\u0000) characters")
        return value

    @field_validator("published_at", mode="before")
    @classmethod
    def _iso_string(cls, value: object) -> object:
        if value is not None and not isinstance(value, str | datetime):
            raise ValueError("must be an ISO 8601 date-time string, e.g. 2015-02-27T09:00:00Z")
        return value

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


class ArticlePublic(ArticleRef):
    """A stored article without its text."""

    content_hash: str = Field(description="sha256 of the analysed text (hex).")
    extracted_from_html: bool = Field(description="True when HTML was posted and its extracted text stored.")
    created_at: datetime


class ArticleDetail(ArticlePublic):
    """A stored article with the text every reported offset points into."""

    text: str


class ArticlesPublic(BaseModel):
    """One page of stored articles and how many match in total."""

    data: list[ArticlePublic]
    count: int


class SpanOut(BaseModel):
    """Character offsets `[start, end)` into an article's text."""

    start: int
    end: int


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


class Overlap(BaseModel):
    """How the new article overlaps one stored article."""

    article: ArticleRef
    kind: OverlapKind
    containment: Containment
    jaccard: float
    passages: list[PassageMatch]


class ArticleReport(BaseModel):
    """A stored article and its overlaps with every other stored article, most shared first."""

    article: ArticlePublic
    overlaps: list[Overlap]


class CheckReport(BaseModel):
    """Overlaps of an article that was checked but not stored."""

    content_hash: str
    extracted_from_html: bool
    text: str | None = Field(
        default=None, description="Extracted text when HTML was posted (offsets point into it), else null."
    )
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
