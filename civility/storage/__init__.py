"""Persistence: SQLAlchemy tables, the engine, migrations and per-aggregate queries."""
