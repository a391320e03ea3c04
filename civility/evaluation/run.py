"""Evaluate an artifact through the serving path (``load_scorer``) on every held-out test split.

Reports, per data set and attribute, ROC-AUC, PR-AUC, F1 at 0.5 and n; the OLID (OffensEval 2019 sub-task A) test
macro-F1; rank agreement with Perspective's own scores and Ruddit's offensiveness; identity-bias AUCs on the
Jigsaw sentence templates; and serving speed. Only test splits are scored for the quality numbers (dev is used
only to pick the OLID threshold reported next to the fixed 0.5 one).
"""

from __future__ import annotations

import csv
import json
import re
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np

from civility.evaluation.metrics import binary_report, bias_report, generalized_mean, macro_f1, spearman
from civility.scoring.artifact import load_scorer, read_info, write_checksums
from civility.scoring.base import Scorer
from civility.training.data import BIAS_TEMPLATES, Record, load_records

OLID_WINNER_MACRO_F1 = 0.829
BATCH = 1024


def score(scorer: Scorer, texts: Sequence[str]) -> np.ndarray:
    """Scores of ``texts``, each distinct text scored once, in batches."""
    unique = list(dict.fromkeys(texts))
    position = {text: index for index, text in enumerate(unique)}
    parts = [scorer.predict_proba(unique[start : start + BATCH]) for start in range(0, len(unique), BATCH)]
    table = np.vstack(parts) if parts else np.zeros((0, len(scorer.info.attributes)))
    return table[[position[text] for text in texts]]


def evaluate_splits(scorer: Scorer, records: Sequence[Record], split: str = "test") -> dict[str, object]:
    """Per data set × attribute reports on ``split``, plus all test rows pooled per attribute."""
    rows = [record for record in records if record.split == split]
    scores = score(scorer, [record.text for record in rows])
    attributes = scorer.info.attributes
    per_dataset: dict[str, dict[str, object]] = {}
    pooled: dict[str, object] = {}
    for column, attribute in enumerate(attributes):
        pooled_labels: list[int] = []
        pooled_scores: list[float] = []
        for dataset in sorted({record.dataset for record in rows}):
            index = [i for i, record in enumerate(rows) if record.dataset == dataset and record.label(attribute) is not None]
            if not index:
                continue
            labels = np.array([rows[i].label(attribute) for i in index], dtype=int)
            values = scores[index, column]
            if labels.any():  # sets with only implied negatives count in the pooled numbers, not on their own
                per_dataset.setdefault(dataset, {})[attribute] = asdict(binary_report(labels, values))
            pooled_labels.extend(labels.tolist())
            pooled_scores.extend(values.tolist())
        if pooled_labels:
            pooled[attribute] = asdict(binary_report(np.array(pooled_labels), np.array(pooled_scores)))
    return {"per_dataset": per_dataset, "pooled": pooled}


def evaluate_olid(scorer: Scorer, records: Sequence[Record]) -> dict[str, object]:
    """OffensEval 2019 sub-task A (OFF vs NOT) macro-F1 on the official test, from the TOXICITY score: at 0.5 and at
    the threshold that maximises macro-F1 on our OLID dev split."""
    column = scorer.info.attributes.index("TOXICITY")
    result: dict[str, object] = {"winner_2019": OLID_WINNER_MACRO_F1}
    by_split = {split: [r for r in records if r.dataset == "olid" and r.split == split] for split in ("dev", "test")}
    if not by_split["test"]:
        return result
    test_labels = np.array([r.label("TOXICITY") for r in by_split["test"]], dtype=int)
    test_scores = score(scorer, [r.text for r in by_split["test"]])[:, column]
    result["n"] = int(test_labels.size)
    result["macro_f1_at_0.5"] = macro_f1(test_labels, test_scores, 0.5)
    if by_split["dev"]:
        dev_labels = np.array([r.label("TOXICITY") for r in by_split["dev"]], dtype=int)
        dev_scores = score(scorer, [r.text for r in by_split["dev"]])[:, column]
        grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
        best = max(grid, key=lambda t: (macro_f1(dev_labels, dev_scores, float(t)), -abs(t - 0.5)))
        result["dev_threshold"] = float(best)
        result["macro_f1_at_dev_threshold"] = macro_f1(test_labels, test_scores, float(best))
    return result


def evaluate_reference(scorer: Scorer, records: Sequence[Record]) -> dict[str, dict[str, object]]:
    """Spearman correlation with continuous reference scores on test rows (Perspective 2018 scores, Ruddit)."""
    out: dict[str, dict[str, object]] = {}
    rows = [r for r in records if r.split == "test" and r.reference]
    if not rows:
        return out
    scores = score(scorer, [r.text for r in rows])
    for dataset in sorted({r.dataset for r in rows}):
        for column, attribute in enumerate(scorer.info.attributes):
            index = [i for i, r in enumerate(rows) if r.dataset == dataset and attribute in r.reference]
            if not index:
                continue
            reference = np.array([rows[i].reference[attribute] for i in index])
            rho = spearman(reference, scores[index, column])
            out.setdefault(dataset, {})[attribute] = {"spearman": rho, "n": len(index)}
    return out


def _identity_terms(rows: Sequence[dict[str, str]]) -> list[str]:
    """The identity words the templates swap in: the last word of every ``name_adj`` phrase."""
    return sorted({row["phrase"].split()[-1].lower() for row in rows if row["template"] == "name_adj"})


