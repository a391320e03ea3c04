"""Per-site thresholds learned from the site's own moderators' past decisions.

Each site's readers, topics and moderators differ, so one global threshold is wrong for most sites. For each
attribute this picks the lowest threshold at which the comments the rule would catch were, in the past, mostly
treated that way by moderators: for ``reject``, rejected; for ``review``, not approved (worth a human's time).
Only attribute rules are calibrated; signals and term lists are newsroom choices, not statistics.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from civility.moderation.policy import DEFAULT_POLICY, Policy
from civility.moderation.types import Action

Example = tuple[Mapping[str, float], Action]
DEFAULT_TARGETS: Mapping[Action, float] = {Action.REJECT: 0.95, Action.REVIEW: 0.5}


@dataclass(frozen=True)
class CalibrationResult:
    """Fitted thresholds and how well the policy agrees with the moderators before and after using them.

    ``thresholds[attribute][action]`` is only present where the data supported a threshold; pairs that could not
    be fitted (too few decisions, target precision never reached) are listed in ``unfitted`` and keep the current
    policy's value when the result is applied. ``precision`` is the precision each fitted rule had on the examples.

    ``agreement_*`` is the share of examples where the policy's attribute rules give exactly the moderator's action.
    Moderators' final actions are mostly approve or reject, so every "review" counts against it; ``held_agreement_*``
    complements it with agreement on what gets published (approve) versus held (review or reject).
    """

    thresholds: dict[str, dict[Action, float]]
    agreement_before: float
    agreement_after: float
    n: int
    held_agreement_before: float = float("nan")
    held_agreement_after: float = float("nan")
    precision: dict[str, dict[Action, float]] = field(default_factory=dict)
    unfitted: tuple[tuple[str, Action], ...] = ()

    def apply(self, policy: Policy) -> Policy:
        """``policy`` with the fitted thresholds; everything else, including unfitted rules, unchanged."""
        return policy.with_thresholds({a: dict(by_action) for a, by_action in self.thresholds.items()})


def fit_thresholds(
    examples: Sequence[Example],
    attributes: Sequence[str],
    target_precision: Mapping[Action, float] = DEFAULT_TARGETS,
    *,
    current: Policy = DEFAULT_POLICY,
    min_support: int = 5,
    confidence_z: float = 1.645,
) -> CalibrationResult:
    """Choose reject and review thresholds per attribute that reach ``target_precision`` on past decisions.

    ``examples`` are (attribute scores, the moderator's final action) pairs; a missing score never fires a rule.
    A threshold qualifies when the one-sided Wilson lower bound (``confidence_z``; 1.645 is 95 %) of its precision
    reaches the target and it catches at least ``min_support`` comments correctly, so a few lucky examples or an
    uninformative attribute cannot set one; 0 uses the raw precision. Among qualifying thresholds the lowest is
    taken (most comments caught at that precision). A review threshold is never above the same attribute's reject
    threshold.
    """
    for action, target in target_precision.items():
        if action is Action.APPROVE or not 0.0 < target <= 1.0:
            raise ValueError(f"target precision for {action}: expected reject/review with a value in (0, 1]")
    n = len(examples)
    labels = np.array([_action_code(action) for _, action in examples], dtype=np.int8)
    thresholds: dict[str, dict[Action, float]] = {}
    precision: dict[str, dict[Action, float]] = {}
    unfitted: list[tuple[str, Action]] = []
    for attribute in attributes:
        scores = _column(examples, attribute)
        for action in (Action.REJECT, Action.REVIEW):
            if action not in target_precision:
                continue
            positive = labels == 2 if action is Action.REJECT else labels >= 1
            fitted = _lowest_threshold(scores, positive, target_precision[action], min_support, confidence_z)
            if fitted is None:
                unfitted.append((attribute, action))
                continue
            thresholds.setdefault(attribute, {})[action] = fitted[0]
            precision.setdefault(attribute, {})[action] = fitted[1]
        by_action = thresholds.get(attribute, {})
        if Action.REJECT in by_action and by_action.get(Action.REVIEW, 0.0) > by_action[Action.REJECT]:
            by_action[Action.REVIEW] = by_action[Action.REJECT]
    after = current.with_thresholds({a: dict(b) for a, b in thresholds.items()})
    return CalibrationResult(
        thresholds=thresholds,
        agreement_before=_agreement(examples, labels, current),
        agreement_after=_agreement(examples, labels, after),
        n=n,
        held_agreement_before=_agreement(examples, labels, current, held=True),
        held_agreement_after=_agreement(examples, labels, after, held=True),
        precision=precision,
        unfitted=tuple(unfitted),
    )


def policy_actions(examples: Sequence[Example], policy: Policy) -> np.ndarray:
    """The action codes (0 approve, 1 review, 2 reject) the policy's attribute rules give each example."""
    actions = np.zeros(len(examples), dtype=np.int8)
    for rule in policy.rules:
        fired = _column(examples, rule.attribute) >= rule.threshold  # NaN compares False
        for attribute, threshold in rule.also:
            fired &= _column(examples, attribute) >= threshold
        actions = np.where(fired, np.maximum(actions, _action_code(rule.action)), actions)
    return actions


def _agreement(examples: Sequence[Example], labels: np.ndarray, policy: Policy, *, held: bool = False) -> float:
    if len(examples) == 0:
        return float("nan")
    actions = policy_actions(examples, policy)
    if held:
        return float(np.mean((actions > 0) == (labels > 0)))
    return float(np.mean(actions == labels))


def _column(examples: Sequence[Example], attribute: str) -> np.ndarray:
    return np.array([float(scores.get(attribute, np.nan)) for scores, _ in examples], dtype=np.float64)


def _action_code(action: Action) -> int:
    return Action(action).severity


def _wilson_lower(successes: np.ndarray, trials: np.ndarray, z: float) -> np.ndarray:
    p = successes / trials
    z2 = z * z
    centre = p + z2 / (2 * trials)
    margin = z * np.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    return (centre - margin) / (1 + z2 / trials)


def _lowest_threshold(
    scores: np.ndarray, positive: np.ndarray, target: float, min_support: int, z: float
) -> tuple[float, float] | None:
    """(threshold, precision) of the lowest cut ``score >= t`` whose precision reliably reaches ``target``."""
    known = ~np.isnan(scores)
    scores, positive = scores[known], positive[known]
    if scores.size == 0:
        return None
    order = np.argsort(-scores, kind="stable")
    ordered, hits = scores[order], positive[order].astype(np.int64)
    true_positives = np.cumsum(hits)
    flagged = np.arange(1, ordered.size + 1)
    # A cut can only fall after the last of a run of equal scores: ``>= t`` takes all of them.
    ends = np.flatnonzero(np.append(ordered[1:] != ordered[:-1], True))
    bound = _wilson_lower(true_positives[ends], flagged[ends], z)
    good = ends[(bound >= target - 1e-12) & (true_positives[ends] >= min_support)]
    if good.size == 0:
        return None
    cut = int(good[-1])
    below = ordered[cut + 1] if cut + 1 < ordered.size else None
    value = float(ordered[cut]) if below is None else float((ordered[cut] + below) / 2)
    rounded = round(value, 4)  # readable in TOML when it catches exactly the same examples
    if rounded <= ordered[cut] and (below is None or rounded > below):
        value = rounded
    return value, float(true_positives[cut] / flagged[cut])
