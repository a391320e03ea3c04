"""Calibration of the transformer's logits (numpy / scipy / scikit-learn only).

1. Per attribute, Platt scaling on the dev split (rows of the data sets that have dev positives for that attribute,
   as for the linear model): ``p = sigmoid(slope * logit + offset)``.
2. Per attribute, a monotone map from that probability onto Perspective's own score scale, fitted on Perspective's
   2018 scores of Wikipedia comments (``perspective-wiki``; never trained on). Two candidate maps — a 2-parameter
   logistic map ``sigmoid(a·logit(p) + b)`` (soft-target logistic regression) and isotonic regression — are compared
   by k-fold cross-validated Brier score on the non-test rows; cross-validated Spearman and decision agreement at
   0.5 / 0.8 with Perspective's score are reported for the served score with and without the map.
   The map is served for an attribute when our probability ranks the comments much as Perspective does
   (cross-validated Spearman at least ``MIN_SPEARMAN``: a monotone map fitted on a weakly related score mostly
   lifts the low end, so neutral text would get inflated scores) and the mapped score estimates Perspective's score
   better than the dev-calibrated probability does (lower cross-validated Brier score against Perspective's
   scores). That is what "on Perspective's scale" means: a client's threshold (Coral's 0.8) then keeps its
   meaning. Agreement and F1 against Perspective's flags at 0.5 and 0.8 are reported, not used to choose: at 0.8
   they rest on a few dozen flagged comments and flip with a single one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import minimize
from scipy.stats import spearmanr
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

THRESHOLDS = (0.5, 0.8)
FOLDS = 5
MIN_SPEARMAN = 0.5


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -60, 60)))


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def fit_platt(logits: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    if labels.size == 0 or labels.min() == labels.max():
        return {"slope": 1.0, "offset": 0.0}
    model = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    model.fit(logits.reshape(-1, 1), labels)
    return {"slope": float(model.coef_[0, 0]), "offset": float(model.intercept_[0])}


def fit_logistic_map(p: np.ndarray, target: np.ndarray) -> dict[str, object]:
    """score = sigmoid(a·logit(p) + b), fitted by cross-entropy against the soft targets (convex)."""
    x = _logit(p)
    t = np.clip(target, 0.0, 1.0)

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        a, b = params
        q = np.clip(_sigmoid(a * x + b), 1e-9, 1 - 1e-9)
        value = -np.mean(t * np.log(q) + (1 - t) * np.log(1 - q))
        grad_z = (q - t) / t.size
        return float(value), np.array([np.sum(grad_z * x), np.sum(grad_z)])

    result = minimize(loss, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B", bounds=[(1e-3, 20.0), (-20.0, 20.0)])
    return {"type": "logistic", "a": float(result.x[0]), "b": float(result.x[1])}


def fit_isotonic_map(p: np.ndarray, target: np.ndarray) -> dict[str, object]:
    """Isotonic regression, kept as one knot in the middle of each of its plateaus.

    The raw fit is a staircase: every comment on a step gets the same score, so a moderator's queue sorted by score
    cannot tell them apart and a threshold between two steps moves whole blocks of comments. Joining the plateau
    middles keeps the map monotone and (to within a step) as calibrated, but strictly increasing between them.
    """
    model = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip")
    model.fit(p, target)
    x, y = plateau_knots(np.asarray(model.X_thresholds_, float), np.asarray(model.y_thresholds_, float))
    return {"type": "isotonic", "x": [float(v) for v in x], "y": [float(v) for v in y]}


def plateau_knots(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One (middle of the run, value) knot per run of equal ``y`` in a non-decreasing step function."""
    xs: list[float] = []
    ys: list[float] = []
    start = 0
    while start < x.size:
        end = start
        while end + 1 < x.size and y[end + 1] == y[start]:
            end += 1
        middle = (x[start] + x[end]) / 2.0
        if not xs or middle > xs[-1]:
            xs.append(middle)
            ys.append(float(y[start]))
        start = end + 1
    return np.array(xs), np.array(ys)


