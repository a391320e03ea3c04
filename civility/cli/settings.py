"""How every command gets its Settings: from the environment and CIVILITY_CONFIG_FILE, nothing else."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from civility.config import Settings
from civility.storage import migrate
from civility.storage.engine import make_engine, make_session_factory


def load_settings(**overrides: object) -> Settings:
    given = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**given)  # type: ignore[arg-type]


def database_sessions() -> sessionmaker[Session]:
    """A session factory on the configured database, migrated to the newest schema (commands that only need it)."""
    engine = make_engine(load_settings().database_url)
    migrate.upgrade(engine)
    return make_session_factory(engine)
