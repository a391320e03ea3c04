"""Distilling the transformer into the linear model, so the cascade's fast path is sure of more comments.

The cascade lets the linear model answer a comment when every attribute scores below its threshold, and sends the
rest to the transformer. Trained on human labels alone, the linear model disagrees with the transformer on many
comments, so the thresholds that keep the cascade's quality escalate most comments. Trained towards the
transformer's own probabilities, it ranks comments more like the transformer does (and better against the human
labels too, measured in the card). Two reasons it also sees more data: a row labelled only for TOXICITY gets a
THREAT target from the teacher, and a row with a human label gets a target between that label and the teacher's
probability (``human_weight`` decides where).

Soft targets are fitted with an ordinary weighted logistic regression: each row appears once as a positive with
weight ``w·t`` and once as a negative with weight ``w·(1 − t)``, whose loss is the cross-entropy against ``t``.
The teacher's *dev-calibrated* probability is used (not the map onto Perspective's scale), so targets are
probabilities of the label. Dev rows are never given to the fit: C and the Platt calibration are still chosen on
the human dev labels, and every reported number rests on human labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from civility.training.data import Record

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"


def teacher_scores(folder: Path, texts: Sequence[str], attributes: Sequence[str], chunk: int = 512) -> np.ndarray:
    """The teacher's dev-calibrated probabilities, shape ``(len(texts), len(attributes))``."""
    from civility.scoring.onnx import OnnxScorer

    teacher = OnnxScorer.load(folder)
    missing = [a for a in attributes if a not in teacher.info.attributes]
    if missing:
        raise ValueError(f"{folder.name} does not score {missing}")
    columns = [teacher.info.attributes.index(a) for a in attributes]
    parts = [teacher.dev_probabilities(list(texts[i : i + chunk]))[:, columns] for i in range(0, len(texts), chunk)]
    return np.vstack(parts) if parts else np.zeros((0, len(attributes)))


def soft_targets(records: Sequence[Record], attribute: str, teacher: np.ndarray, human_weight: float) -> np.ndarray:
    """Per row: ``human_weight·label + (1 − human_weight)·teacher`` where a human labelled the attribute, the
    teacher's probability where nobody did."""
    if not 0.0 <= human_weight <= 1.0:
        raise ValueError("human_weight must lie in [0, 1]")
    if len(records) != len(teacher):
        raise ValueError("one teacher probability per record is needed")
    human = np.array([np.nan if r.label(attribute) is None else float(r.label(attribute)) for r in records])
    blended = human_weight * np.nan_to_num(human) + (1.0 - human_weight) * teacher
    return np.clip(np.where(np.isnan(human), teacher, blended), 0.0, 1.0)


def soft_target_rows(
    features: sp.csr_matrix, targets: np.ndarray, weights: np.ndarray, balance_below: float
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """The rows, labels and sample weights whose weighted logistic loss is the cross-entropy against ``targets``.

    A rare attribute (positive mass under ``balance_below``) gets its positive half re-weighted to the negative
    half's total, as the human-label fit balances its classes."""
    positive, negative = weights * targets, weights * (1.0 - targets)
    if positive.sum() > 0 and positive.sum() / (positive.sum() + negative.sum()) < balance_below:
        positive = positive * (negative.sum() / positive.sum())
    sample_weight = np.concatenate([positive, negative])
    sample_weight *= len(sample_weight) / sample_weight.sum()
    labels = np.concatenate([np.ones(len(targets), dtype=int), np.zeros(len(targets), dtype=int)])
    return sp.vstack([features, features], format="csr"), labels, sample_weight
