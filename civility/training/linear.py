"""Fitting the linear baseline (``linear-en``): idf on the training texts, one weighted logistic regression per
attribute on the rows that label it, C picked on dev, then Platt calibration on dev.

Why these choices: data sets differ in size by two orders of magnitude, so each set's rows are weighted so that a
set contributes in proportion to the square root of its size (Davidson's 20k tweets must not drown out ETHOS or
DynaHate). Rare attributes (positives < 25%) are class-balanced so THREAT and SEVERE_TOXICITY get a usable
direction; calibration on dev then maps margins back to probabilities. Everything is deterministic (liblinear with
a fixed seed, hash features, sorted inputs).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from civility.scoring.linear import FeatureConfig, Featurizer, LinearScorer, PlattMap
from civility.scoring.types import PRODUCTION_ATTRIBUTES, ModelInfo
from civility.training.data import DataReport, Record, load_records


@dataclass(frozen=True)
class TrainConfig:
    """Every knob of a training run; stored in metrics.json so a run can be repeated exactly."""

    name: str = "linear-en"
    version: int = 1
    languages: tuple[str, ...] = ("en",)
    attributes: tuple[str, ...] = PRODUCTION_ATTRIBUTES
    features: FeatureConfig = field(default_factory=FeatureConfig)
    c_grid: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0)
    balance_below: float = 0.25
    dataset_weight_power: float = 0.5
    max_iter: int = 200
    seed: int = 13
    normalizer: str | None = None  # None: the English input; otherwise civility.text.normalize_lang's language
    # Distillation (see civility.training.distil): the artifact folder name of a teacher model whose dev-calibrated
    # probabilities become soft targets, and the weight of the human label where a row has one.
    teacher: str | None = None
    human_weight: float = 0.5


# What each language's data labels (an attribute is trained only where a data set labels it), and a smaller hash
# space than English: these sets have 8k–35k rows, and the artifact stays a few MB.
LANGUAGE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "en": PRODUCTION_ATTRIBUTES,
    "de": ("TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY"),
    "tr": ("TOXICITY",),
    "ar": ("TOXICITY", "IDENTITY_ATTACK"),
    "ru": ("TOXICITY",),
}
LANGUAGE_FEATURES = FeatureConfig(word_ngrams=(1, 2), word_features=2**17, char_ngrams=(1, 5), char_features=2**18)


def distilled_config(teacher: str, version: int) -> TrainConfig:
    """``linear-en-<version>`` distilled from ``teacher`` (an artifact folder name): English features, two values of
    C (each fit sees every training row twice, so the grid is kept short)."""
    return TrainConfig(version=version, c_grid=(1.0, 4.0), teacher=teacher)


def config_for(language: str) -> TrainConfig:
    """The training configuration of ``linear-<language>`` (English: the defaults, unchanged)."""
    if language == "en":
        return TrainConfig()
    if language not in LANGUAGE_ATTRIBUTES:
        raise ValueError(f"no training data for language {language!r}; known: {sorted(LANGUAGE_ATTRIBUTES)}")
    return TrainConfig(
        name=f"linear-{language}",
        languages=(language,),
        attributes=LANGUAGE_ATTRIBUTES[language],
        features=LANGUAGE_FEATURES,
        normalizer=language,
    )


@dataclass(frozen=True)
class AttributeFit:
    """What fitting one attribute produced, with its dev numbers for the record."""

    attribute: str
    coef: np.ndarray
    intercept: float
    calibration: PlattMap
    c: float
    train_rows: int
    train_positives: int
    dev_rows: int
    dev_positives: int
    dev_roc_auc: float | None
    dev_auc_by_c: dict[str, float | None]


def fit_idf(counts: sp.csr_matrix) -> np.ndarray:
    """Smoothed idf (as scikit-learn's TfidfTransformer): log((1 + n) / (1 + df)) + 1."""
    n_docs = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    return (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)


def dataset_weights(datasets: Sequence[str], power: float) -> np.ndarray:
    """Per-row weights so that a data set with n rows contributes n**power in total; mean weight 1."""
    sizes = Counter(datasets)
    weights = np.array([sizes[name] ** (power - 1.0) for name in datasets], dtype=np.float64)
    return weights * (len(weights) / weights.sum()) if len(weights) else weights


def class_balance(labels: np.ndarray, weights: np.ndarray, balance_below: float) -> np.ndarray:
    """Re-weight a rare positive class so both classes carry the same total weight."""
    positive = labels == 1
    pos_weight = weights[positive].sum()
    neg_weight = weights[~positive].sum()
    if pos_weight == 0 or neg_weight == 0 or pos_weight / (pos_weight + neg_weight) >= balance_below:
        return weights
    balanced = weights.copy()
    balanced[positive] *= neg_weight / pos_weight
    return balanced * (len(balanced) / balanced.sum())


def fit_platt(margins: np.ndarray, labels: np.ndarray, weights: np.ndarray, seed: int) -> PlattMap:
    """Platt scaling on held-out margins; the identity map (the regression's own sigmoid) without both classes."""
    if margins.size == 0 or labels.min() == labels.max():
        return PlattMap(slope=1.0, offset=0.0)
    model = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000, random_state=seed)
    model.fit(margins.reshape(-1, 1), labels, sample_weight=weights)
    return PlattMap(slope=float(model.coef_[0, 0]), offset=float(model.intercept_[0]))


