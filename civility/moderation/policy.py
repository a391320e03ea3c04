"""A newsroom's moderation policy as data, and ``decide``: scores + signals + policy + text → Decision, purely.

Thresholds live in the policy (TOML on disk, a row in the database), never in code, so a newsroom — or
``site_calibration`` — can change them without a release. ``decide`` reads no clock, no database and no model.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from civility.moderation.types import Action, AuthorHistory, Decision, Reason, Signals
from civility.scoring.types import KNOWN_ATTRIBUTES, AttributeScore, SpanScore
from civility.text.patterns import WORD, WholeWords, escape
from civility.text.patterns import compile as compile_pattern
from civility.text.normalize import normalize, normalize_with_offsets

_OFF = "off"
_CODE = compile_pattern(r"[a-z][a-z0-9_]*")


class PolicyError(ValueError):
    """A policy that cannot be used: the message names the offending key and value."""


def _action(value: object, where: str, *, allow_off: bool = False) -> Action | None:
    if allow_off and (value is None or value == _OFF):
        return None
    if isinstance(value, Action):
        return value
    if isinstance(value, str):
        try:
            return Action(value.lower())
        except ValueError:
            pass
    choices = ", ".join(a.value for a in Action) + (f", {_OFF}" if allow_off else "")
    raise PolicyError(f"{where}: unknown action {value!r} (expected one of {choices})")


def _conditions(value: object, where: str) -> tuple[tuple[str, float], ...]:
    """``{ATTRIBUTE: threshold}`` (or pairs) → sorted, validated pairs."""
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, list | tuple) and all(isinstance(v, list | tuple) and len(v) == 2 for v in value):
        items = [tuple(v) for v in value]
    else:
        raise PolicyError(f"{where}: expected a table of attribute = threshold, got {value!r}")
    out = {}
    for attribute, threshold in items:
        if attribute not in KNOWN_ATTRIBUTES:
            raise PolicyError(f"{where}: unknown attribute {attribute!r} (known: {', '.join(KNOWN_ATTRIBUTES)})")
        out[attribute] = _threshold(threshold, f"{where}.{attribute}")
    return tuple(sorted(out.items()))


def _threshold(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PolicyError(f"{where}: threshold must be a number, got {value!r}")
    if not 0.0 <= float(value) <= 1.0:
        raise PolicyError(f"{where}: threshold {value!r} is outside [0, 1]")
    return float(value)


@dataclass(frozen=True)
class AttributeRule:
    """``score(attribute) >= threshold`` → ``action``, reported as ``code``; ``note`` says why the value was chosen.

    ``also`` adds conditions that must hold at the same time (``{TOXICITY = 0.9}``: and TOXICITY ≥ 0.9). Automatic
    removal on a narrow attribute is safer when a second score corroborates it: identity mentions alone inflate
    IDENTITY_ATTACK, and THREAT's calibrated scale is compressed by how few threats the training data holds.
    """

    attribute: str
    threshold: float
    action: Action
    code: str = ""
    note: str = ""
    also: tuple[tuple[str, float], ...] = ()

    def __post_init__(self) -> None:
        where = f"rule {self.attribute}"
        if self.attribute not in KNOWN_ATTRIBUTES:
            raise PolicyError(f"{where}: unknown attribute {self.attribute!r} (known: {', '.join(KNOWN_ATTRIBUTES)})")
        object.__setattr__(self, "threshold", _threshold(self.threshold, where))
        object.__setattr__(self, "also", _conditions(self.also, f"{where}.also"))
        object.__setattr__(self, "action", _action(self.action, where))
        object.__setattr__(self, "code", self.code or self.attribute.lower())
        if not _CODE.fullmatch(self.code):
            raise PolicyError(f"{where}: reason code {self.code!r} must be lower_snake_case")


@dataclass(frozen=True)
class SignalRules:
    """What each non-score signal asks for; None turns a signal off (written ``"off"`` in TOML).

    ``correction`` is normally ``approve``: the reason is recorded and routed to the editors without holding the
    comment. ``off_topic`` is a weak bag-of-words signal, so it may ask for review but never for rejection.

    ``hold_with_original``: a near-duplicate of a comment still waiting for a moderator waits with it, even where its
    own scores would remove it. A model's scores for two near-identical texts can fall either side of a threshold
    (one letter apart on the reference page), and a moderator should decide the copies together; the repost stays
    unpublished either way. Only score rules are held back: banned terms and author history still reject.
    """

    duplicate: Action | None = Action.REVIEW
    hold_with_original: bool = True
    brigade: Action | None = Action.REVIEW
    correction: Action | None = Action.APPROVE
    unsupported_language: Action | None = Action.REVIEW
    off_topic: Action | None = Action.REVIEW
    off_topic_threshold: float = 0.95

    def __post_init__(self) -> None:
        for name in ("duplicate", "brigade", "correction", "unsupported_language", "off_topic"):
            object.__setattr__(self, name, _action(getattr(self, name), f"signals.{name}", allow_off=True))
        if not isinstance(self.hold_with_original, bool):
            raise PolicyError(f"signals.hold_with_original: expected true or false, got {self.hold_with_original!r}")
        object.__setattr__(
            self, "off_topic_threshold", _threshold(self.off_topic_threshold, "signals.off_topic_threshold")
        )
        if self.off_topic is Action.REJECT:
            raise PolicyError("signals.off_topic: a weak signal may ask for review at most, not reject")


@dataclass(frozen=True)
class TermLists:
    """Words and phrases matched on normalised text as whole words: banned → reject, suspect → review.

    Terms are normalised like comments, so one entry covers its obfuscations ("b1tch", "k i l l", "kiiill", "b*tch").
    """

    banned: tuple[str, ...] = ()
    suspect: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("banned", "suspect"):
            terms = getattr(self, name)
            if isinstance(terms, str) or not all(isinstance(t, str) for t in terms):
                raise PolicyError(f"terms.{name}: expected a list of strings")
            for term in terms:
                if not _fold(normalize(term)).strip():
                    raise PolicyError(f"terms.{name}: empty term {term!r}")
            object.__setattr__(self, name, tuple(terms))

    @cached_property
    def patterns(self) -> tuple[tuple[str, Action, WholeWords], ...]:
        """(term, action, compiled pattern) for every term; compiled once per policy object."""
        out = [(t, Action.REJECT, _term_pattern(t)) for t in self.banned]
        out += [(t, Action.REVIEW, _term_pattern(t)) for t in self.suspect]
        return tuple(out)


@dataclass(frozen=True)
class HistoryRules:
    """Rules on the author's record; all off by default because many sites have no accounts."""

    first_comment: Action | None = None
    repeat_offender: Action | None = None
    repeat_offender_share: float = 0.5
    repeat_offender_min_comments: int = 5

    def __post_init__(self) -> None:
        object.__setattr__(self, "first_comment", _action(self.first_comment, "history.first_comment", allow_off=True))
        object.__setattr__(
            self, "repeat_offender", _action(self.repeat_offender, "history.repeat_offender", allow_off=True)
        )
        object.__setattr__(
            self, "repeat_offender_share", _threshold(self.repeat_offender_share, "history.repeat_offender_share")
        )
        minimum = self.repeat_offender_min_comments
        if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
            raise PolicyError(f"history.repeat_offender_min_comments: expected a positive integer, got {minimum!r}")


