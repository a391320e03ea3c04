"""Request-scoped access to the Services object that the lifespan built."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from civility.services.context import Services


def get_services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


ServicesDep = Annotated[Services, Depends(get_services)]


def api_key_from(request: Request) -> str | None:
    """Perspective takes ``?key=``; Google's front end also accepts the ``X-Goog-Api-Key`` header."""
    return request.query_params.get("key") or request.headers.get("x-goog-api-key")
