"""Queries for the sign-in throttle's memory: failed sign-ins per (client address, user name)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from civility.storage.tables import SigninFailure


def blocked_until(session: Session, client: str, username: str) -> datetime | None:
    return session.scalar(
        select(SigninFailure.blocked_until).where(SigninFailure.client == client, SigninFailure.username == username)
    )


def record_failure(
    session: Session, client: str, username: str, now: datetime, delay_after: Callable[[int], float]
) -> tuple[int, float]:
    """Count one more failure (an atomic increment, so concurrent workers never lose one) and block the pair for
    ``delay_after(failures)`` seconds; returns (failures, delay)."""
    key = (SigninFailure.client == client, SigninFailure.username == username)
    for _ in range(2):
        failures = session.scalar(
            update(SigninFailure)
            .where(*key)
            .values(failures=SigninFailure.failures + 1, last_failed_at=now)
            .returning(SigninFailure.failures)
        )
        if failures is None:
            try:
                with session.begin_nested():
                    session.execute(
                        insert(SigninFailure).values(client=client, username=username, failures=1, last_failed_at=now)
                    )
                failures = 1
            except IntegrityError:
                continue  # another worker recorded the first failure meanwhile: count on top of it
        delay = delay_after(failures)
        session.execute(
            update(SigninFailure).where(*key).values(blocked_until=now + timedelta(seconds=delay) if delay > 0 else None)
        )
        return failures, delay
    raise RuntimeError("sign-in failure could not be recorded")


def clear(session: Session, client: str, username: str) -> None:
    session.execute(delete(SigninFailure).where(SigninFailure.client == client, SigninFailure.username == username))


def forget_before(session: Session, cutoff: datetime) -> None:
    """Drop pairs whose last failure is older than ``cutoff``: the table stays as small as recent failures."""
    session.execute(delete(SigninFailure).where(SigninFailure.last_failed_at < cutoff))
