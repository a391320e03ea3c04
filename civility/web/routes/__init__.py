"""The dashboard's routes, one module per page."""

from __future__ import annotations

from fastapi import APIRouter

from civility.web.routes import articles, audit, auth, corrections, policy, queue, stats
from civility.web.security import DashboardRoute

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)
for module in (auth, queue, articles, corrections, policy, audit, stats):
    router.include_router(module.router)
