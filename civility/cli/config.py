"""`civility config`: show the settings in force, or the documentation table of all settings."""

from __future__ import annotations

import typer

from civility.cli.settings import load_settings
from civility.config import settings_markdown


def config(markdown: bool = typer.Option(False, "--markdown", help="Print the docs table of every setting.")) -> None:
    """Print the settings in force (from CIVILITY_* variables and CIVILITY_CONFIG_FILE).

    Example: CIVILITY_PORT=9000 civility config
    """
    if markdown:
        typer.echo(settings_markdown(), nl=False)
        return
    for name, value in load_settings().model_dump().items():
        typer.echo(f"{name} = {value}")
