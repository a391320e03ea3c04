"""Distilling the transformer into the linear model: the soft-target arithmetic, a tiny fit with the committed
transformer as teacher, the command line's guards, and the committed distilled model (linear-en-10)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from typer.testing import CliRunner

from civility.cli import app
from civility.scoring.artifact import load_scorer, read_info
from civility.scoring.linear import FeatureConfig
from civility.training.data import Record, make_labels
from civility.training.distil import soft_target_rows, soft_targets
from civility.training.linear import TrainConfig, train

MODELS = Path(__file__).resolve().parent.parent / "models"
TEACHER = "minilm-en-8"
STUDENT = MODELS / "linear-en-10"


def test_soft_targets_blend_human_labels_and_fill_the_gaps() -> None:
    records = [
        Record("a", "s", "train", make_labels(TOXICITY=1)),
        Record("b", "s", "train", make_labels(TOXICITY=0)),
        Record("c", "s", "train", {}),
    ]
    teacher = np.array([0.6, 0.2, 0.7])
    assert np.allclose(soft_targets(records, "TOXICITY", teacher, 0.5), [0.8, 0.1, 0.7])
    assert np.allclose(soft_targets(records, "TOXICITY", teacher, 1.0), [1.0, 0.0, 0.7])
    assert np.allclose(soft_targets(records, "TOXICITY", teacher, 0.0), teacher)
    with pytest.raises(ValueError):
        soft_targets(records, "TOXICITY", teacher, 1.5)
    with pytest.raises(ValueError):
        soft_targets(records, "TOXICITY", teacher[:2], 0.5)


def test_the_doubled_rows_fit_the_soft_targets() -> None:
    """Rows sharing one feature vector and targets averaging 0.3 must come out at probability ≈ 0.3: the weighted
    positive/negative copies are the cross-entropy against the soft target, not a vote of hard labels."""
    features = sp.csr_matrix(np.array([[1.0, 0.0]] * 10 + [[0.0, 1.0]] * 10))
    targets = np.array([0.1, 0.5] * 5 + [0.9, 0.7] * 5)
    rows, labels, weights = soft_target_rows(features, targets, np.ones(20), balance_below=0.0)
    assert rows.shape == (40, 2) and labels.tolist() == [1] * 20 + [0] * 20
    model = LogisticRegression(C=1e6, fit_intercept=False, max_iter=1000).fit(rows, labels, sample_weight=weights)
    probabilities = model.predict_proba(np.array([[1.0, 0.0], [0.0, 1.0]]))[:, 1]
    assert probabilities == pytest.approx([0.3, 0.8], abs=0.01)


def test_rare_attributes_are_balanced_like_the_human_fit() -> None:
    features = sp.csr_matrix(np.eye(4))
    _, _, weights = soft_target_rows(features, np.array([0.05, 0.0, 0.0, 0.0]), np.ones(4), balance_below=0.25)
    assert weights[:4].sum() == pytest.approx(weights[4:].sum())


def _records() -> list[Record]:
    rude = ["you idiot", "stupid fool", "shut up moron", "you are a dumb idiot", "what a moron"]
    kind = ["nice day today", "thank you kindly", "lovely article", "good point well made", "have a nice day"]
    out: list[Record] = []
    for round_, split in enumerate(("train", "train", "dev")):
        for text in rude:  # only TOXICITY is labelled: the teacher supplies every other attribute
            out.append(Record(f"{text} {round_}", "synthetic", split, make_labels(TOXICITY=1)))
        for text in kind:
            out.append(Record(f"{text} {round_}", "synthetic", split, make_labels(TOXICITY=0)))
    return out


def test_a_tiny_distilled_fit_learns_what_only_the_teacher_knew(tmp_path: Path) -> None:
    if not (MODELS / TEACHER).exists():
        pytest.skip(f"needs models/{TEACHER}")
    config = TrainConfig(
        name="tiny", version=4, features=FeatureConfig(word_features=2**10, char_features=2**10), c_grid=(1.0,),
        teacher=TEACHER,
    )
    result = train(tmp_path, tmp_path / "tiny-4", config=config, evaluate=False, records=_records())
    assert result.summary.attributes["INSULT"]["train_rows"] == 20  # every training row, though none labels INSULT
    assert result.summary.config["teacher"] == TEACHER
    manifest = json.loads((tmp_path / "tiny-4" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["training_command"] == f"civility train linear --teacher {TEACHER} --version 4"
    scores = load_scorer(tmp_path / "tiny-4").predict_proba(["you stupid moron", "thank you, lovely day"])
    insult = read_info(tmp_path / "tiny-4").attributes.index("INSULT")
    assert scores[0, insult] > scores[1, insult]


def test_the_command_line_refuses_a_missing_teacher_or_another_language() -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["train", "linear", "--teacher", "no-such-model", "--version", "99", "--no-evaluate"])
    assert missing.exit_code != 0 and "no-such-model" in missing.output
    german = runner.invoke(app, ["train", "linear", "--language", "de", "--teacher", TEACHER, "--no-evaluate"])
    assert german.exit_code != 0 and "English" in german.output
    linear = runner.invoke(app, ["train", "linear", "--teacher", "linear-en-1", "--version", "99", "--no-evaluate"])
    assert linear.exit_code != 0 and "transformer" in linear.output
    zero = runner.invoke(app, ["train", "linear", "--teacher", TEACHER, "--version", "0", "--no-evaluate"])
    assert zero.exit_code != 0


@pytest.mark.skipif(not STUDENT.exists(), reason="linear-en-10 not built")
def test_the_committed_student_agrees_with_its_teacher_more_than_the_human_label_model() -> None:
    """What distillation is for: the cascade's fast model should rank comments as the transformer does."""
    from scipy.stats import spearmanr

    suite = Path(__file__).resolve().parent.parent / "civility" / "evaluation" / "suites" / "contrast.jsonl"
    texts = [json.loads(line)["text"] for line in suite.read_text(encoding="utf-8").splitlines() if line.strip()]
    teacher = load_scorer(MODELS / TEACHER)
    student, baseline = load_scorer(STUDENT), load_scorer(MODELS / "linear-en-1")
    column = teacher.info.attributes.index("TOXICITY")
    reference = teacher.predict_proba(texts)[:, column]
    agree_student = spearmanr(reference, student.predict_proba(texts)[:, student.info.attributes.index("TOXICITY")])[0]
    agree_baseline = spearmanr(reference, baseline.predict_proba(texts)[:, baseline.info.attributes.index("TOXICITY")])[0]
    assert agree_student > agree_baseline
    config = json.loads((STUDENT / "metrics.json").read_text(encoding="utf-8"))["training"]["config"]
    assert config["teacher"] == TEACHER
