"""Wire models of the native API. Every string and list is bounded; slugs are validated in the path."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SLUG = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"
MAX_ID = 2_147_483_647  # ids are 32-bit integers in PostgreSQL


def _printable(value: object) -> object:
    """NUL cannot be stored in PostgreSQL text; U+FFFD keeps every offset where it was."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) else value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        if isinstance(value, list):
            return [_printable(item) for item in value]
        return _printable(value)


class SiteIn(Strict):
    name: str | None = Field(None, max_length=300)
    policy: dict[str, Any] | None = None
    webhook_url: str | None = Field(None, max_length=2000, pattern=r"^(https?://.+)?$")
    webhook_secret: str | None = Field(None, max_length=200)
    coral_secret: str | None = Field(None, max_length=200, description="Signing secret of Coral's external moderation phase.")


class SiteOut(BaseModel):
    slug: str
    name: str
    policy: dict[str, Any]
    webhook_url: str | None


class ArticleIn(Strict):
    title: str = Field(..., min_length=1, max_length=1000)
    body: str = Field("", max_length=500_000)
    summary: list[str] = Field(default_factory=list, max_length=50)
    url: str | None = Field(None, max_length=2000)
    author: str | None = Field(None, max_length=300)
    published_at: datetime | None = None


class AuthorIn(Strict):
    id: str = Field(..., min_length=1, max_length=200)
    name: str | None = Field(None, max_length=300)


class CommentIn(Strict):
    id: str = Field(..., min_length=1, max_length=200, description="The publisher's id; posting it again is a no-op.")
    text: str = Field(..., max_length=200_000)
    parent_id: str | None = Field(None, max_length=200)
    author: AuthorIn | None = None
    language: str | None = Field(None, max_length=20)
    posted_at: datetime | None = None


class Span(BaseModel):
    begin: int
    end: int
    score: float
    text: str


class ReasonOut(BaseModel):
    code: str
    action: str
    attribute: str | None
    score: float | None
    threshold: float | None
    detail: str | None
    spans: list[Span]


class ScoreOut(BaseModel):
    value: float
    model: str


class CommentOut(BaseModel):
    id: int
    external_id: str
    site: str
    article: str
    decision: str
    reasons: list[ReasonOut]
    signals: dict[str, Any]
    scores: dict[str, ScoreOut]
    language: str | None
    detected_languages: list[str]
    text: str
    history: list[dict[str, Any]] | None = None


class FollowedOut(BaseModel):
    """A near-duplicate that took the decision with the comment it repeats."""

    id: int
    external_id: str
    decision: str


class DecisionOut(CommentOut):
    followed: list[FollowedOut] = []


class DecisionIn(Strict):
    action: Literal["approve", "review", "reject"]
    reason: str = Field(..., min_length=1, max_length=100)
    note: str | None = Field(None, max_length=5000)
    moderator: str | None = Field(
        None, max_length=200,
        description="The moderator an integration acts for: kept as `on_behalf_of`; the key stays the actor.",
    )


class BulkDecisionIn(DecisionIn):
    comment_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(..., min_length=1, max_length=1000)


class QueueOut(BaseModel):
    items: list[CommentOut]
    total: int
    limit: int
    offset: int


class CorrectionOut(BaseModel):
    id: int
    comment_id: int
    comment_external_id: str
    comment_text: str
    wrong: str
    proposed: str
    passage: str
    passage_begin: int
    passage_end: int
    status: str
    resolved_by: str | None
    resolved_at: datetime | None


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor: str
    on_behalf_of: str | None = None
    action: str
    subject_type: str
    subject_id: str
    details: dict[str, Any]


class CoralComment(Strict):
    model_config = ConfigDict(extra="ignore")

    body: str = Field(..., max_length=200_000)
    parentID: str | None = Field(None, max_length=200)


class CoralAuthor(BaseModel):
    id: str = Field(..., min_length=1, max_length=200)
    role: str | None = Field(None, max_length=50)


class CoralStory(BaseModel):
    id: str = Field(..., min_length=1, max_length=200, pattern=SLUG)
    url: str | None = Field(None, max_length=2000)


class CoralIn(BaseModel):
    """Coral's ExternalModerationRequest; unknown fields are ignored so newer Coral versions keep working."""

    action: Literal["NEW", "EDIT"]
    comment: CoralComment
    author: CoralAuthor
    story: CoralStory
    site: dict[str, Any] | None = None
    tenantID: str | None = Field(None, max_length=200)
    tenantDomain: str | None = Field(None, max_length=500)
