"""Queries for Perspective-path data: analyzed comments and suggested scores (suggestions and their feedback)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from civility.storage.tables import AnalyzedComment, ApiKeySite, Feedback, Suggestion, utcnow


def insert_analyzed(session: Session, **values: object) -> AnalyzedComment:
    row = AnalyzedComment(created_at=utcnow(), **values)
    session.add(row)
    session.flush()
    return row


def insert_suggestion(session: Session, labels: Sequence[dict[str, Any]], **values: object) -> Suggestion:
    """The request's text and context once, and one feedback row (attribute, value, spans) per label."""
    row = Suggestion(created_at=utcnow(), **values)
    session.add(row)
    session.flush()
    session.add_all(Feedback(suggestion_id=row.id, **label) for label in labels)
    session.flush()
    return row


def count_analyzed(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AnalyzedComment)) or 0)


def feedback_rows(session: Session, limit: int | None = None) -> list[tuple[Feedback, Suggestion]]:
    """Each label with the suggestion (text, context, languages) it belongs to, oldest first."""
    query = select(Feedback, Suggestion).join(Suggestion, Suggestion.id == Feedback.suggestion_id).order_by(Feedback.id)
    if limit is not None:
        query = query.limit(limit)
    return [(feedback, suggestion) for feedback, suggestion in session.execute(query)]


def purge_before(session: Session, cutoff: datetime) -> dict[str, int]:
    """Delete analyzed comments and suggestions (with their feedback) stored before ``cutoff``; counts per table."""
    old = select(Suggestion.id).where(Suggestion.created_at < cutoff).scalar_subquery()
    feedback = session.execute(delete(Feedback).where(Feedback.suggestion_id.in_(old))).rowcount
    suggestions = session.execute(delete(Suggestion).where(Suggestion.created_at < cutoff)).rowcount
    analyzed = session.execute(delete(AnalyzedComment).where(AnalyzedComment.created_at < cutoff)).rowcount
    return {"analyzed_comments": int(analyzed or 0), "suggestions": int(suggestions or 0), "feedback": int(feedback or 0)}


def erase_texts(session: Session, texts: Sequence[str], site_id: int, chunk: int = 200) -> dict[str, int]:
    """Delete analyzed comments and suggestions (with their feedback) whose comment is exactly one of ``texts``.

    Only rows sent with no key, an unbound key or a key bound to ``site_id``: another tenant's rows are out of reach
    even when they hold the same words.
    """
    bound = select(ApiKeySite.api_key_id)
    reachable_keys = select(ApiKeySite.api_key_id).where(ApiKeySite.site_id == site_id)

    def reachable(column: Any) -> Any:
        return or_(column.is_(None), column.not_in(bound), column.in_(reachable_keys))

    counts = {"analyzed_comments": 0, "suggestions": 0, "feedback": 0}
    unique = list(dict.fromkeys(texts))
    for start in range(0, len(unique), chunk):
        part = unique[start : start + chunk]
        chosen = and_(Suggestion.text.in_(part), reachable(Suggestion.api_key_id))
        ids = select(Suggestion.id).where(chosen).scalar_subquery()
        counts["feedback"] += int(session.execute(delete(Feedback).where(Feedback.suggestion_id.in_(ids))).rowcount or 0)
        counts["suggestions"] += int(session.execute(delete(Suggestion).where(chosen)).rowcount or 0)
        counts["analyzed_comments"] += int(
            session.execute(
                delete(AnalyzedComment).where(AnalyzedComment.text.in_(part), reachable(AnalyzedComment.api_key_id))
            ).rowcount
            or 0
        )
    return counts
