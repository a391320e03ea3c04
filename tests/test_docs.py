"""Docs that teach must stay true: every setting and every CLI command is documented."""

from __future__ import annotations

from typer.main import get_command

from civility.cli import app
from civility.config import PROJECT_ROOT, settings_markdown


def test_settings_table_is_current() -> None:
    docs = (PROJECT_ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert settings_markdown() in docs, "regenerate with: civility config --markdown"


def _commands(group, prefix=""):  # type: ignore[no-untyped-def]
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        if hasattr(command, "commands"):
            yield from _commands(command, path + " ")
        else:
            yield path, command


def test_every_command_has_help_with_an_example_and_is_in_the_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for path, command in _commands(get_command(app)):
        assert command.help and "Example:" in command.help, path
        assert f"civility {path.split()[0]}" in readme, path
