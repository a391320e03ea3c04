"""Evaluate an artifact through the serving path (``load_scorer``) on every held-out test split.

Reports, per data set and attribute, ROC-AUC, PR-AUC, F1 at 0.5 and n; the OLID (OffensEval 2019 sub-task A) test
macro-F1; rank agreement with Perspective's own scores and Ruddit's offensiveness; identity-bias AUCs on the
Jigsaw sentence templates; and serving speed. Only test splits are scored for the quality numbers (dev is used
only to pick the OLID threshold reported next to the fixed 0.5 one).

A German, Turkish, Arabic or Russian model is evaluated on its language's test splits, with each shared task's
macro-F1 beside the task winner's (:data:`SHARED_TASKS`), GermEval 2018's four-class fine-grained macro-F1 for the
German model, and the German bias templates. :func:`evaluate_language_id` measures the language identifier on the
non-English rows of shared/data, and :func:`render_languages_doc` writes the generated tables of docs/languages.md.
"""

from __future__ import annotations

import csv
import json
import os
import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from civility.evaluation.metrics import binary_report, bias_report, generalized_mean, macro_f1, spearman
from civility.scoring.artifact import load_scorer, read_info, write_checksums
from civility.scoring.base import Scorer
from civility.training.data import BIAS_TEMPLATES, READERS, Record, load_records
from civility.training.written_cases import identity_words

OLID_WINNER_MACRO_F1 = 0.829
BATCH = 1024
# Sentence templates per language (same columns as the English file); English keeps BIAS_TEMPLATES.
BIAS_TEMPLATE_FILES = {"en": BIAS_TEMPLATES, "de": (BIAS_TEMPLATES[0], "de_sentence_templates.csv")}


@dataclass(frozen=True)
class SharedTask:
    """A shared task whose test split we hold: which of our data sets, which attribute, the winner's macro-F1."""

    name: str
    dataset: str
    attribute: str
    winner: float | None
    note: str = ""


# Winning macro-F1 as published in each task's overview paper (on the official test set).
SHARED_TASKS: tuple[SharedTask, ...] = (
    SharedTask("GermEval 2018 task 1 (coarse)", "germeval2018", "TOXICITY", 0.7677, "official test"),
    SharedTask("GermEval 2021 sub-task 1 (toxic)", "germeval2021", "TOXICITY", 0.7183, "official test"),
    SharedTask("OffensEval 2020 Turkish sub-task A", "offenseval2020-tr", "TOXICITY", 0.8258, "official test"),
    SharedTask(
        "OSACT 2020 / OffensEval 2020 Arabic sub-task A",
        "osact2020",
        "TOXICITY",
        0.9017,
        "official dev used as test: the official test labels are not in shared/data; the winner was scored on the "
        "official test",
    ),
    SharedTask("OSACT 2020 sub-task B (hate speech)", "osact2020", "IDENTITY_ATTACK", None, "official dev used as test"),
    SharedTask("L-HSAB (abusive or hate vs normal)", "l-hsab", "TOXICITY", None, "hash split (no official split)"),
    SharedTask("L-HSAB hate vs rest", "l-hsab", "IDENTITY_ATTACK", None, "hash split"),
    SharedTask("Russian mixed set (combined_val)", "ru-combined", "TOXICITY", None, "the set author's validation split"),
    SharedTask("Russian VK news comments (distorted-toxicity set)", "ru-vk", "TOXICITY", None, "hash bucket 0 of the VK set"),
)
GERMEVAL2018_FINE_WINNER = 0.5276


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


def _best_threshold(labels: np.ndarray, scores: np.ndarray) -> float:
    """The threshold in 0.05…0.95 that maximises macro-F1 (ties: the one closest to 0.5)."""
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    return float(max(grid, key=lambda t: (macro_f1(labels, scores, float(t)), -abs(t - 0.5))))


