"""`civility users`: dashboard accounts (admin, moderator, editor)."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.table import Table

from civility.cli.settings import database_sessions
from civility.services import users as user_service

app = typer.Typer(help="Create, list and disable dashboard users (passwords hashed with argon2id).", no_args_is_help=True)


@app.command()
def create(
    username: str = typer.Argument(..., help="The sign-in name, e.g. 'jane'."),
    role: str = typer.Option(..., "--role", "-r", help="admin (everything), moderator (queue, decisions) or editor (corrections)."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from the first line of stdin."),
    site: list[str] = typer.Option(
        [], "--site", help="Bind the user to this site (its slug); repeatable. Without it the user reaches every site."
    ),
) -> None:
    """Create a dashboard user. Without --password-stdin the password is asked for twice, hidden.

    A user bound to sites sees only those sites; every other site's pages answer 404.

    Example: civility users create jane --role moderator --site daily
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        info = user_service.create_user(database_sessions(), username, password, role, sites=tuple(site))
    except user_service.UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"created {info.role} '{info.username}'" + (f" for {', '.join(info.sites)}" if info.sites else ""))


@app.command("list")
def list_users() -> None:
    """List users (name, role, sites, created, disabled).

    Example: civility users list
    """
    table = Table("id", "username", "role", "sites", "created", "disabled")
    for info in user_service.list_users(database_sessions()):
        table.add_row(
            str(info.id), info.username, info.role, ",".join(info.sites) if info.sites else "all",
            f"{info.created_at:%Y-%m-%d %H:%M}", "yes" if info.disabled else "-",
        )
    Console(width=120).print(table)


@app.command()
def disable(username: str = typer.Argument(..., help="The user to disable; their sessions end at once.")) -> None:
    """Disable a user: they cannot sign in, and their open sessions are ended.

    Example: civility users disable jane
    """
    if not user_service.disable_user(database_sessions(), username):
        typer.echo(f"no user named '{username}'", err=True)
        raise typer.Exit(1)
    typer.echo(f"disabled '{username}'")
