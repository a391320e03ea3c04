"""Sites as tenants: keys and users bound to sites; the acting principal and an integration's moderator name kept apart.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_key_sites",
        sa.Column("api_key_id", sa.Integer(), sa.ForeignKey("api_keys.id"), primary_key=True),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id"), primary_key=True),
    )
    op.create_table(
        "user_sites",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id"), primary_key=True),
    )
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("on_behalf_of", sa.String(200), nullable=True))
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("on_behalf_of", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("on_behalf_of")
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("on_behalf_of")
    op.drop_table("user_sites")
    op.drop_table("api_key_sites")
