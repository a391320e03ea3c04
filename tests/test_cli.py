"""The CLI through Typer's runner, against real SQLite files and the committed model."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from civility.cli import app
from tests.databases import query


@pytest.fixture
def env(database_url: str) -> dict[str, str]:
    return {"CIVILITY_DATABASE_URL": database_url}


def test_keys_create_list_revoke(env: dict[str, str]) -> None:
    runner = CliRunner()
    created = runner.invoke(app, ["keys", "create", "coral", "--scope", "score", "--scope", "moderate"], env=env)
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[0]
    assert key.startswith("cvl_") and len(key) > 30
    stored = query(env["CIVILITY_DATABASE_URL"], "SELECT key_hash, scopes FROM api_keys")
    assert stored and stored[0][1] == "score,moderate"
    assert key not in stored[0][0]  # only the hash is stored

    listing = runner.invoke(app, ["keys", "list"], env=env)
    assert "coral" in listing.stdout and key[:12] in listing.stdout and key not in listing.stdout

    assert runner.invoke(app, ["keys", "revoke", "1"], env=env).exit_code == 0
    again = runner.invoke(app, ["keys", "revoke", "1"], env=env)
    assert again.exit_code == 1


def test_keys_create_refuses_unknown_scope(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["keys", "create", "x", "--scope", "root"], env=env)
    assert result.exit_code != 0
    assert "unknown scopes" in result.output


def test_score_prints_a_table(env: dict[str, str], registry) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["score", "you are a stupid idiot", "--language", "en"], env=env)
    assert result.exit_code == 0, result.output
    served = registry.resolve("TOXICITY", "en").scorer.info.label  # the newest English model answers by default
    for name in ("TOXICITY", "INSULT", "THREAT", served):
        assert name in result.stdout
    pinned = CliRunner().invoke(app, ["score", "you are a stupid idiot", "-l", "en", "-a", "TOXICITY@1"], env=env)
    assert "linear-en@1" in pinned.stdout


def test_score_reads_and_writes_jsonl(env: dict[str, str]) -> None:
    lines = [
        json.dumps({"id": "a", "text": "you are a stupid idiot"}),
        json.dumps({"id": "b", "text": "Thanks for the careful reporting."}),
        "not json",
        json.dumps({"id": "c", "text": ""}),
    ]
    result = CliRunner().invoke(app, ["score", "-", "-a", "TOXICITY", "-l", "en"], input="\n".join(lines) + "\n", env=env)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["a", "b", None, "c"]
    assert out[0]["scores"]["TOXICITY"] > out[1]["scores"]["TOXICITY"]
    assert out[2]["error"]["errorType"] == "INVALID_JSON"
    assert out[3]["error"]["errorType"] == "COMMENT_EMPTY"


def test_db_upgrade_and_current(env: dict[str, str]) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"], env=env).exit_code == 0
    current = runner.invoke(app, ["db", "current"], env=env)
    from civility.storage.migrate import head

    assert f"current: {head()}  head: {head()}" in current.stdout
