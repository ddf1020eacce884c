"""Seeding a view-log database through the store's own write path (hourly counters and the
rollups kept beside them), from rows given as the tables' column dicts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Engine

from kiosk.viewlog.counters import InteractionKey, ViewKey, VisitKey
from kiosk.viewlog.store import commit_counters

Row = Mapping[str, object]


def store_rows(
    engine: Engine,
    views: Iterable[Row] = (),
    visits: Iterable[Row] = (),
    interactions: Iterable[Row] = (),
) -> None:
    """Add the rows' counts in one transaction, as the view-log writer's batches do."""
    view_counts: dict[ViewKey, list[int]] = {}
    for row in views:
        key = ViewKey(*(row[name] for name in ViewKey._fields))  # type: ignore[arg-type]
        totals = view_counts.setdefault(key, [0, 0])
        totals[0] += int(row["views"])  # type: ignore[call-overload]
        totals[1] += int(row["seconds_total"])  # type: ignore[call-overload]
    visit_counts: dict[VisitKey, int] = {}
    for row in visits:
        visit = VisitKey(*(row[name] for name in VisitKey._fields))  # type: ignore[arg-type]
        visit_counts[visit] = visit_counts.get(visit, 0) + int(row["visits"])  # type: ignore[call-overload]
    uses: dict[InteractionKey, int] = {}
    for row in interactions:
        use = InteractionKey(*(row[name] for name in InteractionKey._fields))  # type: ignore[arg-type]
        uses[use] = uses.get(use, 0) + int(row["count"])  # type: ignore[call-overload]
    commit_counters(engine, visit_counts, view_counts, uses)
