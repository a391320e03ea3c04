"""The moderation dashboard: server-rendered HTML on the API's port, reached only through ``civility.services``."""

from __future__ import annotations

from fastapi import FastAPI

from civility.web.routes import router
from civility.web.security import STATIC_DIR, SecureStaticFiles


def mount(app: FastAPI) -> None:
    """Add the dashboard's pages (``/``, ``/login``, ``/queue``, …) and its local assets (``/static``) to ``app``."""
    app.include_router(router)
    app.mount("/static", SecureStaticFiles(directory=STATIC_DIR), name="static")
