"""Articles: the list with comment counts, and one article with its thread, decisions and reasons inline."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from civility.services import review, stats
from civility.services.sites import get_article
from civility.services.users import WebSessionInfo
from civility.web.render import pick_site, render, segments
from civility.web.routes.queue import DECISION_REASONS, cards
from civility.web.security import DashboardRoute, require, services_of

router = APIRouter(route_class=DashboardRoute)


@router.get("/articles")
def article_list(request: Request, user: WebSessionInfo = Depends(require("articles"))) -> Response:
    site = pick_site(request)
    if site is None:
        return render(request, "empty.html", user=user, title="Articles")
    found = stats.articles(services_of(request), site, user.user.principal)
    return render(request, "articles.html", user=user, site=site, title="Articles", articles=found)


def _threaded(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fold duplicates under the comment they duplicate, and replies under their parent, keeping posting order."""
    by_id = {c["o"].comment_id: c for c in items}
    by_external = {c["o"].external_id: c for c in items}
    roots = []
    for card in items:
        card.setdefault("duplicates", [])
        card.setdefault("replies", [])
    for card in items:
        ctx = card["ctx"]
        original = by_id.get(ctx.duplicate_of_id) if ctx and ctx.duplicate_of_id else None
        parent = by_external.get(ctx.parent_external_id) if ctx and ctx.parent_external_id else None
        if original is not None and original is not card:
            original["duplicates"].append(card)
        elif parent is not None and parent is not card:
            parent["replies"].append(card)
        else:
            roots.append(card)
    return roots


@router.get("/articles/{slug}")
def article_page(slug: str, request: Request, user: WebSessionInfo = Depends(require("articles"))) -> Response:
    site = pick_site(request)
    if site is None:
        return render(request, "empty.html", user=user, title="Article")
    services = services_of(request)
    principal = user.user.principal
    article = get_article(services, site, slug, principal)
    thread = review.thread(services, site, slug, principal)
    items = cards(request, thread)
    corrections = [c for c in review.corrections(services, site, None, principal) if c.comment_id in {o.comment_id for o in thread}]
    marks = [(c.passage_begin, c.passage_end, 1.0, f"reader correction: {c.proposed}") for c in corrections]
    paragraphs = []
    start = 0
    for line in article.body.split("\n"):
        end = start + len(line)
        local = [(max(b, start) - start, min(e, end) - start, s, t) for b, e, s, t in marks if b < end and e > start]
        if line.strip():
            paragraphs.append(segments(line, local))
        start = end + 1
    counts: dict[str, int] = {}
    for o in thread:
        counts[o.action.value] = counts.get(o.action.value, 0) + 1
    return render(
        request, "article.html", user=user, site=site, title=article.title, article=article, paragraphs=paragraphs,
        roots=_threaded(items), total=len(thread), counts=counts, decision_reasons=DECISION_REASONS,
        here=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
    )
