"""The central database's tables: each kiosk's hourly counters, keyed by kiosk and epoch.

The counter tables carry the view log's names and columns (kiosk/viewlog/schema.py) plus the
database epoch, so the statistics code reads the central database as it reads one kiosk's,
summing over kiosks and epochs. A kiosk's quarantined database and its fresh replacement are
two epochs: GREATEST then never hides counts that started again from zero.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.schema import SchemaItem

from kiosk.viewlog.schema import ID_LENGTH, NAMING

EPOCH_LENGTH = 32
# The group roles `fleet init` creates: every kiosk's login role is a member of KIOSK_ROLE.
KIOSK_ROLE = "fleet_kiosk"
REPORTING_ROLE = "fleet_reporting"

metadata = MetaData(naming_convention=NAMING)


def _key() -> list[SchemaItem]:
    """Kiosk first: row-level security and a kiosk's own reads then follow the primary key."""
    return [
        Column("kiosk_id", String(ID_LENGTH), primary_key=True),
        Column("epoch", String(EPOCH_LENGTH), primary_key=True),
        Column("day", Date, primary_key=True),
        Column("hour", SmallInteger, primary_key=True),
        CheckConstraint("hour >= 0 AND hour <= 23", name="hour_of_day"),
    ]


visit_counts = Table(
    "visit_counts",
    metadata,
    *_key(),
    Column("visits", Integer, nullable=False),
    CheckConstraint("visits >= 0", name="visits_not_negative"),
)

topic_view_counts = Table(
    "topic_view_counts",
    metadata,
    *_key(),
    Column("topic_id", String(ID_LENGTH), primary_key=True),
    Column("language", String(2), primary_key=True),
    Column("read_aloud", Boolean, primary_key=True),
    Column("large_text", Boolean, primary_key=True),
    Column("high_contrast", Boolean, primary_key=True),
    Column("views", Integer, nullable=False),
    Column("seconds_total", Integer, nullable=False),
    CheckConstraint("views >= 0 AND seconds_total >= 0", name="counts_not_negative"),
)

interaction_counts = Table(
    "interaction_counts",
    metadata,
    *_key(),
    Column("kind", String(ID_LENGTH), primary_key=True),
    Column("topic_id", String(ID_LENGTH), primary_key=True),
    Column("language", String(2), primary_key=True),
    Column("count", Integer, nullable=False),
    CheckConstraint("count >= 0", name="count_not_negative"),
)

# Reports select a range of days across every kiosk: without this they read every row.
for _table in (visit_counts, topic_view_counts, interaction_counts):
    Index(f"ix_{_table.name}_day", _table.c.day)

# One row per kiosk, replaced with every push: what `fleet status` shows.
heartbeats = Table(
    "kiosk_heartbeats",
    metadata,
    Column("kiosk_id", String(ID_LENGTH), primary_key=True),
    Column("site", String(ID_LENGTH), nullable=False, default=""),
    # The server's clock, not the kiosk's: a kiosk with a wrong clock is still seen.
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("kiosk_time", DateTime(timezone=False), nullable=True),
    Column("epoch", String(EPOCH_LENGTH), nullable=False),
    Column("app_version", String(64), nullable=False, default=""),
    Column("content_version", String(64), nullable=False, default=""),
    Column("problems", Text, nullable=False, default=""),
    # The health page's facts, as a JSON object (see kiosk/fleet/heartbeat.py).
    Column("facts", JSONB, nullable=False),
)

# Signed content bundles an administrator published (`fleet publish-content`); kiosks read only.
content_bundles = Table(
    "content_bundles",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("site", String(ID_LENGTH), nullable=True),  # NULL: for every site
    Column("version", BigInteger, nullable=False),
    Column("built", Text, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_content_bundles_site_version", "site", "version"),
)

COUNTER_TABLES = (visit_counts, topic_view_counts, interaction_counts)
# The columns a kiosk may change in a row it already has: its counts, never its key.
COUNTER_COLUMNS = {
    "visit_counts": ("visits",),
    "topic_view_counts": ("views", "seconds_total"),
    "interaction_counts": ("count",),
}
