"""Counters written straight into a kiosk's view-log database, and totals read back."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Engine, text

from kiosk.viewlog.counters import InteractionKey, ViewKey, VisitKey
from kiosk.viewlog.store import commit_counters, create_database_engine

DAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 18, 30)


def record(
    url: str,
    views: dict[ViewKey, list[int]] | None = None,
    visits: dict[VisitKey, int] | None = None,
    interactions: dict[InteractionKey, int] | None = None,
) -> None:
    """Add counts as the view-log writer would (kiosk/viewlog/counters.py keys)."""
    engine = create_database_engine(url)
    try:
        commit_counters(engine, visits or {}, views or {}, interactions or {})
    finally:
        engine.dispose()


def a_day_of_use(url: str, day: date, kiosk: str = "kiosk-a", scale: int = 1) -> None:
    """Some views, visits and interactions in most hours of one day."""
    views: dict[ViewKey, list[int]] = {}
    visits: dict[VisitKey, int] = {}
    interactions: dict[InteractionKey, int] = {}
    for hour in range(8, 18):
        visits[VisitKey(day, hour, kiosk)] = scale * (hour % 3 + 1)
        for index, topic in enumerate(("alpha", "beta", "gamma")):
            n = scale * ((hour + index) % 4 + 1)
            view = ViewKey(day, hour, kiosk, topic, "en", index == 1, False, hour % 2 == 0)
            views[view] = [n, 40 * n]
            interactions[InteractionKey(day, hour, kiosk, "glossary", topic, "en")] = scale * index
    record(url, views, visits, interactions)


def local_totals(url: str) -> dict[str, int]:
    engine = create_database_engine(url)
    try:
        return _totals(engine, "")
    finally:
        engine.dispose()


def central_totals(engine: Engine, kiosk_id: str | None = None) -> dict[str, int]:
    return _totals(engine, f"WHERE kiosk_id = '{kiosk_id}'" if kiosk_id else "")


def _totals(engine: Engine, where: str) -> dict[str, int]:
    queries = {
        "visits": f"SELECT COALESCE(SUM(visits), 0) FROM visit_counts {where}",
        "views": f"SELECT COALESCE(SUM(views), 0) FROM topic_view_counts {where}",
        "seconds": f"SELECT COALESCE(SUM(seconds_total), 0) FROM topic_view_counts {where}",
        "interactions": f"SELECT COALESCE(SUM(count), 0) FROM interaction_counts {where}",
    }
    with engine.connect() as connection:
        return {name: int(connection.execute(text(q)).scalar_one()) for name, q in queries.items()}


def hours_ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)
