"""kiosk_meta with a statistics key, so central exports add the same keyed noise

Revision ID: fleet_0002
Revises: fleet_0001
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "fleet_0002"
down_revision = "fleet_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The view log's kiosk_meta (its migration 0002), under the same name, so the kiosk's
    # export code finds the central database's own key. The centre's key, not any kiosk's:
    # the combined figures get noise of their own. Kiosks have no right to read it.
    meta = op.create_table(
        "kiosk_meta",
        sa.Column("name", sa.String(48), nullable=False),
        sa.Column("value", sa.String(256), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_kiosk_meta"),
    )
    op.bulk_insert(meta, [{"name": "statistics_key", "value": secrets.token_hex(32)}])
    op.execute("GRANT SELECT ON kiosk_meta TO fleet_reporting")


def downgrade() -> None:
    op.drop_table("kiosk_meta")