def evaluate_shared_tasks(scorer: Scorer, records: Sequence[Record]) -> dict[str, dict[str, object]]:
    """Macro-F1 on each shared task's test split we hold, at 0.5 and at the threshold picked on the set's own dev
    rows (all of the language's dev rows for a test-only set), beside the winner's macro-F1 and our share of it."""
    out: dict[str, dict[str, object]] = {}
    for task in SHARED_TASKS:
        if task.attribute not in scorer.info.attributes:
            continue
        column = scorer.info.attributes.index(task.attribute)
        test = [r for r in records if r.dataset == task.dataset and r.split == "test" and r.label(task.attribute) is not None]
        if not test:
            continue
        dev = [r for r in records if r.dataset == task.dataset and r.split == "dev" and r.label(task.attribute) is not None]
        dev = dev or [r for r in records if r.split == "dev" and r.label(task.attribute) is not None]
        labels = np.array([r.label(task.attribute) for r in test], dtype=int)
        values = score(scorer, [r.text for r in test])[:, column]
        dev_labels = np.array([r.label(task.attribute) for r in dev], dtype=int)
        threshold = _best_threshold(dev_labels, score(scorer, [r.text for r in dev])[:, column]) if dev else 0.5
        at_dev = macro_f1(labels, values, threshold)
        out[f"{task.dataset}:{task.attribute}"] = {
            "task": task.name,
            "dataset": task.dataset,
            "attribute": task.attribute,
            "note": task.note,
            "n": int(labels.size),
            "positives": int(labels.sum()),
            "roc_auc": binary_report(labels, values).roc_auc,
            "macro_f1_at_0.5": macro_f1(labels, values, 0.5),
            "dev_threshold": threshold,
            "macro_f1_at_dev_threshold": at_dev,
            "winner": task.winner,
            "share_of_winner": round(at_dev / task.winner, 3) if task.winner else None,
        }
    return out


def evaluate_germeval_fine(scorer: Scorer, records: Sequence[Record]) -> dict[str, object]:
    """GermEval 2018 task 2 (OTHER / ABUSE / INSULT / PROFANITY) four-class macro-F1 on the official test: OTHER
    when TOXICITY is below its dev threshold, else the highest of IDENTITY_ATTACK (ABUSE), INSULT and PROFANITY."""
    from sklearn.metrics import f1_score

    needed = ("TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY")
    if not all(attribute in scorer.info.attributes for attribute in needed):
        return {}
    columns = [scorer.info.attributes.index(attribute) for attribute in needed]

    def classes(rows: Sequence[Record]) -> np.ndarray:
        return np.array(
            [0 if not r.label("TOXICITY") else 1 + [r.label(a) for a in needed[1:]].index(1) for r in rows], dtype=int
        )

    def predict(table: np.ndarray, threshold: float) -> np.ndarray:
        return np.where(table[:, 0] < threshold, 0, 1 + np.argmax(table[:, 1:], axis=1))

    def fine_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
        return float(f1_score(truth, predicted, average="macro", labels=[0, 1, 2, 3], zero_division=0))

    dev = [r for r in records if r.dataset == "germeval2018" and r.split == "dev"]
    test = [r for r in records if r.dataset == "germeval2018" and r.split == "test"]
    if not test:
        return {}
    threshold = 0.5
    if dev:
        dev_table, dev_classes = score(scorer, [r.text for r in dev])[:, columns], classes(dev)
        grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
        threshold = float(max(grid, key=lambda t: fine_f1(dev_classes, predict(dev_table, float(t)))))
    value = fine_f1(classes(test), predict(score(scorer, [r.text for r in test])[:, columns], threshold))
    return {
        "task": "GermEval 2018 task 2 (fine: OTHER/ABUSE/INSULT/PROFANITY)",
        "n": len(test),
        "dev_threshold": threshold,
        "macro_f1": value,
        "winner": GERMEVAL2018_FINE_WINNER,
        "share_of_winner": round(value / GERMEVAL2018_FINE_WINNER, 3),
    }


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


