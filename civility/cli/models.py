"""`civility models`: the committed model artifacts, and which of them answer unpinned requests."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from civility.cli.settings import load_settings
from civility.scoring.artifact import ArtifactError, discover, read_info, renormalised_copy, set_status, windowed_copy
from civility.text.normalize import RULES

app = typer.Typer(help="List model artifacts; release a candidate or hold a model back.", no_args_is_help=True)


@app.command("list")
def list_models() -> None:
    """Every artifact under the models folder: name, version, kind, languages, attributes, status.

    Example: civility models list
    """
    table = Table("model", "kind", "languages", "attributes", "status")
    for info in sorted((read_info(folder) for folder in discover(load_settings().models_dir)), key=lambda i: (i.name, i.version)):
        status = "candidate (pin only)" if info.candidate else "released"
        table.add_row(info.label, info.kind, ",".join(info.languages), str(len(info.attributes)), status)
    Console().print(table)


def _artifact(name: str) -> Path:
    """The artifact folder called ``name`` directly under the models folder: a name like "../x" never reaches outside."""
    models_dir = load_settings().models_dir
    folder = next((found for found in discover(models_dir) if found.name == name), None)
    if folder is None:
        raise typer.BadParameter(f"no artifact {name!r} in {models_dir}", param_hint="name")
    return folder


@app.command("status")
def status(
    name: str = typer.Argument(..., help="The artifact's folder name under the models folder, e.g. cascade-en-14."),
    value: str = typer.Argument(..., help="released (answers unpinned requests when newest) or candidate (pin only)."),
    reason: str = typer.Option(None, "--reason", help="Why a candidate is held back (kept in its manifest and card)."),
) -> None:
    """Release a candidate model, or hold a model back as a candidate reached only by its version pin.

    Example: civility models status cascade-en-14 released
    """
    folder = _artifact(name)
    try:
        info = set_status(folder, value, reason)
    except ArtifactError as exc:
        raise typer.BadParameter(str(exc)) from None
    typer.echo(f"{info.label}: {'candidate (pin only)' if info.candidate else 'released'}")


@app.command("renormalise")
def renormalise(
    name: str = typer.Argument(..., help="The artifact to copy, e.g. minilm3-en-20 (a linear or onnx model)."),
    version: int = typer.Argument(..., help="The new version: newer than the source, and used by no other artifact."),
    rules: int = typer.Option(RULES, "--rules", min=1, max=RULES, help="Normaliser rule set the copy reads text with."),
) -> None:
    """Publish a model's weights again as a new candidate version that reads text with other normaliser rules
    (default: the current set).

    A version's scores never move: each artifact names the normaliser rules it reads text with. Evaluate the copy
    (it is a candidate until released), then release it or build a cascade on it.

    Example: civility models renormalise minilm3-en-20 28 --rules 3 && civility eval models/minilm3-en-28 --write-card
    """
    folder = _artifact(name)
    try:
        target = renormalised_copy(folder, version, rules)
    except ArtifactError as exc:
        raise typer.BadParameter(str(exc)) from None
    typer.echo(f"{read_info(target).label}: candidate reading text with rule set {rules} ({target})")


@app.command("window")
def window(
    name: str = typer.Argument(..., help="The transformer to copy, e.g. minilm3-en-48 (an onnx model)."),
    version: int = typer.Argument(..., help="The new version: newer than the source, and used by no other artifact."),
    head: int = typer.Option(64, "--head", min=1, help="Tokens read from a long text's start ([CLS] included)."),
    tail: int = typer.Option(64, "--tail", min=1, help="Tokens read from its end ([SEP] included)."),
) -> None:
    """Publish a transformer's weights again as a new candidate version that reads at most head + tail tokens of a
    text: its first and its last ones. A shorter text is read whole, as before.

    Fewer tokens is less compute for the long comments a cascade sends to the transformer; reading the end as well
    keeps what the first tokens alone would miss. Evaluate the copy before releasing it or building a cascade on it.

    Example: civility models window minilm3-en-48 64 --head 64 --tail 64 && civility eval models/minilm3-en-64 --write-card
    """
    folder = _artifact(name)
    try:
        target = windowed_copy(folder, version, head, tail)
    except ArtifactError as exc:
        raise typer.BadParameter(str(exc)) from None
    typer.echo(f"{read_info(target).label}: candidate reading the first {head} and last {tail} tokens ({target})")
