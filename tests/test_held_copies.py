"""Reposts held with their original (``signals.hold_with_original``) take the moderator's decision on it, and undo.

Runs on SQLite and PostgreSQL with the committed models. Thresholds of 0 make the policy's answer independent of
what the model scores: a "review" rule while the original is posted, a "reject" rule while its copies are.
"""

from __future__ import annotations

from civility.moderation.types import Action
from civility.services import review, sites
from civility.services.context import Services
from civility.services.learning import calibrate_site, export_decisions
from civility.services.moderate import CommentIn, Outcome, moderate_comment

TEXT = "The council keeps promising the bridge will open in spring and it never does."
REVIEW_ALL = {"rules": [{"attribute": "TOXICITY", "threshold": 0.0, "action": "review"}]}
REJECT_ALL = {"rules": [{"attribute": "TOXICITY", "threshold": 0.0, "action": "reject"}]}


def _policy(services: Services, policy: dict) -> None:
    sites.put_site(services, "paper", "Paper", sites.parse_policy(policy))


def _post(services: Services, external_id: str, text: str) -> Outcome:
    return moderate_comment(services, "paper", "story", CommentIn(external_id, text))


def _status(services: Services, comment_id: int) -> str:
    return review.get_comment(services, comment_id).action.value


def _held_thread(services: Services) -> tuple[Outcome, Outcome, Outcome]:
    """An original waiting for a moderator and two copies held with it."""
    _policy(services, REVIEW_ALL)
    sites.put_article(services, "paper", "story", "Story", "The bridge was due in spring.", [], None, None, None)
    original = _post(services, "o1", TEXT)
    _policy(services, REJECT_ALL)
    first = _post(services, "o2", TEXT.upper())
    second = _post(services, "o3", TEXT + "!!")
    for copy in (first, second):
        assert copy.action is Action.REVIEW
        assert "held_with_original" in [r.code for r in copy.reasons]
        assert copy.signals["duplicate_of"] == "o1"
    return original, first, second


def test_copies_take_the_decision_on_their_original(services: Services) -> None:
    original, first, second = _held_thread(services)
    unrelated = _post(services, "u1", "A different remark about the ferry timetable.")
    decided = review.record_decision(services, original.comment_id, Action.REJECT, "abuse", "alice")
    assert decided.outcome.action is Action.REJECT
    assert [(o.external_id, o.action) for o in decided.followed] == [("o2", Action.REJECT), ("o3", Action.REJECT)]
    copy = review.get_comment(services, first.comment_id)
    assert copy.action is Action.REJECT
    last = copy.history[-1]
    assert last["source"] == "moderator" and last["actor"] == "alice"
    assert [(r["code"], r["detail"]) for r in last["reasons"]] == [("followed_original", "with o1")]
    assert _status(services, unrelated.comment_id) == "reject"  # its own rule, untouched
    # Exported with their reason, but a site's thresholds learn from the one judgement, not from each copy of it.
    assert sorted(row["reason"] for row in export_decisions(services, "paper")) == ["abuse", "followed_original", "followed_original"]
    assert calibrate_site(services, "paper").result.n == 1
    logged = review.audit_log(services, "paper")
    assert {entry.subject_id for entry in logged if entry.action == "comment.decided"} >= {
        str(original.comment_id), str(first.comment_id), str(second.comment_id)
    }


def test_undo_gives_the_copies_back_and_they_keep_following(services: Services) -> None:
    original, first, second = _held_thread(services)
    review.record_decision(services, original.comment_id, Action.REJECT, "abuse", "alice")
    undone = review.undo_decision(services, original.comment_id, "alice")
    assert undone.outcome.action is Action.REVIEW
    assert [(o.external_id, o.action) for o in undone.followed] == [("o2", Action.REVIEW), ("o3", Action.REVIEW)]
    # Still decided together: the next decision on the original moves them again.
    again = review.record_decision(services, original.comment_id, Action.APPROVE, "fine", "alice")
    assert {o.external_id: o.action for o in again.followed} == {"o2": Action.APPROVE, "o3": Action.APPROVE}
    # A change of mind moves them, and undoing it restores each copy's own previous action.
    review.record_decision(services, original.comment_id, Action.REJECT, "abuse", "alice")
    assert _status(services, first.comment_id) == "reject"
    review.undo_decision(services, original.comment_id, "alice")
    assert [_status(services, c.comment_id) for c in (original, first, second)] == ["approve"] * 3
    # Undoing a decision that moved no copy (the same action again) moves none back.
    review.record_decision(services, original.comment_id, Action.APPROVE, "fine", "alice")
    assert review.undo_decision(services, original.comment_id, "alice").followed == ()
    assert [_status(services, c.comment_id) for c in (original, first, second)] == ["approve"] * 3


def test_a_copy_decided_on_its_own_keeps_its_decision(services: Services) -> None:
    original, first, second = _held_thread(services)
    review.record_decision(services, second.comment_id, Action.APPROVE, "fine", "bob")
    decided = review.record_decision(services, original.comment_id, Action.REJECT, "abuse", "alice")
    assert [o.external_id for o in decided.followed] == ["o2"]
    assert _status(services, second.comment_id) == "approve"
    # A copy that follows keeps following, whoever decides the original next.
    review.record_decision(services, original.comment_id, Action.APPROVE, "fine", "bob")
    assert _status(services, first.comment_id) == "approve"


def test_review_decides_nothing_and_moves_no_copy(services: Services) -> None:
    original, first, _ = _held_thread(services)
    decided = review.record_decision(services, original.comment_id, Action.REVIEW, "second_opinion", "alice")
    assert decided.followed == ()
    assert _status(services, first.comment_id) == "review"


def test_bulk_decision_keeps_the_reason_given_for_a_copy_in_the_batch(services: Services) -> None:
    original, first, second = _held_thread(services)
    done = review.bulk_decision(services, [original.comment_id, second.comment_id], Action.REJECT, "spam", "alice")
    assert [d.outcome.external_id for d in done] == ["o1", "o3"]
    assert [o.external_id for d in done for o in d.followed] == ["o2"]
    codes = {c.external_id: [r.code for r in review.get_comment(services, c.comment_id).reasons] for c in (first, second)}
    assert codes == {"o2": ["followed_original"], "o3": ["spam"]}


def test_without_holding_there_is_nothing_to_follow(services: Services) -> None:
    _policy(services, REVIEW_ALL)
    sites.put_article(services, "paper", "story", "Story", "The bridge was due in spring.", [], None, None, None)
    original = _post(services, "o1", TEXT)
    _policy(services, {**REJECT_ALL, "signals": {"hold_with_original": False}})
    copy = _post(services, "o2", TEXT.upper())
    assert copy.action is Action.REJECT
    decided = review.record_decision(services, original.comment_id, Action.APPROVE, "fine", "alice")
    assert decided.followed == ()
    assert _status(services, copy.comment_id) == "reject"
