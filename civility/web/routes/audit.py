"""The audit log, filterable by actor, action and subject."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from civility.services import review
from civility.services.users import WebSessionInfo
from civility.web.params import MAX_ID, bounded_int
from civility.web.render import pick_site, render
from civility.web.security import DashboardRoute, require, services_of

router = APIRouter(route_class=DashboardRoute)
ACTIONS = (
    "comment.decided", "correction.accepted", "correction.dismissed", "policy.updated", "site.created", "site.updated",
    "article.created", "article.updated", "user.created", "user.disabled", "user.signed_in",
)


def _details(details: dict[str, object]) -> str:
    shown = {k: v for k, v in details.items() if k not in ("before", "after") and v not in (None, "", [])}
    return json.dumps(shown, ensure_ascii=False, sort_keys=True)[:300] if shown else ""


@router.get("/audit")
def audit_page(request: Request, user: WebSessionInfo = Depends(require("audit"))) -> Response:
    q = request.query_params
    site = pick_site(request)
    everywhere = q.get("scope") == "all" and user.user.role == "admin"
    filters = {
        "actor": (q.get("actor") or "").strip()[:200] or None,
        "action": q.get("action") if q.get("action") in ACTIONS else None,
        "subject_type": (q.get("subject_type") or "").strip()[:50] or None,
        "subject_id": (q.get("subject_id") or "").strip()[:200] or None,
        "before_id": bounded_int(q, "before", None, 1, MAX_ID),
        "limit": 100,
    }
    entries = review.audit_log(
        services_of(request), None if everywhere or site is None else site, user.user.principal, **filters
    )
    rows = [{"e": e, "details": _details(e.details)} for e in entries]
    base = {k: v for k, v in {"site": site, "scope": "all" if everywhere else None, **filters}.items() if k not in ("before_id", "limit")}
    return render(
        request, "audit.html", user=user, site=site, title="Audit log", rows=rows, actions=ACTIONS, filters=base,
        older=entries[-1].id if len(entries) == 100 else None, everywhere=everywhere,
    )
