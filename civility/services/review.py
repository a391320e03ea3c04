"""The review queue, moderator decisions (single and bulk), corrections for editors, and the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from civility import errors
from civility.moderation.types import Action
from civility.services.context import Services
from civility.services.moderate import Outcome, stored_outcome
from civility.services.sites import require_article, require_site
from civility.services.tenancy import EVERY_SITE, Principal
from civility.services.webhooks import enqueue_decision
from civility.storage import audit
from civility.storage import comments as comment_store
from civility.storage import queue as queue_store
from civility.storage.tables import Site, utcnow

MAX_PAGE = 500
MAX_BULK = 1000


@dataclass(frozen=True)
class QueuePage:
    items: list[Outcome]
    total: int
    limit: int
    offset: int


def queue(services: Services, site_slug: str, principal: Principal = EVERY_SITE, **filters: Any) -> QueuePage:
    limit = min(int(filters.pop("limit", 50) or 50), MAX_PAGE)
    offset = max(int(filters.pop("offset", 0) or 0), 0)
    if filters.get("sort", "score") not in queue_store.SORTS:
        raise errors.invalid_request(f"Unknown sort '{filters['sort']}' (one of {', '.join(queue_store.SORTS)}).")
    with services.sessions() as session:
        site = require_site(session, site_slug, principal)
        article_slug = filters.pop("article", None)
        if article_slug:
            filters["article_id"] = require_article(session, site, article_slug).id
        rows, total = queue_store.queue(session, queue_store.QueueQuery(site_id=site.id, limit=limit, offset=offset, **filters))
        return QueuePage([stored_outcome(session, row) for row in rows], total, limit, offset)


def get_comment(services: Services, comment_id: int, principal: Principal = EVERY_SITE) -> Outcome:
    with services.sessions() as session:
        row = comment_store.by_id(session, comment_id, principal.site_ids)
        if row is None:
            raise errors.not_found(f"Comment {comment_id} not found.")
        return stored_outcome(session, row)


HELD = "held_with_original"  # the policy's reason for a repost that waits with its original
FOLLOWED = "followed_original"  # the reason a copy records when it takes its original's decision


@dataclass(frozen=True)
class Decided:
    """A moderator's decision on one comment, and the near-duplicates that took the same decision with it."""

    outcome: Outcome
    followed: tuple[Outcome, ...] = ()


@dataclass(frozen=True)
class Acting:
    """Who decides: the key or user (``actor``, and the sites it may reach), and the moderator an integration named."""

    actor: str
    principal: Principal = EVERY_SITE
    on_behalf_of: str | None = None


def _decide_one(
    session: Session, comment_id: int, action: Action, reason: str, acting: Acting, note: str | None,
    follows: int | None = None,
) -> tuple[Outcome, int]:
    """The comment as decided, and the new decision's id. ``follows``: the id of the original's decision that a copy
    takes (kept on the reason, so undo finds the copies that moved with that decision and no others)."""
    row = comment_store.by_id(session, comment_id, acting.principal.site_ids)
    if row is None:
        raise errors.not_found(f"Comment {comment_id} not found.")
    reason_row: dict[str, Any] = {"code": reason, "action": action.value, "attribute": None, "score": None, "threshold": None, "detail": note, "spans": []}
    if follows is not None:
        reason_row["follows_decision"] = follows
    reasons = [reason_row]
    previous = row.status
    decision = comment_store.add_decision(
        session, row, action.value, "moderator", reasons, actor=acting.actor, note=note, on_behalf_of=acting.on_behalf_of
    )
    row.reason_codes = f",{reason},"
    site = session.get(Site, row.site_id)
    audit.record(
        session, acting.actor, "comment.decided", "comment", str(row.id), row.site_id,
        {"action": action.value, "source": "moderator", "previous": previous, "reason": reason, "note": note},
        on_behalf_of=acting.on_behalf_of,
    )
    if site is not None:
        enqueue_decision(session, site, row, action.value, "moderator", reasons)
    return stored_outcome(session, row), decision.id


