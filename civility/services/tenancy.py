"""Sites as tenants: which sites a key or dashboard user may reach, decided in this one place.

A principal bound to sites meets another site's resources exactly as it meets ones that do not exist: 404, never
403, so neither a slug nor an id tells it that another tenant has something there. Unbound principals (no site rows)
reach every site, as admin keys and users always did.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from civility import errors

ACTOR_LIMIT = 200  # the audit log's and decisions' actor column


@dataclass(frozen=True)
class Principal:
    """Who acts: ``actor`` is what the audit log records; ``site_ids`` the sites it may reach (None: every site)."""

    actor: str
    site_ids: frozenset[int] | None = None

    @property
    def bound(self) -> bool:
        return self.site_ids is not None

    def can_see(self, site_id: int | None) -> bool:
        return self.site_ids is None or (site_id is not None and site_id in self.site_ids)

    def require(self, site_id: int | None, message: str) -> None:
        """Raise the API's 404 (with ``message``, the same one a missing resource gets) unless the site is reachable."""
        if not self.can_see(site_id):
            raise errors.not_found(message)

    def where(self, column: Any) -> Any:
        """A SQL condition that keeps rows of reachable sites (``column``: a ``site_id`` column), or None when unbound."""
        return None if self.site_ids is None else column.in_(sorted(self.site_ids))


EVERY_SITE = Principal("system")  # what in-process callers (CLI, tests, background work) act as


def key_actor(prefix: str, name: str) -> str:
    return f"key:{prefix}:{name}"[:ACTOR_LIMIT]


def for_key(prefix: str, name: str, site_ids: frozenset[int] | None) -> Principal:
    return Principal(key_actor(prefix, name), site_ids)


def for_user(username: str, site_ids: frozenset[int] | None) -> Principal:
    return Principal(username, site_ids)
