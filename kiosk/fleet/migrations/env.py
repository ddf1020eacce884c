"""Alembic environment of the central schema: run with a connection `fleet init` opened."""

from __future__ import annotations

from alembic import context

from kiosk.fleet.migrations import VERSION_TABLE
from kiosk.fleet.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
