"""Sites, their policies and their articles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from civility import errors
from civility.moderation.policy import DEFAULT_POLICY, Policy, PolicyError
from civility.services import egress
from civility.services.context import Services
from civility.services.tenancy import EVERY_SITE, Principal
from civility.storage import audit
from civility.storage import sites as site_store
from civility.storage.tables import Article, Site


@dataclass(frozen=True)
class SiteView:
    slug: str
    name: str
    policy: Policy
    webhook_url: str | None
    created: bool = False


@dataclass(frozen=True)
class ArticleView:
    site: str
    slug: str
    title: str
    url: str | None
    summary: tuple[str, ...]
    body: str
    author: str | None
    published_at: datetime | None
    created: bool = False


def site_view(row: Site, created: bool = False) -> SiteView:
    return SiteView(row.slug, row.name, Policy.from_dict(row.policy), row.webhook_url, created)


def article_view(site: Site, row: Article, created: bool = False) -> ArticleView:
    return ArticleView(site.slug, row.slug, row.title, row.url, tuple(row.summary), row.body, row.author, row.published_at, created)


def parse_policy(data: dict[str, Any] | str | None) -> Policy:
    """A policy from its dict or TOML form; None means the default a newsroom can ship on day one."""
    if data is None:
        return DEFAULT_POLICY
    try:
        return Policy.from_toml(data) if isinstance(data, str) else Policy.from_dict(data)
    except PolicyError as exc:
        raise errors.CivilityError(f"Invalid policy: {exc}", "INVALID_POLICY") from None


def check_webhook_url(url: str, allowed_hosts: list[str]) -> None:
    """Refuse, before saving, a webhook URL that is not http(s) or names an internal address (see egress)."""
    if not url:
        return
    try:
        egress.check_url(url, allowed_hosts)
    except egress.EgressRefused as exc:
        raise errors.CivilityError(f"Webhook URL refused: {exc}.", "INVALID_WEBHOOK_URL") from None


def require_site(session: Session, slug: str, principal: Principal = EVERY_SITE) -> Site:
    """The site, or the API's 404: for a slug that names no site, and alike for one the principal may not reach."""
    row = site_store.by_slug(session, slug)
    message = f"Site '{slug}' not found."
    if row is None:
        raise errors.not_found(message)
    principal.require(row.id, message)
    return row


def require_article(session: Session, site: Site, slug: str) -> Article:
    row = site_store.article(session, site.id, slug)
    if row is None:
        raise errors.not_found(f"Article '{slug}' not found on site '{site.slug}'.")
    return row


def put_site(
    services: Services,
    slug: str,
    name: str | None,
    policy: Policy | None,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    actor: str = "api",
    coral_secret: str | None = None,
    principal: Principal = EVERY_SITE,
) -> SiteView:
    """Create or update a site. A site-bound principal may update its own sites and create none."""
    with services.sessions.begin() as session:
        existing = site_store.by_slug(session, slug)
        principal.require(existing.id if existing else None, f"Site '{slug}' not found.")
        values: dict[str, Any] = {"name": name or (existing.name if existing else slug)}
        if policy is not None or existing is None:
            values["policy"] = (policy or DEFAULT_POLICY).to_dict()
        if webhook_url is not None:
            check_webhook_url(webhook_url, services.settings.webhook_allowed_hosts)
            values["webhook_url"] = webhook_url or None
        if webhook_secret is not None:
            values["webhook_secret"] = webhook_secret or None
        if coral_secret is not None:
            values["coral_secret"] = coral_secret or None
        row, created = site_store.upsert_site(session, slug, **values)
        audit.record(
            session, actor, "site.created" if created else "site.updated", "site", slug, row.id,
            {"fields": sorted(values)},
        )
        return site_view(row, created)


def get_site(services: Services, slug: str, principal: Principal = EVERY_SITE) -> SiteView:
    with services.sessions() as session:
        return site_view(require_site(session, slug, principal))


def list_sites(services: Services, principal: Principal = EVERY_SITE) -> list[SiteView]:
    with services.sessions() as session:
        return [site_view(row) for row in site_store.all_sites(session, principal.site_ids)]


def set_policy(services: Services, slug: str, policy: Policy, actor: str, principal: Principal = EVERY_SITE) -> SiteView:
    with services.sessions.begin() as session:
        row = require_site(session, slug, principal)
        before = row.policy
        row.policy = policy.to_dict()
        audit.record(session, actor, "policy.updated", "site", slug, row.id, {"before": before, "after": row.policy})
        return site_view(row)


def put_article(
    services: Services,
    site_slug: str,
    slug: str,
    title: str,
    body: str,
    summary: list[str],
    url: str | None,
    author: str | None,
    published_at: datetime | None,
    actor: str = "api",
    principal: Principal = EVERY_SITE,
) -> ArticleView:
    with services.sessions.begin() as session:
        site = require_site(session, site_slug, principal)
        row, created = site_store.upsert_article(
            session, site.id, slug, title=title, body=body, summary=summary, url=url, author=author, published_at=published_at
        )
        audit.record(session, actor, "article.created" if created else "article.updated", "article", f"{site_slug}/{slug}", site.id)
        return article_view(site, row, created)


def get_article(services: Services, site_slug: str, slug: str, principal: Principal = EVERY_SITE) -> ArticleView:
    with services.sessions() as session:
        site = require_site(session, site_slug, principal)
        return article_view(site, require_article(session, site, slug))
