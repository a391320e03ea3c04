"""Dashboard sign-in with throttling per (client address, user name) and a bound on concurrent password checks.

Why this shape: a lock-out per user name lets anyone lock the admin out by guessing wrong on purpose, so failures
are counted per pair of client address and user name, and the right password from another address always gets
through. After ``signin_free_failures`` failures the pair waits ``signin_delay_seconds``, doubling with each further
failure up to ``signin_max_delay_seconds``. The counts live in the database, so every worker process shares them.
A throttled attempt is answered before any password check: argon2id is deliberately expensive, and a refusal must
cost the server almost nothing. The checks that do run are bounded per process (``password_hash_concurrency``), so a
burst of sign-ins cannot take every core and all the memory (the slots live on ``Services``). Failed sign-ins go to the audit log (never the password).
"""

from __future__ import annotations

import ipaddress
import math
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from civility.config import Settings
from civility.services import users as user_service
from civility.services.users import UserInfo
from civility.storage import audit
from civility.storage import signin as signin_store
from civility.storage.tables import utcnow

FORGET_AFTER = timedelta(days=1)  # a pair's failures are forgotten a day after its last one
HASH_WAIT_SECONDS = 5.0  # how long a sign-in waits for a free password-check slot before it is refused with 503


@dataclass(frozen=True)
class SigninResult:
    """``user`` when signed in. Otherwise ``throttled`` says the password was not even checked, ``busy`` that every
    password-check slot stayed taken; ``retry_after`` is how long this address must wait (0: it may try now)."""

    user: UserInfo | None
    retry_after: int = 0
    throttled: bool = False
    busy: bool = False


def delay_after(settings: Settings, failures: int) -> float:
    """Seconds the pair must wait after its ``failures``-th failure: none while free, then doubling, capped."""
    beyond = failures - settings.signin_free_failures
    if beyond < 0:
        return 0.0
    return min(settings.signin_max_delay_seconds, settings.signin_delay_seconds * 2.0 ** min(beyond, 60))


def client_key(address: str | None) -> str:
    """The throttle's notion of a client: the address, with IPv6 cut to its /64 (one host often holds a whole /64)."""
    if not address:
        return "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:100]
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def sign_in(
    sessions: sessionmaker[Session],
    settings: Settings,
    slots: threading.BoundedSemaphore,
    address: str | None,
    username: str,
    password: str,
    now: datetime | None = None,
) -> SigninResult:
    """``slots``: the process's password-check slots (``Services.password_checks``)."""
    client = client_key(address)
    name = (username or "").lower()[:100]
    moment = now or utcnow()
    with sessions() as session:
        blocked = signin_store.blocked_until(session, client, name)
    if blocked is not None and _aware(blocked) > moment:
        return SigninResult(None, math.ceil((_aware(blocked) - moment).total_seconds()), throttled=True)
    if not slots.acquire(timeout=HASH_WAIT_SECONDS):
        return SigninResult(None, 5, busy=True)
    try:
        user = user_service.authenticate(sessions, username, password)
    finally:
        slots.release()
    with sessions.begin() as session:
        if user is not None:
            signin_store.clear(session, client, name)
            return SigninResult(user)
        signin_store.forget_before(session, moment - FORGET_AFTER)
        failures, delay = signin_store.record_failure(session, client, name, moment, lambda n: delay_after(settings, n))
        audit.record(
            session, "anonymous", "user.sign_in_failed", "user", username[:200],
            details={"client": client, "failures": failures, "wait_seconds": math.ceil(delay)},
        )
    return SigninResult(None, math.ceil(delay))
