"""Domain → wire for the native API. Span offsets are UTF-16 code units, as on the Perspective path."""

from __future__ import annotations

from civility.api.native.schemas import AuditOut, CommentOut, CorrectionOut, FollowedOut, ReasonOut, ScoreOut, SiteOut, Span
from civility.services.moderate import Outcome
from civility.services.review import AuditView, CorrectionView
from civility.services.sites import SiteView
from civility.text.offsets import Utf16Index


def comment_out(outcome: Outcome, with_history: bool = False) -> CommentOut:
    index = Utf16Index(outcome.text)

    def span(begin: int, end: int, score: float) -> Span:
        begin, end = max(0, min(begin, len(outcome.text))), max(0, min(end, len(outcome.text)))
        return Span(begin=index.to_utf16(begin), end=index.to_utf16(end), score=round(score, 6), text=outcome.text[begin:end])

    return CommentOut(
        id=outcome.comment_id,
        external_id=outcome.external_id,
        site=outcome.site,
        article=outcome.article,
        decision=outcome.action.value,
        reasons=[
            ReasonOut(
                code=r.code,
                action=r.action.value,
                attribute=r.attribute,
                score=None if r.score is None else round(r.score, 6),
                threshold=r.threshold,
                detail=r.detail,
                spans=[span(s.begin, s.end, s.score) for s in r.spans],
            )
            for r in outcome.reasons
        ],
        signals=outcome.signals,
        scores={name: ScoreOut(value=round(s.value, 6), model=s.model) for name, s in outcome.scores.items()},
        language=outcome.language,
        detected_languages=list(outcome.detected_languages),
        text=outcome.text,
        history=list(outcome.history) if with_history else None,
    )


def followed_out(outcome: Outcome) -> FollowedOut:
    return FollowedOut(id=outcome.comment_id, external_id=outcome.external_id, decision=outcome.action.value)


def site_out(view: SiteView) -> SiteOut:
    return SiteOut(slug=view.slug, name=view.name, policy=view.policy.to_dict(), webhook_url=view.webhook_url)


def correction_out(view: CorrectionView) -> CorrectionOut:
    return CorrectionOut(
        id=view.id,
        comment_id=view.comment_id,
        comment_external_id=view.comment_external_id,
        comment_text=view.comment_text,
        wrong=view.wrong,
        proposed=view.proposed,
        passage=view.passage,
        passage_begin=view.passage_begin,
        passage_end=view.passage_end,
        status=view.status,
        resolved_by=view.resolved_by,
        resolved_at=view.resolved_at,
    )


def audit_out(view: AuditView) -> AuditOut:
    return AuditOut(
        id=view.id, at=view.at, actor=view.actor, action=view.action, subject_type=view.subject_type,
        subject_id=view.subject_id, details=view.details, on_behalf_of=view.on_behalf_of,
    )
