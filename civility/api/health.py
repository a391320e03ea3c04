"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from civility.api.deps import ServicesDep
from civility.services.context import Services

router = APIRouter()


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


def _database_ok(services: Services) -> bool:
    try:
        with services.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # any driver error means "not ready"; the detail stays in the server log
        return False


@router.get("/readyz")
async def readyz(services: ServicesDep) -> JSONResponse:
    database = await run_in_threadpool(_database_ok, services)
    models = [scorer.info.label for scorer in services.registry.scorers]
    ready = database and bool(models)
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "database": database, "models": models},
        status_code=200 if ready else 503,
    )
