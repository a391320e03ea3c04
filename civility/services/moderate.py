"""Ingest → score → signals → decide → persist, for one comment under one article.

The decision is committed, with its scores, reasons, audit entry and webhook outbox row, in one transaction before
the caller answers: no acknowledged decision can be lost. Posting the same comment id again returns the stored
outcome and never records a second decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from civility import errors
from civility.moderation.corrections import find_correction
from civility.moderation.offtopic import off_topic_score
from civility.moderation.policy import Policy, decide
from civility.moderation.types import Action, AuthorHistory, Correction, Decision, Reason, Signals
from civility.scoring.types import PRODUCTION_ATTRIBUTES, AttributeScore, SpanScore
from civility.services.analyze import AnalyzeRequest, AttributeRequest, analyze, check_text
from civility.services.context import Services
from civility.services.sites import require_article, require_site
from civility.services.tenancy import EVERY_SITE, Principal
from civility.storage import audit
from civility.storage import comments as comment_store
from civility.storage import sites as site_store
from civility.storage.tables import Article, Comment, Site, utcnow
from civility.services.webhooks import enqueue_decision


@dataclass(frozen=True)
class CommentIn:
    external_id: str
    text: str
    parent_id: str | None = None
    author_id: str | None = None
    author_name: str | None = None
    language: str | None = None
    posted_at: datetime | None = None


@dataclass(frozen=True)
class Outcome:
    """What the native API returns for a moderated comment."""

    comment_id: int
    external_id: str
    site: str
    article: str
    created: bool
    action: Action
    reasons: tuple[Reason, ...]
    signals: dict[str, Any]
    scores: dict[str, AttributeScore]
    language: str | None
    detected_languages: tuple[str, ...]
    text: str
    history: tuple[dict[str, Any], ...] = field(default_factory=tuple)


def moderate_comment(
    services: Services, site_slug: str, article_slug: str, comment: CommentIn, actor: str = "api",
    principal: Principal = EVERY_SITE,
) -> Outcome:
    check_text(services, comment.text)
    with services.sessions() as session:
        site = require_site(session, site_slug, principal)
        article = require_article(session, site, article_slug)
        existing = comment_store.by_external_id(session, site.id, comment.external_id)
        if existing is not None:
            return stored_outcome(session, existing)
        policy = Policy.from_dict(site.policy)
        site_id, article_id = site.id, article.id
        article_text = article.body
        history = _history(session, site.id, comment.author_id)

    scores, language, detected = _score(services, comment, policy)
    # The signals that take time in proportion to the comment and the article are computed here, before any lock:
    # each bounds its own work (civility.moderation.corrections, .offtopic), and under the lock only the index
    # lookup with the ready fingerprint remains, so a slow comment on one site does not hold up another's.
    correction = find_correction(comment.text, article_text)
    off_topic = off_topic_score(comment.text, article_text)
    fingerprint = services.duplicates.fingerprint(comment.text)
    with services.duplicates.posting():  # threads of this process take turns here, processes at the lock below
        try:
            with services.sessions.begin() as session:
                site = require_site(session, site_slug)
                site_store.lock_for_posting(session, site.id)
                # Stamped under the lock: a comment without its own time is later than every comment looked up.
                now = utcnow()
                posted_at = _aware(comment.posted_at) or now
                found = services.duplicates.check(
                    session, site_id, article_id, comment.text, comment.author_id, posted_at, now, fingerprint
                )
                duplicate = found.article if found.article.duplicate_of else found.site
                original = comment_store.by_id(session, int(duplicate.duplicate_of)) if duplicate.duplicate_of else None
                signals = Signals(
                    duplicate_of=duplicate.duplicate_of,
                    duplicate_pending=original is not None and original.status == Action.REVIEW.value,
                    brigade=found.site.brigade,
                    brigade_size=found.site.brigade_size if found.site.brigade else 0,
                    correction=correction,
                    off_topic=off_topic,
                    unsupported_language=not scores,
                )
                decision = decide(scores, signals, policy, comment.text, history)
                article = require_article(session, site, article_slug)
                row = _persist(session, site, article, comment, posted_at, scores, language, detected, signals, decision, actor)
                outcome = stored_outcome(session, row, created=True)
            services.metrics.decisions.labels(decision.action.value, "policy").inc()
            return outcome
        except IntegrityError as error:
            conflict = error  # the same comment id arrived concurrently: the first writer's decision stands
    with services.sessions() as session:
        site = require_site(session, site_slug)
        existing = comment_store.by_external_id(session, site.id, comment.external_id)
        if existing is None:
            raise conflict
        return stored_outcome(session, existing)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _history(session: Session, site_id: int, author_external_id: str | None) -> AuthorHistory | None:
    if not author_external_id:
        return None
    author = comment_store.find_author(session, site_id, author_external_id)
    if author is None:
        return AuthorHistory(0, 0, 0)
    counts = comment_store.author_history(session, author.id)
    return AuthorHistory(counts["approved"], counts["rejected"], counts["total"])


def _score(
    services: Services, comment: CommentIn, policy: Policy
) -> tuple[dict[str, AttributeScore], str | None, tuple[str, ...]]:
    """Scores for every attribute the policy or the product knows, in the comment's language, with sentence spans."""
    wanted = sorted(set(PRODUCTION_ATTRIBUTES) | set(policy.attributes))
    request = AnalyzeRequest(
        text=comment.text,
        attributes=[AttributeRequest(name) for name in wanted],
        languages=(comment.language,) if comment.language else (),
        span_annotations=True,
        clause_spans=True,
        do_not_store=True,
        drop_unsupported=True,
    )
    try:
        result = analyze(services, request)
    except errors.CivilityError as error:
        if error.error_type == "LANGUAGE_DETECTION_FAILED":
            return {}, None, ()
        raise
    return dict(result.scores), result.languages[0] if result.languages else None, result.detected_languages


