"""`civility authors erase` and `civility purge`: erasing one author's data, and the retention purge run once."""

from __future__ import annotations

import json

import typer

from civility.cli.settings import database_sessions, load_settings
from civility.errors import CivilityError
from civility.services import privacy, retention
from civility.services.tenancy import Principal

authors = typer.Typer(help="Authors (commenters) as a site knows them: erase one's data.", no_args_is_help=True)


@authors.command()
def erase(
    site: str = typer.Argument(..., help="The site's slug."),
    author: str = typer.Argument(..., help="The author's id as the publisher sends it (the comment's author.id)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Erase an author's texts, name and feedback from every table; decisions and counts stay, redacted.

    A running server's near-duplicate index keeps only hashes of the texts, and forgets them within its window.

    Example: civility authors erase demo reader-1234 --yes
    """
    if not yes:
        typer.confirm(f"Erase every text of author '{author}' on site '{site}'? This cannot be undone", abort=True)
    try:
        report = privacy.erase_author(database_sessions(), site, author, Principal("cli"))
    except CivilityError as error:
        typer.echo(f"error: {error.message}", err=True)
        raise typer.Exit(1 if error.http_status == 404 else 2) from None
    typer.echo(json.dumps(report.to_dict()))


def purge(
    days: int = typer.Option(None, "--days", min=1, help="Keep this many days (default: the retention_days setting)."),
) -> None:
    """Delete stored analyze requests and suggested scores older than the retention period, once; prints counts.

    Example: CIVILITY_RETENTION_DAYS=30 civility purge
    """
    keep = days if days is not None else load_settings().retention_days
    if keep is None:
        typer.echo("error: no retention period: set retention_days (CIVILITY_RETENTION_DAYS) or pass --days", err=True)
        raise typer.Exit(2)
    counts = retention.purge_expired(database_sessions(), keep)
    typer.echo(json.dumps({"retention_days": keep, "deleted": counts}))