@dataclass(frozen=True)
class Policy:
    """Every rule a site moderates by. Build it with ``from_toml``/``from_dict``; it validates itself."""

    name: str = "custom"
    description: str = ""
    rules: tuple[AttributeRule, ...] = ()
    signals: SignalRules = field(default_factory=SignalRules)
    terms: TermLists = field(default_factory=TermLists)
    history: HistoryRules = field(default_factory=HistoryRules)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", tuple(self.rules))
        seen: set[tuple[str, Action]] = set()
        for rule in self.rules:
            if (rule.attribute, rule.action) in seen:
                raise PolicyError(f"rule {rule.attribute}: two rules for action {rule.action.value!r}")
            seen.add((rule.attribute, rule.action))

    @property
    def attributes(self) -> tuple[str, ...]:
        """The attributes the rules read, in rule order: what the scorer must be asked for."""
        return tuple(dict.fromkeys(a for rule in self.rules for a in (rule.attribute, *(c for c, _ in rule.also))))

    def threshold(self, attribute: str, action: Action) -> float | None:
        for rule in self.rules:
            if rule.attribute == attribute and rule.action is action:
                return rule.threshold
        return None

    def with_thresholds(self, thresholds: Mapping[str, Mapping[Action, float | None]]) -> Policy:
        """A copy whose (attribute, action) rules use these thresholds; None removes a rule, new pairs are added."""
        rules = list(self.rules)
        for attribute, by_action in thresholds.items():
            for action, value in by_action.items():
                index = next((i for i, r in enumerate(rules) if r.attribute == attribute and r.action is action), None)
                if value is None:
                    if index is not None:
                        del rules[index]
                elif index is None:
                    rules.append(AttributeRule(attribute, value, action, code=_default_code(attribute, action)))
                else:
                    rules[index] = replace(rules[index], threshold=value)
        return replace(self, rules=tuple(rules))

    # --- serialisation ---------------------------------------------------------------------------------------------

    @classmethod
    def from_toml(cls, text: str) -> Policy:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise PolicyError(f"policy is not valid TOML: {error}") from error
        return cls.from_dict(data)

    def to_toml(self) -> str:
        return _to_toml(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        if not isinstance(data, Mapping):
            raise PolicyError("policy: expected a table")
        _no_unknown(data, {"name", "description", "rules", "signals", "terms", "history"}, "policy")
        rules_data = data.get("rules", [])
        if not isinstance(rules_data, list):
            raise PolicyError("rules: expected a list of tables")
        rules = []
        for index, item in enumerate(rules_data):
            where = f"rules[{index}]"
            if not isinstance(item, Mapping):
                raise PolicyError(f"{where}: expected a table")
            _no_unknown(item, {"attribute", "threshold", "action", "code", "note", "also"}, where)
            for key in ("attribute", "threshold", "action"):
                if key not in item:
                    raise PolicyError(f"{where}: missing {key!r}")
            try:
                rules.append(
                    AttributeRule(
                        attribute=_string(item["attribute"], f"{where}.attribute"),
                        threshold=item["threshold"],
                        action=item["action"],
                        code=_string(item.get("code", ""), f"{where}.code"),
                        note=_string(item.get("note", ""), f"{where}.note"),
                        also=item.get("also", {}),
                    )
                )
            except PolicyError as error:
                raise PolicyError(f"{where}: {error}") from error
        signals = _section(data, "signals", SignalRules, set(SignalRules.__dataclass_fields__))
        terms = _section(data, "terms", TermLists, {"banned", "suspect"})
        history = _section(data, "history", HistoryRules, set(HistoryRules.__dataclass_fields__))
        return cls(
            name=_string(data.get("name", "custom"), "name"),
            description=_string(data.get("description", ""), "description"),
            rules=tuple(rules),
            signals=signals,
            terms=terms,
            history=history,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON/TOML-ready values; disabled actions are written ``"off"``."""

        def action(value: Action | None) -> str:
            return value.value if value is not None else _OFF

        s, h = self.signals, self.history
        return {
            "name": self.name,
            "description": self.description,
            "signals": {
                "duplicate": action(s.duplicate),
                "hold_with_original": s.hold_with_original,
                "brigade": action(s.brigade),
                "correction": action(s.correction),
                "unsupported_language": action(s.unsupported_language),
                "off_topic": action(s.off_topic),
                "off_topic_threshold": s.off_topic_threshold,
            },
            "terms": {"banned": list(self.terms.banned), "suspect": list(self.terms.suspect)},
            "history": {
                "first_comment": action(h.first_comment),
                "repeat_offender": action(h.repeat_offender),
                "repeat_offender_share": h.repeat_offender_share,
                "repeat_offender_min_comments": h.repeat_offender_min_comments,
            },
            "rules": [
                {"attribute": r.attribute, "threshold": r.threshold}
                | ({"also": dict(r.also)} if r.also else {})
                | {"action": r.action.value, "code": r.code}
                | ({"note": r.note} if r.note else {})
                for r in self.rules
            ],
        }


def _default_code(attribute: str, action: Action) -> str:
    return attribute.lower() if action is Action.REJECT else f"{attribute.lower()}_{action.value}"


def _string(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise PolicyError(f"{where}: expected a string, got {value!r}")
    return value


def _no_unknown(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        names = ", ".join(map(repr, unknown))
        raise PolicyError(f"{where}: unknown key(s) {names} (allowed: {', '.join(sorted(allowed))})")


def _section(data: Mapping[str, Any], name: str, kind: type[Any], allowed: set[str]) -> Any:
    section = data.get(name, {})
    if not isinstance(section, Mapping):
        raise PolicyError(f"{name}: expected a table")
    _no_unknown(section, allowed, name)
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in section.items()}
    try:
        return kind(**values)
    except PolicyError as error:
        message = str(error)
        raise PolicyError(message if message.startswith(f"{name}.") else f"{name}: {message}") from error


# --- decide --------------------------------------------------------------------------------------------------------


def decide(
    scores: Mapping[str, AttributeScore],
    signals: Signals,
    policy: Policy,
    text: str,
    history: AuthorHistory | None = None,
) -> Decision:
    """The policy's verdict: the most severe action any rule asks for (reject > review > approve), with every reason.

    A rule whose attribute is missing from ``scores`` does not fire; ask the scorer for ``policy.attributes``. The
    one exception to "most severe wins" is ``signals.hold_with_original``: a repost of a comment that waits for a
    moderator is held with it, and its score rules' reject reasons stay on record for the moderator.
    """
    scored = _attribute_reasons(scores, policy)
    others = [*_signal_reasons(signals, policy.signals), *_term_reasons(text, policy.terms)]
    others += _history_reasons(history, policy.history)
    reasons = sorted([*scored, *others], key=_reason_order)
    if signals.duplicate_of is not None and signals.duplicate_pending and policy.signals.hold_with_original:
        held = Reason("held_with_original", detail=signals.duplicate_of, action=Action.REVIEW)
        action = max((r.action for r in [*others, held]), key=lambda a: a.severity)
        if any(r.action.severity > action.severity for r in scored):
            reasons.append(held)
            return Decision(action, tuple(sorted(reasons, key=_reason_order)))
    action = max((r.action for r in reasons), key=lambda a: a.severity, default=Action.APPROVE)
    return Decision(action, tuple(reasons))


def _reason_order(reason: Reason) -> tuple[Any, ...]:
    return (-reason.action.severity, reason.score is None, -(reason.score or 0.0), reason.code, reason.attribute or "")


def _attribute_reasons(scores: Mapping[str, AttributeScore], policy: Policy) -> list[Reason]:
    """A rule fires on the comment's score or on any of its spans: a long comment is judged by its worst sentence or
    clause too, since a threat in one clause is a threat however calm the rest. The reason points at the spans at or
    above the threshold (the widest ones; a clause inside a sentence that already counts is not repeated); failing
    any, at the single strongest span."""
    out = []
    for rule in policy.rules:
        score = scores.get(rule.attribute)
        if score is None:
            continue
        worst = _worst(score)
        if worst < rule.threshold or not all(
            attribute in scores and _worst(scores[attribute]) >= threshold for attribute, threshold in rule.also
        ):
            continue
        over = sorted((span for span in score.spans if span.score >= rule.threshold), key=lambda s: (s.begin, -s.end))
        spans: list[SpanScore] = []
        for span in over:
            if not any(kept.begin <= span.begin and span.end <= kept.end for kept in spans):
                spans.append(span)
        if not spans and score.spans:
            spans = [max(score.spans, key=lambda span: span.score)]
        detail = " and ".join(f"{a} {_worst(scores[a]):.2f} ≥ {t:.2f}" for a, t in rule.also) or None
        out.append(Reason(rule.code, rule.attribute, worst, tuple(spans), detail, rule.action, rule.threshold))
    return out


def _worst(score: AttributeScore) -> float:
    return max([score.value, *(span.score for span in score.spans)])


def _signal_reasons(signals: Signals, rules: SignalRules) -> list[Reason]:
    out = []
    if signals.duplicate_of is not None and rules.duplicate is not None:
        out.append(Reason("duplicate", detail=signals.duplicate_of, action=rules.duplicate))
    if signals.brigade and rules.brigade is not None:
        detail = f"{signals.brigade_size} near-identical comments"
        out.append(Reason("brigade", detail=detail, action=rules.brigade))
    if signals.correction is not None and rules.correction is not None:
        c = signals.correction
        span = SpanScore(c.comment_begin, c.comment_end, 1.0)
        detail = f"{c.wrong} → {c.proposed}"
        out.append(Reason("reader_correction", spans=(span,), detail=detail, action=rules.correction))
    if signals.unsupported_language and rules.unsupported_language is not None:
        out.append(Reason("unsupported_language", action=rules.unsupported_language))
    if (
        signals.off_topic is not None
        and rules.off_topic is not None
        and signals.off_topic >= rules.off_topic_threshold
    ):
        out.append(
            Reason("off_topic", score=signals.off_topic, action=rules.off_topic, threshold=rules.off_topic_threshold)
        )
    return out


def _fold(text: str) -> str:
    return text.casefold()


def _term_pattern(term: str) -> WholeWords:
    """Whole-word pattern for a normalised term; each letter may appear twice (normalisation keeps two repeats)."""
    words = _fold(normalize(term)).split()
    parts = ["".join(escape(ch) + ("{1,2}" if ch.isalnum() else "") for ch in word) for word in words]
    return WholeWords(f"[^{WORD}]+".join(parts))


def _term_reasons(text: str, terms: TermLists) -> list[Reason]:
    if not terms.patterns or not text:
        return []
    normalized = normalize_with_offsets(text)
    folded, index = [], []
    for position, ch in enumerate(normalized.text):
        for part in _fold(ch):
            folded.append(part)
            index.append(position)
    haystack = "".join(folded)
    out = []
    for term, action, pattern in terms.patterns:
        spans = []
        for start, stop in pattern.finditer(haystack):
            begin, end = normalized.original_span(index[start], index[stop - 1] + 1)
            spans.append(SpanScore(begin, end, 1.0))
        if spans:
            code = "banned_term" if action is Action.REJECT else "suspect_term"
            out.append(Reason(code, spans=tuple(spans), detail=term, action=action))
    return out


def _history_reasons(history: AuthorHistory | None, rules: HistoryRules) -> list[Reason]:
    if history is None:
        return []
    out = []
    if rules.first_comment is not None and history.total == 0:
        out.append(Reason("first_comment", action=rules.first_comment))
    if (
        rules.repeat_offender is not None
        and history.total >= rules.repeat_offender_min_comments
        and history.rejected / history.total >= rules.repeat_offender_share
    ):
        share = history.rejected / history.total
        out.append(
            Reason(
                "repeat_offender",
                score=share,
                detail=f"{history.rejected} of {history.total} earlier comments rejected",
                action=rules.repeat_offender,
                threshold=rules.repeat_offender_share,
            )
        )
    return out


# --- TOML ----------------------------------------------------------------------------------------------------------

_HEADER = """\
# Civility moderation policy.
#
# A comment gets the most severe action any rule asks for: reject > review > approve. Every rule that fires is
# recorded as a reason, so moderators and editors see why. Scores are calibrated probabilities in [0, 1]; a rule
# fires when score >= threshold. Actions: "approve", "review", "reject"; "off" disables a signal or history rule.
# "approve" on a signal records the reason without holding the comment (a reader correction goes to the editors).
# Terms are matched on normalised text as whole words, so one entry also catches "b1tch", "k i l l", "kiiill", "b*tch".
"""


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {_value(v)}" for key, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def _to_toml(policy: Policy) -> str:
    data = policy.to_dict()
    lines = [_HEADER, f"name = {_value(data['name'])}", f"description = {_value(data['description'])}"]
    for section in ("signals", "terms", "history"):
        lines += ["", f"[{section}]"]
        lines += [f"{key} = {_value(value)}" for key, value in data[section].items()]
    for rule in data["rules"]:
        lines += ["", "[[rules]]"]
        lines += [f"{key} = {_value(value)}" for key, value in rule.items()]
    return "\n".join(lines) + "\n"


# --- the default ---------------------------------------------------------------------------------------------------


def _default_rules() -> Sequence[AttributeRule]:
    reject, review = Action.REJECT, Action.REVIEW
    return (
        AttributeRule("SEVERE_TOXICITY", 0.8, reject, "severe_toxicity",
                      "Hate and vile abuse; at 0.8 raters almost always agree, so removing without a human is safe."),
        AttributeRule("THREAT", 0.5, reject, "threat",
                      "Calls for violence are removed when the model finds a threat and the comment is clearly toxic: "
                      "THREAT's calibrated scale is compressed (threats are rare in training data), so 0.5 is already "
                      "confident, and the TOXICITY condition keeps war reporting and quoted threats for a human.",
                      also=(("TOXICITY", 0.9),)),
        AttributeRule("IDENTITY_ATTACK", 0.8, reject, "identity_attack",
                      "Attacks on people for who they are (nationality, religion, ethnicity) when unambiguous: the "
                      "comment must also be clearly toxic, since naming a people alone raises IDENTITY_ATTACK.",
                      also=(("TOXICITY", 0.9),)),
        AttributeRule("TOXICITY", 0.9, reject, "toxicity",
                      "Only near-certain general toxicity is removed automatically: wrongful removal silences a "
                      "reader with nobody looking, so automatic rejection needs high precision."),
        AttributeRule("THREAT", 0.4, review, "threat_review",
                      "Threats are the costliest miss, so a human sees anything plausibly threatening."),
        AttributeRule("IDENTITY_ATTACK", 0.5, review, "identity_attack_review",
                      "More likely than not an identity attack: worth a moderator's look."),
        AttributeRule("TOXICITY", 0.5, review, "toxicity_review",
                      "More likely than not toxic to a typical rater; review is cheap next to a toxic comment "
                      "staying up."),
        AttributeRule("INSULT", 0.6, review, "insult_review",
                      "Insults of other commenters or named people; news debate is heated, so a little above even."),
        AttributeRule("PROFANITY", 0.7, review, "profanity_review",
                      "Many newsrooms tolerate mild swearing; only clear profanity is held."),
    )


DEFAULT_POLICY = Policy(
    name="default",
    description=(
        "A starting policy for a news site: reject only what the model is confident about (severe toxicity, "
        "threats, identity attacks), send the uncertain middle to moderators, let harsh but civil criticism "
        "through. Tune the thresholds with site_calibration once moderators have decided a few hundred comments."
    ),
    rules=tuple(_default_rules()),
    signals=SignalRules(),
    terms=TermLists(),
    history=HistoryRules(),
)
"""The policy a newsroom can ship on day one; the same values are in ``examples/policies/default.toml``.

Why these numbers: scores are calibrated probabilities that a rater would apply the label. Automatic rejection
removes a reader's words with nobody looking, so it needs high precision (0.7–0.9). Review costs a moderator's
minute, so its thresholds sit near 0.5 for the attributes whose misses hurt most (threat lower, at 0.4). Duplicates,
brigades and unsupported languages go to review; reader corrections are approved and routed to the editors; the
off-topic signal is weak and only flags near-total vocabulary mismatch (0.95). Term lists start empty: which words a
site bans is a newsroom's decision, not ours. Author-history rules are off because many sites have no accounts.
"""
