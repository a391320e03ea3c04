"""Retention (issue 23, finding 6): stored analyze texts and suggested scores older than retention_days are purged,
by the server's periodic task and by `civility purge`; newer ones and moderated comments stay."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from typer.testing import CliRunner

from civility.api.app import create_app
from civility.cli import app as cli
from civility.config import Settings
from civility.scoring.registry import ModelRegistry
from civility.services.context import Services, build_services
from civility.services.keys import create_key
from civility.storage.tables import AnalyzedComment, Suggestion, utcnow
from civility.text.language import LanguageDetector
from tests.databases import query

OLD = "An old remark about the harbour, stored long ago."
NEW = "A fresh remark about the harbour, stored today."


def _store(client: TestClient, key: str, text: str) -> None:
    analyzed = client.post(
        f"/v1alpha1/comments:analyze?key={key}",
        json={"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]},
    )
    assert analyzed.status_code == 200, analyzed.text
    suggested = client.post(
        f"/v1alpha1/comments:suggestscore?key={key}",
        json={
            "comment": {"text": text},
            "context": {"entries": [{"text": "context"}]},
            "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.1}}, "INSULT": {"summaryScore": {"value": 0}}},
            "languages": ["en"],
        },
    )
    assert suggested.status_code == 200, suggested.text


def _age(services: Services, text: str, days: int) -> None:
    """Move rows back in time, as if stored ``days`` ago."""
    at = utcnow() - timedelta(days=days)
    with services.sessions.begin() as session:
        session.execute(update(AnalyzedComment).where(AnalyzedComment.text == text).values(created_at=at))
        session.execute(update(Suggestion).where(Suggestion.text == text).values(created_at=at))


def _stored(database_url: str) -> tuple[list[str], list[str], int]:
    analyzed = [str(t) for (t,) in query(database_url, "SELECT text FROM analyzed_comments ORDER BY id")]
    suggested = [str(t) for (t,) in query(database_url, "SELECT text FROM suggestions ORDER BY id")]
    feedback = int(query(database_url, "SELECT count(*) FROM feedback")[0][0])  # type: ignore[call-overload]
    return analyzed, suggested, feedback


def _two_ages(client: TestClient, services: Services) -> None:
    key = create_key(services.sessions, "score", ("score",)).key
    _store(client, key, OLD)
    _store(client, key, NEW)
    _age(services, OLD, 40)
    _age(services, NEW, 5)
    assert _stored(services.settings.database_url) == ([OLD, NEW], [OLD, NEW], 4)


def test_purge_command_deletes_what_is_older_than_the_period(client: TestClient, services: Services, settings: Settings) -> None:
    _two_ages(client, services)
    env = {"CIVILITY_DATABASE_URL": settings.database_url}
    unset = CliRunner().invoke(cli, ["purge"], env=env)
    assert unset.exit_code == 2 and "retention_days" in unset.output
    assert _stored(settings.database_url) == ([OLD, NEW], [OLD, NEW], 4)

    result = CliRunner().invoke(cli, ["purge"], env={**env, "CIVILITY_RETENTION_DAYS": "30"})
    assert result.exit_code == 0, result.output
    assert '"analyzed_comments": 1' in result.stdout and '"suggestions": 1' in result.stdout and '"feedback": 2' in result.stdout
    assert _stored(settings.database_url) == ([NEW], [NEW], 2)

    again = CliRunner().invoke(cli, ["purge", "--days", "1"], env=env)
    assert again.exit_code == 0 and _stored(settings.database_url) == ([], [], 0)


@pytest.fixture
def retaining(
    settings: Settings, registry: ModelRegistry, detector: LanguageDetector
) -> Iterator[tuple[TestClient, Services]]:
    """The real app with retention on: 30 days, purged every 0.2 s."""
    configured = settings.model_copy(update={"retention_days": 30, "retention_interval_seconds": 0.2})
    built = build_services(configured, registry=registry, detector=detector)
    try:
        with TestClient(create_app(configured, built)) as client:
            yield client, built
    finally:
        built.close()


def test_the_server_purges_periodically(retaining: tuple[TestClient, Services], settings: Settings) -> None:
    client, services = retaining
    assert services.retention is not None, "the lifespan starts the retention task"
    _two_ages(client, services)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _stored(settings.database_url) != ([NEW], [NEW], 2):
        time.sleep(0.1)
    assert _stored(settings.database_url) == ([NEW], [NEW], 2)


def test_retention_is_off_by_default(client: TestClient, services: Services, settings: Settings) -> None:
    assert settings.retention_days is None and services.retention is None
    _two_ages(client, services)
    time.sleep(0.5)
    assert _stored(settings.database_url) == ([OLD, NEW], [OLD, NEW], 4)
