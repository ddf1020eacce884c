"""daily rollups of the hourly counters, filled from the counters already stored

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 13:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Literal SQL, not the kiosk's tables: a migration must not change when the code does.
# The same transaction as the tables (store.migrate): an upgraded kiosk's rollups are exact
# from its first refresh, and a kiosk killed half-way upgrades again from 0002.
BACKFILL = (
    """
    INSERT INTO topic_view_days (day, kiosk_id, topic_id, language, views, seconds_total,
        read_aloud_views, large_text_views, high_contrast_views, accessibility_views)
    SELECT day, kiosk_id, topic_id, language, SUM(views), SUM(seconds_total),
        SUM(CASE WHEN read_aloud THEN views ELSE 0 END),
        SUM(CASE WHEN large_text THEN views ELSE 0 END),
        SUM(CASE WHEN high_contrast THEN views ELSE 0 END),
        SUM(CASE WHEN large_text OR high_contrast THEN views ELSE 0 END)
    FROM topic_view_counts
    GROUP BY day, kiosk_id, topic_id, language
    """,
    """
    INSERT INTO view_hour_totals (day, hour, kiosk_id, views, seconds_total)
    SELECT day, hour, kiosk_id, SUM(views), SUM(seconds_total)
    FROM topic_view_counts
    GROUP BY day, hour, kiosk_id
    """,
    """
    INSERT INTO interaction_days (day, kiosk_id, kind, count)
    SELECT day, kiosk_id, kind, SUM(count)
    FROM interaction_counts
    GROUP BY day, kiosk_id, kind
    """,
)


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('interaction_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kiosk_id', sa.String(length=48), nullable=False),
    sa.Column('kind', sa.String(length=48), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint('count >= 0', name=op.f('ck_interaction_days_count_not_negative')),
    sa.CheckConstraint('length(kind) <= 48', name=op.f('ck_interaction_days_kind_length')),
    sa.CheckConstraint('length(kiosk_id) <= 48', name=op.f('ck_interaction_days_kiosk_id_length')),
    sa.PrimaryKeyConstraint('day', 'kiosk_id', 'kind', name=op.f('pk_interaction_days')),
    sqlite_with_rowid=False
    )
    op.create_table('topic_view_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kiosk_id', sa.String(length=48), nullable=False),
    sa.Column('topic_id', sa.String(length=48), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('seconds_total', sa.Integer(), nullable=False),
    sa.Column('read_aloud_views', sa.Integer(), nullable=False),
    sa.Column('large_text_views', sa.Integer(), nullable=False),
    sa.Column('high_contrast_views', sa.Integer(), nullable=False),
    sa.Column('accessibility_views', sa.Integer(), nullable=False),
    sa.CheckConstraint('length(kiosk_id) <= 48', name=op.f('ck_topic_view_days_kiosk_id_length')),
    sa.CheckConstraint('length(language) = 2', name=op.f('ck_topic_view_days_language_code')),
    sa.CheckConstraint('length(topic_id) <= 48', name=op.f('ck_topic_view_days_topic_id_length')),
    sa.CheckConstraint('views >= 0 AND seconds_total >= 0 AND read_aloud_views >= 0 AND large_text_views >= 0 AND high_contrast_views >= 0 AND accessibility_views >= 0', name=op.f('ck_topic_view_days_counts_not_negative')),
    sa.PrimaryKeyConstraint('day', 'kiosk_id', 'topic_id', 'language', name=op.f('pk_topic_view_days')),
    sqlite_with_rowid=False
    )
    op.create_table('view_hour_totals',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('hour', sa.SmallInteger(), nullable=False),
    sa.Column('kiosk_id', sa.String(length=48), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('seconds_total', sa.Integer(), nullable=False),
    sa.CheckConstraint('hour >= 0 AND hour <= 23', name=op.f('ck_view_hour_totals_hour_of_day')),
    sa.CheckConstraint('length(kiosk_id) <= 48', name=op.f('ck_view_hour_totals_kiosk_id_length')),
    sa.CheckConstraint('views >= 0 AND seconds_total >= 0', name=op.f('ck_view_hour_totals_counts_not_negative')),
    sa.PrimaryKeyConstraint('day', 'hour', 'kiosk_id', name=op.f('pk_view_hour_totals')),
    sqlite_with_rowid=False
    )
    for statement in BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('view_hour_totals')
    op.drop_table('topic_view_days')
    op.drop_table('interaction_days')
