"""Per-site thresholds from moderator decisions: exact on a small table, sensible on synthetic data."""

from __future__ import annotations

import numpy as np
import pytest

from civility.moderation.policy import DEFAULT_POLICY, Policy
from civility.moderation.site_calibration import Example, fit_thresholds, policy_actions
from civility.moderation.types import Action

A, V, R = Action.APPROVE, Action.REVIEW, Action.REJECT


def table(rows: list[tuple[float, Action]]) -> list[Example]:
    return [({"TOXICITY": score}, action) for score, action in rows]


def test_thresholds_on_a_small_table_by_hand() -> None:
    examples = table([(0.95, R), (0.9, R), (0.85, R), (0.8, A), (0.7, R), (0.6, V), (0.5, A), (0.3, A), (0.1, A)])
    result = fit_thresholds(
        examples, ["TOXICITY"], {R: 0.75, V: 0.7}, current=Policy(), min_support=1, confidence_z=0.0
    )
    # reject: cut at 0.7 catches 4 rejects of 5 (0.8); at 0.6 it would be 4 of 6 (0.67) -> midpoint of 0.7 and 0.6
    # review (not approved): cut at 0.6 catches 5 of 6 (0.83); at 0.5 5 of 7 (0.71); at 0.3 5 of 8 (0.625)
    assert result.thresholds == {"TOXICITY": {R: 0.65, V: 0.4}}
    assert result.precision["TOXICITY"][R] == pytest.approx(0.8)
    assert result.precision["TOXICITY"][V] == pytest.approx(5 / 7)
    assert result.n == 9
    assert result.agreement_before == pytest.approx(4 / 9)  # the empty policy approves everything
    # after: 0.95 0.9 0.85 0.8 0.7 -> reject (4 right), 0.6 0.5 -> review (1 right), 0.3 0.1 -> approve (2 right)
    assert result.agreement_after == pytest.approx(7 / 9)
    assert result.held_agreement_before == pytest.approx(4 / 9)
    assert result.held_agreement_after == pytest.approx(7 / 9)  # 0.8 and 0.5 held but approved by moderators


def test_review_is_never_above_reject() -> None:
    examples = table([(0.9, R)] * 5 + [(0.5, R)] * 3 + [(0.4, A)] * 10)
    result = fit_thresholds(examples, ["TOXICITY"], {R: 0.6, V: 0.99}, min_support=1, confidence_z=0.0)
    assert result.thresholds["TOXICITY"][R] == pytest.approx(0.45)
    assert result.thresholds["TOXICITY"][V] <= result.thresholds["TOXICITY"][R]


def _synthetic(seed: int, n: int = 4000) -> list[Example]:
    """Moderators reject mostly comments the model finds toxic; THREAT carries no information here."""
    rng = np.random.default_rng(seed)
    out: list[Example] = []
    for _ in range(n):
        toxicity = float(rng.beta(0.7, 2.0))
        reject = rng.uniform() < 1 / (1 + np.exp(-(toxicity - 0.55) * 30))
        out.append(({"TOXICITY": toxicity, "THREAT": float(rng.uniform(0, 0.3))}, R if reject else A))
    return out


def test_synthetic_site_reaches_target_precision_and_improves_agreement() -> None:
    examples = _synthetic(0)
    badly_tuned = DEFAULT_POLICY.with_thresholds({"TOXICITY": {R: 0.3, V: 0.2}})
    result = fit_thresholds(examples, ["TOXICITY", "THREAT"], {R: 0.9, V: 0.5}, current=badly_tuned)
    reject_at = result.thresholds["TOXICITY"][R]
    assert 0.5 < reject_at < 0.75
    caught = [action for scores, action in examples if scores["TOXICITY"] >= reject_at]
    assert sum(a is R for a in caught) / len(caught) >= 0.9
    assert result.thresholds["TOXICITY"][V] <= reject_at
    assert ("THREAT", R) in result.unfitted and ("THREAT", V) in result.unfitted
    assert result.agreement_after > result.agreement_before + 0.1
    assert result.held_agreement_after > result.held_agreement_before
    tuned = result.apply(badly_tuned)
    assert tuned.threshold("TOXICITY", R) == reject_at
    assert tuned.threshold("THREAT", R) == badly_tuned.threshold("THREAT", R)  # unfitted: unchanged
    assert np.mean(policy_actions(examples, tuned) == np.array([a.severity for _, a in examples])) == pytest.approx(
        result.agreement_after
    )


def test_too_little_evidence_fits_nothing() -> None:
    examples = table([(0.9, R), (0.8, R), (0.2, A)])
    result = fit_thresholds(examples, ["TOXICITY"])
    assert result.thresholds == {}
    assert set(result.unfitted) == {("TOXICITY", R), ("TOXICITY", V)}
    assert result.apply(DEFAULT_POLICY) == DEFAULT_POLICY


def test_missing_scores_never_fire_and_empty_input_is_handled() -> None:
    examples: list[Example] = [({}, R)] * 10 + [({"TOXICITY": 0.1}, A)] * 10
    result = fit_thresholds(examples, ["TOXICITY"], min_support=1, confidence_z=0.0)
    assert result.thresholds == {}
    empty = fit_thresholds([], ["TOXICITY"])
    assert empty.n == 0 and np.isnan(empty.agreement_before) and empty.thresholds == {}


@pytest.mark.parametrize("targets", [{A: 0.9}, {R: 0.0}, {R: 1.5}])
def test_invalid_targets_are_refused(targets: dict[Action, float]) -> None:
    with pytest.raises(ValueError):
        fit_thresholds(table([(0.5, A)]), ["TOXICITY"], targets)


def test_policy_actions_honour_also_conditions() -> None:
    policy = Policy.from_dict(
        {"rules": [{"attribute": "THREAT", "threshold": 0.5, "also": {"TOXICITY": 0.9}, "action": "reject"}]}
    )
    examples: list[Example] = [
        ({"THREAT": 0.6, "TOXICITY": 0.95}, R),  # both hold: rejected
        ({"THREAT": 0.6, "TOXICITY": 0.5}, A),  # not corroborated
        ({"THREAT": 0.6}, A),  # TOXICITY unknown: the condition does not hold
        ({"THREAT": 0.1, "TOXICITY": 0.99}, A),
    ]
    assert policy_actions(examples, policy).tolist() == [2, 0, 0, 0]