def bias_templates(data_dir: Path, language: str = "en") -> list[dict[str, str]]:
    """The identity-term sentence templates of ``language`` (rows with ``phrase`` and ``toxicity``); none if absent."""
    if language not in BIAS_TEMPLATE_FILES:
        return []
    folder, name = BIAS_TEMPLATE_FILES[language]
    path = data_dir / folder / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def evaluate_bias(scorer: Scorer, data_dir: Path, language: str = "en") -> dict[str, object]:
    """Borkan et al. bias AUCs of TOXICITY per identity term on the sentence templates of ``language`` (English,
    German); nothing for a language without templates."""
    rows = bias_templates(data_dir, language)
    if not rows or "TOXICITY" not in scorer.info.attributes:
        return {}
    folder, name = BIAS_TEMPLATE_FILES[language]
    # CIVILITY_EVAL_BIAS_STRIDE=k scores every k-th template only (slow models on busy machines); default: all.
    stride = max(1, int(os.environ.get("CIVILITY_EVAL_BIAS_STRIDE", "1") or 1))
    rows = rows[::stride]
    texts = [row["phrase"] for row in rows]
    labels = np.array([row["toxicity"] == "toxic" for row in rows], dtype=int)
    values = score(scorer, texts)[:, scorer.info.attributes.index("TOXICITY")]
    words = [set(re.findall(r"\w+", text.lower())) for text in texts]
    reports = []
    for term in _identity_terms(rows):
        in_group = np.array([term in tokens for tokens in words])
        reports.append(bias_report(term, in_group, labels, values))
    per_identity = [asdict(r) for r in reports]
    result: dict[str, object] = {
        "file": f"{folder}/{name}",
        **({"stride": stride} if stride != 1 else {}),
        "attribute": "TOXICITY",
        "n": int(labels.size),
        "overall_roc_auc": binary_report(labels, values).roc_auc,
        "per_identity": per_identity,
        "power_mean_p-5": bias_power_means(per_identity),
        "mean_score_nontoxic": float(values[labels == 0].mean()),
        "mean_score_toxic": float(values[labels == 1].mean()),
    }
    if language == "en":
        # Our written training frames name most template identities (in sentences of their own); the rest measure
        # how the model generalises to identities it was never shown beside their twins.
        named = identity_words()
        for row in per_identity:
            row["named_in_written_frames"] = row["subgroup"] in named
        result["by_written_frames"] = written_frames_split(per_identity)
    return result


BIAS_KEYS = ("subgroup_auc", "bpsn_auc", "bnsp_auc")


def bias_power_means(per_identity: Sequence[dict[str, object]]) -> dict[str, float | None]:
    """Power means (p = -5, Jigsaw's summary) of each bias AUC over the identities that have one."""
    return {key: generalized_mean([row[key] for row in per_identity if row[key] is not None]) for key in BIAS_KEYS}  # type: ignore[misc]


def worst_bias_auc(row: dict[str, object]) -> float | None:
    values = [float(row[key]) for key in BIAS_KEYS if row.get(key) is not None]  # type: ignore[arg-type]
    return min(values) if values else None


