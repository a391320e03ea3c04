"""Shared fixtures: real databases (SQLite and PostgreSQL), the committed models loaded once, the real app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from civility.api.app import create_app
from civility.config import PROJECT_ROOT, Settings
from civility.scoring.registry import ModelRegistry
from civility.services.context import Services, build_services
from civility.services.keys import create_key
from civility.text.language import LanguageDetector
from tests.databases import BACKENDS, PostgresServer


@pytest.fixture(scope="session")
def registry() -> ModelRegistry:
    return ModelRegistry.from_dir(PROJECT_ROOT / "models")


@pytest.fixture(scope="session")
def detector() -> LanguageDetector:
    return LanguageDetector()


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    server = PostgresServer(tmp_path_factory.mktemp("pg"))
    yield server
    server.stop()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every test that touches the database runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'civility.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.fresh_database()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        models_dir=PROJECT_ROOT / "models",
        local_key_file=tmp_path / "local-api-key",
    )


@pytest.fixture
def services(settings: Settings, registry: ModelRegistry, detector: LanguageDetector) -> Iterator[Services]:
    built = build_services(settings, registry=registry, detector=detector)
    yield built
    built.close()


@pytest.fixture
def client(settings: Settings, services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(settings, services)) as test_client:
        yield test_client


@pytest.fixture
def api_key(services: Services) -> str:
    return create_key(services.sessions, "test", ("score",)).key
