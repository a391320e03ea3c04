"""Build the cascade artifact: measure quality against throughput for candidate operating points and pick one.

The operating point is chosen on dev rows only: the highest ``low`` (fewest comments sent to the transformer) whose
mean ROC-AUC over the attributes stays within ``max_auc_drop`` of the transformer alone. The same curve on test rows
is reported, never used for the choice. Escalation on a realistic mix (the Wikipedia toxicity test set, about one
comment in six toxic) turns per-model speeds into the cascade's expected comments per second.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from civility.evaluation.metrics import roc_auc
from civility.scoring.artifact import load_scorer, read_info, write_checksums
from civility.scoring.base import Scorer
from civility.scoring.types import PRODUCTION_ATTRIBUTES
from civility.training.data import Record, load_records

GRID = (0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.5)


MIN_POSITIVES = 50  # attributes with fewer positives in the sample give ROC-AUCs too noisy to choose by


@dataclass(frozen=True)
class CurvePoint:
    low: float
    escalated: float
    mean_auc: float  # over the attributes with at least MIN_POSITIVES positives in the sample
    auc: dict[str, float]


def _columns(scorer: Scorer, attributes: Sequence[str]) -> list[int]:
    return [scorer.info.attributes.index(a) for a in attributes]


def _labels(records: Sequence[Record], attributes: Sequence[str]) -> np.ndarray:
    return np.array([[np.nan if r.labels.get(a) is None else float(r.labels[a]) for a in attributes] for r in records])


def curve(fast: np.ndarray, accurate: np.ndarray, labels: np.ndarray, attributes: Sequence[str], grid: Sequence[float] = GRID) -> list[CurvePoint]:
    points = []
    for low in (0.0, *grid, 1.01):  # 0: every comment to the transformer; 1.01: the fast model alone
        unsure = fast.max(axis=1) >= low
        mixed = np.where(unsure[:, None], accurate, fast)
        aucs, counted = {}, []
        for j, attribute in enumerate(attributes):
            known = ~np.isnan(labels[:, j])
            value = roc_auc(labels[known, j].astype(int), mixed[known, j]) if known.any() else None
            if value is not None:
                aucs[attribute] = value
                if np.nansum(labels[:, j]) >= MIN_POSITIVES:
                    counted.append(value)
        points.append(CurvePoint(low, float(unsure.mean()), float(np.mean(counted)), aucs))
    return points


def _speed(scorer: Scorer, texts: Sequence[str]) -> float:
    """Seconds per text, batched (after one warm-up call)."""
    scorer.predict_proba(list(texts[:8]))
    started = time.perf_counter()
    scorer.predict_proba(list(texts))
    return (time.perf_counter() - started) / len(texts)


def build(
    models_dir: Path,
    data_dir: Path,
    fast_name: str = "linear-en-1",
    accurate_name: str = "minilm-en-2",
    out_name: str = "cascade-en-3",
    max_auc_drop: float = 0.005,
    sample: int = 3000,
    seed: int = 7,
) -> dict[str, Any]:
    fast = load_scorer(models_dir / fast_name)
    accurate = load_scorer(models_dir / accurate_name)
    attributes = [a for a in PRODUCTION_ATTRIBUTES if a in fast.info.attributes and a in accurate.info.attributes]
    records, _ = load_records(data_dir)
    rng = random.Random(seed)
    by_split: dict[str, list[Record]] = {}
    for split in ("dev", "test"):
        rows = [r for r in records if r.split == split and any(r.labels.get(a) is not None for a in attributes)]
        rng.shuffle(rows)
        by_split[split] = rows[:sample]
    curves: dict[str, list[CurvePoint]] = {}
    for split, rows in by_split.items():
        texts = [r.text for r in rows]
        f = fast.predict_proba(texts)[:, _columns(fast, attributes)]
        a = accurate.predict_proba(texts)[:, _columns(accurate, attributes)]
        curves[split] = curve(f, a, _labels(rows, attributes), attributes)
    reference = curves["dev"][0].mean_auc  # low = 0: every comment to the transformer
    candidates = [p for p in curves["dev"] if 0 < p.low <= 1 and reference - p.mean_auc <= max_auc_drop]
    chosen = max(candidates, key=lambda p: p.low, default=None)
    low = chosen.low if chosen else GRID[0]

    realistic = [r.text for r in records if r.dataset == "wiki-toxicity"][:1500]
    fast_cols = _columns(fast, attributes)
    escalated = float((fast.predict_proba(realistic)[:, fast_cols].max(axis=1) >= low).mean())
    t_fast, t_accurate = _speed(fast, realistic[:512]), _speed(accurate, realistic[:256])
    speed = {
        "fast_per_s": 1 / t_fast,
        "accurate_per_s": 1 / t_accurate,
        "cascade_per_s": 1 / (t_fast + escalated * t_accurate),
        "escalated_on_realistic_mix": escalated,
    }

    folder = models_dir / out_name
    folder.mkdir(parents=True, exist_ok=True)
    version = int(out_name.rsplit("-", 1)[1])
    manifest = {
        "name": out_name.rsplit("-", 1)[0],
        "version": version,
        "kind": "cascade",
        "languages": ["en"],
        "attributes": attributes,
        "training_command": "make cascade",
        "fast": fast.info.label,
        "accurate": accurate.info.label,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    (folder / "cascade.json").write_text(json.dumps({"fast": fast_name, "accurate": accurate_name, "low": low}, indent=2) + "\n", encoding="utf-8")
    metrics = {
        "chosen_low": low,
        "max_auc_drop": max_auc_drop,
        "speed": speed,
        "curves": {split: [p.__dict__ for p in points] for split, points in curves.items()},
    }
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    (folder / "MODEL_CARD.md").write_text(_card(manifest, metrics), encoding="utf-8")
    write_checksums(folder)
    read_info(folder)
    return metrics


def _card(manifest: dict[str, Any], metrics: dict[str, Any]) -> str:
    speed = metrics["speed"]
    lines = [
        f"# Model card: {manifest['name']}@{manifest['version']} (cascade)",
        "",
        f"- Fast model: `{manifest['fast']}`; accurate model: `{manifest['accurate']}`; attributes: {', '.join(manifest['attributes'])}.",
        f"- Rule: if every attribute scores below **{metrics['chosen_low']}** on the fast model, its scores stand; otherwise the "
        "accurate model's scores are served.",
        f"- Chosen on dev rows: the highest threshold whose mean ROC-AUC (over attributes with at least {MIN_POSITIVES} positives "
        f"in the sample) is within {metrics['max_auc_drop']} of the accurate model alone. Rebuild: `make cascade` (no training; it measures and writes this folder).",
        "",
        "## Speed (measured while building, batched, one process)",
        "",
        f"- Fast: {speed['fast_per_s']:.0f} comments/s; accurate: {speed['accurate_per_s']:.0f} comments/s.",
        f"- On a realistic mix (Wikipedia toxicity test set) {speed['escalated_on_realistic_mix']:.1%} of comments go to the "
        f"accurate model, so the cascade runs at about {speed['cascade_per_s']:.0f} comments/s.",
        "",
    ]
    for split in ("dev", "test"):
        lines += [
            f"## Quality against escalation ({split} rows{'; used for the choice' if split == 'dev' else '; reported only'})",
            "",
            "| fast threshold | sent to transformer | mean ROC-AUC | " + " | ".join(metrics["curves"][split][0]["auc"]) + " |",
            "|---:|---:|---:|" + "---:|" * len(metrics["curves"][split][0]["auc"]),
        ]
        for point in metrics["curves"][split]:
            label = "0 (transformer only)" if point["low"] == 0 else "never (fast only)" if point["low"] > 1 else f"{point['low']:.2f}"
            aucs = " | ".join(f"{v:.3f}" for v in point["auc"].values())
            lines.append(f"| {label} | {point['escalated']:.1%} | {point['mean_auc']:.4f} | {aucs} |")
        lines.append("")
    return "\n".join(lines)
