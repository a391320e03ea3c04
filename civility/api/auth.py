"""API-key dependencies with scopes, shared by the native API."""

from __future__ import annotations

import ipaddress
from typing import Annotated

from fastapi import Depends, Request
from pydantic import IPvAnyNetwork
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


def _address_allowed(address: str | None, allowed: list[IPvAnyNetwork]) -> bool:
    if not address or not allowed:
        return False
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(client.version == network.version and client in network for network in allowed)


async def metrics_reader(request: Request, services: ServicesDep) -> None:
    """Who may read /metrics: anyone when ``metrics_public``; else a client address in ``metrics_allowed_addresses``
    or a key with the ``metrics`` (or ``admin``) scope. Closed by default: the counters reveal traffic, routes, load
    and queue depth, which is reconnaissance for an attacker and commercially sensitive for a publisher."""
    settings = services.settings
    if settings.metrics_public:
        return
    if _address_allowed(request.client.host if request.client else None, settings.metrics_allowed_addresses):
        return
    key = await run_in_threadpool(keys.authenticate, services.sessions, _key(request), "metrics")
    await run_in_threadpool(ratelimit.admit, services, key)