def _flags(signals: Signals) -> str:
    names = [
        name
        for name, on in (
            ("duplicate", signals.duplicate_of is not None),
            ("brigade", signals.brigade),
            ("correction", signals.correction is not None),
            ("off_topic", signals.off_topic is not None and signals.off_topic >= 0.9),
            ("unsupported_language", signals.unsupported_language),
        )
        if on
    ]
    return "," + "".join(f"{n}," for n in names)


def reasons_to_json(reasons: tuple[Reason, ...]) -> list[dict[str, Any]]:
    return [
        {
            "code": r.code,
            "action": r.action.value,
            "attribute": r.attribute,
            "score": r.score,
            "threshold": r.threshold,
            "detail": r.detail,
            "spans": [{"begin": s.begin, "end": s.end, "score": s.score} for s in r.spans],
        }
        for r in reasons
    ]


def reasons_from_json(items: list[dict[str, Any]]) -> tuple[Reason, ...]:
    return tuple(
        Reason(
            code=item["code"],
            attribute=item.get("attribute"),
            score=item.get("score"),
            spans=tuple(SpanScore(s["begin"], s["end"], s["score"]) for s in item.get("spans", [])),
            detail=item.get("detail"),
            action=Action(item.get("action", "review")),
            threshold=item.get("threshold"),
        )
        for item in items
    )


def _correction_json(correction: Correction | None) -> dict[str, Any] | None:
    if correction is None:
        return None
    return {
        "wrong": correction.wrong,
        "proposed": correction.proposed,
        "article_passage": correction.article_passage,
        "passage_begin": correction.passage_begin,
        "passage_end": correction.passage_end,
        "sentence_begin": correction.sentence_begin,
        "sentence_end": correction.sentence_end,
        "comment_begin": correction.comment_begin,
        "comment_end": correction.comment_end,
    }


