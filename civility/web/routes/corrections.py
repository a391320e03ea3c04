"""Reader corrections for editors: each beside the article passage it refers to, with accept and dismiss."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from civility import errors
from civility.services import review
from civility.services.sites import get_article
from civility.services.users import WebSessionInfo
from civility.web.forms import csrf_checked, ints, safe_next, text
from civility.web.render import Segment, pick_site, render, segments
from civility.web.security import DashboardRoute, require, services_of

router = APIRouter(route_class=DashboardRoute)
STATUSES = {"open": "Open", "accepted": "Accepted", "dismissed": "Dismissed", "all": "All"}


def _passage(body: str, sentence: str, begin: int, end: int) -> list[Segment]:
    """The sentence around the corrected phrase, with the phrase (``body[begin:end]``) marked."""
    phrase = body[begin:end]
    at = sentence.find(phrase) if phrase else -1
    if at < 0:
        return [Segment(sentence, 0)]
    return segments(sentence, [(at, at + len(phrase), 1.0, "the phrase the reader corrects")])


@router.get("/corrections")
def corrections_page(request: Request, user: WebSessionInfo = Depends(require("corrections"))) -> Response:
    site = pick_site(request)
    if site is None:
        return render(request, "empty.html", user=user, title="Corrections")
    status = request.query_params.get("status", "open")
    status = status if status in STATUSES else "open"
    services = services_of(request)
    principal = user.user.principal
    items = []
    found = review.corrections(services, site, None if status == "all" else status, principal)
    contexts = review.comment_contexts(services, [c.comment_id for c in found], principal=principal)
    bodies: dict[str, str] = {}
    for c in found:
        ctx = contexts.get(c.comment_id)
        slug = ctx.article_slug if ctx else ""
        if slug and slug not in bodies:
            bodies[slug] = get_article(services, site, slug, principal).body
        comment = review.get_comment(services, c.comment_id, principal)
        mark = (comment.signals or {}).get("correction") or {}
        items.append(
            {
                "c": c,
                "ctx": ctx,
                "passage": _passage(bodies.get(slug, ""), c.passage, c.passage_begin, c.passage_end),
                "comment": segments(
                    comment.text, [], (int(mark["comment_begin"]), int(mark["comment_end"])) if mark else None
                ),
            }
        )
    return render(
        request, "corrections.html", user=user, site=site, title="Corrections", items=items, status=status,
        statuses=STATUSES, here=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
    )


@router.post("/corrections/resolve")
def resolve(
    request: Request, user: WebSessionInfo = Depends(require("resolve")), form: FormData = Depends(csrf_checked)
) -> Response:
    ids = ints(form, "correction_id")
    decision = text(form, "decision")
    if len(ids) != 1 or decision not in ("accept", "dismiss"):
        raise errors.invalid_request("Accept or dismiss one correction.")
    review.resolve_correction(services_of(request), ids[0], decision == "accept", user.user.username, user.user.principal)
    return RedirectResponse(safe_next(form.get("next"), "/corrections"), status_code=303)
