"""The review queue: sortable, filterable cards; single, keyboard and bulk decisions; undo."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from civility import errors
from civility.moderation.types import Action
from civility.scoring.types import PRODUCTION_ATTRIBUTES
from civility.services import review, stats
from civility.services.users import WebSessionInfo
from civility.web.forms import csrf_checked, ints, safe_next, text
from civility.web.params import MAX_OFFSET, bounded_int
from civility.web.render import comment_segments, pick_site, principal_of, render
from civility.web.security import DashboardRoute, require, services_of

router = APIRouter(route_class=DashboardRoute)

STATUSES = {"review": "Needs review", "approve": "Approved", "reject": "Rejected", "all": "All"}
SIGNALS = {
    "duplicate": "Duplicate", "brigade": "Brigade", "correction": "Reader correction",
    "off_topic": "Off topic", "unsupported_language": "Unsupported language",
}
SORTS = {"score": "Score", "newest": "Newest", "oldest": "Oldest", "article": "Article"}
DECISION_REASONS = ("moderator", "abusive", "hate", "threat", "spam", "off_topic", "duplicate", "acceptable")
PAGE = 50


def _float(value: str | None) -> float | None:
    try:
        number = float(value) if value not in (None, "") else None
    except ValueError:
        return None
    return None if number is None else min(max(number, 0.0), 1.0)


def cards(request: Request, outcomes: list[Any], sort_attribute: str | None = None, select: tuple[float, float] | None = None) -> list[dict[str, Any]]:
    """What a template needs per comment: the outcome, its context, highlighted text and sorted score bars."""
    contexts = review.comment_contexts(services_of(request), [o.comment_id for o in outcomes], principal=principal_of(request))
    out = []
    for outcome in outcomes:
        scores = sorted(outcome.scores.values(), key=lambda s: -s.value)
        key = outcome.scores[sort_attribute].value if sort_attribute and sort_attribute in outcome.scores else max(
            (s.value for s in scores), default=0.0
        )
        out.append(
            {
                "o": outcome,
                "ctx": contexts.get(outcome.comment_id),
                "segments": comment_segments(outcome),
                "scores": scores,
                "key": key,
                "selected": select is not None and select[0] <= key <= select[1],
            }
        )
    return out


@router.get("/queue")
def queue_page(request: Request, user: WebSessionInfo = Depends(require("queue"))) -> Response:
    site = pick_site(request)
    if site is None:
        return render(request, "empty.html", user=user, title="Queue")
    q = request.query_params
    status = q.get("status", "review") if q.get("status", "review") in STATUSES else "review"
    sort = q.get("sort", "score") if q.get("sort", "score") in SORTS else "score"
    attribute = q.get("attribute") if q.get("attribute") in PRODUCTION_ATTRIBUTES else None
    signal = q.get("signal") if q.get("signal") in SIGNALS else None
    reason = (q.get("reason") or "").strip()[:100] or None
    article = (q.get("article") or "").strip()[:200] or None
    low, high = _float(q.get("min")), _float(q.get("max"))
    sel_low, sel_high = _float(q.get("select_min")), _float(q.get("select_max"))
    select = (sel_low if sel_low is not None else 0.0, sel_high if sel_high is not None else 1.0) if (
        sel_low is not None or sel_high is not None
    ) else None
    offset = bounded_int(q, "offset", 0, 0, MAX_OFFSET)
    services = services_of(request)
    principal = user.user.principal
    page = review.queue(
        services, site, principal, status=None if status == "all" else status, sort=sort, attribute=attribute, signal=signal,
        reason=reason, article=article, min_score=low, max_score=high, limit=PAGE, offset=offset,
        descending=q.get("order", "desc") != "asc",
    )
    filters = {
        "site": site, "status": status, "sort": sort, "attribute": attribute, "signal": signal, "reason": reason,
        "article": article, "min": q.get("min"), "max": q.get("max"), "order": q.get("order"),
    }
    articles = stats.articles(services, site, principal)
    counts: dict[str, int] = {}
    for summary in articles:
        for key, n in summary.counts.items():
            counts[key] = counts.get(key, 0) + n
    counts["all"] = sum(counts.values())
    return render(
        request, "queue.html", user=user, site=site, title="Queue", page=page, cards=cards(request, page.items, attribute, select),
        filters=filters, statuses=STATUSES, signal_names=SIGNALS, sorts=SORTS, attributes=PRODUCTION_ATTRIBUTES,
        reason_codes=stats.reason_codes(services, site, principal), articles=articles, counts=counts,
        decision_reasons=DECISION_REASONS, select_min=q.get("select_min", ""), select_max=q.get("select_max", ""),
        here=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
    )


def _answer(request: Request, form: FormData, payload: dict[str, Any]) -> Response:
    if request.headers.get("x-requested-with") == "fetch":
        return JSONResponse(payload)
    return RedirectResponse(safe_next(form.get("next"), "/queue"), status_code=303)


def _followed(done: list[review.Decided]) -> list[dict[str, Any]]:
    """Held reposts that took the decision with their original: the page updates their cards too."""
    return [{"comment_id": o.comment_id, "status": o.action.value} for d in done for o in d.followed]


def _decided_payload(decided: review.Decided) -> dict[str, Any]:
    return {"comment_id": decided.outcome.comment_id, "status": decided.outcome.action.value, "followed": _followed([decided])}


def _action(form: FormData) -> Action:
    try:
        return Action(text(form, "action"))
    except ValueError:
        raise errors.invalid_request("Choose approve, review or reject.") from None


@router.post("/queue/decide")
def decide(
    request: Request, user: WebSessionInfo = Depends(require("decide")), form: FormData = Depends(csrf_checked)
) -> Response:
    ids = ints(form, "comment_id")
    if len(ids) != 1:
        raise errors.invalid_request("Give one comment id.")
    decided = review.record_decision(
        services_of(request), ids[0], _action(form), text(form, "reason", "moderator", 100) or "moderator",
        user.user.username, text(form, "note", limit=2000) or None, principal=user.user.principal,
    )
    return _answer(request, form, _decided_payload(decided))


@router.post("/queue/undo")
def undo(
    request: Request, user: WebSessionInfo = Depends(require("decide")), form: FormData = Depends(csrf_checked)
) -> Response:
    ids = ints(form, "comment_id")
    if len(ids) != 1:
        raise errors.invalid_request("Give one comment id.")
    decided = review.undo_decision(services_of(request), ids[0], user.user.username, user.user.principal)
    return _answer(request, form, _decided_payload(decided))


@router.post("/queue/batch")
def batch(
    request: Request, user: WebSessionInfo = Depends(require("decide")), form: FormData = Depends(csrf_checked)
) -> Response:
    ids = ints(form, "ids")
    if not ids:
        raise errors.invalid_request("Select at least one comment first.")
    site = text(form, "site", limit=100) or None
    done = review.bulk_decision(
        services_of(request), ids, _action(form), text(form, "reason", "moderator", 100) or "moderator",
        user.user.username, text(form, "note", limit=2000) or None, site_slug=site, principal=user.user.principal,
    )
    return _answer(request, form, {"decided": [d.outcome.comment_id for d in done], "followed": _followed(done)})
