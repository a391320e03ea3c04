"""Routes of the native API. Each parses, calls one service, renders."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool

from civility import errors
from civility.api.auth import AdminKey, ModerateKey
from civility.api.body import decode_utf8, read_limited
from civility.api.deps import ServicesDep
from civility.api.native import schemas, translate
from civility.moderation.types import Action
from civility.services import coral, moderate, replay, review, sites
from civility.services.context import Services

router = APIRouter(prefix="/v1", tags=["native"])
SiteSlug = Annotated[str, Path(pattern=schemas.SLUG, description="The site's slug.")]
ArticleSlug = Annotated[str, Path(pattern=schemas.SLUG, description="The article's slug.")]
RowId = Annotated[int, Path(ge=1, le=schemas.MAX_ID, description="Civility's id of the row.")]


@router.put("/sites/{site}", response_model=schemas.SiteOut)
async def put_site(site: SiteSlug, body: schemas.SiteIn, services: ServicesDep, key: AdminKey, response: Response) -> schemas.SiteOut:
    policy = sites.parse_policy(body.policy) if body.policy is not None else None
    view = await run_in_threadpool(
        sites.put_site, services, site, body.name, policy, body.webhook_url, body.webhook_secret, key.principal.actor,
        body.coral_secret, key.principal,
    )
    response.status_code = 201 if view.created else 200
    return translate.site_out(view)


@router.get("/sites/{site}", response_model=schemas.SiteOut)
async def get_site(site: SiteSlug, services: ServicesDep, key: ModerateKey) -> schemas.SiteOut:
    return translate.site_out(await run_in_threadpool(sites.get_site, services, site, key.principal))


@router.get("/sites/{site}/policy", response_model=None)
async def get_policy(site: SiteSlug, services: ServicesDep, key: ModerateKey, format: Literal["json", "toml"] = "json") -> Any:
    view = await run_in_threadpool(sites.get_site, services, site, key.principal)
    if format == "toml":
        return PlainTextResponse(view.policy.to_toml(), media_type="application/toml")
    return view.policy.to_dict()


async def _policy_from(request: Request, services: Services) -> Any:
    """The policy in the body, parsed on a worker thread; nesting too deep for the parser is a 400, not a 500."""
    raw = decode_utf8(await read_limited(request, services.settings.max_body_bytes))
    if "toml" in request.headers.get("content-type", ""):
        try:
            return await run_in_threadpool(sites.parse_policy, raw)
        except RecursionError:
            raise errors.invalid_request("Invalid TOML payload received. Nesting too deep.") from None
    from civility.api.perspective.parse import parse_off_loop

    return sites.parse_policy(await parse_off_loop(raw))


@router.put("/sites/{site}/policy")
async def put_policy(site: SiteSlug, request: Request, services: ServicesDep, key: AdminKey) -> dict[str, Any]:
    """The policy as JSON, or as TOML with `Content-Type: application/toml`."""
    await run_in_threadpool(sites.get_site, services, site, key.principal)  # another tenant's site: 404 before parsing
    policy = await _policy_from(request, services)
    view = await run_in_threadpool(sites.set_policy, services, site, policy, key.principal.actor, key.principal)
    return view.policy.to_dict()


@router.post("/sites/{site}/policy:dry-run")
async def dry_run(site: SiteSlug, request: Request, services: ServicesDep, key: AdminKey) -> dict[str, Any]:
    """Replay a proposed policy over the site's stored comments and report what would change; nothing is saved."""
    await run_in_threadpool(sites.get_site, services, site, key.principal)
    policy = await _policy_from(request, services)
    report = await run_in_threadpool(replay.dry_run, services, site, policy, key.principal)
    return report.to_dict()


@router.put("/sites/{site}/articles/{article}")
async def put_article(
    site: SiteSlug, article: ArticleSlug, body: schemas.ArticleIn, services: ServicesDep, key: ModerateKey, response: Response
) -> dict[str, Any]:
    view = await run_in_threadpool(
        sites.put_article, services, site, article, body.title, body.body, body.summary, body.url, body.author,
        body.published_at, key.principal.actor, key.principal,
    )
    response.status_code = 201 if view.created else 200
    return {"site": view.site, "slug": view.slug, "title": view.title, "url": view.url, "summary": list(view.summary)}


@router.get("/sites/{site}/articles/{article}")
async def get_article(site: SiteSlug, article: ArticleSlug, services: ServicesDep, key: ModerateKey) -> dict[str, Any]:
    view = await run_in_threadpool(sites.get_article, services, site, article, key.principal)
    thread = await run_in_threadpool(review.thread, services, site, article, key.principal)
    return {
        "site": view.site,
        "slug": view.slug,
        "title": view.title,
        "url": view.url,
        "summary": list(view.summary),
        "body": view.body,
        "comments": [translate.comment_out(o).model_dump() for o in thread],
    }


@router.post("/sites/{site}/articles/{article}/comments", response_model=schemas.CommentOut)
async def post_comment(
    site: SiteSlug, article: ArticleSlug, body: schemas.CommentIn, services: ServicesDep, key: ModerateKey, response: Response
) -> schemas.CommentOut:
    comment = moderate.CommentIn(
        external_id=body.id,
        text=body.text,
        parent_id=body.parent_id,
        author_id=body.author.id if body.author else None,
        author_name=body.author.name if body.author else None,
        language=body.language,
        posted_at=body.posted_at,
    )
    outcome = await run_in_threadpool(
        moderate.moderate_comment, services, site, article, comment, key.principal.actor, key.principal
    )
    response.status_code = 201 if outcome.created else 200
    if outcome.created and services.webhook_sender is not None:
        services.webhook_sender.poke()
    return translate.comment_out(outcome)


