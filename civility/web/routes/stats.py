"""Statistics with charts drawn on the server as SVG: decisions per day, score distributions, top reasons."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from civility.services import stats
from civility.services.users import WebSessionInfo
from civility.web import charts
from civility.web.params import bounded_int
from civility.web.render import pick_site, render
from civility.web.security import DashboardRoute, require, services_of

router = APIRouter(route_class=DashboardRoute)


@router.get("/stats")
def stats_page(request: Request, user: WebSessionInfo = Depends(require("stats"))) -> Response:
    site = pick_site(request)
    if site is None:
        return render(request, "empty.html", user=user, title="Statistics")
    q = request.query_params
    days = bounded_int(q, "days", 30, 1, 366)
    overview = stats.overview(
        services_of(request), site, days=days, attribute=q.get("attribute") or "TOXICITY", principal=user.user.principal
    )
    return render(
        request, "stats.html", user=user, site=site, title="Statistics", overview=overview, days=days,
        per_day=charts.decisions_per_day(overview.days),
        histograms=[(a, charts.histogram(a.histogram)) for a in overview.articles],
        reasons=charts.horizontal_bars(overview.top_reasons),
    )
