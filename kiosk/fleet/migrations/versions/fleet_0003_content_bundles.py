"""content_bundles: signed content bundles published centrally for kiosks to fetch

Revision ID: fleet_0003
Revises: fleet_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "fleet_0003"
down_revision = "fleet_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_bundles",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("site", sa.String(48), nullable=True),  # NULL: every site
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("built", sa.Text(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column(
            "published_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.PrimaryKeyConstraint("id", name="pk_content_bundles"),
    )
    op.create_index("ix_content_bundles_site_version", "content_bundles", ["site", "version"])
    # Kiosks only read: the administrator (the table's owner) publishes. A kiosk's password
    # must never be enough to push content to every waiting room. No row-level security:
    # bundles are signed public health text, not secrets, and the signature is what counts.
    op.execute("GRANT SELECT ON content_bundles TO fleet_kiosk, fleet_reporting")


def downgrade() -> None:
    op.drop_table("content_bundles")
