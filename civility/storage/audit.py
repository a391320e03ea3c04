"""The append-only audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civility.storage.tables import AuditEntry, utcnow


def record(
    session: Session,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    site_id: int | None = None,
    details: dict[str, Any] | None = None,
    on_behalf_of: str | None = None,
) -> AuditEntry:
    """``actor``: the key or user that acted; ``on_behalf_of``: a moderator an integration named, never in its place."""
    entry = AuditEntry(
        at=utcnow(),
        actor=actor,
        on_behalf_of=on_behalf_of,
        action=action,
        site_id=site_id,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details or {},
    )
    session.add(entry)
    session.flush()
    return entry


def entries(
    session: Session,
    site_id: int | None = None,
    actor: str | None = None,
    action: str | None = None,
    on_behalf_of: str | None = None,
    subject_type: str | None = None,
    subject_id: str | None = None,
    since: datetime | None = None,
    limit: int = 100,
    before_id: int | None = None,
    site_ids: frozenset[int] | None = None,
) -> list[AuditEntry]:
    """``site_ids``: only entries of these sites (a site-bound reader); None: entries of any site, or of none."""
    query = select(AuditEntry)
    if site_ids is not None:
        query = query.where(AuditEntry.site_id.in_(sorted(site_ids)))
    if site_id is not None:
        query = query.where(AuditEntry.site_id == site_id)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if action:
        query = query.where(AuditEntry.action == action)
    if on_behalf_of:
        query = query.where(AuditEntry.on_behalf_of == on_behalf_of)
    if subject_type:
        query = query.where(AuditEntry.subject_type == subject_type)
    if subject_id:
        query = query.where(AuditEntry.subject_id == subject_id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))
