"""Policy dry runs: replay a proposed policy over stored comments and report what would change, saving nothing.

Scores and signals are taken as stored, so a replay measures the policy alone, not a model change. Where a moderator
has decided a comment, the report also says how often each policy agrees with the moderator.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from civility.moderation.policy import Policy, decide
from civility.moderation.types import Action, Correction, Signals
from civility.scoring.types import AttributeScore, SpanScore
from civility.services.context import Services
from civility.services.sites import require_site
from civility.services.tenancy import EVERY_SITE, Principal
from civility.storage import comments as comment_store
from civility.storage.tables import Comment

MAX_REPLAY = 20_000
MAX_EXAMPLES = 100


@dataclass
class ReplayReport:
    comments: int = 0
    changed: int = 0
    transitions: Counter[tuple[str, str]] = field(default_factory=Counter)
    moderated: int = 0
    agree_before: int = 0
    agree_after: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "comments": self.comments,
            "changed": self.changed,
            "transitions": [{"from": a, "to": b, "count": n} for (a, b), n in sorted(self.transitions.items())],
            "moderated": self.moderated,
            "moderator_agreement_before": self.agree_before / self.moderated if self.moderated else None,
            "moderator_agreement_after": self.agree_after / self.moderated if self.moderated else None,
            "examples": self.examples,
        }


def signals_from_stored(stored: dict[str, Any]) -> Signals:
    correction = stored.get("correction")
    return Signals(
        duplicate_of=stored.get("duplicate_of"),
        duplicate_pending=bool(stored.get("duplicate_pending")),
        brigade=bool(stored.get("brigade")),
        brigade_size=int(stored.get("brigade_size") or 0),
        correction=Correction(**correction) if correction else None,
        off_topic=stored.get("off_topic"),
        unsupported_language=bool(stored.get("unsupported_language")),
    )


def stored_scores(rows: list[Any]) -> dict[str, AttributeScore]:
    return {
        s.attribute: AttributeScore(s.attribute, s.value, s.model, tuple(SpanScore(p["begin"], p["end"], p["score"]) for p in s.spans))
        for s in rows
    }


def dry_run(services: Services, site_slug: str, policy: Policy, principal: Principal = EVERY_SITE) -> ReplayReport:
    report = ReplayReport()
    with services.sessions() as session:
        site = require_site(session, site_slug, principal)
        rows: list[Comment] = list(
            session.query(Comment).filter(Comment.site_id == site.id).order_by(Comment.id.desc()).limit(MAX_REPLAY)
        )
        ids = [row.id for row in rows]
        scores = comment_store.scores_for(session, ids)
        decisions = {row.id: comment_store.decisions_of(session, row.id) for row in rows}
        for row in rows:
            history = decisions[row.id]
            by_policy = [d for d in history if d.source == "policy"]
            by_moderator = [d for d in history if d.source == "moderator"]
            before = Action(by_policy[-1].action) if by_policy else Action(row.status)
            after = decide(stored_scores(scores[row.id]), signals_from_stored(row.signals), policy, row.text, None)
            report.comments += 1
            report.transitions[(before.value, after.action.value)] += 1
            if after.action is not before:
                report.changed += 1
                if len(report.examples) < MAX_EXAMPLES:
                    report.examples.append(
                        {
                            "comment_id": row.id,
                            "external_id": row.external_id,
                            "text": row.text[:280],
                            "from": before.value,
                            "to": after.action.value,
                            "reasons": list(after.codes),
                        }
                    )
            if by_moderator:
                report.moderated += 1
                truth = by_moderator[-1].action
                report.agree_before += int(before.value == truth)
                report.agree_after += int(after.action.value == truth)
    return report