def _labelled(records: Sequence[Record], attribute: str) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the records that label ``attribute`` and their 0/1 labels."""
    index = [i for i, record in enumerate(records) if record.label(attribute) is not None]
    labels = np.array([records[i].label(attribute) for i in index], dtype=int)
    return np.array(index, dtype=int), labels


def _calibration_rows(datasets: Sequence[str], labels: np.ndarray) -> np.ndarray:
    """Dev rows of the sets that have positives for the attribute.

    Why: sets that never look for an attribute only contribute negatives implied by their non-toxic texts; left in,
    they would set a THREAT or SEVERE_TOXICITY base rate that reflects the mixture of sets, not the attribute.
    """
    with_positives = {name for name, label in zip(datasets, labels) if label == 1}
    return np.array([name in with_positives for name in datasets], dtype=bool)


def _weighted_auc(labels: np.ndarray, scores: np.ndarray, weights: np.ndarray) -> float | None:
    if labels.size == 0 or labels.min() == labels.max():
        return None
    return float(roc_auc_score(labels, scores, sample_weight=weights))


def fit_attribute(
    attribute: str,
    train: sp.csr_matrix,
    train_records: Sequence[Record],
    dev: sp.csr_matrix,
    dev_records: Sequence[Record],
    config: TrainConfig,
    teacher: np.ndarray | None = None,
) -> AttributeFit:
    """Fit one attribute's regression (C chosen by weighted dev ROC-AUC) and its calibration.

    With ``teacher`` (the teacher's probability of this attribute for every training row) every training row is
    used, with the soft target of :func:`civility.training.distil.soft_targets`; C, the calibration and every
    reported number still rest on the human dev labels only."""
    n_features = train.shape[1]
    index, labels = _labelled(train_records, attribute)
    human_positives = int(labels.sum())
    dev_index, dev_labels = _labelled(dev_records, attribute)
    dev_weights = dataset_weights([dev_records[i].dataset for i in dev_index], config.dataset_weight_power)
    if teacher is not None:
        from civility.training.distil import soft_target_rows, soft_targets

        targets = soft_targets(train_records, attribute, teacher, config.human_weight)
        base = dataset_weights([r.dataset for r in train_records], config.dataset_weight_power)
        x_train, labels, weights = soft_target_rows(train, targets, base, config.balance_below)
        index = np.arange(len(train_records))
    elif labels.size == 0 or labels.min() == labels.max():
        prior = float(labels.mean()) if labels.size else 0.5
        prior = min(max(prior, 1e-3), 1 - 1e-3)
        return AttributeFit(
            attribute, np.zeros(n_features, np.float32), float(np.log(prior / (1 - prior))), PlattMap(1.0, 0.0),
            0.0, int(labels.size), int(labels.sum()), int(dev_labels.size), int(dev_labels.sum()), None, {},
        )
    else:
        weights = dataset_weights([train_records[i].dataset for i in index], config.dataset_weight_power)
        weights = class_balance(labels, weights, config.balance_below)
        x_train = train[index]
    x_dev = dev[dev_index]
    best: tuple[float, LogisticRegression] | None = None
    aucs: dict[str, float | None] = {}
    for c in config.c_grid:
        model = LogisticRegression(
            C=c, solver="liblinear", dual=True, max_iter=config.max_iter, random_state=config.seed
        )
        model.fit(x_train, labels, sample_weight=weights)
        auc = _weighted_auc(dev_labels, model.decision_function(x_dev), dev_weights) if dev_index.size else None
        aucs[str(c)] = auc
        score = auc if auc is not None else -float(c)  # no dev signal: prefer the most regularised model
        if best is None or score > best[0]:
            best = (score, model)
    assert best is not None
    model = best[1]
    dev_margins = model.decision_function(x_dev) if dev_index.size else np.zeros(0)
    keep = _calibration_rows([dev_records[i].dataset for i in dev_index], dev_labels)
    calibration_weights = dataset_weights([dev_records[i].dataset for i in dev_index[keep]], config.dataset_weight_power)
    platt = fit_platt(dev_margins[keep], dev_labels[keep], calibration_weights, config.seed)
    return AttributeFit(
        attribute=attribute,
        coef=model.coef_[0].astype(np.float32),
        intercept=float(model.intercept_[0]),
        calibration=platt,
        c=float(model.C),
        train_rows=int(index.size),
        train_positives=human_positives,
        dev_rows=int(dev_labels.size),
        dev_positives=int(dev_labels.sum()),
        dev_roc_auc=_weighted_auc(dev_labels, dev_margins, dev_weights) if dev_index.size else None,
        dev_auc_by_c=aucs,
    )


@dataclass(frozen=True)
class TrainingSummary:
    """Training facts recorded in metrics.json and the model card."""

    config: dict[str, object]
    data: dict[str, dict[str, int]]
    dropped_duplicates: int
    attributes: dict[str, dict[str, object]]
    seconds: float


def train_scorer(
    records: Sequence[Record], config: TrainConfig, report: DataReport | None = None
) -> tuple[LinearScorer, TrainingSummary]:
    """Fit a :class:`LinearScorer` on the train split of ``records``, tuned and calibrated on their dev split."""
    started = time.perf_counter()
    train_records = [record for record in records if record.split == "train"]
    dev_records = [record for record in records if record.split == "dev"]
    featurizer = Featurizer(config.features, normalizer=config.normalizer)
    train_counts = featurizer.counts(featurizer.prepare([record.text for record in train_records]))
    dev_counts = featurizer.counts(featurizer.prepare([record.text for record in dev_records]))
    featurizer.idf = fit_idf(train_counts)
    train_x, dev_x = featurizer.weigh(train_counts), featurizer.weigh(dev_counts)
    teacher = teacher_probabilities(config, train_records)
    fits = [
        fit_attribute(
            attr, train_x, train_records, dev_x, dev_records, config, None if teacher is None else teacher[:, j]
        )
        for j, attr in enumerate(config.attributes)
    ]
    info = ModelInfo(config.name, config.version, "linear", config.languages, config.attributes, normalizer_rules=featurizer.rules)
    scorer = LinearScorer(
        info=info,
        features=config.features,
        idf=featurizer.idf,
        coef=np.column_stack([fit.coef for fit in fits]),
        intercept=np.array([fit.intercept for fit in fits], dtype=np.float32),
        calibration=[fit.calibration for fit in fits],
        normalizer=config.normalizer,
    )
    counts = report.counts if report is not None else _count(records)
    summary = TrainingSummary(
        config=_config_json(config),
        data={name: dict(per_split) for name, per_split in counts.items()},
        dropped_duplicates=report.dropped_duplicates if report is not None else 0,
        attributes={
            fit.attribute: {
                "C": fit.c,
                "train_rows": fit.train_rows,
                "train_positives": fit.train_positives,
                "dev_rows": fit.dev_rows,
                "dev_positives": fit.dev_positives,
                "dev_roc_auc_weighted": fit.dev_roc_auc,
                "dev_roc_auc_by_C": fit.dev_auc_by_c,
                "platt": asdict(fit.calibration),
            }
            for fit in fits
        },
        seconds=round(time.perf_counter() - started, 1),
    )
    return scorer, summary


def teacher_probabilities(config: TrainConfig, train_records: Sequence[Record]) -> np.ndarray | None:
    """The teacher's probabilities for the training rows, one column per attribute (None without a teacher)."""
    if config.teacher is None:
        return None
    from civility.training.distil import MODELS_DIR, teacher_scores

    return teacher_scores(MODELS_DIR / config.teacher, [r.text for r in train_records], config.attributes)


def _count(records: Sequence[Record]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for record in records:
        per_split = counts.setdefault(record.dataset, {"train": 0, "dev": 0, "test": 0})
        per_split[record.split] = per_split.get(record.split, 0) + 1
    return counts


def _config_json(config: TrainConfig) -> dict[str, object]:
    data = asdict(config)
    if data.get("normalizer") is None:
        data.pop("normalizer", None)  # the English record stays as it was
    if data.get("teacher") is None:  # likewise for models trained on human labels alone
        data.pop("teacher", None)
        data.pop("human_weight", None)
    return json.loads(json.dumps(data))


@dataclass(frozen=True)
class TrainResult:
    folder: Path
    summary: TrainingSummary


def train(
    data_dir: Path,
    out: Path,
    config: TrainConfig | None = None,
    evaluate: bool = True,
    records: Sequence[Record] | None = None,
) -> TrainResult:
    """Train on ``data_dir`` (or the given records), write the artifact to ``out`` with metrics, model card and
    checksums. ``evaluate=False`` skips the held-out evaluation (for quick tests)."""
    from civility.evaluation.run import write_evaluation
    from civility.scoring import artifact

    config = config or TrainConfig()
    report: DataReport | None = None
    if records is None:
        loaded, report = load_records(data_dir, languages=config.languages)
        records = loaded
    scorer, summary = train_scorer(records, config, report)
    final, out = out, _staging(out)
    features = config.features
    scorer.save(
        out,
        manifest_extra={
            "training_command": _training_command(config),
            "description": f"Hashed word {features.word_ngrams[0]}-{features.word_ngrams[1]} and char_wb "
            f"{features.char_ngrams[0]}-{features.char_ngrams[1]} n-grams, one logistic regression per attribute, "
            + (f"distilled from {config.teacher} (soft targets), " if config.teacher else "")
            + "Platt-calibrated on dev.",
            "framework": "numpy/scikit-learn (no pickles)",
        },
    )
    training = {**asdict(summary)}
    (out / "metrics.json").write_text(json.dumps({"training": training}, indent=2) + "\n", encoding="utf-8")
    artifact.write_checksums(out)
    if evaluate:
        write_evaluation(out, data_dir, write_card=True, records=records if report is None else None)
    _publish(out, final)
    return TrainResult(final, summary)


def _training_command(config: TrainConfig) -> str:
    if config.teacher is not None:
        return f"civility train linear --teacher {config.teacher} --version {config.version}"
    language = config.languages[0]
    return "make train" if language == "en" else f"civility train linear --language {language}"


def _staging(out: Path) -> Path:
    """A fresh folder next to ``out``'s parent to build the artifact in, so a server or test run that scans the
    models folder never sees a half-written artifact."""
    import tempfile

    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent.parent))


def _publish(staged: Path, out: Path) -> None:
    """Swap the finished artifact into place (two renames on the same file system)."""
    import shutil

    old = staged.with_name(staged.name + "-old")
    if out.exists():
        out.rename(old)
    staged.rename(out)
    out.chmod(0o755)
    shutil.rmtree(old, ignore_errors=True)
