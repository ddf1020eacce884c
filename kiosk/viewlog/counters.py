"""The keys of the view log's hourly counters, shared by the writer that folds events into
them and the store that adds them to the database, and the daily rollups folded from them.
Field names are the tables' column names.

No SQLAlchemy here: the writer imports this on the GUI thread (see kiosk/viewlog/writer.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


# --- the rollups: the same counts, coarser, kept in the same transaction (store.py) ---


class ViewDayKey(NamedTuple):
    """A topic's views in one language on one day, the mode flags folded into counts."""

    day: date
    kiosk_id: str
    topic_id: str
    language: str


class InteractionDayKey(NamedTuple):
    day: date
    kiosk_id: str
    kind: str


# views, seconds_total, read_aloud_views, large_text_views, high_contrast_views,
# accessibility_views (large text or high contrast or both, counted once).
DAY_AMOUNTS = (
    "views",
    "seconds_total",
    "read_aloud_views",
    "large_text_views",
    "high_contrast_views",
    "accessibility_views",
)


class Rollups(NamedTuple):
    view_days: dict[ViewDayKey, list[int]]  # the six DAY_AMOUNTS
    view_hours: dict[VisitKey, list[int]]  # views, seconds_total of all topics together
    interaction_days: dict[InteractionDayKey, int]


def rollups(
    views: Mapping[ViewKey, Sequence[int]], interactions: Mapping[InteractionKey, int]
) -> Rollups:
    """What the hourly counts `views` and `interactions` add to each rollup counter."""
    days: dict[ViewDayKey, list[int]] = {}
    hours: dict[VisitKey, list[int]] = {}
    for view, (n, seconds) in views.items():
        day_key = ViewDayKey(view.day, view.kiosk_id, view.topic_id, view.language)
        day = days.get(day_key)
        if day is None:
            day = days[day_key] = [0] * len(DAY_AMOUNTS)
        day[0] += n
        day[1] += seconds
        day[2] += n if view.read_aloud else 0
        day[3] += n if view.large_text else 0
        day[4] += n if view.high_contrast else 0
        day[5] += n if view.large_text or view.high_contrast else 0
        hour_key = VisitKey(view.day, view.hour, view.kiosk_id)
        hour = hours.get(hour_key)
        if hour is None:
            hour = hours[hour_key] = [0, 0]
        hour[0] += n
        hour[1] += seconds
    uses: dict[InteractionDayKey, int] = {}
    for interaction, count in interactions.items():
        use_key = InteractionDayKey(interaction.day, interaction.kiosk_id, interaction.kind)
        uses[use_key] = uses.get(use_key, 0) + count
    return Rollups(days, hours, uses)
