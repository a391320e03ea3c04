"""Policy as data (TOML round trip, validation) and decide() as a pure function: precedence, reasons, spans, terms."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from civility.moderation.corrections import find_correction
from civility.moderation.policy import (
    DEFAULT_POLICY,
    AttributeRule,
    HistoryRules,
    Policy,
    PolicyError,
    SignalRules,
    TermLists,
    decide,
)
from civility.moderation.types import Action, AuthorHistory, Correction, Signals
from civility.scoring.types import AttributeScore, SpanScore

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "policies" / "default.toml"
NOTHING = Signals()


def score(attribute: str, value: float, *spans: tuple[int, int, float]) -> AttributeScore:
    return AttributeScore(attribute, value, "test@1", tuple(SpanScore(b, e, s) for b, e, s in spans))


def scores(**values: float) -> dict[str, AttributeScore]:
    return {name: score(name, value) for name, value in values.items()}


# --- serialisation -------------------------------------------------------------------------------------------------


def test_default_policy_round_trips_through_toml_and_dict() -> None:
    assert Policy.from_toml(DEFAULT_POLICY.to_toml()) == DEFAULT_POLICY
    assert Policy.from_dict(DEFAULT_POLICY.to_dict()) == DEFAULT_POLICY


def test_example_file_is_the_default_policy_verbatim() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert Policy.from_toml(text) == DEFAULT_POLICY
    assert text == DEFAULT_POLICY.to_toml(), "regenerate examples/policies/default.toml from DEFAULT_POLICY.to_toml()"


def test_a_custom_policy_with_everything_set_round_trips() -> None:
    policy = Policy(
        name="strict \"site\"",
        description="line one\nline two — ünïcode",
        rules=(AttributeRule("THREAT", 0.25, Action.REJECT, "threat", "zero tolerance"),),
        signals=SignalRules(duplicate=Action.REJECT, brigade=None, off_topic=None, off_topic_threshold=0.8),
        terms=TermLists(banned=("kill", "go back to"), suspect=("idiot",)),
        history=HistoryRules(first_comment=Action.REVIEW, repeat_offender=Action.REJECT, repeat_offender_share=0.3),
    )
    text = policy.to_toml()
    assert 'brigade = "off"' in text
    assert Policy.from_toml(text) == policy
    assert Policy.from_dict(policy.to_dict()) == policy


def test_missing_sections_take_defaults_and_rule_codes_default_to_the_attribute() -> None:
    policy = Policy.from_toml('[[rules]]\nattribute = "INSULT"\nthreshold = 1\naction = "REVIEW"\n')
    assert policy.rules == (AttributeRule("INSULT", 1.0, Action.REVIEW, "insult"),)
    assert policy.signals == SignalRules() and policy.terms == TermLists() and policy.history == HistoryRules()


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[[rules]]\nattribute = "RUDENESS"\nthreshold = 0.5\naction = "review"', "unknown attribute 'RUDENESS'"),
        ('[[rules]]\nattribute = "THREAT"\nthreshold = 1.5\naction = "review"', "rules[0]: rule THREAT: threshold 1.5"),
        ('[[rules]]\nattribute = "THREAT"\nthreshold = -0.1\naction = "review"', "outside [0, 1]"),
        ('[[rules]]\nattribute = "THREAT"\nthreshold = "high"\naction = "review"', "must be a number"),
        ('[[rules]]\nattribute = "THREAT"\nthreshold = true\naction = "review"', "must be a number"),
        ('[[rules]]\nattribute = "THREAT"\nthreshold = 0.5\naction = "delete"', "unknown action 'delete'"),
        ('[[rules]]\nattribute = "THREAT"\ntreshold = 0.5\naction = "review"', "unknown key(s) 'treshold'"),
        ('[[rules]]\nattribute = "THREAT"\naction = "review"', "missing 'threshold'"),
        ('[[rules]]\nattribute = "THREAT"\nthreshold = 0.5\naction = "review"\ncode = "Bad Code"', "lower_snake_case"),
        (
            '[[rules]]\nattribute = "THREAT"\nthreshold = 0.5\naction = "review"\n'
            '[[rules]]\nattribute = "THREAT"\nthreshold = 0.6\naction = "review"',
            "two rules for action 'review'",
        ),
        ('[signals]\nduplicate = "ban"', "signals.duplicate: unknown action 'ban'"),
        ('[signals]\noff_topic = "reject"', "review at most"),
        ('[signals]\noff_topic_threshold = 2', "signals.off_topic_threshold"),
        ('[signals]\ncorrections = "approve"', "signals: unknown key(s) 'corrections'"),
        ('[terms]\nbanned = "kill"', "terms.banned: expected a list"),
        ('[terms]\nbanned = ["  "]', "empty term"),
        ('[history]\nrepeat_offender_min_comments = 0', "positive integer"),
        ("colour = 'red'", "policy: unknown key(s) 'colour'"),
        ("rules = [", "not valid TOML"),
    ],
)
def test_invalid_policies_are_refused_with_a_message_that_says_where(toml: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        Policy.from_toml(toml)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_rules_built_in_code_are_validated_too() -> None:
    with pytest.raises(PolicyError, match="unknown attribute"):
        AttributeRule("toxicity", 0.5, Action.REVIEW)
    with pytest.raises(PolicyError, match="unknown action"):
        AttributeRule("TOXICITY", 0.5, "maybe")  # type: ignore[arg-type]


def test_with_thresholds_replaces_adds_and_removes_rules() -> None:
    changed = DEFAULT_POLICY.with_thresholds(
        {"TOXICITY": {Action.REVIEW: 0.42, Action.REJECT: None}, "SPAM": {Action.REVIEW: 0.9}}
    )
    assert changed.threshold("TOXICITY", Action.REVIEW) == 0.42
    assert changed.threshold("TOXICITY", Action.REJECT) is None
    assert changed.threshold("SPAM", Action.REVIEW) == 0.9
    assert changed.threshold("THREAT", Action.REJECT) == DEFAULT_POLICY.threshold("THREAT", Action.REJECT)
    assert DEFAULT_POLICY.threshold("TOXICITY", Action.REJECT) is not None  # the original is untouched


def test_default_policy_orders_reject_above_review_for_every_attribute() -> None:
    for attribute in DEFAULT_POLICY.attributes:
        reject = DEFAULT_POLICY.threshold(attribute, Action.REJECT)
        review = DEFAULT_POLICY.threshold(attribute, Action.REVIEW)
        if reject is not None and review is not None:
            assert review < reject, attribute
    assert all(rule.note for rule in DEFAULT_POLICY.rules), "every default threshold says why"


# --- decide: precedence and reasons --------------------------------------------------------------------------------


def test_nothing_fires_means_approve_without_reasons() -> None:
    decision = decide(scores(TOXICITY=0.1, THREAT=0.05), NOTHING, DEFAULT_POLICY, "A fair point.", None)
    assert decision.action is Action.APPROVE
    assert decision.reasons == ()


def test_reject_beats_review_and_every_fired_rule_is_listed_most_severe_first() -> None:
    decision = decide(
        scores(TOXICITY=0.95, THREAT=0.75, INSULT=0.65, PROFANITY=0.1),
        Signals(duplicate_of="c1"),
        DEFAULT_POLICY,
        "text",
        None,
    )
    assert decision.action is Action.REJECT
    assert decision.codes == (
        "toxicity",
        "threat",
        "toxicity_review",
        "threat_review",
        "insult_review",
        "duplicate",
    )
    severities = [reason.action.severity for reason in decision.reasons]
    assert severities == sorted(severities, reverse=True)
    first = decision.reasons[0]
    assert (first.attribute, first.score, first.threshold, first.action) == ("TOXICITY", 0.95, 0.9, Action.REJECT)


def test_review_beats_approve() -> None:
    decision = decide(scores(TOXICITY=0.55), Signals(correction=_correction()), DEFAULT_POLICY, "x", None)
    assert decision.action is Action.REVIEW
    assert decision.codes == ("toxicity_review", "reader_correction")


def test_thresholds_are_inclusive_and_missing_attributes_do_not_fire() -> None:
    assert decide(scores(TOXICITY=0.5), NOTHING, DEFAULT_POLICY, "x", None).action is Action.REVIEW
    assert decide(scores(TOXICITY=0.4999), NOTHING, DEFAULT_POLICY, "x", None).action is Action.APPROVE
    assert decide({}, NOTHING, DEFAULT_POLICY, "x", None).action is Action.APPROVE


THREATS = Policy(
    rules=(AttributeRule("THREAT", 0.7, Action.REJECT, "threat"), AttributeRule("THREAT", 0.4, Action.REVIEW, "threat_review"))
)


def test_attribute_reasons_point_at_the_sentences_above_the_threshold() -> None:
    text = "Nice weather. I will hurt you. Bye."
    threat = score("THREAT", 0.8, (0, 13, 0.02), (14, 30, 0.91), (31, 35, 0.01))
    decision = decide({"THREAT": threat}, NOTHING, THREATS, text, None)
    assert decision.action is Action.REJECT
    reject, review = decision.reasons
    assert [text[s.begin : s.end] for s in reject.spans] == ["I will hurt you."]
    assert [text[s.begin : s.end] for s in review.spans] == ["I will hurt you."]


def test_without_a_span_over_the_threshold_the_strongest_span_is_pointed_out() -> None:
    threat = score("THREAT", 0.75, (0, 10, 0.3), (11, 20, 0.6))
    (reject, review) = decide({"THREAT": threat}, NOTHING, THREATS, "x" * 20, None).reasons
    assert reject.code == "threat" and reject.spans == (SpanScore(11, 20, 0.6),)
    assert review.code == "threat_review" and review.spans == (SpanScore(11, 20, 0.6),)


def test_a_rule_with_also_needs_every_condition() -> None:
    text = "Nice weather. They should all be shot. Bye."
    threat = score("THREAT", 0.3, (0, 13, 0.0), (14, 38, 0.6), (39, 43, 0.0))
    # The default policy removes a threat only when the comment is clearly toxic too (a span may carry either).
    calm = decide({"THREAT": threat, **scores(TOXICITY=0.85)}, NOTHING, DEFAULT_POLICY, text, None)
    assert calm.action is Action.REVIEW and "threat" not in [r.code for r in calm.reasons]
    toxic = {"THREAT": threat, "TOXICITY": score("TOXICITY", 0.7, (14, 38, 0.95))}
    decision = decide(toxic, NOTHING, DEFAULT_POLICY, text, None)
    assert decision.action is Action.REJECT
    rejected = next(r for r in decision.reasons if r.code == "threat")
    assert [text[s.begin : s.end] for s in rejected.spans] == ["They should all be shot."]
    assert rejected.detail == "TOXICITY 0.95 ≥ 0.90"  # moderators see the corroborating score too
    # A condition on an attribute that was not scored does not hold.
    assert decide({"THREAT": threat}, NOTHING, DEFAULT_POLICY, text, None).action is Action.REVIEW
    assert set(DEFAULT_POLICY.attributes) >= {"THREAT", "TOXICITY", "IDENTITY_ATTACK"}


def test_also_round_trips_and_is_validated() -> None:
    policy = Policy.from_toml(
        '[[rules]]\nattribute = "INSULT"\nthreshold = 0.9\nalso = { TOXICITY = 0.8, PROFANITY = 0.5 }\naction = "reject"\n'
    )
    assert policy.rules[0].also == (("PROFANITY", 0.5), ("TOXICITY", 0.8))
    assert Policy.from_toml(policy.to_toml()) == policy
    assert Policy.from_dict(policy.to_dict()) == policy
    with pytest.raises(PolicyError, match=r"rules\[0\].*also.*NOPE"):
        Policy.from_dict({"rules": [{"attribute": "INSULT", "threshold": 0.5, "action": "review", "also": {"NOPE": 0.5}}]})
    with pytest.raises(PolicyError, match="outside"):
        Policy.from_dict({"rules": [{"attribute": "INSULT", "threshold": 0.5, "action": "review", "also": {"TOXICITY": 2}}]})
    with pytest.raises(PolicyError, match="table of attribute"):
        Policy.from_dict({"rules": [{"attribute": "INSULT", "threshold": 0.5, "action": "review", "also": "TOXICITY"}]})


# --- decide: signals -----------------------------------------------------------------------------------------------


def _correction() -> Correction:
    return Correction("François Macron", "Emmanuel Macron", "… Francois Macron …", 10, 25, 23, 59, 0, 40)


def test_a_correction_is_approved_and_routed_to_the_editors() -> None:
    decision = decide(scores(TOXICITY=0.05), Signals(correction=_correction()), DEFAULT_POLICY, "x" * 60, None)
    assert decision.action is Action.APPROVE
    assert decision.codes == ("reader_correction",)
    assert decision.correction_for_editors
    (reason,) = decision.reasons
    assert reason.detail == "François Macron → Emmanuel Macron"
    assert reason.spans == (SpanScore(23, 59, 1.0),)


def test_a_toxic_correction_is_rejected_and_not_routed() -> None:
    decision = decide(scores(SEVERE_TOXICITY=0.9), Signals(correction=_correction()), DEFAULT_POLICY, "x", None)
    assert decision.action is Action.REJECT
    assert "reader_correction" in decision.codes
    assert not decision.correction_for_editors


@pytest.mark.parametrize(
    ("signals", "code"),
    [
        (Signals(duplicate_of="c1"), "duplicate"),
        (Signals(brigade=True, brigade_size=4), "brigade"),
        (Signals(unsupported_language=True), "unsupported_language"),
        (Signals(off_topic=0.97), "off_topic"),
    ],
)
def test_each_signal_sends_to_review_by_default_and_can_be_turned_off(signals: Signals, code: str) -> None:
    decision = decide({}, signals, DEFAULT_POLICY, "x", None)
    assert (decision.action, decision.codes) == (Action.REVIEW, (code,))
    off = Policy(
        signals=SignalRules(duplicate=None, brigade=None, unsupported_language=None, off_topic=None, correction=None)
    )
    assert decide({}, signals, off, "x", None) == decide({}, NOTHING, off, "x", None)


def test_off_topic_below_threshold_and_a_rejecting_duplicate_rule() -> None:
    assert decide({}, Signals(off_topic=0.9), DEFAULT_POLICY, "x", None).action is Action.APPROVE
    strict = Policy(signals=SignalRules(duplicate=Action.REJECT))
    decision = decide({}, Signals(duplicate_of="c7"), strict, "x", None)
    assert decision.action is Action.REJECT
    assert decision.reasons[0].detail == "c7"
    assert decide({}, Signals(brigade=True, brigade_size=5), DEFAULT_POLICY, "x", None).reasons[0].detail.startswith(
        "5 "
    )


def test_a_repost_of_a_comment_waiting_for_review_waits_with_it_and_keeps_its_reject_reasons() -> None:
    toxic = scores(TOXICITY=0.95, IDENTITY_ATTACK=0.99)
    alone = decide(toxic, Signals(duplicate_of="c1"), DEFAULT_POLICY, "x", None)  # the original was decided already
    assert alone.action is Action.REJECT and "held_with_original" not in alone.codes
    held = decide(toxic, Signals(duplicate_of="c1", duplicate_pending=True), DEFAULT_POLICY, "x", None)
    assert held.action is Action.REVIEW
    assert {"toxicity", "identity_attack", "duplicate", "held_with_original"} <= set(held.codes)
    assert [r.detail for r in held.reasons if r.code == "held_with_original"] == ["c1"]
    assert held.reasons[0].action is Action.REJECT  # the moderator still sees, first, what the model would have done
    off = replace(DEFAULT_POLICY, signals=SignalRules(hold_with_original=False))
    assert decide(toxic, Signals(duplicate_of="c1", duplicate_pending=True), off, "x", None).action is Action.REJECT


def test_holding_a_repost_never_lowers_review_or_overrides_banned_terms_history_or_signals() -> None:
    pending = Signals(duplicate_of="c1", duplicate_pending=True)
    assert decide(scores(TOXICITY=0.1), pending, DEFAULT_POLICY, "x", None).codes == ("duplicate",)
    toxic = scores(TOXICITY=0.95)
    assert decide(toxic, pending, DEFAULT_POLICY, "x", None).action is Action.REVIEW
    banned = replace(DEFAULT_POLICY, terms=TermLists(banned=("kill",)))
    assert decide(toxic, pending, banned, "I will kill", None).action is Action.REJECT
    strict = replace(DEFAULT_POLICY, signals=SignalRules(duplicate=Action.REJECT))
    assert decide(toxic, pending, strict, "x", None).action is Action.REJECT
    offenders = replace(DEFAULT_POLICY, history=HistoryRules(repeat_offender=Action.REJECT))
    assert decide(toxic, pending, offenders, "x", AuthorHistory(0, 9, 10)).action is Action.REJECT


def test_hold_with_original_round_trips_and_is_validated() -> None:
    policy = Policy(signals=SignalRules(hold_with_original=False))
    assert Policy.from_toml(policy.to_toml()) == policy
    with pytest.raises(PolicyError, match="signals.hold_with_original: expected true or false"):
        Policy.from_toml('[signals]\nhold_with_original = "yes"')


# --- decide: term lists --------------------------------------------------------------------------------------------

TERMS = Policy(terms=TermLists(banned=("kill", "b1tch", "go back home"), suspect=("idiot",)))


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("I will kill you", "kill"),
        ("I will KILL you", "KILL"),
        ("I will k i l l you", "k i l l"),
        ("I will k.i.l.l you", "k.i.l.l"),
        ("I will kiiiiill you", "kiiiiill"),
        ("you b1tch!", "b1tch"),
        ("you bitch", "bitch"),
        ("you b!tch", "b!tch"),
        ("you ｂｉｔｃｈ", "ｂｉｔｃｈ"),
        ("you b\u200bitch", "b\u200bitch"),
        ("you b*tch", "b*tch"),  # a masked word, read against the training splits' toxic words
        ("I will k*ll you", "k*ll"),
        ("you bіtch", "bіtch"),  # Cyrillic і
        ("Go  back\nhome, all of you", "Go  back\nhome"),
    ],
)
def test_banned_terms_match_obfuscations_and_point_at_the_original_text(text: str, matched: str) -> None:
    decision = decide({}, NOTHING, TERMS, text, None)
    assert decision.action is Action.REJECT
    (reason,) = decision.reasons
    assert reason.code == "banned_term"
    assert [text[s.begin : s.end] for s in reason.spans] == [matched]


@pytest.mark.parametrize("text", ["What a skill", "Killer whales are lovely", "the kiln is hot", "go back", ""])
def test_terms_match_whole_words_only(text: str) -> None:
    assert decide({}, NOTHING, TERMS, text, None).action is Action.APPROVE


def test_suspect_terms_review_and_each_occurrence_is_reported() -> None:
    text = "Idiot. Total idiot."
    decision = decide({}, NOTHING, TERMS, text, None)
    assert decision.action is Action.REVIEW
    (reason,) = decision.reasons
    assert (reason.code, reason.detail) == ("suspect_term", "idiot")
    assert [(s.begin, s.end) for s in reason.spans] == [(0, 5), (13, 18)]


# --- decide: author history ----------------------------------------------------------------------------------------


def test_history_rules_are_off_by_default() -> None:
    assert decide({}, NOTHING, DEFAULT_POLICY, "x", AuthorHistory(0, 0, 0)).reasons == ()


def test_first_comments_can_be_pre_moderated() -> None:
    policy = Policy(history=HistoryRules(first_comment=Action.REVIEW))
    assert decide({}, NOTHING, policy, "x", AuthorHistory(0, 0, 0)).codes == ("first_comment",)
    assert decide({}, NOTHING, policy, "x", AuthorHistory(3, 0, 3)).codes == ()
    assert decide({}, NOTHING, policy, "x", None).codes == ()


def test_repeat_offenders_need_enough_history() -> None:
    policy = Policy(history=HistoryRules(repeat_offender=Action.REVIEW, repeat_offender_share=0.5))
    decision = decide({}, NOTHING, policy, "x", AuthorHistory(2, 4, 6))
    assert decision.codes == ("repeat_offender",)
    assert decision.reasons[0].score == pytest.approx(4 / 6)
    assert decide({}, NOTHING, policy, "x", AuthorHistory(0, 3, 3)).codes == ()
    assert decide({}, NOTHING, policy, "x", AuthorHistory(5, 1, 6)).codes == ()


# --- the reference page ----------------------------------------------------------------------------------------------


def test_reference_correction_is_approved_and_brought_to_the_editors(seed_page) -> None:  # type: ignore[no-untyped-def]
    comment = seed_page.comments[2]
    signals = Signals(correction=find_correction(comment, seed_page.article))
    decision = decide(scores(TOXICITY=0.08, INSULT=0.03), signals, DEFAULT_POLICY, comment, None)
    assert decision.action is Action.APPROVE
    assert decision.correction_for_editors
    (span,) = decision.reasons[0].spans
    assert comment[span.begin : span.end] == "Emmanuel Macron, not François Macron"


def test_decide_is_pure(seed_page) -> None:  # type: ignore[no-untyped-def]
    comment = seed_page.comments[3]
    values = scores(THREAT=0.8, IDENTITY_ATTACK=0.85, TOXICITY=0.7)
    first = decide(values, NOTHING, TERMS, comment, None)
    assert first == decide(values, NOTHING, TERMS, comment, None)
    assert first.action is Action.REJECT
    assert "banned_term" in first.codes  # "to kill a people" in the second paragraph
