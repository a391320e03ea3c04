"""Queries for Perspective-path data: analyzed comments and suggested scores (feedback)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civility.storage.tables import AnalyzedComment, Feedback, utcnow


def insert_analyzed(session: Session, **values: object) -> AnalyzedComment:
    row = AnalyzedComment(created_at=utcnow(), **values)
    session.add(row)
    session.flush()
    return row


def insert_feedback(session: Session, **values: object) -> Feedback:
    row = Feedback(created_at=utcnow(), **values)
    session.add(row)
    session.flush()
    return row


def count_analyzed(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AnalyzedComment)) or 0)


def feedback_rows(session: Session, limit: int | None = None) -> list[Feedback]:
    query = select(Feedback).order_by(Feedback.id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))
