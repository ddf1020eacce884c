"""The view log's tables: hourly counters, never one row per person or per view.

Privacy by design: every table is a counter keyed by (local date, hour, kiosk, ...). There
is no free text, no time finer than the hour, no row id or insertion order, and nothing that
ties one view to another, so the topics of one visit cannot be linked together.

Beside them, rollups of the same counts by day (topic views, interactions) and by hour of
all topics together, added in the same transaction as the hourly counters (store.py), so the
dashboard reads a few rows per day whatever the number of views. They are coarser than the
hourly counters and hold nothing those do not.

Plain SQLAlchemy Core tables: the kiosk only adds to counters and sums them, and the ORM
would cost the kiosk process ~7 MB for nothing it uses.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
)
from sqlalchemy.sql.schema import SchemaItem

ID_LENGTH = 48
META_VALUE_LENGTH = 256
# The kiosk_meta row that holds the secret key of the statistics noise (kiosk/stats/noise.py).
STATISTICS_KEY = "statistics_key"
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


def _hour_key() -> list[SchemaItem]:
    """The columns and checks every counter starts with: local date, hour, kiosk."""
    return [
        Column("day", Date, primary_key=True),
        Column("hour", SmallInteger, primary_key=True),
        Column("kiosk_id", String(ID_LENGTH), primary_key=True),
        CheckConstraint("hour >= 0 AND hour <= 23", name="hour_of_day"),
        CheckConstraint(f"length(kiosk_id) <= {ID_LENGTH}", name="kiosk_id_length"),
    ]


# How many visits began in each hour.
visit_counts = Table(
    "visit_counts",
    metadata,
    *_hour_key(),
    Column("visits", Integer, nullable=False, default=0),
    CheckConstraint("visits >= 0", name="visits_not_negative"),
    # A rowid table keeps a hidden, increasing row number: it would show the order in which
    # counters were first created within an hour. WITHOUT ROWID tables are stored by key.
    sqlite_with_rowid=False,
)

# How many times each topic was viewed in each hour, and for how long in total.
topic_view_counts = Table(
    "topic_view_counts",
    metadata,
    *_hour_key(),
    Column("topic_id", String(ID_LENGTH), primary_key=True),
    Column("language", String(2), primary_key=True),
    Column("read_aloud", Boolean, primary_key=True),
    Column("large_text", Boolean, primary_key=True),
    Column("high_contrast", Boolean, primary_key=True),
    Column("views", Integer, nullable=False, default=0),
    Column("seconds_total", Integer, nullable=False, default=0),
    CheckConstraint(f"length(topic_id) <= {ID_LENGTH}", name="topic_id_length"),
    CheckConstraint("length(language) = 2", name="language_code"),
    CheckConstraint("views >= 0 AND seconds_total >= 0", name="counts_not_negative"),
    sqlite_with_rowid=False,
)

# How many times something was used on a topic (glossary, sections, QR code, ...).
# topic_id is empty when it belongs to no topic (choosing a language on the home screen).
interaction_counts = Table(
    "interaction_counts",
    metadata,
    *_hour_key(),
    Column("kind", String(ID_LENGTH), primary_key=True),
    Column("topic_id", String(ID_LENGTH), primary_key=True),
    Column("language", String(2), primary_key=True),
    Column("count", Integer, nullable=False, default=0),
    CheckConstraint(f"length(topic_id) <= {ID_LENGTH}", name="topic_id_length"),
    CheckConstraint(f"length(kind) <= {ID_LENGTH}", name="kind_length"),
    CheckConstraint("length(language) = 2", name="language_code"),
    CheckConstraint("count >= 0", name="count_not_negative"),
    sqlite_with_rowid=False,
)


def _day_key() -> list[SchemaItem]:
    """The columns and checks every daily rollup starts with: local date, kiosk."""
    return [
        Column("day", Date, primary_key=True),
        Column("kiosk_id", String(ID_LENGTH), primary_key=True),
        CheckConstraint(f"length(kiosk_id) <= {ID_LENGTH}", name="kiosk_id_length"),
    ]


# topic_view_counts summed per day, topic and language; each mode flag becomes the number
# of views that had it, and "accessibility" the views with large text or high contrast.
topic_view_days = Table(
    "topic_view_days",
    metadata,
    *_day_key(),
    Column("topic_id", String(ID_LENGTH), primary_key=True),
    Column("language", String(2), primary_key=True),
    Column("views", Integer, nullable=False, default=0),
    Column("seconds_total", Integer, nullable=False, default=0),
    Column("read_aloud_views", Integer, nullable=False, default=0),
    Column("large_text_views", Integer, nullable=False, default=0),
    Column("high_contrast_views", Integer, nullable=False, default=0),
    Column("accessibility_views", Integer, nullable=False, default=0),
    CheckConstraint(f"length(topic_id) <= {ID_LENGTH}", name="topic_id_length"),
    CheckConstraint("length(language) = 2", name="language_code"),
    CheckConstraint(
        "views >= 0 AND seconds_total >= 0 AND read_aloud_views >= 0 AND "
        "large_text_views >= 0 AND high_contrast_views >= 0 AND accessibility_views >= 0",
        name="counts_not_negative",
    ),
    sqlite_with_rowid=False,
)

# topic_view_counts summed per hour over every topic, language and mode (the hour chart).
view_hour_totals = Table(
    "view_hour_totals",
    metadata,
    *_hour_key(),
    Column("views", Integer, nullable=False, default=0),
    Column("seconds_total", Integer, nullable=False, default=0),
    CheckConstraint("views >= 0 AND seconds_total >= 0", name="counts_not_negative"),
    sqlite_with_rowid=False,
)

# interaction_counts summed per day and kind.
interaction_days = Table(
    "interaction_days",
    metadata,
    *_day_key(),
    Column("kind", String(ID_LENGTH), primary_key=True),
    Column("count", Integer, nullable=False, default=0),
    CheckConstraint(f"length(kind) <= {ID_LENGTH}", name="kind_length"),
    CheckConstraint("count >= 0", name="count_not_negative"),
    sqlite_with_rowid=False,
)

# Facts about this database itself, one row per name: the statistics key now, a fleet
# "epoch" id later. Nothing here is about a visit or a view. The key lives in the database
# because it protects exports of this database's counts: whoever can read the key can read
# the exact counts beside it anyway, and a copied database keeps giving the same noise.
kiosk_meta = Table(
    "kiosk_meta",
    metadata,
    Column("name", String(ID_LENGTH), primary_key=True),
    Column("value", String(META_VALUE_LENGTH), nullable=False),
    CheckConstraint(f"length(name) <= {ID_LENGTH}", name="name_length"),
    CheckConstraint(f"length(value) <= {META_VALUE_LENGTH}", name="value_length"),
    sqlite_with_rowid=False,
)
