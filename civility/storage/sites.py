"""Queries for sites and their articles."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civility.storage.tables import Article, Site, utcnow


def by_slug(session: Session, slug: str) -> Site | None:
    return session.scalar(select(Site).where(Site.slug == slug))


def all_sites(session: Session) -> list[Site]:
    return list(session.scalars(select(Site).order_by(Site.slug)))


def upsert_site(session: Session, slug: str, **values: Any) -> tuple[Site, bool]:
    site = by_slug(session, slug)
    created = site is None
    if site is None:
        site = Site(slug=slug, created_at=utcnow(), **values)
        session.add(site)
    else:
        for key, value in values.items():
            setattr(site, key, value)
    site.updated_at = utcnow()
    session.flush()
    return site, created


def article(session: Session, site_id: int, slug: str) -> Article | None:
    return session.scalar(select(Article).where(Article.site_id == site_id, Article.slug == slug))


def article_by_id(session: Session, article_id: int) -> Article | None:
    return session.get(Article, article_id)


def articles(session: Session, site_id: int) -> list[Article]:
    return list(session.scalars(select(Article).where(Article.site_id == site_id).order_by(Article.created_at.desc())))


def upsert_article(session: Session, site_id: int, slug: str, **values: Any) -> tuple[Article, bool]:
    row = article(session, site_id, slug)
    created = row is None
    if row is None:
        row = Article(site_id=site_id, slug=slug, created_at=utcnow(), **values)
        session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    row.updated_at = utcnow()
    session.flush()
    return row, created
