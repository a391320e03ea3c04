"""Sign-in throttling per client address and user name.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A row per (client address, user name) with recent failed sign-ins; it goes on success or when it is old.
    op.create_table(
        "signin_failures",
        sa.Column("client", sa.String(100), primary_key=True),
        sa.Column("username", sa.String(100), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_signin_failures_last_failed_at", "signin_failures", ["last_failed_at"])


def downgrade() -> None:
    op.drop_index("ix_signin_failures_last_failed_at", table_name="signin_failures")
    op.drop_table("signin_failures")
