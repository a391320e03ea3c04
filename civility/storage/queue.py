"""Review-queue queries: filters, sorts and pagination, pushed down to SQL."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from civility.storage.tables import Article, Comment, CommentScore

SORTS = ("score", "newest", "oldest", "article")


@dataclass(frozen=True)
class QueueQuery:
    site_id: int
    status: str | None = "review"
    article_id: int | None = None
    attribute: str | None = None  # sort/filter by this attribute's score; None = the comment's highest score
    min_score: float | None = None
    max_score: float | None = None
    reason: str | None = None
    signal: str | None = None  # duplicate | brigade | correction | off_topic | unsupported_language
    sort: str = "score"
    descending: bool = True
    limit: int = 50
    offset: int = 0


def queue(session: Session, query: QueueQuery) -> tuple[list[Comment], int]:
    """The page of comments the query selects, and how many it selects in all."""
    score = aliased(CommentScore)
    statement = select(Comment).where(Comment.site_id == query.site_id)
    if query.status:
        statement = statement.where(Comment.status == query.status)
    if query.article_id is not None:
        statement = statement.where(Comment.article_id == query.article_id)
    value = Comment.max_score
    if query.attribute:
        statement = statement.join(score, and_(score.comment_id == Comment.id, score.attribute == query.attribute))
        value = score.value
    if query.min_score is not None:
        statement = statement.where(value >= query.min_score)
    if query.max_score is not None:
        statement = statement.where(value <= query.max_score)
    if query.signal:
        statement = statement.where(Comment.flags.contains(f",{query.signal},", autoescape=True))
    if query.reason:
        statement = statement.where(Comment.reason_codes.contains(f",{query.reason},", autoescape=True))
    total = int(session.scalar(select(func.count()).select_from(statement.subquery())) or 0)
    if query.sort == "newest" or (query.sort == "oldest" and not query.descending):
        order = [Comment.posted_at.desc(), Comment.id.desc()]
    elif query.sort == "oldest":
        order = [Comment.posted_at.asc(), Comment.id.asc()]
    elif query.sort == "article":
        statement = statement.join(Article, Article.id == Comment.article_id)
        order = [Article.title.asc(), value.desc(), Comment.id.asc()]
    else:
        order = [value.desc() if query.descending else value.asc(), Comment.id.asc()]
    rows = session.scalars(statement.order_by(*order).limit(query.limit).offset(query.offset))
    return list(rows), total
