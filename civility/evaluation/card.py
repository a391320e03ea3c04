"""Render MODEL_CARD.md from an artifact's manifest and metrics.json, so the card only ever states measured numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civility.evaluation.run import results_table
from civility.scoring.artifact import status_line
from civility.training.data import HASH_BUCKETS, MAPPING_NOTES


def fmt(value: object, digits: int = 3) -> str:
    """A table cell: floats to ``digits`` places, missing values as a dash."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _data_section(training: Mapping[str, Any]) -> list[str]:
    lines = [
        "## Data",
        "",
        "All English sets in `shared/data` that carry labels usable for the six attributes (see each set's "
        "`SOURCE.md` for origin, license and citation). Rows per split after de-duplication:",
        "",
        "| dataset | train | dev | test |",
        "|---|---:|---:|---:|",
    ]
    for name, counts in sorted(training.get("data", {}).items()):
        lines.append(f"| {name} | {counts.get('train', 0)} | {counts.get('dev', 0)} | {counts.get('test', 0)} |")
    lines += [
        "",
        f"{training.get('dropped_duplicates', 0)} train/dev rows were dropped because the same normalised text occurs "
        "in a test split (any set, including the bias templates) or, for train rows, in a dev split.",
        "",
        "### Splits",
        "",
        "- Official test splits stay test: OLID `testset-level{a,b,c}`, Stormfront `sampled_test`, ConvAbuse test, "
        "DynaHate test, SBIC test; the Wikipedia toxicity test set and the bias templates are evaluation-only.",
        f"- Sets without an official split (Davidson, ETHOS, Ruddit, Civil Comments sample, Jigsaw samples, "
        f"Perspective wiki scores, ToxiGen seeds): sha1 of the normalised, lower-cased, whitespace-collapsed text; "
        f"the first 8 hex digits modulo {HASH_BUCKETS}: bucket 0 → test, 1 → dev, others → train.",
        "- Sets with an official test but no dev (OLID, Stormfront, and the DynaHate / SBIC dev files that serve as "
        "our training data): bucket 1 → dev, others → train.",
        "- ConvAbuse uses its official train / valid / test.",
        "",
        "### Label mapping",
        "",
        "A set labels only some attributes; unlabelled attributes are left out of that attribute's fit. A text a set "
        "explicitly calls non-toxic is a negative for every attribute.",
        "",
    ]
    for name, note in MAPPING_NOTES.items():
        lines.append(f"- **{name}**: {note}")
    return lines


