"""Alembic migrations of the central fleet schema, applied by `python main.py fleet init`.

A history of its own, in its own version table (`fleet_alembic_version`), with revision ids
that cannot be mistaken for the kiosk's view-log revisions.
"""

HEAD = "fleet_0003"
VERSION_TABLE = "fleet_alembic_version"
