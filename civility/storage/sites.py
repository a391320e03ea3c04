"""Queries for sites and their articles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from civility.storage.tables import Article, Site, utcnow

POSTING_LOCK = 0x43495631  # advisory-lock namespace for comment posting ("CIV1")


def by_slug(session: Session, slug: str) -> Site | None:
    return session.scalar(select(Site).where(Site.slug == slug))


def all_sites(session: Session, site_ids: frozenset[int] | None = None) -> list[Site]:
    """Every site, or only those of ``site_ids`` (a site-bound reader's)."""
    query = select(Site) if site_ids is None else select(Site).where(Site.id.in_(sorted(site_ids)))
    return list(session.scalars(query.order_by(Site.slug)))


Row = TypeVar("Row", Site, Article)


def _upsert(session: Session, existing: Row | None, make: Callable[[], Row], values: dict[str, Any]) -> tuple[Row, bool]:
    """Create the row (``make``) or update ``existing`` with ``values``; either way stamp ``updated_at``."""
    row = existing if existing is not None else make()
    if existing is None:
        session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    row.updated_at = utcnow()
    session.flush()
    return row, existing is None


def upsert_site(session: Session, slug: str, **values: Any) -> tuple[Site, bool]:
    return _upsert(session, by_slug(session, slug), lambda: Site(slug=slug, created_at=utcnow(), **values), values)


def article(session: Session, site_id: int, slug: str) -> Article | None:
    return session.scalar(select(Article).where(Article.site_id == site_id, Article.slug == slug))


def article_by_id(session: Session, article_id: int) -> Article | None:
    return session.get(Article, article_id)


def articles(session: Session, site_id: int) -> list[Article]:
    return list(session.scalars(select(Article).where(Article.site_id == site_id).order_by(Article.created_at.desc())))


def upsert_article(session: Session, site_id: int, slug: str, **values: Any) -> tuple[Article, bool]:
    make = lambda: Article(site_id=site_id, slug=slug, created_at=utcnow(), **values)  # noqa: E731
    return _upsert(session, article(session, site_id, slug), make, values)


def lock_for_posting(session: Session, site_id: int) -> None:
    """Hold, until this transaction ends, the right to decide and store a new comment of the site.

    Duplicate and brigade detection compares a comment with those already stored; two workers deciding copies at
    the same moment must take turns, or each misses the other. PostgreSQL: a transaction-scoped advisory lock per
    site. SQLite: a no-op write, which takes the database's single write lock (other writers wait, busy timeout),
    so every read after it in the transaction sees all committed comments."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:namespace, :site)"), {"namespace": POSTING_LOCK, "site": site_id})
    else:
        session.execute(update(Site).where(Site.id == site_id).values(name=Site.name))
