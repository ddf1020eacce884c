"""Alembic environment: always run from the kiosk with a connection it already opened."""

from __future__ import annotations

from alembic import context

from kiosk.viewlog.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things in place; batch mode rebuilds tables safely.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
