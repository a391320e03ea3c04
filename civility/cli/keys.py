"""`civility keys`: API keys for the Perspective and native APIs."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from civility.cli.settings import database_sessions
from civility.services import keys as key_service

app = typer.Typer(help="Create, list and revoke API keys (stored hashed).", no_args_is_help=True)


@app.command()
def create(
    name: str = typer.Argument(..., help="Who the key is for, e.g. 'coral-production'."),
    scope: list[str] = typer.Option(["score"], "--scope", "-s", help="score, moderate, admin or metrics (reads /metrics only); repeatable."),
    qps: float = typer.Option(None, help="This key's rate limit in requests per second (default: the server's)."),
    burst: float = typer.Option(None, help="This key's burst (default: the server's, at least its QPS)."),
    site: list[str] = typer.Option(
        [], "--site", help="Bind the key to this site (its slug); repeatable. Without it the key reaches every site."
    ),
) -> None:
    """Create a key and print it. It is shown only this once: only its hash is stored.

    A key bound to sites gets 404 for every other site's sites, comments, queues, policies and audit log.

    Example: civility keys create coral-production --scope score --qps 20
    Example: civility keys create daily-cms --scope moderate --site daily
    """
    try:
        created = key_service.create_key(database_sessions(), name, tuple(scope), qps, burst, tuple(site))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    typer.echo(created.key)
    bound = f", sites {','.join(created.info.sites)}" if created.info.sites else ", every site"
    typer.echo(f"id {created.info.id}, scopes {','.join(created.info.scopes)}{bound}", err=True)


@app.command("list")
def list_keys() -> None:
    """List keys (prefix, scopes, sites, created, last used, revoked).

    Example: civility keys list
    """
    table = Table("id", "name", "prefix", "scopes", "sites", "created", "last used", "revoked")
    for info in key_service.list_keys(database_sessions()):
        table.add_row(
            str(info.id),
            info.name,
            info.prefix + "…",
            ",".join(info.scopes),
            ",".join(info.sites) if info.sites else "all",
            f"{info.created_at:%Y-%m-%d %H:%M}",
            f"{info.last_used_at:%Y-%m-%d %H:%M}" if info.last_used_at else "-",
            f"{info.revoked_at:%Y-%m-%d %H:%M}" if info.revoked_at else "-",
        )
    Console(width=160).print(table)


@app.command()
def revoke(key_id: int = typer.Argument(..., help="The key's id, from `civility keys list`.")) -> None:
    """Revoke a key: requests with it fail from now on.

    Example: civility keys revoke 3
    """
    if not key_service.revoke_key(database_sessions(), key_id):
        typer.echo(f"no active key with id {key_id}", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked key {key_id}")
