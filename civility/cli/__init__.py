"""The `civility` command: every command is a thin shell over one service call."""

from __future__ import annotations

import typer

from civility.cli import batch, config, db, demo, keys, learning, models, privacy, score, serve, users

app = typer.Typer(
    name="civility",
    help="Open, self-hosted comment moderation with a Perspective-compatible API.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("serve")(serve.serve)
app.command("score")(score.score)
app.command("batch")(batch.batch)
app.command("config")(config.config)
app.command("demo")(demo.demo)
app.command("export-decisions")(learning.export)
app.command("calibrate")(learning.calibrate)
app.command("purge")(privacy.purge)
app.add_typer(keys.app, name="keys")
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(models.app, name="models")
app.add_typer(privacy.authors, name="authors")


def _mount_optional() -> None:
    """Training and evaluation commands; their heavier imports happen only when they run."""
    from civility.cli import evaluate, train

    app.add_typer(train.app, name="train")
    app.add_typer(evaluate.app, name="eval")


_mount_optional()


def main() -> None:
    app()
