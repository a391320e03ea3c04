"""Aggregate queries for the dashboard's statistics: decisions per day, scores per article, reasons, article counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civility.storage.tables import Article, Comment, CommentScore, Decision


def decisions_per_day(session: Session, site_id: int, since: datetime) -> list[tuple[str, str, str, int]]:
    """(YYYY-MM-DD, action, source, count) for every decision recorded since ``since``."""
    day = func.date(Decision.created_at)
    rows = session.execute(
        select(day, Decision.action, Decision.source, func.count())
        .join(Comment, Comment.id == Decision.comment_id)
        .where(Comment.site_id == site_id, Decision.created_at >= since)
        .group_by(day, Decision.action, Decision.source)
        .order_by(day)
    ).all()
    return [(str(d), action, source, int(n)) for d, action, source, n in rows]


def article_status_counts(session: Session, site_id: int) -> list[tuple[int, str, str, str | None, str, int]]:
    """(article id, slug, title, url, comment status, count) for every article of the site, commented or not."""
    rows = session.execute(
        select(Article.id, Article.slug, Article.title, Article.url, Comment.status, func.count(Comment.id))
        .outerjoin(Comment, Comment.article_id == Article.id)
        .where(Article.site_id == site_id)
        .group_by(Article.id, Article.slug, Article.title, Article.url, Comment.status)
        .order_by(Article.id.desc())
    ).all()
    return [(a, slug, title, url, status or "", int(n)) for a, slug, title, url, status, n in rows]


def score_values(session: Session, site_id: int, attribute: str, limit: int = 50_000) -> list[tuple[int, float]]:
    """(article id, score) of ``attribute`` for the site's newest ``limit`` comments."""
    rows = session.execute(
        select(Comment.article_id, CommentScore.value)
        .join(CommentScore, CommentScore.comment_id == Comment.id)
        .where(Comment.site_id == site_id, CommentScore.attribute == attribute)
        .order_by(Comment.id.desc())
        .limit(limit)
    ).all()
    return [(int(a), float(v)) for a, v in rows]


def attributes_scored(session: Session, site_id: int) -> list[str]:
    rows = session.scalars(
        select(CommentScore.attribute).join(Comment, Comment.id == CommentScore.comment_id)
        .where(Comment.site_id == site_id).distinct()
    )
    return sorted(rows)


def reason_code_lists(session: Session, site_id: int, limit: int = 50_000) -> list[str]:
    """The ``,code,code,`` strings of the current decisions of the site's newest ``limit`` comments."""
    return list(
        session.scalars(select(Comment.reason_codes).where(Comment.site_id == site_id).order_by(Comment.id.desc()).limit(limit))
    )
