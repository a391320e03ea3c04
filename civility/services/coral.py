"""Coral's external moderation phase: Coral posts each new or edited comment, Civility answers with a decision.

Coral sends no comment id for a new comment, so the comment is keyed by a digest of story, author, parent and body:
a retried request is recognised as the same comment and answered from the stored decision.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from civility import errors
from civility.moderation.types import Action
from civility.services.context import Services
from civility.services.moderate import CommentIn, Outcome, moderate_comment
from civility.services.sites import require_site
from civility.storage import sites as site_store

# Our reason codes → Coral's rejection reason codes.
_REJECTION_CODES = {
    "threat": "ABUSIVE",
    "severe_toxicity": "ABUSIVE",
    "identity_attack": "OFFENSIVE",
    "insult": "HARASSMENT_BULLYING",
    "toxicity": "OFFENSIVE",
    "profanity": "OFFENSIVE",
    "banned_term": "BANNED_WORD",
    "spam": "SPAM",
    "duplicate": "SPAM",
    "brigade": "SPAM",
}


@dataclass(frozen=True)
class CoralRequest:
    action: str
    body: str
    parent_id: str | None
    author_id: str
    story_id: str
    story_url: str | None


def verify_signature(secret: str, body: bytes, header: str | None) -> None:
    """Coral signs the raw body with HMAC-SHA256; the header holds one or more ``sha256=<hex>`` values."""
    expected = "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    given = [part.strip() for part in (header or "").split(",") if part.strip()]
    if not any(hmac.compare_digest(expected, candidate) for candidate in given):
        raise errors.CivilityError("Invalid or missing X-Coral-Signature.", "SIGNATURE_INVALID", 401, "UNAUTHENTICATED")


def comment_key(request: CoralRequest) -> str:
    digest = hashlib.sha256(
        "\x1f".join([request.story_id, request.author_id, request.parent_id or "", request.body]).encode("utf-8")
    ).hexdigest()[:32]
    return f"coral:{digest}"


def moderate(services: Services, site_slug: str, request: CoralRequest) -> Outcome:
    """Ensure the story exists as an article (Coral sends no text for it), then moderate the comment."""
    with services.sessions.begin() as session:
        site = require_site(session, site_slug)
        if site_store.article(session, site.id, request.story_id) is None:
            site_store.upsert_article(
                session, site.id, request.story_id, title=request.story_url or request.story_id, body="", summary=[],
                url=request.story_url, author=None, published_at=None,
            )
    comment = CommentIn(external_id=comment_key(request), text=request.body, parent_id=request.parent_id, author_id=request.author_id)
    return moderate_comment(services, site_slug, request.story_id, comment, actor="coral")


def coral_response(outcome: Outcome) -> dict[str, Any] | None:
    """Coral's response shape; None means 204 (no opinion: Coral's own pipeline continues)."""
    if outcome.action is Action.APPROVE:
        return None
    codes = [reason.code for reason in outcome.reasons if reason.action is outcome.action]
    spam = any(_REJECTION_CODES.get(code) == "SPAM" for code in codes)
    actions = [{"actionType": "FLAG", "reason": "COMMENT_DETECTED_SPAM" if spam else "COMMENT_DETECTED_TOXIC"}]
    if outcome.action is Action.REVIEW:
        return {"status": "SYSTEM_WITHHELD", "actions": actions}
    first = codes[0] if codes else "toxicity"
    explanation = "; ".join(
        f"{r.code} {r.score:.2f}" if r.score is not None else r.code for r in outcome.reasons if r.action is Action.REJECT
    )
    return {
        "status": "REJECTED",
        "actions": actions,
        "moderationAction": {
            "status": "REJECTED",
            "rejectionReason": {"code": _REJECTION_CODES.get(first, "OTHER"), "detailedExplanation": f"Civility: {explanation}"},
        },
    }


def coral_secret(services: Services, site_slug: str) -> str:
    with services.sessions() as session:
        site = require_site(session, site_slug)
        if not site.coral_secret:
            raise errors.CivilityError(
                f"Site '{site_slug}' has no Coral signing secret; set it with PUT /v1/sites/{site_slug}.",
                "CORAL_NOT_CONFIGURED", 403, "PERMISSION_DENIED",
            )
        return site.coral_secret
