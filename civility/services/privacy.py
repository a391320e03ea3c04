"""Erasing one author: their texts, name and feedback leave every table; decisions and counts stay, redacted.

Analyze requests and suggested scores carry no author, so they are matched by text: any stored analyze request or
suggestion whose comment is exactly one of the author's, sent with a key that reaches the author's site, is
deleted with its feedback. The erasure is one transaction with its audit entry (which names the author by row id
only, never by the erased external id), and this process's near-duplicate index forgets the comments afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from civility import errors
from civility.services.duplicates import DuplicateTracker
from civility.services.sites import require_site
from civility.services.tenancy import EVERY_SITE, Principal
from civility.storage import analyzed as analyzed_store
from civility.storage import audit
from civility.storage import comments as comment_store
from civility.storage import privacy as privacy_store


@dataclass(frozen=True)
class ErasureReport:
    site: str
    author_id: int
    counts: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"site": self.site, "author": self.author_id, "erased": dict(self.counts)}


def erase_author(
    sessions: sessionmaker[Session],
    site_slug: str,
    author_external_id: str,
    principal: Principal = EVERY_SITE,
    duplicates: DuplicateTracker | None = None,
) -> ErasureReport:
    """Erase the author known to ``site_slug`` as ``author_external_id``; 404 for an unknown (or unreachable) one.
    ``duplicates``: the serving process's near-duplicate index, which forgets the comments."""
    with sessions.begin() as session:
        site = require_site(session, site_slug, principal)
        author = comment_store.find_author(session, site.id, author_external_id)
        if author is None:
            raise errors.not_found(f"Author '{author_external_id}' not found on site '{site_slug}'.")
        erased = privacy_store.erase_author(session, author)
        counts = {**erased.counts(), **analyzed_store.erase_texts(session, erased.texts, site.id)}
        audit.record(session, principal.actor, "author.erased", "author", str(author.id), site.id, dict(counts))
        report = ErasureReport(site.slug, author.id, counts)
    if duplicates is not None:
        duplicates.forget(erased.placements)
    return report
