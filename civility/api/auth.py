"""API-key dependencies with scopes, shared by the native API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from civility.api.deps import ServicesDep
from civility.services import keys, ratelimit
from civility.services.keys import KeyInfo


def _key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.query_params.get("key") or request.headers.get("x-api-key") or request.headers.get("x-goog-api-key")


def scope(name: str):  # type: ignore[no-untyped-def]
    async def dependency(request: Request, services: ServicesDep) -> KeyInfo:
        key = await run_in_threadpool(keys.authenticate, services.sessions, _key(request), name)
        await run_in_threadpool(ratelimit.admit, services, key)
        return key

    return Depends(dependency)


ModerateKey = Annotated[KeyInfo, scope("moderate")]
AdminKey = Annotated[KeyInfo, scope("admin")]
ScoreKey = Annotated[KeyInfo, scope("score")]
