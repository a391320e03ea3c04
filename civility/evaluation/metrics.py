"""Metric functions used by evaluation, kept free of I/O so they can be tested against hand computations.

ROC-AUC and PR-AUC (average precision) come from scikit-learn; the bias AUCs follow Borkan et al. 2019.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score


def _both_classes(labels: np.ndarray) -> bool:
    return labels.size > 0 and 0 < int(labels.sum()) < labels.size


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float | None:
    """Area under the ROC curve; None when only one class is present (undefined)."""
    labels = np.asarray(labels, dtype=int)
    return float(roc_auc_score(labels, scores)) if _both_classes(labels) else None


def pr_auc(labels: np.ndarray, scores: np.ndarray) -> float | None:
    """Average precision (area under the precision-recall curve); None without both classes."""
    labels = np.asarray(labels, dtype=int)
    return float(average_precision_score(labels, scores)) if _both_classes(labels) else None


def f1_at(labels: np.ndarray, scores: np.ndarray, threshold: float = 0.5) -> float:
    """F1 of the positive class when scores ≥ threshold are called positive."""
    predicted = (np.asarray(scores) >= threshold).astype(int)
    return float(f1_score(np.asarray(labels, dtype=int), predicted, zero_division=0))


def macro_f1(labels: np.ndarray, scores: np.ndarray, threshold: float = 0.5) -> float:
    """Unweighted mean of both classes' F1 (the OffensEval 2019 ranking metric)."""
    labels = np.asarray(labels, dtype=int)
    predicted = (np.asarray(scores) >= threshold).astype(int)
    return float(f1_score(labels, predicted, average="macro", labels=[0, 1], zero_division=0))


def recall_at(labels: np.ndarray, scores: np.ndarray, threshold: float = 0.5) -> float | None:
    """Share of positives scored ≥ threshold (for positives-only sets)."""
    labels = np.asarray(labels, dtype=int)
    positives = labels == 1
    if not positives.any():
        return None
    return float((np.asarray(scores)[positives] >= threshold).mean())


@dataclass(frozen=True)
class BinaryReport:
    """The per dataset / attribute numbers: n, positives, ROC-AUC, PR-AUC, F1 at 0.5, recall at 0.5."""

    n: int
    positives: int
    roc_auc: float | None
    pr_auc: float | None
    f1: float
    recall: float | None


def binary_report(labels: np.ndarray, scores: np.ndarray, threshold: float = 0.5) -> BinaryReport:
    labels = np.asarray(labels, dtype=int)
    return BinaryReport(
        n=int(labels.size),
        positives=int(labels.sum()),
        roc_auc=roc_auc(labels, scores),
        pr_auc=pr_auc(labels, scores),
        f1=f1_at(labels, scores, threshold),
        recall=recall_at(labels, scores, threshold),
    )


@dataclass(frozen=True)
class BiasReport:
    """Borkan et al. 2019 bias AUCs of one identity subgroup."""

    subgroup: str
    n: int
    subgroup_auc: float | None
    bpsn_auc: float | None
    bnsp_auc: float | None


def bias_report(subgroup: str, in_group: np.ndarray, labels: np.ndarray, scores: np.ndarray) -> BiasReport:
    """Subgroup AUC (within the group), BPSN (background positives vs subgroup negatives: low means non-toxic
    mentions of the group score high) and BNSP (background negatives vs subgroup positives: low means toxic
    comments about the group score low)."""
    in_group = np.asarray(in_group, dtype=bool)
    labels = np.asarray(labels, dtype=int)
    scores = np.asarray(scores, dtype=float)
    bpsn = (in_group & (labels == 0)) | (~in_group & (labels == 1))
    bnsp = (in_group & (labels == 1)) | (~in_group & (labels == 0))
    return BiasReport(
        subgroup=subgroup,
        n=int(in_group.sum()),
        subgroup_auc=roc_auc(labels[in_group], scores[in_group]),
        bpsn_auc=roc_auc(labels[bpsn], scores[bpsn]),
        bnsp_auc=roc_auc(labels[bnsp], scores[bnsp]),
    )


def generalized_mean(values: list[float], power: float = -5.0) -> float | None:
    """Power mean that emphasises the worst values (Jigsaw's bias summary uses p = -5)."""
    array = np.asarray([value for value in values if value is not None], dtype=float)
    if array.size == 0:
        return None
    return float(np.mean(array**power) ** (1.0 / power))


def spearman(a: np.ndarray, b: np.ndarray) -> float | None:
    """Spearman rank correlation (average ranks for ties); None for fewer than 3 points or constant input."""
    from scipy.stats import spearmanr

    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.size < 3 or np.all(a == a[0]) or np.all(b == b[0]):
        return None
    return float(spearmanr(a, b).statistic)