def _training_section(training: Mapping[str, Any]) -> list[str]:
    config = training.get("config", {})
    features = config.get("features", {})
    lines = [
        "## Model and training",
        "",
        "- Input: `civility.text.normalize.normalize(text).lower()` (identical in training and serving).",
        f"- Features: hashed word n-grams {tuple(features.get('word_ngrams', ()))} into {features.get('word_features')} "
        f"buckets and `char_wb` n-grams {tuple(features.get('char_ngrams', ()))} into {features.get('char_features')} "
        "buckets; log(1 + tf) × smoothed idf fitted on the training texts; each block L2-normalised.",
        f"- One L2 logistic regression (liblinear) per attribute, C from {tuple(config.get('c_grid', ()))} by "
        "dataset-weighted dev ROC-AUC. Rows are weighted so each data set contributes ∝ size^"
        f"{config.get('dataset_weight_power')}; attributes with < {config.get('balance_below')} positive weight "
        "are class-balanced.",
        "- Platt calibration per attribute on the dev rows of the sets that have positives for that attribute "
        "(dataset-weighted, not class-balanced), so negatives merely implied by other sets' non-toxic texts do not "
        "set the base rate. Scores are probabilities for that dev mixture, not for any particular site's comments.",
        f"- Seed {config.get('seed')}; training took {training.get('seconds')} s on 1–2 CPU cores.",
    ]
    if config.get("teacher"):
        lines += [
            f"- **Distilled from `{config['teacher']}`** (`civility.training.distil`): every training row is fitted "
            "towards a soft target, the teacher's dev-calibrated probability blended with the human label where the "
            f"row has one (human weight {config.get('human_weight')}), and the teacher's probability alone where "
            "it has none (so *train rows* below counts every row, *train positives* the human positives). Dev and "
            "test rows are never given to the teacher-fit; C and calibration are chosen on human dev labels.",
        ]
    lines += [
        "",
        "| attribute | train rows | train positives | dev rows | dev positives | C | dev ROC-AUC (weighted) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for attribute, facts in training.get("attributes", {}).items():
        lines.append(
            f"| {attribute} | {facts['train_rows']} | {facts['train_positives']} | {facts['dev_rows']} | "
            f"{facts['dev_positives']} | {facts['C']} | {fmt(facts['dev_roc_auc_weighted'])} |"
        )
    return lines


def _results_section(metrics: Mapping[str, Any]) -> list[str]:
    lines = ["## Held-out results (test splits only)", ""]
    pooled = metrics["test"]["pooled"]
    lines += [
        "### Per attribute (all test rows that label it, pooled across sets)",
        "",
        "| attribute | n | positives | ROC-AUC | PR-AUC | F1@0.5 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for attribute, report in pooled.items():
        lines.append(
            f"| {attribute} | {report['n']} | {report['positives']} | {fmt(report['roc_auc'])} | "
            f"{fmt(report['pr_auc'])} | {fmt(report['f1'])} |"
        )
    lines += ["", "### Per data set and attribute", "", results_table(metrics), ""]
    olid = metrics.get("olid_subtask_a", {})
    if "macro_f1_at_0.5" in olid:
        lines += [
            "### OffensEval 2019 sub-task A (OLID test, OFF vs NOT, from TOXICITY)",
            "",
            f"- macro-F1 at threshold 0.5: **{fmt(olid['macro_f1_at_0.5'])}** (n = {olid['n']})",
        ]
        if "macro_f1_at_dev_threshold" in olid:
            lines.append(
                f"- macro-F1 at the threshold chosen on our OLID dev split ({fmt(olid['dev_threshold'], 2)}): "
                f"{fmt(olid['macro_f1_at_dev_threshold'])}"
            )
        lines += [f"- For reference, the 2019 winning system (BERT): {olid['winner_2019']}", ""]
    reference = metrics.get("reference_correlation", {})
    if reference:
        lines += ["### Rank agreement with continuous references (Spearman, test rows)", ""]
        lines += ["| reference | attribute | n | Spearman ρ |", "|---|---|---:|---:|"]
        for dataset, per_attribute in reference.items():
            for attribute, value in per_attribute.items():
                lines.append(f"| {dataset} | {attribute} | {value['n']} | {fmt(value['spearman'])} |")
        lines += [
            "",
            "`perspective-wiki` compares with Perspective's own 2018 scores (machine scores, not human labels); "
            "`ruddit` with its human offensiveness ratings.",
            "",
        ]
    return lines


def trained_on_written(training: Mapping[str, Any]) -> bool:
    """Whether the model's training data held our written frames (``civility.training.written_cases``)."""
    return "civility-written" in (training.get("data") or {})


def _frames_split_lines(bias: Mapping[str, Any], written: bool) -> list[str]:
    split = bias.get("by_written_frames")
    if not split:
        return []
    named, other = split["named"], split["not_named"]
    if written:
        lead = (
            f"The template sentences are held out, but our written training frames (`written_cases.GROUPS`) name "
            f"{len(named['identities'])} of the {len(named['identities']) + len(other['identities'])} template "
            "identities in sentences of their own. The others were never shown to the model beside their twins, so "
            "they measure how it generalises:"
        )
    else:
        lead = (
            "This model was not trained on our written frames; the split below (identities those frames name, and "
            "the rest) is shown to compare with models that were:"
        )
    lines = [lead, "", f"| identities | count | subgroup | BPSN | BNSP | worst AUC below {split['floor']} |", "|---|---:|---:|---:|---:|---:|"]
    for label, part in (("named in our frames", named), ("not named: " + ", ".join(other["identities"]), other)):
        means = part["power_mean_p-5"]
        lines.append(
            f"| {label} | {len(part['identities'])} | {fmt(means.get('subgroup_auc'))} | {fmt(means.get('bpsn_auc'))} | "
            f"{fmt(means.get('bnsp_auc'))} | {part['below_floor']} |"
        )
    return lines + [""]


def _bias_section(bias: Mapping[str, Any], training: Mapping[str, Any] | None = None) -> list[str]:
    if not bias:
        return []
    mean = bias["power_mean_p-5"]
    lines = [
        "## Identity bias (TOXICITY, Jigsaw English sentence templates)",
        "",
        f"{bias['n']} synthetic template sentences (`{bias['file']}`), half toxic. Overall ROC-AUC "
        f"{fmt(bias['overall_roc_auc'])}; mean score of non-toxic templates {fmt(bias['mean_score_nontoxic'])}, "
        f"of toxic ones {fmt(bias['mean_score_toxic'])}. Power means (p = −5, dominated by the worst terms): "
        f"subgroup AUC {fmt(mean['subgroup_auc'])}, BPSN {fmt(mean['bpsn_auc'])}, BNSP {fmt(mean['bnsp_auc'])}.",
        "",
        "Low BPSN = non-toxic sentences mentioning the identity score above toxic sentences without it (false "
        "positives on identity mentions); low BNSP = toxic sentences about the identity score low.",
        "",
        *_frames_split_lines(bias, trained_on_written(training or {})),
        "| identity term | n | subgroup AUC | BPSN AUC | BNSP AUC | named in our frames |",
        "|---|---:|---:|---:|---:|---|",
    ]
    rows = sorted(bias["per_identity"], key=lambda r: (r["bpsn_auc"] is None, r["bpsn_auc"] or 0.0))
    for row in rows:
        named = {True: "yes", False: "no"}.get(row.get("named_in_written_frames"), "–")  # type: ignore[arg-type]
        lines.append(
            f"| {row['subgroup']} | {row['n']} | {fmt(row['subgroup_auc'])} | {fmt(row['bpsn_auc'])} | "
            f"{fmt(row['bnsp_auc'])} | {named} |"
        )
    return lines


def _weaknesses(metrics: Mapping[str, Any]) -> list[str]:
    training = metrics.get("training", {})
    attributes = training.get("attributes", {})
    pooled = metrics["test"]["pooled"]
    lines = ["## Known weaknesses", ""]
    threat = attributes.get("THREAT")
    if threat:
        lines.append(
            f"- THREAT is learnt from only {threat['train_positives']} positive training texts (DynaHate "
            "`threatening`, ETHOS `violence`, Jigsaw `threat`, Perspective-score distillation); expect misses on "
            "threats phrased without the usual violent vocabulary and false alarms on violent news language."
        )
    severe = attributes.get("SEVERE_TOXICITY")
    if severe:
        lines.append(
            f"- SEVERE_TOXICITY has {severe['train_positives']} positive training texts and proxy labels "
            "(ConvAbuse severity, Ruddit ≥ 0.5, Jigsaw severe_toxic, Perspective scores)."
        )
    weak = [a for a, r in pooled.items() if r.get("roc_auc") is not None and r["roc_auc"] < 0.85]
    if weak:
        lines.append(f"- Pooled test ROC-AUC below 0.85 for: {', '.join(weak)}.")
    f1_weak = [a for a, r in pooled.items() if r.get("f1", 1.0) < 0.5]
    if f1_weak:
        lines.append(
            f"- F1 at 0.5 below 0.5 for: {', '.join(f1_weak)} — the calibrated probabilities are low for rare "
            "attributes; choose per-attribute thresholds for moderation decisions rather than 0.5."
        )
    bias = metrics.get("bias", {})
    if bias:
        low = [r["subgroup"] for r in bias["per_identity"] if r["bpsn_auc"] is not None and r["bpsn_auc"] < 0.8]
        if low:
            lines.append(
                f"- Identity terms with BPSN AUC < 0.8 (non-toxic mentions scored like toxic text): {', '.join(low)}."
            )
    lines += [
        "- A bag of n-grams: no word order beyond bigrams, no context, no sarcasm; quoted or reported abuse "
        "(\"he called me an idiot\") scores like abuse, and implicit hate without slurs (ToxiGen, DynaHate) is "
        "scored lower than explicit abuse.",
        "- Most training text is tweets (Davidson, OLID), forum and Wikipedia comments; news comments are "
        "represented only by the positives-only Civil Comments sample. Davidson's labels are known to be biased "
        "against African-American English.",
        "- English only. Scores for other languages are meaningless.",
        "- Calibration follows the dev mixture of data sets; per-site base rates differ.",
    ]
    return lines


def card_header(manifest: Mapping[str, Any], kind_note: str, rebuild_note: str, intended_use: str) -> list[str]:
    """The opening lines every model card shares: identity, rebuild and evaluate commands, intended use."""
    kind = f"`{manifest['kind']}`" + (f" ({kind_note})" if kind_note else "")
    status = status_line(dict(manifest))
    return [
        f"# Model card: {manifest['name']}@{manifest['version']}",
        "",
        *([status] if status else []),
        f"- Kind: {kind}; languages: {', '.join(manifest['languages'])}; attributes: {', '.join(manifest['attributes'])}.",
        f"- Rebuild: `{manifest.get('training_command', 'make train')}` ({rebuild_note}); evaluate: "
        f"`civility eval models/{manifest['name']}-{manifest['version']} --write-card`.",
        f"- Intended use: {intended_use}",
        f"- Input normalisation: `civility.text.normalize` rule set {manifest.get('normalizer_rules', 1)}"
        + (f"; the weights of {manifest['derived_from']}, published again to read text with it." if manifest.get("derived_from") else "."),
        *_window_line(manifest),
    ]


def _window_line(manifest: Mapping[str, Any]) -> list[str]:
    window = manifest.get("token_window")
    if not window:
        return []
    return [
        f"- Reading window: a text longer than {window['head'] + window['tail']} tokens is read as its first "
        f"{window['head']} and last {window['tail']} (`civility.scoring.onnx.TokenWindow`); a shorter one whole."
    ]


def render_card(metrics: Mapping[str, Any], manifest: Mapping[str, Any]) -> str:
    """The whole MODEL_CARD.md text."""
    training = metrics.get("training", {})
    speed = metrics.get("speed", {})
    lines = card_header(
        manifest,
        "",
        "deterministic",
        "a fast, transparent baseline for Perspective-compatible scoring of English comments and a first-pass "
        "moderation signal with a human in the loop. Not for automated sanctions on its own.",
    )
    if speed:
        lines.append(
            f"- Speed (measured at evaluation, one process): {speed['single_text_ms_median']} ms median per "
            f"single text; {speed['batch_texts_per_second']} texts/s batched (mean {speed['mean_chars']} chars)."
        )
    lines.append("")
    if training:
        lines += _data_section(training) + [""] + _training_section(training) + [""]
    lines += _results_section(metrics) + _bias_section(metrics.get("bias", {}), training) + [""] + _weaknesses(metrics)
    return "\n".join(lines) + "\n"
