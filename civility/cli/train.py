"""`civility train …`: build model artifacts from the labelled data in shared/data."""

from __future__ import annotations

from pathlib import Path

import typer

import civility

REPO_ROOT = Path(civility.__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
DEFAULT_LINEAR_OUT = REPO_ROOT / "models" / "linear-en-1"

app = typer.Typer(help="Train model artifacts.\n\nExample: civility train linear --out models/linear-en-1", no_args_is_help=True)


@app.callback()
def main() -> None:
    """Train model artifacts from shared/data.

    Example: civility train linear --out models/linear-en-1
    """


@app.command("linear")
def linear(
    data_dir: Path = typer.Option(DEFAULT_DATA_DIR, "--data-dir", help="Folder holding the labelled data sets."),
    out: Path | None = typer.Option(None, "--out", help="Artifact folder to (re)write (default: models/linear-<language>-1)."),
    language: str = typer.Option("en", "--language", help="Language to train: en, de, tr, ar or ru."),
    evaluate: bool = typer.Option(True, "--evaluate/--no-evaluate", help="Evaluate on the test splits and write the model card."),
    teacher: str | None = typer.Option(
        None, "--teacher", help="English only: distil from this transformer artifact under models/, e.g. minilm-en-8."
    ),
    version: int = typer.Option(1, "--version", min=1, help="Version of the artifact (a distilled model needs a new one)."),
) -> None:
    """Train a linear model (hashed n-grams + logistic regression, Platt-calibrated) for one language from that
    language's data sets and write the artifact with metrics.json, MODEL_CARD.md and SHA256SUMS.

    Example: civility train linear --language de --data-dir ../shared/data
    Example: civility train linear --teacher minilm-en-8 --version 10
    """
    from civility.training.linear import config_for, distilled_config, train

    if teacher is not None:
        if language != "en":
            raise typer.BadParameter("only the English model has a transformer to learn from", param_hint="--teacher")
        from civility.scoring.artifact import ArtifactError, read_info

        try:
            kind = read_info(REPO_ROOT / "models" / teacher).kind
        except (ArtifactError, OSError):
            raise typer.BadParameter(f"no artifact models/{teacher}", param_hint="--teacher") from None
        if kind != "onnx":
            raise typer.BadParameter(f"models/{teacher} is a {kind} model; the teacher is a transformer", param_hint="--teacher")
        config = distilled_config(teacher, version)
    else:
        try:
            config = config_for(language)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--language") from None
        if version != 1:
            from dataclasses import replace

            config = replace(config, version=version)
    out = out or REPO_ROOT / "models" / f"linear-{language}-{version}"
    result = train(data_dir, out, config=config, evaluate=evaluate)
    typer.echo(f"wrote {result.folder} in {result.summary.seconds} s")
    for attribute, facts in result.summary.attributes.items():
        typer.echo(f"  {attribute:16} C={facts['C']:<4} dev ROC-AUC={facts['dev_roc_auc_weighted']}")


if __name__ == "__main__":
    app()
