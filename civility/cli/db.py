"""`civility db`: schema migrations."""

from __future__ import annotations

import typer

from civility.cli.settings import load_settings
from civility.storage import migrate
from civility.storage.engine import make_engine

app = typer.Typer(help="Database schema migrations (Alembic).", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Migrate the database to REVISION (default: the newest).

    Example: civility db upgrade
    """
    settings = load_settings()
    migrate.upgrade(make_engine(settings.database_url), revision)
    typer.echo(f"database at {migrate.current(make_engine(settings.database_url))}")


@app.command()
def downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. base.")) -> None:
    """Migrate the database down to REVISION.

    Example: civility db downgrade base
    """
    settings = load_settings()
    engine = make_engine(settings.database_url)
    migrate.downgrade(engine, revision)
    typer.echo(f"database at {migrate.current(engine)}")


@app.command()
def current() -> None:
    """Print the database's revision and the newest one this version knows.

    Example: civility db current
    """
    settings = load_settings()
    typer.echo(f"current: {migrate.current(make_engine(settings.database_url))}  head: {migrate.head()}")
