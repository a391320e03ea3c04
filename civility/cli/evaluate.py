"""`civility eval …`: evaluate an artifact through the serving path and (optionally) refresh its model card."""

from __future__ import annotations

from pathlib import Path

import typer

from civility.cli.train import DEFAULT_DATA_DIR, DEFAULT_LINEAR_OUT

app = typer.Typer(help="Evaluate model artifacts.\n\nExample: civility eval models/linear-en-1 --write-card")


@app.callback(invoke_without_command=True, context_settings={"allow_interspersed_args": True})
def evaluate(
    artifact_dir: Path = typer.Argument(DEFAULT_LINEAR_OUT, help="Artifact folder (with manifest.json)."),
    data_dir: Path = typer.Option(DEFAULT_DATA_DIR, "--data-dir", help="Folder holding the labelled data sets."),
    out: Path | None = typer.Option(None, "--out", help="Where to write metrics.json (default: inside the artifact)."),
    write_card: bool = typer.Option(False, "--write-card", help="Also re-render MODEL_CARD.md in the artifact."),
    languages_doc: Path | None = typer.Option(
        None, "--languages-doc", help="Instead: measure language identification and regenerate this file's tables."
    ),
) -> None:
    """Score every held-out test split, the OLID test (English) or the language's shared tasks beside their winners,
    and the identity-bias templates; print the table and write metrics.json (refreshing the artifact's checksums when
    writing into it). With --languages-doc, measure language identification on shared/data and regenerate the
    coverage, language-ID and per-language tables of docs/languages.md from the models' metrics.json.

    Example: civility eval models/linear-de-1 --data-dir ../shared/data --write-card
    """
    from rich.console import Console
    from rich.table import Table

    from civility.evaluation.run import write_evaluation, write_languages_doc

    console = Console()
    if languages_doc is not None:
        report = write_languages_doc(languages_doc, artifact_dir.parent, data_dir)
        for group, per in report["per_language"].items():  # type: ignore[union-attr]
            console.print(
                f"{group}: accuracy {per['all']['accuracy']} (n={per['all']['n']}), "
                f"< 40 chars {per['short']['accuracy']} (n={per['short']['n']}, refused {per['short']['failed']})"
            )
        console.print(f"wrote {languages_doc}")
        return
    metrics = write_evaluation(artifact_dir, data_dir, write_card=write_card, out=out)
    table = Table(title=f"{metrics['model']} — test splits")
    for column in ("dataset", "attribute", "n", "pos", "ROC-AUC", "PR-AUC", "F1@0.5"):
        table.add_column(column, justify="left" if column in ("dataset", "attribute") else "right")

    def fmt(value: object) -> str:
        return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)

    test = metrics["test"]
    for dataset, per_attribute in sorted(test["per_dataset"].items()):
        for attribute, r in per_attribute.items():
            table.add_row(dataset, attribute, str(r["n"]), str(r["positives"]), fmt(r["roc_auc"]), fmt(r["pr_auc"]), fmt(r["f1"]))
    for attribute, r in test["pooled"].items():
        table.add_row("ALL", attribute, str(r["n"]), str(r["positives"]), fmt(r["roc_auc"]), fmt(r["pr_auc"]), fmt(r["f1"]))
    console.print(table)
    for report in (metrics.get("shared_tasks") or {}).values():
        winner = report["winner"]
        console.print(
            f"{report['task']} [{report['attribute']}]: macro-F1 {fmt(report['macro_f1_at_dev_threshold'])} at dev "
            f"threshold {report['dev_threshold']}, {fmt(report['macro_f1_at_0.5'])} at 0.5"
            + (f" (winner {winner}, {100 * report['share_of_winner']:.0f}%)" if winner else "")
        )
    fine = metrics.get("germeval2018_fine") or {}
    if fine:
        console.print(f"{fine['task']}: macro-F1 {fmt(fine['macro_f1'])} (winner {fine['winner']})")
    olid = metrics.get("olid_subtask_a") or {}
    if "macro_f1_at_0.5" in olid:
        console.print(
            f"OLID sub-task A macro-F1: {fmt(olid['macro_f1_at_0.5'])} at 0.5, "
            f"{fmt(olid.get('macro_f1_at_dev_threshold'))} at dev threshold {olid.get('dev_threshold')} "
            f"(2019 winner {olid['winner_2019']})"
        )
    bias = metrics.get("bias") or {}
    if bias:
        means = bias["power_mean_p-5"]
        console.print(
            f"Bias (TOXICITY, templates): subgroup AUC {fmt(means['subgroup_auc'])}, BPSN {fmt(means['bpsn_auc'])}, "
            f"BNSP {fmt(means['bnsp_auc'])} (power mean p=-5)"
        )
    speed = metrics.get("speed") or {}
    if speed:
        console.print(f"Speed: {speed['single_text_ms_median']} ms/text single, {speed['batch_texts_per_second']} texts/s batched")


if __name__ == "__main__":
    app()
