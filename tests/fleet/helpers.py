"""Counters written straight into a kiosk's view-log database, and totals read back."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

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


def a_backlog(url: str, days: int, last: date = DAY, kiosk: str = "kiosk-a") -> None:
    """Weeks of a busy kiosk never pushed: 13 topics, 2 languages, opening hours 8-18
    (the last hour closed by NOW, so a push at NOW sends all of it)."""
    views: dict[ViewKey, list[int]] = {}
    visits: dict[VisitKey, int] = {}
    for back in range(days):
        day = last - timedelta(days=back)
        for hour in range(8, 18):
            visits[VisitKey(day, hour, kiosk)] = (back + hour) % 7 + 1
            for topic in range(13):
                for language in ("en", "es"):
                    n = (back * 7 + hour * 3 + topic) % 9 + 1
                    read_aloud, contrast = topic % 3 == 0, hour % 5 == 0
                    key = ViewKey(
                        day,
                        hour,
                        kiosk,
                        f"topic-{topic:02d}",
                        language,
                        read_aloud,
                        False,
                        contrast,
                    )
                    views[key] = [n, 35 * n]
    record(url, views, visits)


def local_rows(url: str) -> dict[tuple[Any, ...], tuple[int, ...]]:
    """Every counter row of a kiosk's database, by table and key (kiosk ids summed)."""
    engine = create_database_engine(url)
    try:
        return _rows(engine, "")
    finally:
        engine.dispose()


def central_rows(engine: Engine, kiosk_id: str) -> dict[tuple[Any, ...], tuple[int, ...]]:
    """The same, read from the central database for one kiosk (epochs summed)."""
    return _rows(engine, f"WHERE kiosk_id = '{kiosk_id}'")


def _rows(engine: Engine, where: str) -> dict[tuple[Any, ...], tuple[int, ...]]:
    tables = {
        "visit_counts": ("day, hour", "visits"),
        "topic_view_counts": (
            "day, hour, topic_id, language, read_aloud, large_text, high_contrast",
            "views, seconds_total",
        ),
        "interaction_counts": ("day, hour, kind, topic_id, language", "count"),
    }
    found: dict[tuple[Any, ...], tuple[int, ...]] = {}
    with engine.connect() as connection:
        for table, (key, counts) in tables.items():
            sums = ", ".join(f"SUM({c})" for c in counts.split(", "))
            query = f"SELECT {key}, {sums} FROM {table} {where} GROUP BY {key}"
            width = len(key.split(", "))
            for row in connection.execute(text(query)):
                # SQLite gives days as text and flags as 0/1; PostgreSQL as dates and bools.
                day = row[0] if isinstance(row[0], date) else date.fromisoformat(row[0])
                rest = (int(v) if isinstance(v, bool) else v for v in row[1:width])
                found[(table, day, *rest)] = tuple(int(v) for v in row[width:])
    return found
