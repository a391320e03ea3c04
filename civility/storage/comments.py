"""Queries for moderated comments: authors, comments, their scores, decisions and corrections."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from civility.storage.tables import Author, Comment, CommentScore, Correction, Decision, utcnow


def author(session: Session, site_id: int, external_id: str, name: str | None) -> Author:
    row = session.scalar(select(Author).where(Author.site_id == site_id, Author.external_id == external_id))
    if row is None:
        row = Author(site_id=site_id, external_id=external_id, name=name, created_at=utcnow())
        session.add(row)
        session.flush()
    elif name and row.name != name:
        row.name = name
    return row


def find_author(session: Session, site_id: int, external_id: str) -> Author | None:
    return session.scalar(select(Author).where(Author.site_id == site_id, Author.external_id == external_id))


def author_history(session: Session, author_id: int) -> dict[str, int]:
    """How many of the author's comments are currently approved, rejected, and in all."""
    rows = session.execute(
        select(Comment.status, func.count()).where(Comment.author_id == author_id).group_by(Comment.status)
    ).all()
    counts = {status: int(n) for status, n in rows}
    return {"approved": counts.get("approve", 0), "rejected": counts.get("reject", 0), "total": sum(counts.values())}


def by_external_id(session: Session, site_id: int, external_id: str) -> Comment | None:
    return session.scalar(select(Comment).where(Comment.site_id == site_id, Comment.external_id == external_id))


def by_id(session: Session, comment_id: int, site_ids: frozenset[int] | None = None) -> Comment | None:
    """The comment; with ``site_ids``, only when it belongs to one of those sites (a site-bound reader's)."""
    if site_ids is None:
        return session.get(Comment, comment_id)
    return session.scalar(select(Comment).where(Comment.id == comment_id, Comment.site_id.in_(sorted(site_ids))))


def insert(session: Session, **values: Any) -> Comment:
    row = Comment(received_at=utcnow(), **values)
    session.add(row)
    session.flush()
    return row


def add_scores(session: Session, comment_id: int, scores: list[dict[str, Any]]) -> None:
    for score in scores:
        session.add(CommentScore(comment_id=comment_id, **score))
    session.flush()


def scores_of(session: Session, comment_id: int) -> list[CommentScore]:
    return list(session.scalars(select(CommentScore).where(CommentScore.comment_id == comment_id).order_by(CommentScore.attribute)))


def scores_for(session: Session, comment_ids: list[int]) -> dict[int, list[CommentScore]]:
    out: dict[int, list[CommentScore]] = {cid: [] for cid in comment_ids}
    if comment_ids:
        for row in session.scalars(select(CommentScore).where(CommentScore.comment_id.in_(comment_ids))):
            out[row.comment_id].append(row)
    return out


def add_decision(
    session: Session,
    comment: Comment,
    action: str,
    source: str,
    reasons: list[dict[str, Any]],
    actor: str | None = None,
    note: str | None = None,
    at: datetime | None = None,
    on_behalf_of: str | None = None,
) -> Decision:
    row = Decision(
        comment_id=comment.id,
        action=action,
        source=source,
        actor=actor,
        on_behalf_of=on_behalf_of,
        reasons=reasons,
        note=note,
        created_at=at or utcnow(),
    )
    session.add(row)
    comment.status = action
    session.flush()
    return row


def decisions_of(session: Session, comment_id: int) -> list[Decision]:
    return list(session.scalars(select(Decision).where(Decision.comment_id == comment_id).order_by(Decision.id)))


def latest_decisions(session: Session, comment_ids: list[int]) -> dict[int, Decision]:
    if not comment_ids:
        return {}
    newest = (
        select(func.max(Decision.id)).where(Decision.comment_id.in_(comment_ids)).group_by(Decision.comment_id)
    ).scalar_subquery()
    return {row.comment_id: row for row in session.scalars(select(Decision).where(Decision.id.in_(newest)))}


def copies_with_reason(session: Session, original_id: int, code: str) -> list[Comment]:
    """Near-duplicates of ``original_id`` whose latest decision carries reason ``code`` (``reason_codes`` mirrors the
    latest decision, so a copy a moderator has since decided on its own no longer matches)."""
    return list(
        session.scalars(
            select(Comment)
            .where(Comment.duplicate_of_id == original_id, Comment.reason_codes.contains(f",{code},", autoescape=True))
            .order_by(Comment.id)
        )
    )


def of_article(session: Session, article_id: int) -> list[Comment]:
    return list(session.scalars(select(Comment).where(Comment.article_id == article_id).order_by(Comment.posted_at, Comment.id)))


def add_correction(session: Session, **values: Any) -> Correction:
    row = Correction(**values)
    session.add(row)
    session.flush()
    return row


def correction_of(session: Session, comment_id: int) -> Correction | None:
    return session.scalar(select(Correction).where(Correction.comment_id == comment_id))


def corrections(session: Session, site_id: int, status: str | None = "open") -> list[tuple[Correction, Comment]]:
    query = select(Correction, Comment).join(Comment, Comment.id == Correction.comment_id).where(Comment.site_id == site_id)
    if status:
        query = query.where(Correction.status == status)
    return [(c, m) for c, m in session.execute(query.order_by(Correction.id.desc())).all()]


def correction_by_id(session: Session, correction_id: int, site_ids: frozenset[int] | None = None) -> Correction | None:
    """The correction; with ``site_ids``, only when its comment belongs to one of those sites."""
    if site_ids is None:
        return session.get(Correction, correction_id)
    return session.scalar(
        select(Correction)
        .join(Comment, Comment.id == Correction.comment_id)
        .where(Correction.id == correction_id, Comment.site_id.in_(sorted(site_ids)))
    )


def author_recent(session: Session, author_id: int, exclude_id: int | None = None, limit: int = 5) -> list[Comment]:
    """The author's newest comments on the site (any article), for the moderator's view of their history."""
    query = select(Comment).where(Comment.author_id == author_id)
    if exclude_id is not None:
        query = query.where(Comment.id != exclude_id)
    return list(session.scalars(query.order_by(Comment.posted_at.desc(), Comment.id.desc()).limit(limit)))


def count_by_status(session: Session, status: str) -> int:
    return int(session.scalar(select(func.count()).select_from(Comment).where(Comment.status == status)) or 0)
