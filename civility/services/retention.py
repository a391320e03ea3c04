"""Retention: stored analyze requests and suggested scores older than ``retention_days`` are deleted.

The server runs :class:`RetentionTask` (every ``retention_interval_seconds``) when the setting is on; ``civility purge``
runs one round. Deleting is idempotent, so several worker processes purging at once agree.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from civility.storage import analyzed as analyzed_store
from civility.storage.tables import utcnow

log = logging.getLogger("civility.retention")


def purge_expired(sessions: sessionmaker[Session], days: int, now: datetime | None = None) -> dict[str, int]:
    """Delete what was stored more than ``days`` days before ``now``; rows deleted per table."""
    if days < 1:
        raise ValueError("retention must be at least one day")
    cutoff = (now or utcnow()) - timedelta(days=days)
    with sessions.begin() as session:
        return analyzed_store.purge_before(session, cutoff)


class RetentionTask:
    """A background thread that purges every ``interval`` seconds (first at start) until stopped."""

    def __init__(self, sessions: sessionmaker[Session], days: int, interval: float = 3600.0) -> None:
        self._sessions = sessions
        self._days = days
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="civility-retention", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                counts = purge_expired(self._sessions, self._days)
                if any(counts.values()):
                    log.info("retention purge deleted %s", counts)
            except Exception:  # the task must outlive a database hiccup
                log.exception("retention purge failed")
            self._stop.wait(self._interval)
