"""The site's policy: readable by moderators and admins, editable by admins after a dry run over stored comments."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from civility import errors
from civility.services.replay import dry_run
from civility.services.sites import get_site, parse_policy, set_policy
from civility.services.users import WebSessionInfo
from civility.web.forms import csrf_checked, text
from civility.web.render import pick_site, render
from civility.web.security import DashboardRoute, require, services_of

router = APIRouter(route_class=DashboardRoute)
MAX_POLICY = 200_000


def _seal(user: WebSessionInfo, site: str, policy_text: str) -> str:
    """Binds a save to the exact text whose dry run the admin saw (keyed by the session's secret CSRF token)."""
    return hmac.new(user.csrf_token.encode(), f"{site}\n{policy_text}".encode(), hashlib.sha256).hexdigest()


@router.get("/policy")
def policy_page(request: Request, user: WebSessionInfo = Depends(require("policy"))) -> Response:
    site = pick_site(request)
    if site is None:
        return render(request, "empty.html", user=user, title="Policy")
    view = get_site(services_of(request), site, user.user.principal)
    return render(request, "policy.html", user=user, site=site, title="Policy", policy=view.policy, toml=view.policy.to_toml(), saved=request.query_params.get("saved") == "1")


def _editor(request: Request, user: WebSessionInfo, site: str, policy_text: str, **extra: object) -> Response:
    return render(
        request, "policy_edit.html", user=user, site=site, title="Edit policy", toml=policy_text,
        report=extra.get("report"), error=extra.get("error"), seal=extra.get("seal", ""), status_code=int(extra.get("status", 200)),  # type: ignore[call-overload]
    )


@router.get("/policy/edit")
def policy_editor(request: Request, user: WebSessionInfo = Depends(require("edit_policy"))) -> Response:
    site = pick_site(request)
    if site is None:
        return render(request, "empty.html", user=user, title="Policy")
    return _editor(request, user, site, get_site(services_of(request), site, user.user.principal).policy.to_toml())


@router.post("/policy/dry-run")
def policy_dry_run(
    request: Request, user: WebSessionInfo = Depends(require("edit_policy")), form: FormData = Depends(csrf_checked)
) -> Response:
    site = text(form, "site", limit=100)
    policy_text = text(form, "policy", limit=MAX_POLICY).replace("\r\n", "\n")
    services = services_of(request)
    get_site(services, site, user.user.principal)
    try:
        policy = parse_policy(policy_text)
    except errors.CivilityError as error:
        return _editor(request, user, site, policy_text, error=error.message, status=400)
    report = dry_run(services, site, policy, user.user.principal).to_dict()
    return _editor(request, user, site, policy_text, report=report, seal=_seal(user, site, policy_text))


@router.post("/policy/save")
def policy_save(
    request: Request, user: WebSessionInfo = Depends(require("edit_policy")), form: FormData = Depends(csrf_checked)
) -> Response:
    site = text(form, "site", limit=100)
    policy_text = text(form, "policy", limit=MAX_POLICY).replace("\r\n", "\n")
    get_site(services_of(request), site, user.user.principal)
    if not hmac.compare_digest(text(form, "seal", limit=200), _seal(user, site, policy_text)):
        return _editor(request, user, site, policy_text, error="Run the dry run on this exact text before saving it.", status=400)
    set_policy(services_of(request), site, parse_policy(policy_text), user.user.username, user.user.principal)
    return RedirectResponse(f"/policy?site={site}&saved=1", status_code=303)
