"""Pure ASGI middleware: a hard bound on request bodies for every route, before any framework parsing."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from civility import errors
from civility.api.perspective.errors import envelope
from civility.errors import CivilityError
from civility.services.metrics import Metrics

access_log = logging.getLogger("civility.access")
UNGUARDED = ("/healthz", "/readyz", "/metrics")


class BodySizeLimit:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await self._refuse(send)
                return
        received = 0
        refused = False

        async def bounded() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    refused = True
                    raise _TooLarge
            return message

        try:
            await self.app(scope, bounded, send)
        except _TooLarge:
            if refused:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(envelope(errors.body_too_large(self.limit))).encode()
        await send({"type": "http.response.start", "status": 413, "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class RequestGuard:
    """Request ids, access logs, metrics, a cap on concurrent requests (503 + Retry-After beyond it) and a deadline
    (504). Health, readiness and metrics are never shed, so an overloaded worker can still be observed."""

    def __init__(self, app: ASGIApp, metrics: Metrics, max_inflight: int, timeout: float) -> None:
        self.app = app
        self.metrics = metrics
        self.max_inflight = max_inflight
        self.timeout = timeout
        self.inflight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _header(scope, b"x-request-id") or uuid.uuid4().hex
        guarded = not scope["path"].startswith(UNGUARDED)
        status = {"code": 500, "started": False}

        async def tracked_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                status["started"] = True
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", request_id.encode())]}
            await send(message)

        started = time.perf_counter()
        if guarded and self.inflight >= self.max_inflight:
            self.metrics.shed.inc()
            await _send_error(tracked_send, errors.overloaded(1))
        else:
            self.inflight += guarded
            self.metrics.inflight.set(self.inflight)
            try:
                await asyncio.wait_for(self.app(scope, receive, tracked_send), timeout=self.timeout if guarded else None)
            except TimeoutError:
                if not status["started"]:
                    await _send_error(tracked_send, errors.deadline_exceeded(self.timeout))
            finally:
                self.inflight -= guarded
                self.metrics.inflight.set(self.inflight)
        elapsed = time.perf_counter() - started
        route = getattr(scope.get("route"), "path", None) or "unmatched"
        self.metrics.requests.labels(route, scope["method"], str(status["code"])).inc()
        self.metrics.latency.labels(route, scope["method"]).observe(elapsed)
        access_log.info(
            "request",
            extra={"request_id": request_id, "method": scope["method"], "route": route, "status": status["code"], "ms": round(elapsed * 1000, 2)},
        )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            text = value.decode("latin-1")[:100]
            return text if text.replace("-", "").isalnum() else None
    return None


async def _send_error(send: Send, error: CivilityError) -> None:
    body = json.dumps(envelope(error)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if error.retry_after is not None:
        headers.append((b"retry-after", str(error.retry_after).encode()))
    await send({"type": "http.response.start", "status": error.http_status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
