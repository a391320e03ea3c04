"""Queries that erase one author's texts and name while keeping decisions and counts.

Rows stay (a comment's status, scores, decisions and the audit trail still count), but every column that quotes
what the author wrote, or names them, is overwritten: comment texts, span offsets into them, correction texts the
comment proposed, reason details and notes that may quote it, and the author's name and external id.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from civility.storage.tables import AuditEntry, Author, Comment, CommentScore, Correction, Decision

ERASED = "[erased]"
CHUNK = 500
# Reason codes whose ``detail`` quotes the comment (a reader correction's "wrong → proposed").
_QUOTING_REASONS = frozenset({"reader_correction"})
# Audit-detail keys that may quote a comment: a moderator's note and a correction's texts.
_QUOTING_DETAILS = ("note", "wrong", "proposed")


@dataclass
class Erased:
    """What was overwritten, and where (for the caller's in-memory indexes)."""

    comments: int = 0
    scores: int = 0
    decisions: int = 0
    corrections: int = 0
    audit_entries: int = 0
    placements: list[tuple[int, int, int]] = field(default_factory=list)  # (comment id, site id, article id)
    texts: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "comments": self.comments,
            "scores": self.scores,
            "decisions": self.decisions,
            "corrections": self.corrections,
            "audit_entries": self.audit_entries,
        }


def erase_author(session: Session, author: Author) -> Erased:
    """Overwrite the author's name and id and every text of their comments; the rows themselves stay."""
    done = Erased()
    ids = list(session.scalars(select(Comment.id).where(Comment.author_id == author.id).order_by(Comment.id)))
    for chunk in _chunks(ids):
        _erase_comments(session, chunk, done)
    author.name = None
    author.external_id = f"erased:{secrets.token_hex(12)}"
    session.flush()
    return done


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _erase_comments(session: Session, ids: list[int], done: Erased) -> None:
    for comment in session.scalars(select(Comment).where(Comment.id.in_(ids))):
        done.texts.append(comment.text)
        done.placements.append((comment.id, comment.site_id, comment.article_id))
        comment.text = ERASED
        comment.signals = _redacted_signals(comment.signals or {})
        done.comments += 1
    for score in session.scalars(select(CommentScore).where(CommentScore.comment_id.in_(ids))):
        score.spans = []
        done.scores += 1
    for decision in session.scalars(select(Decision).where(Decision.comment_id.in_(ids))):
        decision.reasons = [_redacted_reason(reason, decision.note) for reason in decision.reasons or []]
        if decision.note:
            decision.note = ERASED
        done.decisions += 1
    corrections = list(session.scalars(select(Correction).where(Correction.comment_id.in_(ids))))
    for correction in corrections:
        correction.wrong = ERASED
        correction.proposed = ERASED
        done.corrections += 1
    subjects = [("comment", [str(i) for i in ids]), ("correction", [str(c.id) for c in corrections])]
    for subject_type, subject_ids in subjects:
        if not subject_ids:
            continue
        for entry in session.scalars(
            select(AuditEntry).where(AuditEntry.subject_type == subject_type, AuditEntry.subject_id.in_(subject_ids))
        ):
            details = dict(entry.details or {})
            if any(details.get(key) for key in _QUOTING_DETAILS):
                entry.details = {key: (ERASED if key in _QUOTING_DETAILS and value else value) for key, value in details.items()}
                done.audit_entries += 1
    session.flush()


def _redacted_signals(signals: dict[str, Any]) -> dict[str, Any]:
    out = dict(signals)
    correction = out.get("correction")
    if isinstance(correction, dict):
        out["correction"] = {**correction, "wrong": ERASED, "proposed": ERASED}
    return out


def _redacted_reason(reason: dict[str, Any], note: str | None) -> dict[str, Any]:
    """Spans point into the erased text; a correction's detail quotes it, and a moderator's reason carries the note."""
    out = {**reason, "spans": []}
    if out.get("code") in _QUOTING_REASONS:
        out["detail"] = None
    elif note and out.get("detail") == note:
        out["detail"] = ERASED
    return out
