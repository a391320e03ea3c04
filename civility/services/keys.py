"""API keys: created with a random secret shown once, stored as a SHA-256 hash, revocable.

SHA-256 (not a slow KDF) is right here: keys are 32 random bytes, so there is nothing to brute-force, and every
request must check one quickly.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from civility import errors
from civility.services import tenancy
from civility.storage import keys as key_store
from civility.storage import private
from civility.storage import sites as site_store
from civility.storage.tables import utcnow

KEY_PREFIX = "cvl_"
SCOPES = ("score", "moderate", "admin", "metrics")  # metrics: read /metrics only


@dataclass(frozen=True)
class KeyInfo:
    id: int
    name: str
    prefix: str
    scopes: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    rate_qps: float | None = None
    rate_burst: float | None = None
    site_ids: frozenset[int] | None = None  # the sites the key is bound to; None: every site
    sites: tuple[str, ...] = ()  # their slugs, for listings

    @property
    def principal(self) -> tenancy.Principal:
        return tenancy.for_key(self.prefix, self.name, self.site_ids)


@dataclass(frozen=True)
class CreatedKey:
    key: str
    info: KeyInfo


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _info(row: key_store.ApiKey, site_ids: frozenset[int] | None = None, slugs: tuple[str, ...] = ()) -> KeyInfo:
    return KeyInfo(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        scopes=tuple(s for s in row.scopes.split(",") if s),
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
        rate_qps=row.rate_qps,
        rate_burst=row.rate_burst,
        site_ids=site_ids,
        sites=slugs,
    )


def _site_ids(session: Session, slugs: tuple[str, ...]) -> list[int]:
    ids = []
    for slug in slugs:
        site = site_store.by_slug(session, slug)
        if site is None:
            raise ValueError(f"unknown site '{slug}'")
        ids.append(site.id)
    return ids


def create_key(
    sessions: sessionmaker[Session],
    name: str,
    scopes: tuple[str, ...] = ("score",),
    rate_qps: float | None = None,
    rate_burst: float | None = None,
    sites: tuple[str, ...] = (),
) -> CreatedKey:
    """``sites``: slugs of the sites the key is bound to; none binds it to every site."""
    unknown = set(scopes) - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown scopes: {', '.join(sorted(unknown))} (known: {', '.join(SCOPES)})")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    with sessions.begin() as session:
        site_ids = _site_ids(session, sites)
        row = key_store.insert(session, name, secret[:12], hash_key(secret), ",".join(scopes), rate_qps, rate_burst)
        key_store.bind_sites(session, row.id, site_ids)
        bound = frozenset(site_ids) or None
        return CreatedKey(secret, _info(row, bound, tuple(dict.fromkeys(sites))))


def list_keys(sessions: sessionmaker[Session]) -> list[KeyInfo]:
    with sessions() as session:
        rows = key_store.all_keys(session)
        bound = key_store.site_ids_of(session, [row.id for row in rows])
        slugs = {site.id: site.slug for site in site_store.all_sites(session)}
        return [
            _info(row, bound.get(row.id), tuple(sorted(slugs[i] for i in bound.get(row.id, ()) if i in slugs)))
            for row in rows
        ]


def revoke_key(sessions: sessionmaker[Session], key_id: int) -> bool:
    with sessions.begin() as session:
        return key_store.revoke(session, key_id, utcnow())


def authenticate(sessions: sessionmaker[Session], key: str | None, scope: str = "score") -> KeyInfo:
    """The key's record if it is valid, unrevoked and holds ``scope``; otherwise Perspective's key error."""
    if not key:
        raise errors.missing_api_key()
    with sessions.begin() as session:
        row = key_store.by_hash(session, hash_key(key))
        if row is None or row.revoked_at is not None:
            raise errors.invalid_api_key()
        info = _info(row, key_store.site_ids(session, row.id))
        if scope not in info.scopes and "admin" not in info.scopes:
            raise errors.CivilityError(
                f"API key lacks the '{scope}' scope.", "PERMISSION_DENIED", 403, "PERMISSION_DENIED"
            )
        now = utcnow()
        last = row.last_used_at
        if last is None or (now.replace(tzinfo=None) - last.replace(tzinfo=None)).total_seconds() > 60:
            key_store.touch(session, row.id, now)  # at most once a minute: no write on every request
        return info


@dataclass(frozen=True)
class LocalKey:
    key: str
    created: bool  # made by this call: the only time `civility serve` prints it


def ensure_local_key(sessions: sessionmaker[Session], key_file: Path) -> LocalKey:
    """The key for local use that `civility serve` made: reused while valid, else created and saved (mode 600)."""
    if key_file.exists():
        private.restrict(key_file)
        saved = key_file.read_text(encoding="utf-8").strip()
        try:
            authenticate(sessions, saved, "admin")
            return LocalKey(saved, created=False)
        except errors.CivilityError:
            pass
    created = create_key(sessions, "local (made by civility serve)", ("score", "moderate", "admin"))
    private.write_private(key_file, created.key + "\n")
    return LocalKey(created.key, created=True)