def _persist(
    session: Session,
    site: Site,
    article: Article,
    comment: CommentIn,
    posted_at: datetime,
    scores: dict[str, AttributeScore],
    language: str | None,
    detected: tuple[str, ...],
    signals: Signals,
    decision: Decision,
    actor: str,
) -> Comment:
    author = (
        comment_store.author(session, site.id, comment.author_id, comment.author_name) if comment.author_id else None
    )
    duplicate_row = comment_store.by_id(session, int(signals.duplicate_of)) if signals.duplicate_of else None
    stored_signals = {
        "duplicate_of": duplicate_row.external_id if duplicate_row else None,
        "duplicate_pending": signals.duplicate_pending,  # when it arrived, so a policy replay sees what decide saw
        "brigade": signals.brigade,
        "brigade_size": signals.brigade_size,
        "correction": _correction_json(signals.correction),
        "off_topic": signals.off_topic,
        "unsupported_language": signals.unsupported_language,
    }
    row = comment_store.insert(
        session,
        site_id=site.id,
        article_id=article.id,
        external_id=comment.external_id,
        parent_external_id=comment.parent_id,
        author_id=author.id if author else None,
        text=comment.text,
        language=language,
        detected_languages=list(detected),
        posted_at=posted_at,
        status=decision.action.value,
        signals=stored_signals,
        reason_codes="," + "".join(f"{code}," for code in decision.codes),
        flags=_flags(signals),
        duplicate_of_id=duplicate_row.id if duplicate_row else None,
        max_score=max((s.value for s in scores.values()), default=0.0),
    )
    comment_store.add_scores(
        session,
        row.id,
        [
            {
                "attribute": name,
                "value": score.value,
                "model": score.model,
                "spans": [{"begin": s.begin, "end": s.end, "score": s.score} for s in score.spans],
            }
            for name, score in scores.items()
        ],
    )
    reasons = reasons_to_json(decision.reasons)
    if duplicate_row is not None:  # name the original as readers and moderators know it, not by its row id
        for reason in reasons:
            if reason["code"] in ("duplicate", "held_with_original") and reason["detail"] == signals.duplicate_of:
                reason["detail"] = duplicate_row.external_id
    comment_store.add_decision(session, row, decision.action.value, "policy", reasons, actor="policy")
    if signals.correction is not None and decision.correction_for_editors:
        c = signals.correction
        comment_store.add_correction(
            session,
            comment_id=row.id,
            article_id=article.id,
            wrong=c.wrong,
            proposed=c.proposed,
            passage=c.article_passage,
            passage_begin=c.passage_begin,
            passage_end=c.passage_end,
        )
    audit.record(
        session,
        actor,
        "comment.decided",
        "comment",
        str(row.id),
        site.id,
        {"action": decision.action.value, "source": "policy", "codes": list(decision.codes)},
    )
    enqueue_decision(session, site, row, decision.action.value, "policy", reasons)
    return row


def stored_outcome(session: Session, row: Comment, created: bool = False) -> Outcome:
    """The outcome as stored: the newest decision, its reasons, the scores and the signals."""
    site = session.get(Site, row.site_id)
    article = session.get(Article, row.article_id)
    decisions = comment_store.decisions_of(session, row.id)
    latest = decisions[-1]
    scores = {
        s.attribute: AttributeScore(
            s.attribute, s.value, s.model, tuple(SpanScore(p["begin"], p["end"], p["score"]) for p in s.spans)
        )
        for s in comment_store.scores_of(session, row.id)
    }
    history = tuple(
        {
            "action": d.action,
            "source": d.source,
            "actor": d.actor,
            "on_behalf_of": d.on_behalf_of,
            "reasons": d.reasons,
            "note": d.note,
            "at": d.created_at.isoformat(),
        }
        for d in decisions
    )
    return Outcome(
        comment_id=row.id,
        external_id=row.external_id,
        site=site.slug if site else "",
        article=article.slug if article else "",
        created=created,
        action=Action(latest.action),
        reasons=reasons_from_json(latest.reasons),
        signals=dict(row.signals),
        scores=scores,
        language=row.language,
        detected_languages=tuple(row.detected_languages or ()),
        text=row.text,
        history=history,
    )
