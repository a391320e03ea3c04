"""Sessions, roles and response headers for the dashboard.

Every dashboard route uses ``DashboardRoute``: it adds the security headers, turns "not signed in" into a redirect
to the sign-in page, and renders refusals and service errors as HTML pages (the API keeps its JSON envelopes).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from civility.errors import CivilityError
from civility.services import users as user_service
from civility.services.context import Services
from civility.services.users import WebSessionInfo

STATIC_DIR = Path(__file__).parent / "static"
SESSION_COOKIE = "civility_session"
LOGIN_COOKIE = "civility_login"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


_UNSET = object()


class LoginRequired(Exception):
    """No valid session: the route answers with a redirect to the sign-in page."""


class Forbidden(Exception):
    """Signed in, but the role does not allow this (or the form's CSRF token is wrong)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def secure_headers(response: Response, private: bool = True) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if private:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


class SecureStaticFiles(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        return secure_headers(await super().get_response(path, scope), private=False)


def services_of(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def cookie_secure(request: Request) -> bool:
    configured = services_of(request).settings.session_cookie_secure
    return configured if configured is not None else request.url.scheme == "https"


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite="lax", secure=cookie_secure(request)
    )


def optional_user(request: Request) -> WebSessionInfo | None:
    cached = getattr(request.state, "web_session", _UNSET)
    if cached is _UNSET:
        cached = user_service.session_user(services_of(request).sessions, request.cookies.get(SESSION_COOKIE))
        request.state.web_session = cached
    return cached  # type: ignore[no-any-return]


def current_user(request: Request) -> WebSessionInfo:
    found = optional_user(request)
    if found is None:
        raise LoginRequired()
    return found


# What each role may do. Admins: everything. Moderators decide comments. Editors handle reader corrections.
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"queue", "decide", "articles", "corrections", "resolve", "policy", "edit_policy", "audit", "stats"}),
    "moderator": frozenset({"queue", "decide", "articles", "policy", "audit", "stats"}),
    "editor": frozenset({"articles", "corrections", "resolve", "audit", "stats"}),
}


def can(user: WebSessionInfo, permission: str) -> bool:
    return permission in PERMISSIONS.get(user.user.role, frozenset())


def require(permission: str) -> Callable[..., WebSessionInfo]:
    """A dependency: the signed-in user, who must hold ``permission`` (checked here, on the server, every request)."""

    def dependency(user: WebSessionInfo = Depends(current_user)) -> WebSessionInfo:
        if not can(user, permission):
            raise Forbidden(f"Your role ({user.user.role}) does not allow this page or action.")
        return user

    return dependency


class DashboardRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            from civility.web.render import error_page

            try:
                response = await handler(request)
            except LoginRequired:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                response = RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
            except Forbidden as refused:
                response = error_page(request, 403, "Not allowed", refused.message)
            except CivilityError as error:
                response = error_page(request, error.http_status, "Could not do that", error.message)
            return secure_headers(response)

        return route


def html(content: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(content, status_code=status_code)
