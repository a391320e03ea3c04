"""Domain values of moderation: frozen, free of I/O, shared by the services, storage and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from civility.scoring.types import SpanScore


class Action(StrEnum):
    """What happens to a comment. The string values are the wire and TOML spelling."""

    APPROVE = "approve"
    REVIEW = "review"
    REJECT = "reject"

    @property
    def severity(self) -> int:
        """Precedence of actions: reject (2) beats review (1) beats approve (0)."""
        return _SEVERITY[self]


_SEVERITY = {Action.APPROVE: 0, Action.REVIEW: 1, Action.REJECT: 2}


@dataclass(frozen=True)
class Reason:
    """One rule that fired, with enough to explain it to a moderator or a commenter.

    ``spans`` point into the original comment (code points, end exclusive): the sentences whose score passed the
    rule's threshold, or the words a term list matched. ``action`` is what this rule alone asks for and
    ``threshold`` the bound it compared ``score`` against (None for rules without one).
    """

    code: str
    attribute: str | None = None
    score: float | None = None
    spans: tuple[SpanScore, ...] = ()
    detail: str | None = None
    action: Action = Action.REVIEW
    threshold: float | None = None


@dataclass(frozen=True)
class Correction:
    """A reader's correction of the article.

    ``wrong`` is the corrected phrase as the comment spells it and ``proposed`` the reader's fix.
    ``article[passage_begin:passage_end]`` is the phrase in the article that the reader says is wrong;
    ``article_passage`` is the whole sentence around it, at ``article[sentence_begin:sentence_end]``.
    ``comment[comment_begin:comment_end]`` is the part of the comment that states the correction.
    """

    wrong: str
    proposed: str
    article_passage: str
    passage_begin: int
    passage_end: int
    comment_begin: int
    comment_end: int
    sentence_begin: int
    sentence_end: int


@dataclass(frozen=True)
class Signals:
    """Everything besides the model's scores that a decision may use; the defaults mean "nothing noticed"."""

    duplicate_of: str | None = None
    duplicate_pending: bool = False  # the comment it repeats is still waiting for a moderator
    brigade: bool = False
    brigade_size: int = 0
    correction: Correction | None = None
    off_topic: float | None = None
    unsupported_language: bool = False


@dataclass(frozen=True)
class AuthorHistory:
    """Counts of an author's earlier comments by final decision (``total`` includes those still pending)."""

    approved: int
    rejected: int
    total: int


@dataclass(frozen=True)
class Decision:
    """The outcome of ``decide``: an action and every reason that fired, most severe first."""

    action: Action
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(reason.code for reason in self.reasons)

    @property
    def correction_for_editors(self) -> bool:
        """True when the comment carries a reader correction the editors should see (not when it is rejected)."""
        return self.action is not Action.REJECT and "reader_correction" in self.codes
