"""Webhook outbox: per-site fair delivery, backoff and dead letters.

An index on (site_id, status, id) serves the drain, which reads each site's first pending rows in order; rows that
were given up on are now called "dead" (they were "failed").

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.create_index("ix_webhook_deliveries_site_status_id", ["site_id", "status", "id"], unique=False)
    op.execute(sa.text("UPDATE webhook_deliveries SET status = 'dead' WHERE status = 'failed'"))


def downgrade() -> None:
    op.execute(sa.text("UPDATE webhook_deliveries SET status = 'failed' WHERE status = 'dead'"))
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.drop_index("ix_webhook_deliveries_site_status_id")
