"""Statistics for the dashboard, computed from the database: decisions per day, score distributions per article,
top reasons, and per-article comment counts."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from civility.services.context import Services
from civility.services.sites import require_site
from civility.services.tenancy import EVERY_SITE, Principal
from civility.storage import stats as stats_store
from civility.storage.tables import utcnow

BINS = 10


@dataclass(frozen=True)
class DayCount:
    day: str
    approve: int = 0
    review: int = 0
    reject: int = 0
    by_moderators: int = 0

    @property
    def total(self) -> int:
        return self.approve + self.review + self.reject


@dataclass(frozen=True)
class ArticleSummary:
    id: int
    slug: str
    title: str
    url: str | None
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ArticleScores:
    article: ArticleSummary
    histogram: list[int]  # BINS counts of the attribute's score, [0, 0.1), …, [0.9, 1.0]


@dataclass(frozen=True)
class Overview:
    site: str
    days: list[DayCount]
    attribute: str
    attributes: list[str]
    articles: list[ArticleScores]
    top_reasons: list[tuple[str, int]]
    statuses: dict[str, int] = field(default_factory=dict)


def articles(services: Services, site_slug: str, principal: Principal = EVERY_SITE) -> list[ArticleSummary]:
    """The site's articles, newest first, with how many comments each has per current status."""
    with services.sessions() as session:
        site = require_site(session, site_slug, principal)
        rows = stats_store.article_status_counts(session, site.id)
    found: dict[int, ArticleSummary] = {}
    for article_id, slug, title, url, status, n in rows:
        summary = found.setdefault(article_id, ArticleSummary(article_id, slug, title, url, {}))
        if status:
            summary.counts[status] = n
    return list(found.values())


def _histogram(values: list[float]) -> list[int]:
    bins = [0] * BINS
    for value in values:
        bins[min(int(max(value, 0.0) * BINS), BINS - 1)] += 1
    return bins


def overview(
    services: Services, site_slug: str, days: int = 30, attribute: str = "TOXICITY", top: int = 20,
    principal: Principal = EVERY_SITE,
) -> Overview:
    """``top``: reason codes come from the site's policy (about twenty in the default), so 20 bars show nearly all."""
    days = max(1, min(int(days), 366))
    today = utcnow().date()
    first = today - timedelta(days=days - 1)
    with services.sessions() as session:
        site = require_site(session, site_slug, principal)
        per_day = stats_store.decisions_per_day(session, site.id, utcnow() - timedelta(days=days))
        attributes = stats_store.attributes_scored(session, site.id)
        if attributes and attribute not in attributes:
            attribute = attributes[0]
        values = stats_store.score_values(session, site.id, attribute)
        codes = stats_store.reason_code_lists(session, site.id)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for day, action, source, n in per_day:
        counts[day][action] += n
        if source == "moderator":
            counts[day]["moderator"] += n
    series = []
    for offset in range(days):
        day = (first + timedelta(days=offset)).isoformat()
        c = counts.get(day, Counter())
        series.append(DayCount(day, c["approve"], c["review"], c["reject"], c["moderator"]))
    by_article: dict[int, list[float]] = defaultdict(list)
    for article_id, value in values:
        by_article[article_id].append(value)
    summaries = articles(services, site_slug, principal)
    scored = [ArticleScores(a, _histogram(by_article.get(a.id, []))) for a in summaries if a.total]
    reasons = Counter(code for joined in codes for code in joined.split(",") if code)
    statuses: Counter[str] = Counter()
    for summary in summaries:
        statuses.update(summary.counts)
    return Overview(site_slug, series, attribute, attributes, scored, reasons.most_common(top), dict(statuses))


def day_label(day: str) -> str:
    return date.fromisoformat(day).strftime("%d %b")


def reason_codes(services: Services, site_slug: str, principal: Principal = EVERY_SITE) -> list[str]:
    """Every reason code in force on the site's comments, most frequent first (for the queue's filter)."""
    with services.sessions() as session:
        site = require_site(session, site_slug, principal)
        codes = stats_store.reason_code_lists(session, site.id)
    return [code for code, _ in Counter(c for joined in codes for c in joined.split(",") if c).most_common()]
