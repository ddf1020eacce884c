"""The keys of the view log's hourly counters, shared by the writer that folds events into
them and the store that adds them to the database. Field names are the tables' column names.

No SQLAlchemy here: the writer imports this on the GUI thread (see kiosk/viewlog/writer.py).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class VisitKey(NamedTuple):
    day: date
    hour: int
    kiosk_id: str


class ViewKey(NamedTuple):
    day: date
    hour: int
    kiosk_id: str
    topic_id: str
    language: str
    read_aloud: bool
    large_text: bool
    high_contrast: bool


class InteractionKey(NamedTuple):
    day: date
    hour: int
    kiosk_id: str
    kind: str
    topic_id: str
    language: str
