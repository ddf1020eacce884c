"""Alembic migrations of the view-log schema, applied at start-up.

HEAD is the newest revision here. A database already at HEAD is opened without importing
Alembic at all (~11 MB and ~0.1 s on the kiosk); tests check that HEAD matches the scripts,
so a new migration must update it, and kiosk/viewlog/fresh.py (which makes a new database
at HEAD without Alembic; a test compares the two).
"""

HEAD = "0003"