def _decide_with_copies(
    session: Session, comment_id: int, action: Action, reason: str, acting: Acting, note: str | None,
    skip: frozenset[int] = frozenset(),
) -> Decided:
    """Decide a comment; its reposts that the policy held with it (``signals.hold_with_original``), or that already
    took one of its decisions, take this one too. They were held so that a moderator judges the copies together:
    leaving them in the queue after the original is decided would ask for the same judgement twice. A copy a
    moderator has decided on its own keeps that decision, and a decision to review moves no copy (it decides
    nothing). ``skip``: copies decided explicitly in the same request."""
    outcome, decision_id = _decide_one(session, comment_id, action, reason, acting, note)
    if action is Action.REVIEW:
        return Decided(outcome)
    copies = [
        *comment_store.copies_with_reason(session, comment_id, HELD),
        *comment_store.copies_with_reason(session, comment_id, FOLLOWED),
    ]
    followed = tuple(
        _decide_one(session, copy.id, action, FOLLOWED, acting, f"with {outcome.external_id}", follows=decision_id)[0]
        for copy in sorted(copies, key=lambda c: c.id)
        if copy.id not in skip and copy.status != action.value
    )
    return Decided(outcome, followed)


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason or len(reason) > 100:
        raise errors.invalid_request("A decision needs a reason code of 1 to 100 characters.")
    return reason


def record_decision(
    services: Services, comment_id: int, action: Action, reason: str, actor: str, note: str | None = None,
    principal: Principal = EVERY_SITE, on_behalf_of: str | None = None,
) -> Decided:
    """``actor`` decides (the audit log's actor); ``on_behalf_of``: the moderator an integration names, kept beside it."""
    reason = _check_reason(reason)
    with services.sessions.begin() as session:
        decided = _decide_with_copies(session, comment_id, action, reason, Acting(actor, principal, on_behalf_of), note)
    services.metrics.decisions.labels(action.value, "moderator").inc(1 + len(decided.followed))
    return decided


def bulk_decision(
    services: Services,
    comment_ids: list[int],
    action: Action,
    reason: str,
    actor: str,
    note: str | None = None,
    site_slug: str | None = None,
    principal: Principal = EVERY_SITE,
    on_behalf_of: str | None = None,
) -> list[Decided]:
    """All or nothing: one transaction, so a bulk action never half-applies (an unknown id fails the whole batch)."""
    reason = _check_reason(reason)
    if not comment_ids or len(comment_ids) > MAX_BULK:
        raise errors.invalid_request(f"Give between 1 and {MAX_BULK} comment ids.")
    with services.sessions.begin() as session:
        site_id = require_site(session, site_slug, principal).id if site_slug else None
        if site_id is not None:
            for cid in comment_ids:
                row = comment_store.by_id(session, cid)
                if row is None or row.site_id != site_id:
                    raise errors.not_found(f"Comment {cid} not found on site '{site_slug}'.")
        chosen = frozenset(comment_ids)
        acting = Acting(actor, principal, on_behalf_of)
        done = [_decide_with_copies(session, cid, action, reason, acting, note, chosen) for cid in dict.fromkeys(comment_ids)]
    services.metrics.decisions.labels(action.value, "moderator").inc(sum(1 + len(d.followed) for d in done))
    return done


def thread(services: Services, site_slug: str, article_slug: str, principal: Principal = EVERY_SITE) -> list[Outcome]:
    """The article's comments in posting order, each with its current decision."""
    with services.sessions() as session:
        site = require_site(session, site_slug, principal)
        article = require_article(session, site, article_slug)
        return [stored_outcome(session, row) for row in comment_store.of_article(session, article.id)]


@dataclass(frozen=True)
class CorrectionView:
    id: int
    comment_id: int
    comment_external_id: str
    comment_text: str
    article_id: int
    wrong: str
    proposed: str
    passage: str
    passage_begin: int
    passage_end: int
    status: str
    resolved_by: str | None
    resolved_at: datetime | None


def corrections(
    services: Services, site_slug: str, status: str | None = "open", principal: Principal = EVERY_SITE
) -> list[CorrectionView]:
    with services.sessions() as session:
        site = require_site(session, site_slug, principal)
        return [
            CorrectionView(
                c.id, m.id, m.external_id, m.text, c.article_id, c.wrong, c.proposed, c.passage, c.passage_begin,
                c.passage_end, c.status, c.resolved_by, c.resolved_at,
            )
            for c, m in comment_store.corrections(session, site.id, status)
        ]


def resolve_correction(
    services: Services, correction_id: int, accept: bool, actor: str, principal: Principal = EVERY_SITE
) -> None:
    with services.sessions.begin() as session:
        row = comment_store.correction_by_id(session, correction_id, principal.site_ids)
        if row is None:
            raise errors.not_found(f"Correction {correction_id} not found.")
        row.status = "accepted" if accept else "dismissed"
        row.resolved_by = actor
        row.resolved_at = utcnow()
        comment = comment_store.by_id(session, row.comment_id)
        audit.record(
            session, actor, f"correction.{row.status}", "correction", str(row.id), comment.site_id if comment else None,
            {"wrong": row.wrong, "proposed": row.proposed},
        )


