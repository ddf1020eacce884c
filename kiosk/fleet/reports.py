"""Central statistics: the kiosk's own report code, reading the central database.

The central database has the kiosks' hourly counters and no daily rollups, so its reports
sum the hourly counters (kiosk/stats/hourly.py).

The central counter tables have the view log's names and columns, so kiosk/stats/ reads them
unchanged and sums over kiosks and epochs; suppression then applies to the combined figures
exactly as on one kiosk. A --kiosk or --site filter becomes temporary views of the same
names on each connection: PostgreSQL looks in a session's temporary schema before public,
so every report query sees only the chosen kiosks' rows without knowing it.

Grouped reports (`--group kiosk|site`) are one such filtered report per kiosk or site. The
noise of exports is put on each kiosk's own atoms (noise.FleetNoise), so that figures for
different sets of kiosks never share a change that differencing could cancel.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, event, select, text

from kiosk.fleet import central
from kiosk.fleet.schema import COUNTER_TABLES
from kiosk.settings import SLUG
from kiosk.stats.hourly import VIEW_SUMS, HourlyStatistics
from kiosk.stats.kinds import Grouping
from kiosk.stats.noise import AtomNoise, FleetNoise
from kiosk.stats.queries import (
    DateRange,
    Sums,
    TopicPeriodFigures,
    row_sums,
    sum_periods,
)
from kiosk.viewlog.schema import topic_view_counts

GROUPINGS = ("kiosk", "site")


class CentralStatistics(HourlyStatistics):
    """The kiosk's report code on the central tables; exports perturb each kiosk's atoms."""

    def topic_periods_by(
        self, span: DateRange, groupings: Sequence[Grouping], noise: AtomNoise | None = None
    ) -> list[list[TopicPeriodFigures]]:
        return [self.topic_periods(span, by, noise) for by in groupings]

    def topic_periods(
        self, span: DateRange, by: Grouping, noise: AtomNoise | None = None
    ) -> list[TopicPeriodFigures]:
        """With `noise` (the centre's key, export.statistics_noise), each kiosk's sums per
        day and topic are changed by FleetNoise under that key before they are added up."""
        if noise is None:
            return super().topic_periods(span, by)
        key = self.statistics_key()
        if key is None:  # pragma: no cover - the noise was made from this very key
            raise ValueError("the fleet database has no statistics key")
        fleet = FleetNoise(key)
        views = topic_view_counts.c
        query = (
            select(views.kiosk_id, views.day, views.topic_id, *VIEW_SUMS)
            .where(views.day >= span.start, views.day <= span.end)
            .group_by(views.kiosk_id, views.day, views.topic_id)
        )

        def atoms(connection: Connection) -> Iterator[tuple[date, str, Sums]]:
            for row in connection.execute(query):
                kiosk, day, topic = row[:3]
                yield day, topic, fleet.perturb(kiosk, day, topic, row_sums(row, 3))

        with self._engine.connect() as connection:
            return sum_periods(span, by, atoms(connection))


def central_groups(
    url: str, group: str, kiosks: Sequence[str] = (), sites: Sequence[str] = ()
) -> list[tuple[str, tuple[str, ...]]]:
    """(kiosk or site, its kiosks), sorted, for every kiosk with counters or a heartbeat
    that the --kiosk/--site filter chooses. A kiosk that never sent a heartbeat has site ""."""
    if group not in GROUPINGS:
        raise ValueError(f"reports are grouped by {' or '.join(GROUPINGS)}, not {group}")
    engine = central.connect(url)
    try:
        with engine.connect() as connection:
            found: set[str] = set()
            for table in COUNTER_TABLES:
                found.update(
                    connection.execute(text(_DISTINCT_KIOSKS.format(table.name))).scalars()
                )
            beats = connection.execute(text("SELECT kiosk_id, site FROM kiosk_heartbeats"))
            site_of: dict[str, str] = {row.kiosk_id: row.site for row in beats}
    finally:
        engine.dispose()
    members = sorted(
        k
        for k in found | set(site_of)
        if not (kiosks or sites) or k in kiosks or site_of.get(k, "") in sites
    )
    if group == "kiosk":
        return [(k, (k,)) for k in members]
    by_site: dict[str, list[str]] = {}
    for kiosk in members:
        by_site.setdefault(site_of.get(kiosk, ""), []).append(kiosk)
    return [(site, tuple(ids)) for site, ids in sorted(by_site.items())]


# The distinct kiosk ids of a counter table by jumping along its primary key (which leads
# with kiosk_id): one index probe per kiosk instead of reading a year of rows.
_DISTINCT_KIOSKS = """
WITH RECURSIVE k (id) AS (
    (SELECT kiosk_id FROM {0} ORDER BY kiosk_id LIMIT 1)
    UNION ALL
    SELECT (SELECT kiosk_id FROM {0} WHERE kiosk_id > k.id ORDER BY kiosk_id LIMIT 1)
    FROM k WHERE k.id IS NOT NULL
)
SELECT id FROM k WHERE id IS NOT NULL
"""


def open_central(
    url: str, kiosks: Sequence[str] = (), sites: Sequence[str] = ()
) -> CentralStatistics:
    for name in (*kiosks, *sites):
        if not SLUG.match(name):
            raise ValueError(f"'{name}' is not a kiosk or site id (a-z, 0-9, '-')")
    engine = central.connect(url)
    if kiosks or sites:
        conditions = []
        if kiosks:
            conditions.append(f"kiosk_id IN ({_list(kiosks)})")
        if sites:
            conditions.append(
                "kiosk_id IN (SELECT kiosk_id FROM public.kiosk_heartbeats "
                f"WHERE site IN ({_list(sites)}))"
            )
        where = " OR ".join(conditions)

        # Views are DDL, which takes no bound parameters: the ids are checked slugs above.
        def only_chosen(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                for table in COUNTER_TABLES:
                    cursor.execute(
                        f"CREATE TEMPORARY VIEW {table.name} AS "
                        f"SELECT * FROM public.{table.name} WHERE {where}"
                    )
            dbapi_connection.commit()

        event.listen(engine, "connect", only_chosen)
    return CentralStatistics(engine)


def _list(names: Sequence[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)
