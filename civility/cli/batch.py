"""`civility batch`: score a CSV, JSONL or Parquet file of comments into a file of scores keyed by row id."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from civility.cli.settings import load_settings
from civility.scoring.types import PRODUCTION_ATTRIBUTES
from civility.services.batch import BatchError, BatchOptions, Plan, run_batch


class RateColumn(ProgressColumn):
    """Comments per second over rich's recent window."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "–/s", style="progress.data.speed")


def batch(
    input: Path = typer.Argument(..., help="CSV (with a header), JSONL (one object per line) or Parquet file."),
    output: Path = typer.Argument(..., help="Where the scores go (format from its suffix, else the input's)."),
    text_column: str = typer.Option("text", "--text-column", "-t", help="Column holding the comment text."),
    id_column: str = typer.Option("id", "--id-column", help="Column holding the row id (absent: the row number)."),
    attribute: list[str] = typer.Option(
        list(PRODUCTION_ATTRIBUTES), "--attribute", "-a", help="Repeatable; NAME or NAME@VERSION to pin a version."
    ),
    model_version: int | None = typer.Option(None, "--model-version", help="Pin this version for every attribute."),
    language: str | None = typer.Option(None, "--language", "-l", help="Language of every row (default: the first default language)."),
    detect_language: bool = typer.Option(False, "--detect-language", help="Detect each row's language instead."),
    input_format: str = typer.Option("auto", "--format", help="Input format: auto|csv|jsonl|parquet."),
    output_format: str = typer.Option("auto", "--output-format", help="Output format: auto|csv|jsonl|parquet."),
    engine: str = typer.Option("local", "--engine", help="local (this machine) or ray (a Ray cluster)."),
    workers: int = typer.Option(1, "--workers", "-w", help="Local processes, or Ray actors (0: one per cluster CPU)."),
    ray_address: str | None = typer.Option(None, "--ray-address", help="Ray cluster: host:port, ray://…, auto or local (default: settings.ray_address)."),
    batch_size: int = typer.Option(256, "--batch-size", help="Comments per model call."),
    checkpoint_every: int = typer.Option(4096, "--checkpoint-every", help="Rows between durable checkpoints."),
    restart: bool = typer.Option(False, "--restart", help="Discard an existing checkpoint and output and start over."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Score every row of INPUT into OUTPUT (one column per attribute, plus models and error), resumably.

    An interrupted run (Ctrl-C, a crash, kill -9) continues where its last checkpoint left off when rerun with the
    same arguments; each input row appears exactly once in OUTPUT. Rows that cannot be scored get an error instead.

    Example: civility batch comments.csv scores.parquet --text-column body --id-column comment_id --workers 4
    """
    settings = load_settings()
    options = BatchOptions(
        input=input,
        output=output,
        text_column=text_column,
        id_column=id_column,
        attributes=tuple(attribute),
        model_version=model_version,
        input_format=input_format,
        output_format=output_format,
        language=language or settings.default_languages[0],
        detect_language=detect_language,
        batch_size=batch_size,
        checkpoint_rows=checkpoint_every,
        max_text_bytes=settings.max_comment_bytes,
        models_dir=settings.models_dir,
        restart=restart,
    )
    console = Console(stderr=True)
    progress = Progress(
        TextColumn("[bold]scoring"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TextColumn("elapsed"),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=console,
        disable=quiet,
        transient=False,
    )
    task = progress.add_task("scoring", total=None)

    def on_start(done: int, total: int, plan: Plan) -> None:
        models = sorted({label for by in plan.labels().values() for label in by.values()})
        if done:
            console.print(f"resuming at row {done:,} of {total:,}")
        console.print(f"models: {', '.join(models)}; engine: {engine}", highlight=False)
        progress.reset(task, total=total, completed=done)
        progress.start()

    try:
        summary = run_batch(
            options,
            engine=engine,
            workers=workers,
            ray_address=ray_address or settings.ray_address,
            progress=lambda done, total: progress.update(task, completed=done),
            on_start=on_start,
        )
    except BatchError as error:
        progress.stop()
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        progress.stop()
        typer.echo("interrupted; rerun the same command to continue from the last checkpoint", err=True)
        raise typer.Exit(130) from None
    progress.stop()
    if summary.already_complete:
        console.print(f"{output} is already complete ({summary.total_rows:,} rows); --restart to score again")
        return
    console.print(
        f"{summary.total_rows:,} rows in {output} ({summary.errors:,} with errors); scored {summary.scored_now:,} "
        f"in {summary.seconds:.1f}s = {summary.rate:,.0f} comments/s",
        highlight=False,
        soft_wrap=True,
    )
