"""How every command gets its Settings: from the environment and CIVILITY_CONFIG_FILE, nothing else."""

from __future__ import annotations

from civility.config import Settings


def load_settings(**overrides: object) -> Settings:
    given = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**given)  # type: ignore[arg-type]
