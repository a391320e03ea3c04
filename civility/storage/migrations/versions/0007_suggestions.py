"""Suggested scores stored once per request (text and context), attribute rows pointing at it.

Existing feedback rows are grouped back into the requests they came from (consecutive rows with the same text,
context and request fields, each attribute once) and their text and context move to one suggestion per request.

Revision ID: 0007
Revises: 0006
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 500
_REQUEST_FIELDS = ("api_key_id", "text", "context", "languages", "community_id", "client_token", "session_id")



def _request_columns(json_type: sa.types.TypeEngine[Any]) -> list[sa.sql.expression.ColumnClause[Any]]:
    types: dict[str, sa.types.TypeEngine[Any]] = {"api_key_id": sa.Integer(), "context": json_type, "languages": json_type}
    return [sa.column(name, types.get(name, sa.Text())) for name in _REQUEST_FIELDS]


_old_feedback = sa.table(
    "feedback",
    sa.column("id", sa.Integer()),
    sa.column("suggestion_id", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("attribute", sa.String()),
    *_request_columns(sa.JSON()),
)
_suggestions = sa.table(
    "suggestions",
    sa.column("id", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    *_request_columns(sa.Text()),
)


def _compact(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def upgrade() -> None:
    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("api_key_id", sa.Integer(), sa.ForeignKey("api_keys.id"), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("context", sa.Text(), nullable=True),
        sa.Column("languages", sa.Text(), nullable=False),
        sa.Column("community_id", sa.String(500), nullable=True),
        sa.Column("client_token", sa.String(500), nullable=True),
        sa.Column("session_id", sa.String(500), nullable=True),
    )
    op.create_index("ix_suggestions_created_at", "suggestions", ["created_at"])
    op.create_index("ix_suggestions_community_id", "suggestions", ["community_id"])
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(sa.Column("suggestion_id", sa.Integer(), nullable=True))
    _move_requests_out()
    with op.batch_alter_table("feedback") as batch:
        batch.drop_index("ix_feedback_created_at")
        batch.drop_index("ix_feedback_community_id")
        for name in ("created_at", *_REQUEST_FIELDS):
            batch.drop_column(name)
        batch.alter_column("suggestion_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key("fk_feedback_suggestion_id_suggestions", "suggestions", ["suggestion_id"], ["id"])
        batch.create_index("ix_feedback_suggestion_id", ["suggestion_id"])


def _move_requests_out() -> None:
    """One suggestion per original request, read in batches so a large table is never held in memory."""
    bind = op.get_bind()
    last_id, current_key, current_id, seen = 0, None, None, set()
    while True:
        rows = bind.execute(
            sa.select(_old_feedback).where(_old_feedback.c.id > last_id).order_by(_old_feedback.c.id).limit(BATCH)
        ).mappings().all()
        if not rows:
            return
        for row in rows:
            key = tuple(_compact(row[name]) if name in ("context", "languages") else row[name] for name in _REQUEST_FIELDS)
            if key != current_key or row["attribute"] in seen:
                values = dict(zip(_REQUEST_FIELDS, key))
                values["languages"] = values["languages"] or "[]"
                current_id = bind.execute(
                    sa.insert(_suggestions).values(created_at=row["created_at"], **values).returning(_suggestions.c.id)
                ).scalar_one()
                current_key, seen = key, set()
            seen.add(row["attribute"])
            bind.execute(sa.update(_old_feedback).where(_old_feedback.c.id == row["id"]).values(suggestion_id=current_id))
            last_id = row["id"]


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("api_key_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("text", sa.Text(), nullable=True))
        batch.add_column(sa.Column("languages", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("context", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("community_id", sa.String(500), nullable=True))
        batch.add_column(sa.Column("client_token", sa.String(500), nullable=True))
        batch.add_column(sa.Column("session_id", sa.String(500), nullable=True))
    _copy_requests_back()
    with op.batch_alter_table("feedback") as batch:
        batch.drop_index("ix_feedback_suggestion_id")
        batch.drop_constraint("fk_feedback_suggestion_id_suggestions", type_="foreignkey")
        batch.drop_column("suggestion_id")
        batch.alter_column("created_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.alter_column("text", existing_type=sa.Text(), nullable=False)
        batch.alter_column("languages", existing_type=sa.JSON(), nullable=False)
        batch.create_foreign_key("fk_feedback_api_key_id_api_keys", "api_keys", ["api_key_id"], ["id"])
        batch.create_index("ix_feedback_created_at", ["created_at"])
        batch.create_index("ix_feedback_community_id", ["community_id"])
    op.drop_index("ix_suggestions_community_id", table_name="suggestions")
    op.drop_index("ix_suggestions_created_at", table_name="suggestions")
    op.drop_table("suggestions")


def _copy_requests_back() -> None:
    bind = op.get_bind()
    last_id = 0
    while True:
        rows = bind.execute(
            sa.select(_suggestions).where(_suggestions.c.id > last_id).order_by(_suggestions.c.id).limit(BATCH)
        ).mappings().all()
        if not rows:
            return
        for row in rows:
            values: dict[str, Any] = {name: row[name] for name in _REQUEST_FIELDS}
            values["context"] = None if row["context"] is None else json.loads(row["context"])
            values["languages"] = json.loads(row["languages"] or "[]")
            bind.execute(
                sa.update(_old_feedback)
                .where(_old_feedback.c.suggestion_id == row["id"])
                .values(created_at=row["created_at"], **values)
            )
            last_id = row["id"]