@router.get("/sites/{site}/queue", response_model=schemas.QueueOut)
async def get_queue(
    site: SiteSlug,
    services: ServicesDep,
    key: ModerateKey,
    status: Literal["review", "approve", "reject", "all"] = "review",
    article: Annotated[str | None, Query(max_length=100)] = None,
    attribute: Annotated[str | None, Query(max_length=50)] = None,
    min_score: Annotated[float | None, Query(ge=0, le=1)] = None,
    max_score: Annotated[float | None, Query(ge=0, le=1)] = None,
    reason: Annotated[str | None, Query(max_length=100)] = None,
    signal: Literal["duplicate", "brigade", "correction", "off_topic", "unsupported_language"] | None = None,
    sort: Literal["score", "newest", "oldest", "article"] = "score",
    order: Literal["desc", "asc"] = "desc",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> schemas.QueueOut:
    page = await run_in_threadpool(
        review.queue, services, site, key.principal, status=None if status == "all" else status, article=article,
        attribute=attribute.upper() if attribute else None, min_score=min_score, max_score=max_score, reason=reason,
        signal=signal, sort=sort, descending=order == "desc", limit=limit, offset=offset,
    )
    return schemas.QueueOut(items=[translate.comment_out(o) for o in page.items], total=page.total, limit=page.limit, offset=page.offset)


@router.get("/comments/{comment_id}", response_model=schemas.CommentOut)
async def get_comment(comment_id: RowId, services: ServicesDep, key: ModerateKey) -> schemas.CommentOut:
    outcome = await run_in_threadpool(review.get_comment, services, comment_id, key.principal)
    return translate.comment_out(outcome, with_history=True)


@router.post("/comments/{comment_id}/decision", response_model=schemas.DecisionOut)
async def post_decision(comment_id: RowId, body: schemas.DecisionIn, services: ServicesDep, key: ModerateKey) -> schemas.DecisionOut:
    """The key decides; a ``moderator`` the integration names is kept beside it (``on_behalf_of``), never in its place."""
    decided = await run_in_threadpool(
        review.record_decision, services, comment_id, Action(body.action), body.reason, key.principal.actor, body.note,
        key.principal, body.moderator,
    )
    if services.webhook_sender is not None:
        services.webhook_sender.poke()
    return schemas.DecisionOut(
        **translate.comment_out(decided.outcome, with_history=True).model_dump(),
        followed=[translate.followed_out(o) for o in decided.followed],
    )


@router.post("/sites/{site}/decisions:bulk")
async def post_bulk_decision(site: SiteSlug, body: schemas.BulkDecisionIn, services: ServicesDep, key: ModerateKey) -> dict[str, Any]:
    done = await run_in_threadpool(
        review.bulk_decision, services, body.comment_ids, Action(body.action), body.reason, key.principal.actor, body.note, site,
        key.principal, body.moderator,
    )
    if services.webhook_sender is not None:
        services.webhook_sender.poke()
    return {
        "decided": len(done),
        "items": [translate.comment_out(d.outcome).model_dump() for d in done],
        "followed": [translate.followed_out(o).model_dump() for d in done for o in d.followed],
    }


@router.get("/sites/{site}/corrections", response_model=list[schemas.CorrectionOut])
async def get_corrections(
    site: SiteSlug, services: ServicesDep, key: ModerateKey, status: Literal["open", "accepted", "dismissed", "all"] = "open"
) -> list[schemas.CorrectionOut]:
    views = await run_in_threadpool(review.corrections, services, site, None if status == "all" else status, key.principal)
    return [translate.correction_out(v) for v in views]


@router.post("/corrections/{correction_id}:{verdict}")
async def resolve_correction(
    correction_id: RowId, verdict: Literal["accept", "dismiss"], services: ServicesDep, key: ModerateKey
) -> dict[str, Any]:
    await run_in_threadpool(
        review.resolve_correction, services, correction_id, verdict == "accept", key.principal.actor, key.principal
    )
    return {"id": correction_id, "status": "accepted" if verdict == "accept" else "dismissed"}


@router.get("/sites/{site}/audit", response_model=list[schemas.AuditOut])
async def get_audit(
    site: SiteSlug,
    services: ServicesDep,
    key: AdminKey,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=100)] = None,
    subject_id: Annotated[str | None, Query(max_length=200)] = None,
    on_behalf_of: Annotated[str | None, Query(max_length=200, description="The moderator an integration named.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before_id: Annotated[int | None, Query(ge=1, le=schemas.MAX_ID)] = None,
) -> list[schemas.AuditOut]:
    views = await run_in_threadpool(
        review.audit_log, services, site, key.principal, actor=actor, action=action, subject_id=subject_id,
        on_behalf_of=on_behalf_of, limit=limit, before_id=before_id,
    )
    return [translate.audit_out(v) for v in views]


@router.post("/coral/{site}/moderate", response_model=None)
async def coral_phase(site: SiteSlug, request: Request, services: ServicesDep) -> Any:
    """Coral's external moderation phase: signed request in (X-Coral-Signature), Coral's response shape out."""
    raw = await read_limited(request, services.settings.max_body_bytes)
    secret = await run_in_threadpool(coral.coral_secret, services, site)
    coral.verify_signature(secret, raw, request.headers.get("x-coral-signature"))
    payload = schemas.CoralIn.model_validate_json(raw)
    outcome = await run_in_threadpool(
        coral.moderate,
        services,
        site,
        coral.CoralRequest(
            action=payload.action,
            body=payload.comment.body,
            parent_id=payload.comment.parentID,
            author_id=payload.author.id,
            story_id=payload.story.id,
            story_url=payload.story.url,
        ),
    )
    body = coral.coral_response(outcome)
    return Response(status_code=204) if body is None else body
