"""Dashboard users and sessions.

Passwords are hashed with argon2id (argon2-cffi's defaults: RFC 9106 low-memory profile), and rehashed on sign-in when
those parameters change. A session is a random token in an HttpOnly cookie; only its SHA-256 is stored, beside the
session's CSRF token and expiry, so a copy of the database lets no one sign in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from civility.services import tenancy
from civility.storage import audit, private
from civility.storage import sites as site_store
from civility.storage import users as user_store
from civility.storage.tables import utcnow

ROLES = ("admin", "moderator", "editor")
MIN_PASSWORD = 10
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$")
_hasher = PasswordHasher()
# Verified when the user does not exist, so that a wrong username costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class UserError(ValueError):
    """A user that cannot be created or changed; the message says why."""


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    role: str
    created_at: datetime
    disabled: bool
    site_ids: frozenset[int] | None = None  # the sites the user is bound to; None: every site
    sites: tuple[str, ...] = ()  # their slugs, for listings

    @property
    def principal(self) -> tenancy.Principal:
        return tenancy.for_user(self.username, self.site_ids)


@dataclass(frozen=True)
class WebSessionInfo:
    user: UserInfo
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class StartedSession:
    token: str
    info: WebSessionInfo


def _info(row: user_store.User, session: Session | None = None) -> UserInfo:
    """The user; with ``session``, with the sites they are bound to."""
    site_ids = user_store.site_ids(session, row.id) if session is not None else None
    slugs: tuple[str, ...] = ()
    if session is not None and site_ids:
        slugs = tuple(sorted(s.slug for s in site_store.all_sites(session) if s.id in site_ids))
    return UserInfo(row.id, row.username, row.role, row.created_at, bool(row.disabled), site_ids, slugs)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(
    sessions: sessionmaker[Session], username: str, password: str, role: str, actor: str = "cli", sites: tuple[str, ...] = ()
) -> UserInfo:
    """``sites``: slugs of the sites the user is bound to; none lets them reach every site."""
    if not _USERNAME.match(username or ""):
        raise UserError("A username is 1 to 100 letters, digits or . _ @ - (starting with a letter or digit).")
    if role not in ROLES:
        raise UserError(f"Unknown role '{role}' (one of {', '.join(ROLES)}).")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"A password needs at least {MIN_PASSWORD} characters.")
    try:
        with sessions.begin() as session:
            if user_store.by_username(session, username) is not None:
                raise UserError(f"User '{username}' already exists.")
            site_ids = []
            for slug in dict.fromkeys(sites):
                site = site_store.by_slug(session, slug)
                if site is None:
                    raise UserError(f"Unknown site '{slug}'.")
                site_ids.append(site.id)
            row = user_store.insert(session, username, hash_password(password), role)
            user_store.bind_sites(session, row.id, site_ids)
            details: dict[str, object] = {"role": role, "sites": list(dict.fromkeys(sites))} if sites else {"role": role}
            audit.record(session, actor, "user.created", "user", username, None, details)
            return _info(row, session)
    except IntegrityError:
        raise UserError(f"User '{username}' already exists.") from None


def list_users(sessions: sessionmaker[Session]) -> list[UserInfo]:
    with sessions() as session:
        return [_info(row, session) for row in user_store.all_users(session)]


def disable_user(sessions: sessionmaker[Session], username: str, actor: str = "cli") -> bool:
    """Disable the user and end their sessions; False when there is no such user."""
    with sessions.begin() as session:
        row = user_store.by_username(session, username)
        if row is None:
            return False
        row.disabled = True
        user_store.delete_sessions_of(session, row.id)
        audit.record(session, actor, "user.disabled", "user", username)
        return True


def authenticate(sessions: sessionmaker[Session], username: str, password: str) -> UserInfo | None:
    """The user when the password matches and the account is enabled, else None (same cost either way)."""
    with sessions.begin() as session:
        row = user_store.by_username(session, username or "")
        try:
            _hasher.verify(row.password_hash if row is not None else _DUMMY_HASH, password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if row is None or row.disabled:
            return None
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = hash_password(password)
        return _info(row, session)


def start_session(sessions: sessionmaker[Session], user: UserInfo, hours: float) -> StartedSession:
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utcnow()
    expires = now + timedelta(hours=hours)
    with sessions.begin() as session:
        user_store.purge_expired(session, now)
        user_store.add_session(session, _token_hash(token), user.id, csrf, expires)
        audit.record(session, user.username, "user.signed_in", "user", user.username)
    return StartedSession(token, WebSessionInfo(user, csrf, expires))


def session_user(sessions: sessionmaker[Session], token: str | None) -> WebSessionInfo | None:
    """The session behind a cookie's token: None when unknown, expired, or its user is disabled."""
    if not token or len(token) > 200:
        return None
    with sessions() as session:
        found = user_store.session_by_hash(session, _token_hash(token))
        if found is None:
            return None
        web_session, user = found
        if user.disabled or _aware(web_session.expires_at) <= utcnow():
            return None
        return WebSessionInfo(_info(user, session), web_session.csrf_token, _aware(web_session.expires_at))


def end_session(sessions: sessionmaker[Session], token: str | None) -> None:
    if not token:
        return
    with sessions.begin() as session:
        user_store.delete_session(session, _token_hash(token))


@dataclass(frozen=True)
class LocalAdmin:
    """The ``admin`` user `civility serve` made: its password, or None when an ``admin`` exists that serve did not
    make (its password is not ours to print); ``created`` on the start that made it, the only one that prints it."""

    password: str | None
    created: bool


def ensure_local_admin(sessions: sessionmaker[Session], password_file: Path, username: str = "admin") -> LocalAdmin:
    """The ``admin`` user that `civility serve` made, creating it (and the password file, mode 600) on first start."""
    if password_file.exists():
        private.restrict(password_file)
        saved = password_file.read_text(encoding="utf-8").strip()
        if saved and authenticate(sessions, username, saved) is not None:
            return LocalAdmin(saved, created=False)
    with sessions() as session:
        if user_store.by_username(session, username) is not None:
            return LocalAdmin(None, created=False)
    password = secrets.token_urlsafe(15)
    create_user(sessions, username, password, "admin", actor="serve")
    private.write_private(password_file, password + "\n")
    return LocalAdmin(password, created=True)
