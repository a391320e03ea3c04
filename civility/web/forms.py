"""Form parsing and CSRF protection.

Signed-in forms carry the session's CSRF token (synchronizer token, compared in constant time); the sign-in form,
which has no session yet, uses a double-submit cookie. A cross-origin ``Origin`` header is refused as well.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import Depends, Request
from starlette.datastructures import FormData

from civility.services.users import WebSessionInfo
from civility.web.security import LOGIN_COOKIE, Forbidden, current_user


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return origin.rstrip("/") == f"{request.url.scheme}://{request.url.netloc}"


def _equal(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


async def csrf_checked(request: Request, user: WebSessionInfo = Depends(current_user)) -> FormData:
    """A dependency for every signed-in POST: the form, once its CSRF token matches the session's."""
    form = await request.form()
    token = form.get("csrf") or request.headers.get("x-csrf-token")
    if not _same_origin(request) or not _equal(token if isinstance(token, str) else None, user.csrf_token):
        raise Forbidden("The form's security token is missing or stale. Reload the page and try again.")
    return form


async def login_form_checked(request: Request) -> FormData:
    form = await request.form()
    token = form.get("csrf")
    if not _same_origin(request) or not _equal(token if isinstance(token, str) else None, request.cookies.get(LOGIN_COOKIE)):
        raise Forbidden("The sign-in form expired. Reload the page and try again.")
    return form


def text(form: FormData, name: str, default: str = "", limit: int = 100_000) -> str:
    value = form.get(name, default)
    return value[:limit] if isinstance(value, str) else default


def ints(form: FormData, name: str) -> list[int]:
    out = []
    for value in form.getlist(name):
        if isinstance(value, str) and value.strip().isdigit():
            out.append(int(value))
    return out


def safe_next(value: Any, default: str = "/") -> str:
    """A local path to go back to after a form: never another host (no open redirects)."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if any(ord(c) < 32 for c in value):
        return default
    return value
