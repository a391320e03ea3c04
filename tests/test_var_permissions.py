"""`var/` is the service's alone: made 0700, its database (webhook and Coral secrets), key and password files 0600,
whatever the umask; and `civility serve` prints the key and the admin password only on the start that creates them."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from civility.cli import app as cli_app
from tests.live_server import live_server


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual 022 umask, under which files are world-readable unless the code takes care."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_db_upgrade_makes_var_private_on_a_fresh_directory(tmp_path: Path, loose_umask: None) -> None:
    var = tmp_path / "fresh" / "var"
    env = {"CIVILITY_DATABASE_URL": f"sqlite:///{var / 'civility.db'}"}
    result = CliRunner().invoke(cli_app, ["db", "upgrade"], env=env)
    assert result.exit_code == 0, result.output
    assert _mode(var) == 0o700 and _mode(var.parent) == 0o700
    made = [var / name for name in ("civility.db", "civility.db-wal", "civility.db-shm") if (var / name).exists()]
    assert var / "civility.db" in made
    assert {path.name: _mode(path) for path in made} == {path.name: 0o600 for path in made}


def test_an_older_install_is_tightened(tmp_path: Path, loose_umask: None) -> None:
    var = tmp_path / "var"
    var.mkdir()
    env = {"CIVILITY_DATABASE_URL": f"sqlite:///{var / 'civility.db'}"}
    assert CliRunner().invoke(cli_app, ["db", "upgrade"], env=env).exit_code == 0
    for name in ("civility.db", "civility.db-wal"):
        (var / name).touch()
        (var / name).chmod(0o644)
    assert CliRunner().invoke(cli_app, ["db", "current"], env=env).exit_code == 0
    assert _mode(var / "civility.db") == 0o600 and _mode(var / "civility.db-wal") == 0o600


def test_serve_keeps_var_private_and_prints_credentials_only_when_it_makes_them(tmp_path: Path, loose_umask: None) -> None:
    var = tmp_path / "var"
    env = {
        "CIVILITY_DATABASE_URL": f"sqlite:///{var / 'civility.db'}",
        "CIVILITY_LOCAL_KEY_FILE": str(var / "local-api-key"),
        "CIVILITY_LOCAL_ADMIN_FILE": str(var / "local-admin-password"),
        "CIVILITY_LOAD_DEMO": "false",
    }
    with live_server(tmp_path, env) as first:
        assert first.key and first.admin_password
        assert _mode(var) == 0o700
        files = sorted(path.name for path in var.iterdir())
        assert {"civility.db", "local-api-key", "local-admin-password"} <= set(files)
        assert {name: _mode(var / name) for name in files} == {name: 0o600 for name in files}  # -wal and -shm too
    log = (tmp_path / "server.log").read_text()
    assert f"password {first.admin_password}" in log and first.key in log

    with live_server(tmp_path, env) as second:
        assert (second.key, second.admin_password) == (first.key, first.admin_password)  # reused, not remade
    log = (tmp_path / "server.log").read_text()
    assert "Civility serving on" in log
    assert first.admin_password not in log and first.key not in log
    assert f"password in {var / 'local-admin-password'}" in log and f"in {var / 'local-api-key'}" in log