def evaluate_bias(scorer: Scorer, data_dir: Path) -> dict[str, object]:
    """Borkan et al. bias AUCs of TOXICITY per identity term on the English sentence templates."""
    folder, name = BIAS_TEMPLATES
    path = data_dir / folder / name
    if not path.exists() or "TOXICITY" not in scorer.info.attributes:
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = [row["phrase"] for row in rows]
    labels = np.array([row["toxicity"] == "toxic" for row in rows], dtype=int)
    values = score(scorer, texts)[:, scorer.info.attributes.index("TOXICITY")]
    words = [set(re.findall(r"\w+", text.lower())) for text in texts]
    reports = []
    for term in _identity_terms(rows):
        in_group = np.array([term in tokens for tokens in words])
        reports.append(bias_report(term, in_group, labels, values))
    subgroup = [r.subgroup_auc for r in reports if r.subgroup_auc is not None]
    bpsn = [r.bpsn_auc for r in reports if r.bpsn_auc is not None]
    bnsp = [r.bnsp_auc for r in reports if r.bnsp_auc is not None]
    return {
        "file": f"{folder}/{name}",
        "attribute": "TOXICITY",
        "n": int(labels.size),
        "overall_roc_auc": binary_report(labels, values).roc_auc,
        "per_identity": [asdict(r) for r in reports],
        "power_mean_p-5": {
            "subgroup_auc": generalized_mean(subgroup),
            "bpsn_auc": generalized_mean(bpsn),
            "bnsp_auc": generalized_mean(bnsp),
        },
        "mean_score_nontoxic": float(values[labels == 0].mean()),
        "mean_score_toxic": float(values[labels == 1].mean()),
    }


def measure_speed(scorer: Scorer, texts: Sequence[str]) -> dict[str, float]:
    """Single-text latency (median of 200 calls) and batched throughput on this machine (one process)."""
    sample = [text for text in texts if 20 <= len(text) <= 600][:2000] or list(texts)[:2000]
    if not sample:
        return {}
    scorer.predict_proba(sample[:10])
    latencies = []
    for text in sample[:200]:
        started = time.perf_counter()
        scorer.predict_proba([text])
        latencies.append(time.perf_counter() - started)
    started = time.perf_counter()
    for begin in range(0, len(sample), 256):
        scorer.predict_proba(sample[begin : begin + 256])
    elapsed = time.perf_counter() - started
    return {
        "single_text_ms_median": round(1000 * float(np.median(latencies)), 3),
        "batch_texts_per_second": round(len(sample) / elapsed, 1),
        "mean_chars": round(float(np.mean([len(t) for t in sample])), 1),
    }


def evaluate_artifact(
    folder: Path, data_dir: Path, records: Sequence[Record] | None = None, speed: bool = True
) -> dict[str, object]:
    """All evaluation numbers of the artifact in ``folder`` (loaded and checksum-verified like in serving)."""
    scorer = load_scorer(folder)
    if records is None:
        records, _ = load_records(data_dir, languages=scorer.info.languages)
    test_texts = [r.text for r in records if r.split == "test"]
    metrics: dict[str, object] = {
        "model": scorer.info.label,
        "test": evaluate_splits(scorer, records, "test"),
        "olid_subtask_a": evaluate_olid(scorer, records),
        "reference_correlation": evaluate_reference(scorer, records),
        "bias": evaluate_bias(scorer, data_dir),
    }
    if speed:
        metrics["speed"] = measure_speed(scorer, test_texts)
    return metrics


def write_evaluation(
    folder: Path, data_dir: Path, write_card: bool = False, records: Sequence[Record] | None = None,
    out: Path | None = None,
) -> dict[str, object]:
    """Evaluate, then write metrics.json (keeping the training section) and optionally MODEL_CARD.md.

    Writing into the artifact folder refreshes its checksums: the artifact was verified when loaded just before.
    """
    from civility.evaluation.card import render_card

    metrics = evaluate_artifact(folder, data_dir, records)
    target = out or folder / "metrics.json"
    existing_path = folder / "metrics.json"
    if existing_path.exists():
        existing = json.loads(existing_path.read_text(encoding="utf-8"))
        if "training" in existing:
            metrics = {"training": existing["training"], **metrics}
    target.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    if write_card:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        (folder / "MODEL_CARD.md").write_text(render_card(metrics, manifest), encoding="utf-8")
    if target.parent.resolve() == folder.resolve() or write_card:
        write_checksums(folder)
    return metrics


def _fmt(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def results_table(metrics: dict[str, object]) -> str:
    """The per data set / attribute table as GitHub markdown (used by the CLI and the model card)."""
    test = metrics["test"]
    assert isinstance(test, dict)
    lines = [
        "| dataset | attribute | n | positives | ROC-AUC | PR-AUC | F1@0.5 | recall@0.5 |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for dataset, per_attribute in sorted(test["per_dataset"].items()):
        for attribute, report in per_attribute.items():
            lines.append(
                f"| {dataset} | {attribute} | {report['n']} | {report['positives']} | {_fmt(report['roc_auc'])} | "
                f"{_fmt(report['pr_auc'])} | {_fmt(report['f1'])} | {_fmt(report['recall'])} |"
            )
    for attribute, report in test["pooled"].items():
        lines.append(
            f"| **all test rows** | {attribute} | {report['n']} | {report['positives']} | {_fmt(report['roc_auc'])} | "
            f"{_fmt(report['pr_auc'])} | {_fmt(report['f1'])} | {_fmt(report['recall'])} |"
        )
    return "\n".join(lines)


def model_label(folder: Path) -> str:
    return read_info(folder).label
