"""SQLAlchemy 2 tables. Only storage/ imports these; the rest of the code sees dataclasses."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, TypeDecorator, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps are UTC and timezone-aware on the way in and out, on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=timezone.utc)


class CompactJSON(TypeDecorator[object]):
    """JSON kept as compact UTF-8 text: a stored value is never larger than the JSON a client sent for it
    (the JSON type escapes every non-ASCII character to six bytes)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: object, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def process_result_value(self, value: str | None, dialect: Dialect) -> object:
        return None if value is None else json.loads(value)


class Base(DeclarativeBase):
    pass


class ApiKey(Base):
    """A client key. Only its SHA-256 is stored; ``prefix`` lets people tell keys apart in listings."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(200), default="score")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    rate_qps: Mapped[float | None] = mapped_column(Float, nullable=True)
    rate_burst: Mapped[float | None] = mapped_column(Float, nullable=True)


class ApiKeySite(Base):
    """A site a key is bound to. A key with no rows here reaches every site."""

    __tablename__ = "api_key_sites"

    api_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)


class AnalyzedComment(Base):
    """An analyze request kept for later feedback. Never written when the request set ``doNotStore``."""

    __tablename__ = "analyzed_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    languages: Mapped[list[str]] = mapped_column(JSON)
    scores: Mapped[dict[str, float]] = mapped_column(JSON)
    models: Mapped[dict[str, str]] = mapped_column(JSON)
    client_token: Mapped[str | None] = mapped_column(String(500), nullable=True)
    session_id: Mapped[str | None] = mapped_column(String(500), nullable=True)
    community_id: Mapped[str | None] = mapped_column(String(500), nullable=True, index=True)


class Suggestion(Base):
    """One comments:suggestscore request: the comment and its context, stored once however many attributes it labels."""

    __tablename__ = "suggestions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    context: Mapped[object | None] = mapped_column(CompactJSON(), nullable=True)
    languages: Mapped[list[str]] = mapped_column(CompactJSON(), default=list)
    community_id: Mapped[str | None] = mapped_column(String(500), nullable=True, index=True)
    client_token: Mapped[str | None] = mapped_column(String(500), nullable=True)
    session_id: Mapped[str | None] = mapped_column(String(500), nullable=True)


class Feedback(Base):
    """One attribute's suggested score: training data. The text and context are the suggestion's."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"), index=True)
    attribute: Mapped[str] = mapped_column(String(100), index=True)
    value: Mapped[float] = mapped_column(Float)
    spans: Mapped[list[dict[str, float]]] = mapped_column(JSON, default=list)


class Site(Base):
    """A publication. ``policy`` is the site's moderation policy as a dict (the TOML file's content)."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    policy: Mapped[dict[str, object]] = mapped_column(JSON)
    webhook_url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    webhook_secret: Mapped[str | None] = mapped_column(String(200), nullable=True)
    coral_secret: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (UniqueConstraint("site_id", "slug", name="uq_articles_site_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    slug: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    title: Mapped[str] = mapped_column(String(1000))
    summary: Mapped[list[str]] = mapped_column(JSON)
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(300), nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Author(Base):
    """A commenter, as the publisher identifies them."""

    __tablename__ = "authors"
    __table_args__ = (UniqueConstraint("site_id", "external_id", name="uq_authors_site_external"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Comment(Base):
    """A reader comment under an article. ``status`` mirrors the latest decision for fast queue queries."""

    __tablename__ = "comments"
    __table_args__ = (UniqueConstraint("site_id", "external_id", name="uq_comments_site_external"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(200))
    parent_external_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("authors.id"), nullable=True, index=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(20), nullable=True)
    detected_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(20), index=True)
    signals: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    # ",code,code," forms of the latest decision's reason codes and the signals that fired, for portable LIKE filters.
    reason_codes: Mapped[str] = mapped_column(String(1000), default=",")
    flags: Mapped[str] = mapped_column(String(200), default=",")
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), nullable=True)
    max_score: Mapped[float] = mapped_column(Float, default=0.0, index=True)


class CommentScore(Base):
    __tablename__ = "comment_scores"
    __table_args__ = (UniqueConstraint("comment_id", "attribute", name="uq_scores_comment_attribute"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    attribute: Mapped[str] = mapped_column(String(100))
    value: Mapped[float] = mapped_column(Float, index=True)
    model: Mapped[str] = mapped_column(String(200))
    spans: Mapped[list[dict[str, float]]] = mapped_column(JSON, default=list)


class Decision(Base):
    """Append-only: a comment's history is its decisions in order; the newest is in force."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str | None] = mapped_column(String(200), nullable=True)
    on_behalf_of: Mapped[str | None] = mapped_column(String(200), nullable=True)  # the moderator an integration named
    reasons: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class Correction(Base):
    """A reader correction routed to the editors, with the article passage it refers to."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), unique=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    wrong: Mapped[str] = mapped_column(Text)
    proposed: Mapped[str] = mapped_column(Text)
    passage: Mapped[str] = mapped_column(Text)
    passage_begin: Mapped[int] = mapped_column(Integer)
    passage_end: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    resolved_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AuditEntry(Base):
    """Append-only audit log: who did what to which object, when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    on_behalf_of: Mapped[str | None] = mapped_column(String(200), nullable=True)  # the moderator an integration named
    action: Mapped[str] = mapped_column(String(100), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), nullable=True, index=True)
    subject_type: Mapped[str] = mapped_column(String(50))
    subject_id: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class WebhookDelivery(Base):
    """Outbox of signed webhook calls: written in the decision's transaction, sent after commit, retried."""

    __tablename__ = "webhook_deliveries"
    # one site's head of line, in order: the fair drain reads each site's first pending rows
    __table_args__ = (Index("ix_webhook_deliveries_site_status_id", "site_id", "status", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    event: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class User(Base):
    """A dashboard user. ``password_hash`` is an argon2id hash (PHC string); ``role`` is admin, moderator or editor."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class UserSite(Base):
    """A site a dashboard user is bound to. A user with no rows here reaches every site."""

    __tablename__ = "user_sites"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)


class WebSession(Base):
    """A signed-in dashboard session. Only the SHA-256 of the cookie's token is stored, with the form CSRF token."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class RateBucket(Base):
    """A key's token bucket, shared by every worker process: refilled and drawn in one atomic UPDATE."""

    __tablename__ = "rate_buckets"

    api_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    updated: Mapped[float] = mapped_column(Float)


class SigninFailure(Base):
    """Recent failed sign-ins of one user name from one client address, shared by every worker process: the
    throttle's memory. Deleted on a successful sign-in, and forgotten once old."""

    __tablename__ = "signin_failures"

    client: Mapped[str] = mapped_column(String(100), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