@dataclass(frozen=True)
class AuditView:
    id: int
    at: datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str
    details: dict[str, Any]
    on_behalf_of: str | None = None


def audit_log(
    services: Services, site_slug: str | None = None, principal: Principal = EVERY_SITE, **filters: Any
) -> list[AuditView]:
    """The site's entries, or (no ``site_slug``) those of every site the principal reaches."""
    filters["limit"] = min(int(filters.get("limit") or 100), MAX_PAGE)
    with services.sessions() as session:
        site_id = require_site(session, site_slug, principal).id if site_slug else None
        return [
            AuditView(e.id, e.at, e.actor, e.action, e.subject_type, e.subject_id, dict(e.details), e.on_behalf_of)
            for e in audit.entries(session, site_id=site_id, site_ids=principal.site_ids, **filters)
        ]


@dataclass(frozen=True)
class RecentComment:
    comment_id: int
    text: str
    status: str
    posted_at: datetime


@dataclass(frozen=True)
class CommentContext:
    """What a moderator needs around a comment: where it was posted, by whom, and what that author did before."""

    comment_id: int
    posted_at: datetime
    article_slug: str
    article_title: str
    article_url: str | None
    author_id: str | None
    author_name: str | None
    author_counts: dict[str, int]
    author_recent: tuple[RecentComment, ...]
    parent_external_id: str | None
    duplicate_of_id: int | None


def comment_contexts(
    services: Services, comment_ids: list[int], recent: int = 5, principal: Principal = EVERY_SITE
) -> dict[int, CommentContext]:
    from civility.storage.tables import Article, Author

    out: dict[int, CommentContext] = {}
    with services.sessions() as session:
        for cid in dict.fromkeys(comment_ids):
            row = comment_store.by_id(session, cid, principal.site_ids)
            if row is None:
                continue
            article = session.get(Article, row.article_id)
            author = session.get(Author, row.author_id) if row.author_id else None
            counts = comment_store.author_history(session, author.id) if author else {}
            history = comment_store.author_recent(session, author.id, row.id, recent) if author else []
            out[cid] = CommentContext(
                row.id, row.posted_at, article.slug if article else "", article.title if article else "",
                article.url if article else None, author.external_id if author else None, author.name if author else None,
                counts, tuple(RecentComment(h.id, h.text[:200], h.status, h.posted_at) for h in history),
                row.parent_external_id, row.duplicate_of_id,
            )
    return out


def undo_decision(services: Services, comment_id: int, actor: str, principal: Principal = EVERY_SITE) -> Decided:
    """Undo ``actor``'s latest decision on the comment by recording a new one (reason ``undo``) that restores the
    action in force before it: the decision log stays append-only. Copies that took the undone decision with it
    (:func:`_decide_with_copies`) get back the action each had before, and go on following their original."""
    with services.sessions.begin() as session:
        if comment_store.by_id(session, comment_id, principal.site_ids) is None:
            raise errors.not_found(f"Comment {comment_id} not found.")
        history = comment_store.decisions_of(session, comment_id)
        last = history[-1] if history else None
        if (
            last is None or len(history) < 2 or last.source != "moderator" or last.actor != actor
            or any(r.get("code") == "undo" for r in last.reasons)
        ):
            raise errors.invalid_request("There is no decision of yours on this comment to undo.")
        acting = Acting(actor, principal)
        outcome, undo_id = _decide_one(session, comment_id, Action(history[-2].action), "undo", acting, f"undid {last.action}")
        restored = []
        for copy in comment_store.copies_with_reason(session, comment_id, FOLLOWED):
            own = comment_store.decisions_of(session, copy.id)
            moved_with_it = len(own) >= 2 and any(r.get("follows_decision") == last.id for r in own[-1].reasons)
            if moved_with_it:
                note = f"undid {last.action} with {outcome.external_id}"
                restored.append(_decide_one(session, copy.id, Action(own[-2].action), FOLLOWED, acting, note, follows=undo_id)[0])
        return Decided(outcome, tuple(restored))


def review_queue_depth(services: Services) -> int:
    with services.sessions() as session:
        return comment_store.count_by_status(session, "review")
