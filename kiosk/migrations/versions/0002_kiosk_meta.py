"""kiosk_meta, with a random key for the statistics noise

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:00:00.000000

"""
import secrets
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    meta = op.create_table('kiosk_meta',
    sa.Column('name', sa.String(length=48), nullable=False),
    sa.Column('value', sa.String(length=256), nullable=False),
    sa.CheckConstraint('length(name) <= 48', name=op.f('ck_kiosk_meta_name_length')),
    sa.CheckConstraint('length(value) <= 256', name=op.f('ck_kiosk_meta_value_length')),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_kiosk_meta')),
    sqlite_with_rowid=False
    )
    # 256 random bits, made here once per database: exports key their noise with it
    # (kiosk/stats/noise.py). A literal name: a migration must not change when the code does.
    op.bulk_insert(meta, [{'name': 'statistics_key', 'value': secrets.token_hex(32)}])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('kiosk_meta')
