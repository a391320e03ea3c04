"""Metric functions agree with scikit-learn and with hand computations."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from civility.evaluation.metrics import (
    bias_report,
    binary_report,
    f1_at,
    generalized_mean,
    macro_f1,
    pr_auc,
    recall_at,
    roc_auc,
    spearman,
)

LABELS = np.array([0, 0, 1, 1, 0, 1, 0, 1])
SCORES = np.array([0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.6, 0.55])


def test_roc_auc_matches_sklearn_and_hand() -> None:
    assert roc_auc(LABELS, SCORES) == pytest.approx(roc_auc_score(LABELS, SCORES))
    # Hand: positives {0.35, 0.8, 0.9, 0.55} vs negatives {0.1, 0.4, 0.2, 0.6}: 13 of 16 pairs ordered right.
    assert roc_auc(LABELS, SCORES) == pytest.approx(13 / 16)


def test_pr_auc_matches_sklearn() -> None:
    assert pr_auc(LABELS, SCORES) == pytest.approx(average_precision_score(LABELS, SCORES))
    assert pr_auc(np.array([0, 1]), np.array([0.2, 0.7])) == pytest.approx(1.0)


def test_single_class_is_undefined() -> None:
    assert roc_auc(np.ones(4, int), np.linspace(0, 1, 4)) is None
    assert pr_auc(np.zeros(4, int), np.linspace(0, 1, 4)) is None


def test_f1_and_macro_f1_by_hand() -> None:
    # At 0.5: predicted positive = {0.8, 0.9, 0.6, 0.55} → TP 3, FP 1, FN 1 → F1 = 6 / 8.
    assert f1_at(LABELS, SCORES) == pytest.approx(0.75)
    # Negative class: TN 3, FN 1, FP 1 → F1 = 0.75 too; macro = 0.75.
    assert macro_f1(LABELS, SCORES) == pytest.approx(0.75)
    # All predicted negative: F1(neg) = 4 / 5, F1(pos) = 0.
    assert macro_f1(np.array([0, 0, 1]), np.array([0.1, 0.2, 0.3])) == pytest.approx(0.4)
    assert recall_at(LABELS, SCORES) == pytest.approx(0.75)
    assert recall_at(np.zeros(3, int), np.ones(3)) is None


def test_binary_report() -> None:
    report = binary_report(LABELS, SCORES)
    assert (report.n, report.positives) == (8, 4)
    assert report.roc_auc == pytest.approx(13 / 16)


def test_bias_report_by_hand() -> None:
    in_group = np.array([True, True, True, True, False, False, False, False])
    labels = np.array([0, 0, 1, 1, 0, 0, 1, 1])
    scores = np.array([0.7, 0.2, 0.8, 0.9, 0.1, 0.3, 0.6, 0.65])
    report = bias_report("term", in_group, labels, scores)
    assert report.n == 4
    assert report.subgroup_auc == pytest.approx(roc_auc_score(labels[:4], scores[:4]))
    # BPSN: subgroup negatives {0.7, 0.2} vs background positives {0.6, 0.65}: 2 of 4 pairs right.
    assert report.bpsn_auc == pytest.approx(0.5)
    # BNSP: background negatives {0.1, 0.3} vs subgroup positives {0.8, 0.9}: all right.
    assert report.bnsp_auc == pytest.approx(1.0)


def test_generalized_mean_and_spearman() -> None:
    assert generalized_mean([0.8, 0.8]) == pytest.approx(0.8)
    assert generalized_mean([0.5, 1.0]) < 0.75
    assert generalized_mean([]) is None
    assert spearman(np.array([1, 2, 3, 4]), np.array([10, 20, 30, 45])) == pytest.approx(1.0)
    assert spearman(np.array([1, 1, 1]), np.array([1, 2, 3])) is None
