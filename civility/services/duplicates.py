"""Keeps a process's near-duplicate index in step with the database.

Each worker process holds one ``DuplicateIndex``. Before every lookup it reads the comments committed since the
last one it saw (by any process: one indexed query), so all workers agree without a shared cache, and a comment
counts only once it is committed.

"Look up, decide, commit" must take turns: two copies of a comment arriving at the same moment (the start of a
brigade) would otherwise both look before either is committed and miss each other. Within a process,
:meth:`DuplicateTracker.posting` orders the threads; across worker processes the posting transaction first takes
the site's lock in the database (:func:`civility.storage.sites.lock_for_posting`), and the index syncs inside that
transaction, so it sees every comment committed before. Only that short section is serialised; scoring, and the
comment's fingerprint (its normalised form and MinHash, :meth:`DuplicateTracker.fingerprint`), are computed outside
it, and the fingerprints of this process's recent comments are kept, so the sync does not compute them again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from civility.moderation.duplicates import DuplicateIndex, DuplicateMatch, Fingerprint
from civility.storage.tables import Author, Comment


LOOKBACK = 1000  # ids re-checked on every sync, for comments committed out of id order
RECENT_FINGERPRINTS = 64  # fingerprints of this process's latest comments, reused when the sync indexes them


@dataclass(frozen=True)
class DuplicateFindings:
    """The nearest earlier comment under the same article, and the brigade picture across the site."""

    article: DuplicateMatch
    site: DuplicateMatch


def _epoch(moment: datetime) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()


class DuplicateTracker:
    def __init__(self, index: DuplicateIndex | None = None) -> None:
        self._index = index or DuplicateIndex()
        self._lock = threading.Lock()
        self._posting = threading.Lock()
        self._last_id = 0
        self._seen: set[int] = set()
        self._recent: OrderedDict[str, Fingerprint] = OrderedDict()

    def _sync(self, session: Session, now: datetime) -> None:
        """Index the comments committed since the last look that fall inside the window.

        PostgreSQL hands out ids before commit, so a comment with a lower id can become visible after a higher one:
        every sync also looks back ``LOOKBACK`` ids (ids only, cheap) and indexes any it has not seen yet.
        """
        since = now - timedelta(seconds=self._index.window_seconds)
        ids = set(
            session.scalars(select(Comment.id).where(Comment.id > self._last_id - LOOKBACK, Comment.posted_at >= since))
        )
        missing = sorted(ids - self._seen)
        if missing:
            rows = session.execute(
                select(Comment.id, Comment.site_id, Comment.article_id, Comment.text, Comment.posted_at, Author.external_id)
                .outerjoin(Author, Author.id == Comment.author_id)
                .where(Comment.id.in_(missing))
            ).all()
            for comment_id, site_id, article_id, text, posted_at, author in rows:
                at = _epoch(posted_at)
                printed = self._recent.get(text) or self._index.fingerprint(text)
                self._index.add(str(comment_id), text, author, f"article:{article_id}", at, fingerprint=printed)
                self._index.add(str(comment_id), text, author, f"site:{site_id}", at, fingerprint=printed)
            self._seen.update(missing)
            self._last_id = max(self._last_id, *missing)
        self._seen = {i for i in self._seen if i > self._last_id - LOOKBACK}
        self._index.prune(_epoch(now))

    @contextmanager
    def posting(self) -> Iterator[None]:
        """Hold while looking a comment up and committing it, so this process's next lookup sees it."""
        with self._posting:
            yield

    def fingerprint(self, text: str) -> Fingerprint:
        """The comment's fingerprint, to compute before :meth:`posting`; kept for the sync that indexes it later."""
        printed = self._index.fingerprint(text)
        with self._lock:
            self._recent[text] = printed
            while len(self._recent) > RECENT_FINGERPRINTS:
                self._recent.popitem(last=False)
        return printed

    def check(
        self, session: Session, site_id: int, article_id: int, text: str, author: str | None, posted_at: datetime, now: datetime,
        fingerprint: Fingerprint | None = None,
    ) -> DuplicateFindings:
        with self._lock:
            self._sync(session, now)
            at = _epoch(posted_at)
            return DuplicateFindings(
                article=self._index.query(text, author, f"article:{article_id}", at, fingerprint=fingerprint),
                site=self._index.query(text, author, f"site:{site_id}", at, fingerprint=fingerprint),
            )

    def forget(self, placements: Iterable[tuple[int, int, int]]) -> None:
        """Drop erased comments (comment id, site id, article id) from this process's index, and never index them
        again: their rows now hold no text."""
        with self._lock:
            for comment_id, site_id, article_id in placements:
                self._index.remove(str(comment_id), f"article:{article_id}")
                self._index.remove(str(comment_id), f"site:{site_id}")
                self._seen.add(comment_id)
