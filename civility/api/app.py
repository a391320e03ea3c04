"""create_app(settings): the ASGI application. Building it loads nothing; the lifespan does."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from civility import __version__, web
from civility.api import health
from civility.api.middleware import BodySizeLimit, RequestGuard
from civility.api.native import privacy
from civility.api.native import routes as native
from civility.api.perspective import routes as perspective
from civility.api.perspective.errors import error_response
from civility.config import Settings
from civility.errors import CivilityError
from civility.services.context import Services, build_services
from civility.services.metrics import Metrics

log = logging.getLogger("civility.api")
_STATUS_NAMES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "INVALID_ARGUMENT", 415: "INVALID_ARGUMENT"}


def create_app(settings: Settings, services: Services | None = None) -> FastAPI:
    """The app for ``settings``. Pass ``services`` to share already-built ones (tests, several apps)."""

    metrics = services.metrics if services is not None else Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        built = services or build_services(settings, metrics=metrics)
        built.start_background()
        app.state.services = built
        try:
            yield
        finally:
            if owned:
                built.close()
            else:
                built.stop_background()

    app = FastAPI(
        title="Civility",
        version=__version__,
        description="Self-hosted comment moderation with a Perspective-compatible scoring API.",
        lifespan=lifespan,
    )
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    app.add_middleware(
        RequestGuard, metrics=metrics, max_inflight=settings.max_inflight_requests, timeout=settings.request_timeout_seconds
    )
    app.include_router(health.router)
    app.include_router(perspective.router)
    app.include_router(native.router)
    app.include_router(privacy.router)
    web.mount(app)  # the dashboard: /, /login, /queue, … and /static
    _install_error_handlers(app)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CivilityError)
    async def civility_error(_: Request, error: CivilityError) -> JSONResponse:
        return error_response(error)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = _STATUS_NAMES.get(exc.status_code, "INVALID_ARGUMENT" if exc.status_code < 500 else "INTERNAL")
        return error_response(CivilityError(str(exc.detail), status, exc.status_code, status), dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response(CivilityError(f"Invalid value at '{where}': {first.get('msg')}"))

    @app.exception_handler(ValidationError)
    async def model_error(_: Request, exc: ValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response(CivilityError(f"Invalid value at '{where}': {first.get('msg')}"))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(CivilityError("Internal error.", "INTERNAL", 500, "INTERNAL"))


def app_from_environment() -> FastAPI:
    """Factory for `uvicorn --factory` worker processes: settings from CIVILITY_* variables, as the parent had."""
    from civility.logs import configure

    settings = Settings()
    configure("info")
    return create_app(settings)
