"""Sign-in, sign-out and the home redirect."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from civility.services import signin
from civility.services import users as user_service
from civility.services.users import WebSessionInfo
from civility.web.forms import csrf_checked, login_form_checked, safe_next, text
from civility.web.render import render
from civility.web.security import (
    LOGIN_COOKIE, SESSION_COOKIE, DashboardRoute, can, current_user, optional_user, services_of, set_cookie,
)

router = APIRouter(route_class=DashboardRoute)


def home_for(user: WebSessionInfo) -> str:
    return "/queue" if can(user, "queue") else "/corrections"


@router.get("/")
def home(user: WebSessionInfo = Depends(current_user)) -> Response:
    return RedirectResponse(home_for(user), status_code=303)


@router.get("/login")
def login_page(request: Request) -> Response:
    user = optional_user(request)
    target = safe_next(request.query_params.get("next"), "")
    if user is not None:
        return RedirectResponse(target or home_for(user), status_code=303)
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    response = render(request, "login.html", login_csrf=token, next=target, error=None, username="")
    set_cookie(request, response, LOGIN_COOKIE, token, max_age=3600)
    return response


def _refusal(result: signin.SigninResult) -> tuple[int, str]:
    """The status and message of a refused sign-in (the wait is also in Retry-After)."""
    if result.busy:
        return 503, "The server is busy checking other sign-ins: try again in a few seconds."
    if result.throttled:
        return 429, f"Too many failed sign-ins for this user from your address: try again in {result.retry_after} s."
    if result.retry_after:
        return 401, f"Wrong username or password. Too many failures: wait {result.retry_after} s before the next try."
    return 401, "Wrong username or password."


@router.post("/login")
def login(request: Request, form: FormData = Depends(login_form_checked)) -> Response:
    username = text(form, "username", limit=100).strip()
    password = text(form, "password", limit=1000)
    target = safe_next(form.get("next"), "")
    services = services_of(request)
    address = request.client.host if request.client else None
    result = signin.sign_in(services.sessions, services.settings, services.password_checks, address, username, password)
    user = result.user
    if user is None:
        status, message = _refusal(result)
        response = render(
            request, "login.html", status_code=status, login_csrf=request.cookies.get(LOGIN_COOKIE, ""), next=target,
            error=message, username=username,
        )
        if result.retry_after:
            response.headers["Retry-After"] = str(result.retry_after)
        return response
    started = user_service.start_session(services.sessions, user, services.settings.session_hours)
    response = RedirectResponse(target or home_for(started.info), status_code=303)
    set_cookie(request, response, SESSION_COOKIE, started.token, max_age=int(services.settings.session_hours * 3600))
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout", dependencies=[Depends(csrf_checked)])
def logout(request: Request) -> Response:
    user_service.end_session(services_of(request).sessions, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