def apply_map(spec: Mapping[str, object] | None, p: np.ndarray) -> np.ndarray:
    if spec is None:
        return p
    if spec["type"] == "logistic":
        return _sigmoid(float(spec["a"]) * _logit(p) + float(spec["b"]))  # type: ignore[arg-type]
    return np.interp(p, np.asarray(spec["x"], float), np.asarray(spec["y"], float))  # type: ignore[arg-type]


def agreement(pred: np.ndarray, target: np.ndarray) -> dict[str, object]:
    out: dict[str, object] = {
        "spearman": float(spearmanr(pred, target).statistic) if np.ptp(pred) > 0 and np.ptp(target) > 0 else None,
        "mean_abs_error": float(np.mean(np.abs(pred - target))),
    }
    for t in THRESHOLDS:
        ours, theirs = pred >= t, target >= t
        both = int(np.sum(ours & theirs))
        out[f"agreement@{t}"] = float(np.mean(ours == theirs))
        out[f"flagged_ours@{t}"] = int(ours.sum())
        out[f"flagged_perspective@{t}"] = int(theirs.sum())
        out[f"f1_vs_perspective@{t}"] = (
            float(2 * both / (ours.sum() + theirs.sum())) if ours.sum() + theirs.sum() else None
        )
    return out


def _folds(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).permutation(n) % FOLDS


def cross_validated(p: np.ndarray, target: np.ndarray, fit, seed: int = 7) -> np.ndarray:
    fold = _folds(p.size, seed)
    out = np.zeros_like(p)
    for k in range(FOLDS):
        train, held = fold != k, fold == k
        out[held] = apply_map(fit(p[train], target[train]), p[held])
    return out


def perspective_calibration(
    p_fit: np.ndarray, target_fit: np.ndarray, p_test: np.ndarray | None = None, target_test: np.ndarray | None = None
) -> dict[str, object]:
    """Choose, fit and report the map for one attribute. ``p_*`` are dev-calibrated probabilities."""
    candidates = {"logistic": fit_logistic_map, "isotonic": fit_isotonic_map}
    cv = {name: cross_validated(p_fit, target_fit, fit) for name, fit in candidates.items()}
    brier = {name: float(np.mean((pred - target_fit) ** 2)) for name, pred in cv.items()}
    brier["none"] = float(np.mean((p_fit - target_fit) ** 2))
    kind = min(candidates, key=lambda name: brier[name])
    without = agreement(p_fit, target_fit)
    with_map = agreement(cv[kind], target_fit)

    def serve_map(raw: Mapping[str, object]) -> bool:
        """Our scores rank like Perspective's, and the map estimates Perspective's score better than no map."""
        ranks_alike = (raw["spearman"] or 0.0) >= MIN_SPEARMAN  # type: ignore[operator]
        return ranks_alike and brier[kind] < brier["none"]

    spec = candidates[kind](p_fit, target_fit)
    result: dict[str, object] = {
        "n_fit": int(p_fit.size),
        "folds": FOLDS,
        "map": spec,
        "brier_cv": brier,
        "cv_dev_calibrated": without,
        "cv_perspective_mapped": with_map,
        "served": "perspective" if serve_map(without) else "dev",
        "serve_rule": "brier",
    }
    if p_test is not None and target_test is not None and p_test.size:
        result["test_bucket"] = {
            "n": int(p_test.size),
            "dev_calibrated": agreement(p_test, target_test),
            "perspective_mapped": agreement(apply_map(spec, p_test), target_test),
        }
    return result


def dev_calibration(
    logits: np.ndarray, labels: np.ndarray, datasets: Sequence[str], attributes: Sequence[str]
) -> dict[str, dict[str, float]]:
    """Platt maps per attribute from dev logits (labels -1 = unlabelled), on the sets with dev positives."""
    out: dict[str, dict[str, float]] = {}
    names = np.asarray(datasets)
    for j, attribute in enumerate(attributes):
        labelled = labels[:, j] >= 0
        with_positives = {d for d in set(names[labelled]) if np.any(labels[labelled & (names == d), j] == 1)}
        keep = labelled & np.isin(names, sorted(with_positives))
        out[attribute] = fit_platt(logits[keep, j], labels[keep, j].astype(int))
        out[attribute]["n"] = int(keep.sum())
        out[attribute]["positives"] = int(np.sum(labels[keep, j] == 1))
    return out
