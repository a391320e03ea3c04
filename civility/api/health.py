"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from civility.api.auth import metrics_reader
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


def _review_depth(services: Services) -> int:
    from civility.services.review import review_queue_depth

    return review_queue_depth(services)


@router.get("/metrics", dependencies=[Depends(metrics_reader)])
async def metrics(services: ServicesDep) -> Response:
    """Prometheus text format, for readers ``metrics_reader`` admits. Gauges that need the database are refreshed at
    scrape time."""
    try:
        services.metrics.review_queue.set(await run_in_threadpool(_review_depth, services))
    except Exception:  # a scrape must still answer when the database is down; readyz reports that
        pass
    return Response(generate_latest(services.metrics.registry), media_type=CONTENT_TYPE_LATEST)