def written_frames_split(per_identity: Sequence[dict[str, object]], floor: float = 0.95) -> dict[str, object]:
    """Power means and the count below ``floor`` (worst of the three AUCs) for identities our written frames name
    and for those they do not."""
    out: dict[str, object] = {"floor": floor}
    for key, named in (("named", True), ("not_named", False)):
        rows = [row for row in per_identity if row.get("named_in_written_frames") is named]
        worst = [w for row in rows if (w := worst_bias_auc(row)) is not None]
        out[key] = {
            "identities": sorted(str(row["subgroup"]) for row in rows),
            "power_mean_p-5": bias_power_means(rows) if rows else {},
            "below_floor": sum(w < floor for w in worst),
        }
    return out


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
    language = scorer.info.languages[0] if scorer.info.languages else "en"
    if language != "en":
        metrics: dict[str, object] = {
            "model": scorer.info.label,
            "language": language,
            "test": evaluate_splits(scorer, records, "test"),
            "shared_tasks": evaluate_shared_tasks(scorer, records),
            "bias": evaluate_bias(scorer, data_dir, language),
        }
        if language == "de":
            metrics["germeval2018_fine"] = evaluate_germeval_fine(scorer, records)
        if speed:
            metrics["speed"] = measure_speed(scorer, test_texts)
        return metrics
    metrics = {
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
    kind = read_info(folder).kind
    if kind != "linear":  # transformer artifacts: contrast suite, linear baseline side by side, reference page
        from civility.evaluation.transformer_report import extend_metrics

        metrics.update(extend_metrics(folder, data_dir, metrics))
    target = out or folder / "metrics.json"
    existing_path = folder / "metrics.json"
    if existing_path.exists():
        existing = json.loads(existing_path.read_text(encoding="utf-8"))
        if "training" in existing:
            metrics = {"training": existing["training"], **metrics}
    target.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    if write_card:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if kind != "linear":
            from civility.evaluation.transformer_report import render_card as render_transformer_card

            (folder / "MODEL_CARD.md").write_text(render_transformer_card(metrics, manifest), encoding="utf-8")
        elif "shared_tasks" in metrics:  # a non-English linear model
            (folder / "MODEL_CARD.md").write_text(render_language_card(metrics, manifest), encoding="utf-8")
        else:
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


# ------------------------------------------------------------------------------ non-English cards and the docs


def shared_task_table(metrics: dict[str, object]) -> str:
    """Macro-F1 per shared task beside the winner (markdown)."""
    lines = [
        "| task | attribute | n | positives | ROC-AUC | macro-F1 @0.5 | macro-F1 @dev threshold | winner | share of winner | note |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for report in (metrics.get("shared_tasks") or {}).values():  # type: ignore[union-attr]
        share = report["share_of_winner"]
        lines.append(
            f"| {report['task']} | {report['attribute']} | {report['n']} | {report['positives']} | "
            f"{_fmt(report['roc_auc'])} | {_fmt(report['macro_f1_at_0.5'])} | "
            f"{_fmt(report['macro_f1_at_dev_threshold'])} (t={report['dev_threshold']:.2f}) | {_fmt(report['winner'])} | "
            f"{'–' if share is None else f'{100 * share:.0f}%'} | {report['note']} |"
        )
    fine = metrics.get("germeval2018_fine") or {}
    if fine:
        lines.append(
            f"| {fine['task']} | 4 classes | {fine['n']} | – | – | – | {_fmt(fine['macro_f1'])} "
            f"(t={fine['dev_threshold']:.2f}) | {_fmt(fine['winner'])} | {100 * fine['share_of_winner']:.0f}% | "
            "official test; OTHER below the TOXICITY threshold, else the top fine attribute |"
        )
    return "\n".join(lines)


def render_language_card(metrics: dict[str, object], manifest: dict[str, object]) -> str:
    """MODEL_CARD.md of a non-English linear model, from its manifest and measured metrics only."""
    from civility.training.data import mapping_notes

    language = str(metrics.get("language"))
    training = metrics.get("training") or {}
    assert isinstance(training, dict)
    config = training.get("config", {})
    features = config.get("features", {})
    lines = [
        f"# {manifest['name']}-{manifest['version']} — model card",
        "",
        f"Language: `{language}`. Attributes: {', '.join(f'`{a}`' for a in manifest['attributes'])} — only those a "
        f"data set labels in this language; any other attribute in `{language}` answers "
        "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE. Rebuild: `" + str(manifest.get("training_command")) + "`; evaluate: "
        f"`civility eval models/{manifest['name']}-{manifest['version']} --write-card`.",
        "",
        "## Input and model",
        "",
        f"- Input: `civility.text.normalize_lang.normalize_for({language!r}, text)` (named by the manifest's "
        "`normalizer`; identical in training and serving). See docs/languages.md for what it folds.",
        f"- Hashed word n-grams {tuple(features.get('word_ngrams', ()))} into {features.get('word_features')} buckets and "
        f"`char_wb` n-grams {tuple(features.get('char_ngrams', ()))} into {features.get('char_features')} buckets; "
        "log(1 + tf) × idf; each block L2-normalised.",
        f"- One L2 logistic regression per attribute (C from {tuple(config.get('c_grid', ()))} by dev ROC-AUC), "
        "Platt-calibrated on dev. Seed "
        f"{config.get('seed')}; training took {training.get('seconds')} s on 1–2 shared CPU cores.",
        "",
        "| attribute | train rows | train positives | dev rows | dev positives | C | dev ROC-AUC (weighted) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for attribute, facts in (training.get("attributes") or {}).items():
        lines.append(
            f"| {attribute} | {facts['train_rows']} | {facts['train_positives']} | {facts['dev_rows']} | "
            f"{facts['dev_positives']} | {facts['C']} | {_fmt(facts['dev_roc_auc_weighted'])} |"
        )
    lines += ["", "## Data", "", "| dataset | train | dev | test |", "|---|---:|---:|---:|"]
    for name, counts in sorted((training.get("data") or {}).items()):
        lines.append(f"| {name} | {counts.get('train', 0)} | {counts.get('dev', 0)} | {counts.get('test', 0)} |")
    lines += [
        "",
        f"{training.get('dropped_duplicates', 0)} train/dev rows were dropped because their normalised text is in a "
        "test split (or, for train rows, in a dev split). Official test splits are never trained or tuned on; sets "
        "without one are split by a hash of the normalised text (bucket 0 → test, 1 → dev).",
        "",
        "### Label mapping",
        "",
    ]
    lines += [f"- **{name}**: {note}" for name, note in mapping_notes(language).items()]
    lines += [
        "",
        "## Results beside the shared-task winners",
        "",
        "Macro-F1 is the shared tasks' ranking metric. The threshold is picked on our dev split (never on test); "
        "the 0.5 column is what a policy threshold of 0.5 on the calibrated score would give.",
        "",
        shared_task_table(metrics),
        "",
        "## All test splits",
        "",
        results_table(metrics),
    ]
    bias = metrics.get("bias") or {}
    if bias:
        assert isinstance(bias, dict)
        means = bias["power_mean_p-5"]
        lines += [
            "",
            "## Identity bias (sentence templates)",
            "",
            f"`{bias['file']}` ({bias['n']} templates), TOXICITY: overall ROC-AUC {_fmt(bias['overall_roc_auc'])}; "
            f"subgroup AUC {_fmt(means['subgroup_auc'])}, BPSN {_fmt(means['bpsn_auc'])}, BNSP "
            f"{_fmt(means['bnsp_auc'])} (power mean p = -5). Mean score of non-toxic templates "
            f"{_fmt(bias['mean_score_nontoxic'])}, of toxic ones {_fmt(bias['mean_score_toxic'])}.",
        ]
    speed = metrics.get("speed") or {}
    if speed:
        assert isinstance(speed, dict)
        lines += [
            "",
            "## Speed",
            "",
            f"{speed['single_text_ms_median']} ms per comment (median, one at a time), {speed['batch_texts_per_second']} "
            f"comments/s batched, mean {speed['mean_chars']} characters, on this machine's shared CPU.",
        ]
    lines += [
        "",
        "## Limits",
        "",
        "- Tweets and comments from the data sets' sources and years; scores are probabilities for the dev mixture, "
        "not for any particular site. Choose thresholds per site.",
        "- A linear n-gram model misses insults without offensive words, sarcasm and context.",
        "",
    ]
    return "\n".join(lines)


def evaluate_language_id(data_dir: Path, detector: object | None = None, short: int = 40) -> dict[str, object]:
    """Top-1 accuracy of the language identifier on every non-English row of shared/data (de, tr, ar, ru), overall
    and on texts under ``short`` characters, without a preferred language; plus the share it refuses (no letters
    once mentions and URLs are removed, or too unreliable), accuracy on the rows it does answer, the confusions, and
    its speed. English test rows of OLID are scored too, to show English is not lost."""
    from collections import Counter

    from civility.text.language import LanguageDetector

    detector = detector or LanguageDetector()
    rows: dict[tuple[str, str], None] = {}
    for reader in READERS.values():
        if reader.language == "en" and reader.folder != "olid":
            continue
        for record in reader.read(data_dir / reader.folder):
            if reader.language != "en" or record.split == "test":
                rows[(record.text, reader.language)] = None
    per: dict[str, Counter[str]] = {}
    confusions: Counter[str] = Counter()
    started = time.perf_counter()
    for text, language in rows:
        ranked = detector.detect(text).languages  # type: ignore[attr-defined]
        top = ranked[0] if ranked else "-"
        for group in (language, "all non-English") if language != "en" else ("en (OLID test, for reference)",):
            counts = per.setdefault(group, Counter())
            for size in ("all", "short") if len(text) < short else ("all",):
                counts[f"{size}_n"] += 1
                counts[f"{size}_ok"] += top == language
                counts[f"{size}_failed"] += top == "-"
        if top != language and len(text) < short:
            confusions[f"{language}→{top}"] += 1
    elapsed = time.perf_counter() - started

    def summary(counts: Counter[str], size: str) -> dict[str, object]:
        n, ok, failed = counts[f"{size}_n"], counts[f"{size}_ok"], counts[f"{size}_failed"]
        return {
            "n": n,
            "accuracy": round(ok / n, 4) if n else None,
            "failed": failed,
            "accuracy_when_answered": round(ok / (n - failed), 4) if n > failed else None,
        }

    return {
        "detector": "py3langid 0.4 (model in the wheel) restricted to CANDIDATE_LANGUAGES, noise stripping and "
        "letter evidence (civility.text.language)",
        "short_chars": short,
        "per_language": {
            group: {"all": summary(counts, "all"), "short": summary(counts, "short")} for group, counts in per.items()
        },
        "short_confusions": dict(confusions.most_common(12)),
        "texts_per_second": round(len(rows) / elapsed, 1),
    }


BEGIN_MARK = "<!-- generated by `civility eval --languages-doc docs/languages.md`: do not edit below -->"
END_MARK = "<!-- end of generated part -->"


def coverage_table(coverage: dict[str, dict[str, list[int]]]) -> str:
    """attribute × language markdown table: the versions that answer, or – (LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE)."""
    languages = sorted({language for per in coverage.values() for language in per}, key=lambda l: (l != "en", l))
    lines = ["| attribute | " + " | ".join(languages) + " |", "|---|" + "---|" * len(languages)]
    for attribute, per in sorted(coverage.items()):
        cells = [", ".join(f"@{v}" for v in per[language]) if language in per else "–" for language in languages]
        lines.append(f"| {attribute} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_languages_doc(models_dir: Path, language_id: dict[str, object]) -> str:
    """The generated part of docs/languages.md: coverage, language-ID accuracy, per-language results vs winners."""
    from civility.scoring.artifact import discover
    from civility.scoring.registry import ModelRegistry

    registry = ModelRegistry.from_dir(models_dir)
    lines = [BEGIN_MARK, "", "### Coverage (served in the discovery document as `x-civility-coverage`)", ""]
    lines += [coverage_table(registry.coverage()), "", "`@1` = the version that answers; – = not supported.", ""]
    lines += ["### Language identification", "", f"{language_id['detector']}. Top-1 accuracy without a preferred language:", ""]
    lines += [
        "| language | rows | accuracy | refused | accuracy when answered | rows < 40 chars | accuracy < 40 | refused < 40 | accuracy when answered < 40 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for group, report in language_id["per_language"].items():  # type: ignore[union-attr]
        a, s = report["all"], report["short"]
        lines.append(
            f"| {group} | {a['n']} | {_fmt(a['accuracy'])} | {a['failed']} | {_fmt(a['accuracy_when_answered'])} | "
            f"{s['n']} | {_fmt(s['accuracy'])} | {s['failed']} | {_fmt(s['accuracy_when_answered'])} |"
        )
    confusions = ", ".join(f"{k} {v}" for k, v in language_id["short_confusions"].items())  # type: ignore[union-attr]
    lines += ["", f"Commonest errors under 40 characters (- = refused): {confusions}.", ""]
    lines += [f"Speed: {language_id['texts_per_second']} texts/s on one shared CPU core.", ""]
    lines += ["### Per-language results beside the shared-task winners", ""]
    for folder in discover(models_dir):
        metrics_path = folder / "metrics.json"
        if not metrics_path.exists():
            continue
        metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
        if "shared_tasks" in metrics:
            lines += [f"#### {folder.name}", "", shared_task_table(metrics), ""]
            pooled = metrics["test"]["pooled"]
            rocs = ", ".join(f"{attribute} {_fmt(report['roc_auc'])}" for attribute, report in pooled.items())
            lines += [f"ROC-AUC per attribute, all test rows pooled: {rocs}.", ""]
            training = metrics.get("training") or {}
            size = sum(path.stat().st_size for path in folder.iterdir() if path.is_file())
            lines += [f"Artifact {size / 1e6:.1f} MB; trained in {training.get('seconds')} s.", ""]
        elif "olid_subtask_a" in metrics:
            olid = metrics["olid_subtask_a"]
            lines += [
                f"#### {folder.name}",
                "",
                f"OLID (OffensEval 2019 sub-task A) macro-F1 {_fmt(olid.get('macro_f1_at_dev_threshold'))} at the dev "
                f"threshold, winner {olid['winner_2019']} (see its MODEL_CARD.md).",
                "",
            ]
    lines.append(END_MARK)
    return "\n".join(lines)


def write_languages_doc(path: Path, models_dir: Path, data_dir: Path) -> dict[str, object]:
    """Measure language identification and rewrite the generated part of ``path`` (the text above it stays)."""
    language_id = evaluate_language_id(data_dir)
    generated = render_languages_doc(models_dir, language_id)
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    head = existing.split(BEGIN_MARK)[0].rstrip() + "\n\n" if BEGIN_MARK in existing or existing else ""
    tail = existing.split(END_MARK, 1)[1] if END_MARK in existing else "\n"
    path.write_text(head + generated + tail, encoding="utf-8")
    return language_id
