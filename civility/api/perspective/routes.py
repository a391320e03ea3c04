"""comments:analyze, comments:suggestscore and the discovery document."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from civility import __version__
from civility.api.body import decode_utf8, read_limited
from civility.api.deps import ServicesDep, api_key_from
from civility.api.perspective import translate
from civility.api.perspective.discovery import discovery_document
from civility.api.perspective.errors import error_response
from civility.api.perspective.parse import parse_off_loop
from civility.api.perspective.schemas import AnalyzeCommentRequest, SuggestCommentScoreRequest
from civility.errors import CivilityError
from civility.services import keys, ratelimit
from civility.services.analyze import analyze
from civility.services.context import Services
from civility.services.feedback import suggest_score

router = APIRouter()
MODEL_HEADER = "X-Civility-Models"


async def _guarded(handler: Callable[[], Awaitable[JSONResponse]]) -> JSONResponse:
    try:
        return await handler()
    except CivilityError as error:
        return error_response(error)


async def _payload(request: Request, services: Services) -> tuple[dict[str, Any], keys.KeyInfo]:
    key = await run_in_threadpool(keys.authenticate, services.sessions, api_key_from(request), "score")
    await run_in_threadpool(ratelimit.admit, services, key)
    body = await read_limited(request, services.settings.max_body_bytes)
    return await parse_off_loop(decode_utf8(body)), key


def _body(model: type) -> dict[str, Any]:
    """Document the wire body in OpenAPI; the route itself parses leniently, as Google's front end does."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": model.model_json_schema(by_alias=True)}}}}


@router.post("/v1alpha1/comments:analyze", openapi_extra=_body(AnalyzeCommentRequest), tags=["perspective"])
async def analyze_comment(request: Request, services: ServicesDep) -> JSONResponse:
    async def handle() -> JSONResponse:
        payload, key = await _payload(request, services)
        domain = translate.analyze_request(translate.validate(AnalyzeCommentRequest, payload))
        result = await run_in_threadpool(analyze, services, domain, key.id)
        body = translate.analyze_response(domain.text, result, include_versions=True)
        header = ", ".join(f"{name}={model}" for name, model in result.models.items())
        return JSONResponse(body, headers={MODEL_HEADER: header} if header else None)

    return await _guarded(handle)


@router.post("/v1alpha1/comments:suggestscore", openapi_extra=_body(SuggestCommentScoreRequest), tags=["perspective"])
async def suggest_comment_score(request: Request, services: ServicesDep) -> JSONResponse:
    async def handle() -> JSONResponse:
        payload, key = await _payload(request, services)
        domain = translate.suggest_request(translate.validate(SuggestCommentScoreRequest, payload))
        result = await run_in_threadpool(suggest_score, services, domain, key.id)
        return JSONResponse(translate.suggest_response(result))

    return await _guarded(handle)


@router.get("/$discovery/rest")
@router.get("/discovery/v1/apis/commentanalyzer/v1alpha1/rest")
async def discovery(request: Request, services: ServicesDep, version: str = "v1alpha1") -> JSONResponse:
    if version != "v1alpha1":
        return error_response(CivilityError(f"Discovery document not found for version {version}.", "NOT_FOUND", 404, "NOT_FOUND"))
    root = services.settings.public_url or str(request.base_url)
    return JSONResponse(discovery_document(root, revision=__version__, coverage=services.registry.coverage()))
