"""Queries for API keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from civility.storage.tables import ApiKey, ApiKeySite, utcnow


def insert(
    session: Session,
    name: str,
    prefix: str,
    key_hash: str,
    scopes: str,
    rate_qps: float | None = None,
    rate_burst: float | None = None,
) -> ApiKey:
    row = ApiKey(
        name=name, prefix=prefix, key_hash=key_hash, scopes=scopes, created_at=utcnow(), rate_qps=rate_qps, rate_burst=rate_burst
    )
    session.add(row)
    session.flush()
    return row


def by_hash(session: Session, key_hash: str) -> ApiKey | None:
    return session.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash))


def all_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


def revoke(session: Session, key_id: int, when: datetime) -> bool:
    result = session.execute(
        update(ApiKey).where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None)).values(revoked_at=when)
    )
    return bool(result.rowcount)


def touch(session: Session, key_id: int, when: datetime) -> None:
    session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=when))


def bind_sites(session: Session, key_id: int, site_ids: list[int]) -> None:
    for site_id in dict.fromkeys(site_ids):
        session.add(ApiKeySite(api_key_id=key_id, site_id=site_id))
    session.flush()


def site_ids(session: Session, key_id: int) -> frozenset[int] | None:
    """The sites the key is bound to; None when it is bound to none (it reaches every site)."""
    found = frozenset(session.scalars(select(ApiKeySite.site_id).where(ApiKeySite.api_key_id == key_id)))
    return found or None


def site_ids_of(session: Session, key_ids: list[int]) -> dict[int, frozenset[int]]:
    out: dict[int, set[int]] = {}
    if key_ids:
        for key_id, site_id in session.execute(select(ApiKeySite.api_key_id, ApiKeySite.site_id).where(ApiKeySite.api_key_id.in_(key_ids))):
            out.setdefault(key_id, set()).add(site_id)
    return {k: frozenset(v) for k, v in out.items()}
