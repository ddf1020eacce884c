"""A new view-log database made at the newest revision directly, without Alembic.

Running every migration on an empty file imports Alembic, Mako and Pygments, which stay in
the kiosk's memory for the rest of the day (about 10 MB on a first start). Every migration
so far only creates tables and fills them from tables that are still empty, so a new file
gets the tables of kiosk.viewlog.schema, the rows the migrations insert, and Alembic's
version stamp; later upgrades run through Alembic as before. A test checks this gives the
same schema and rows as the migrations (tests/test_viewlog.py).
"""

from __future__ import annotations

import secrets

from sqlalchemy import Connection, insert, text

from kiosk.migrations import HEAD
from kiosk.viewlog.schema import STATISTICS_KEY, kiosk_meta, metadata

# Alembic's own version table, as `alembic upgrade` creates it.
_VERSION_TABLE = (
    "CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\t"
    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)"
)
# The tables in the order migrations 0001 to 0003 create them, so the file's pages lie alike.
_MIGRATIONS_ORDER = (
    "interaction_counts",
    "topic_view_counts",
    "visit_counts",
    "kiosk_meta",
    "interaction_days",
    "topic_view_days",
    "view_hour_totals",
)


def create_at_head(connection: Connection) -> None:
    """Make the schema of an empty database, in the caller's transaction."""
    # Alembic's order: its version table first, then each migration's tables.
    connection.execute(text(_VERSION_TABLE))
    for name in _MIGRATIONS_ORDER:
        metadata.tables[name].create(connection)
    # As migration 0002 does: 256 random bits per database, for the statistics noise.
    connection.execute(insert(kiosk_meta).values(name=STATISTICS_KEY, value=secrets.token_hex(32)))
    connection.execute(
        text("INSERT INTO alembic_version (version_num) VALUES (:head)"), {"head": HEAD}
    )
