"""Learning from moderators: their decisions exported as labelled data, and per-site thresholds fitted to them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from civility import errors
from civility.moderation.policy import Policy
from civility.moderation.site_calibration import DEFAULT_TARGETS, CalibrationResult, fit_thresholds
from civility.moderation.types import Action
from civility.services.context import Services
from civility.services.review import FOLLOWED
from civility.services.sites import require_site, set_policy
from civility.storage import comments as comment_store
from civility.storage.tables import Article, Comment, Decision, Site


def export_decisions(services: Services, site_slug: str | None = None) -> list[dict[str, Any]]:
    """One labelled example per moderated comment: the text, the newest moderator action and the model's scores."""
    with services.sessions() as session:
        query = (
            select(Comment, Decision, Site.slug, Article.slug)
            .join(Decision, Decision.comment_id == Comment.id)
            .join(Site, Site.id == Comment.site_id)
            .join(Article, Article.id == Comment.article_id)
            .where(Decision.source == "moderator")
            .order_by(Comment.id, Decision.id)
        )
        if site_slug:
            query = query.where(Comment.site_id == require_site(session, site_slug).id)
        newest: dict[int, tuple[Comment, Decision, str, str]] = {}
        for comment, decision, site, article in session.execute(query):
            newest[comment.id] = (comment, decision, site, article)
        scores = comment_store.scores_for(session, list(newest))
        return [
            {
                "site": site,
                "article": article,
                "comment_id": comment.id,
                "external_id": comment.external_id,
                "text": comment.text,
                "language": comment.language,
                "label": decision.action,
                "reason": decision.reasons[0]["code"] if decision.reasons else None,
                "moderator": decision.on_behalf_of or decision.actor,  # the person an integration decided for
                "actor": decision.actor,
                "decided_at": decision.created_at.isoformat(),
                "scores": {s.attribute: s.value for s in scores[comment.id]},
            }
            for comment, decision, site, article in newest.values()
        ]


@dataclass(frozen=True)
class SiteCalibration:
    result: CalibrationResult
    before: Policy
    after: Policy
    applied: bool


def calibrate_site(
    services: Services,
    site_slug: str,
    targets: dict[Action, float] | None = None,
    apply: bool = False,
    actor: str = "cli",
) -> SiteCalibration:
    with services.sessions() as session:
        policy = Policy.from_dict(require_site(session, site_slug).policy)
    # A repost that took its original's decision (reason followed_original) is not a second judgement: counting it
    # would weigh the original twice.
    examples = [
        (row["scores"], Action(row["label"]))
        for row in export_decisions(services, site_slug)
        if row["scores"] and row["reason"] != FOLLOWED
    ]
    if not examples:
        raise errors.invalid_request(f"Site '{site_slug}' has no moderator decisions to learn from yet.")
    result = fit_thresholds(examples, policy.attributes, targets or DEFAULT_TARGETS, current=policy)
    after = policy.with_thresholds(result.thresholds)
    if apply:
        set_policy(services, site_slug, after, actor)
    return SiteCalibration(result, policy, after, apply)
