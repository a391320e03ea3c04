"""Queries for dashboard users and their sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from civility.storage.tables import User, UserSite, WebSession, utcnow


def insert(session: Session, username: str, password_hash: str, role: str) -> User:
    row = User(username=username, password_hash=password_hash, role=role, created_at=utcnow(), disabled=False)
    session.add(row)
    session.flush()
    return row


def by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def add_session(session: Session, id_hash: str, user_id: int, csrf_token: str, expires_at: datetime) -> WebSession:
    row = WebSession(id_hash=id_hash, user_id=user_id, csrf_token=csrf_token, created_at=utcnow(), expires_at=expires_at)
    session.add(row)
    session.flush()
    return row


def session_by_hash(session: Session, id_hash: str) -> tuple[WebSession, User] | None:
    found = session.execute(
        select(WebSession, User).join(User, User.id == WebSession.user_id).where(WebSession.id_hash == id_hash)
    ).first()
    return (found[0], found[1]) if found else None


def delete_session(session: Session, id_hash: str) -> None:
    session.execute(delete(WebSession).where(WebSession.id_hash == id_hash))


def delete_sessions_of(session: Session, user_id: int) -> int:
    return session.execute(delete(WebSession).where(WebSession.user_id == user_id)).rowcount or 0


def purge_expired(session: Session, now: datetime) -> int:
    return session.execute(delete(WebSession).where(WebSession.expires_at < now)).rowcount or 0


def bind_sites(session: Session, user_id: int, site_ids: list[int]) -> None:
    for site_id in dict.fromkeys(site_ids):
        session.add(UserSite(user_id=user_id, site_id=site_id))
    session.flush()


def site_ids(session: Session, user_id: int) -> frozenset[int] | None:
    """The sites the user is bound to; None when bound to none (they reach every site)."""
    found = frozenset(session.scalars(select(UserSite.site_id).where(UserSite.user_id == user_id)))
    return found or None
