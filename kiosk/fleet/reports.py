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

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, event, text

from kiosk.fleet import central
from kiosk.fleet.schema import COUNTER_TABLES
from kiosk.settings import SLUG
from kiosk.stats.hourly import HourlyStatistics
from kiosk.stats.kinds import Grouping
from kiosk.stats.noise import (
    CHANGES,
    NOISY_MEASURES,
    SMALL_MODES,
    SMALL_VIEWS,
    AtomNoise,
)
from kiosk.stats.queries import (
    DateRange,
    TopicPeriodFigures,
    row_sums,
    sum_periods,
)
from kiosk.viewlog.schema import STATISTICS_KEY

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
        if key is None or len(key) > MAX_KEY_BYTES:
            # The SQL would find no key and so no atoms: an empty export, not an error.
            raise ValueError(
                f"the fleet database's statistics key must be {MAX_KEY_BYTES} bytes at most"
            )

        def noisy_rows(part: DateRange) -> list[Sequence[Any]]:
            with self._engine.connect() as connection:
                # The atoms' hash table spills to disk with the default 4 MB of sort memory.
                connection.exec_driver_sql(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'")
                days = {"first": part.start, "last": part.end}
                return list(connection.execute(NOISY_DAY_ATOMS, days))

        # An atom is one day's, so each run of days is complete on its own: a run is a
        # twelfth of a year's rows (found through the day index), its atoms fit in memory,
        # and several runs are queried at once, since PostgreSQL runs each on one core.
        parts = _runs_of_days(span, REPORT_DAYS_PER_QUERY)
        with ThreadPoolExecutor(min(len(parts), REPORT_CONNECTIONS)) as pool:
            found = list(pool.map(noisy_rows, parts))
        return sum_periods(
            span, by, ((row[0], row[1], row_sums(row, 2)) for rows in found for row in rows)
        )


# The sort memory a central report asks for (per sort, in its own transaction only), the
# days one query of a noisy export covers, and the queries it runs at once.
REPORT_WORK_MEM = "64MB"
REPORT_DAYS_PER_QUERY = 31
REPORT_CONNECTIONS = 4
# One SHA-256 block: longer keys would be hashed first (RFC 2104), which the SQL leaves out.
MAX_KEY_BYTES = 64


def _runs_of_days(span: DateRange, days: int) -> list[DateRange]:
    """The span cut into runs of `days` days (the last one shorter)."""
    runs = []
    start = span.start
    while start <= span.end:
        end = min(span.end, start + timedelta(days=days - 1))
        runs.append(DateRange(start, end))
        start = end + timedelta(days=1)
    return runs


def _picked(table: tuple[int, ...], pick: str) -> str:
    return f"(ARRAY{list(table)})[{pick} + 1]"


def _mode(count: str, pick: str) -> str:
    """noise.mode_outcomes(count)[pick] in SQL, capped at the changed views (noise._mode)."""
    (one, small), *rest = SMALL_MODES.items()
    assert one == 1 and not rest, "the SQL below knows of small mode counts of 1 only"
    return (
        f"LEAST(noisy_views, CASE WHEN {count} = 0 THEN 0 WHEN {count} = 1 THEN "
        f"{_picked(small, pick)} ELSE GREATEST(0, {count} + {_picked(CHANGES, pick)}) END)"
    )


def _noisy_day_atoms() -> str:
    """FleetNoise.perturb for every kiosk's atom, in the server, summed over kiosks per day
    and topic: a year of 500 kiosks is millions of atoms, too slow one by one in Python
    (36 s; bench/bench_fleet.py). The same HMAC-SHA256 of the same message (RFC 2104 from
    PostgreSQL's own sha256(): no extension needed), the same picks and the same tables,
    written out from noise.py's constants; tests/fleet/test_noise_sql.py checks it against
    FleetNoise atom by atom. Each pick is its 6 bytes' sum mod 5: 256 is 1 mod 5, so that is
    the 48-bit number mod 5 that FleetNoise takes.

    Every step is MATERIALIZED: PostgreSQL otherwise inlines a step into each place that
    names its columns, and the picks and changed views are named many times.

    The key's padded forms are made in the server from kiosk_meta, never sent: a parameter
    would be written to the server's log with any statement slower than
    log_min_duration_statement, and a year's export is. (A key is at most 64 bytes; the
    centre makes 32.)"""
    assert tuple(NOISY_MEASURES) == (
        "views",
        "read_aloud",
        "large_text",
        "high_contrast",
        "accessibility",
    ), "the SQL below reads the picks in this order"
    (one, small_one), (two, small_two) = SMALL_VIEWS.items()
    assert (one, two) == (1, 2), "the SQL below knows of small views of 1 and 2"
    picks = ",\n".join(
        "(" + " + ".join(f"get_byte(digest, {6 * i + j})" for j in range(6)) + f") % 5 AS p{i}"
        for i in range(5)
    )
    flag = "COALESCE(SUM(CASE WHEN {0} THEN views ELSE 0 END), 0)"

    bits = f"bit({8 * MAX_KEY_BYTES})"

    def pad(byte: str) -> str:
        # key XOR byte, as 64 bytes: bit strings have XOR (#); int8send turns each 64 of
        # the key's bits back into 8 bytes, in order.
        mask = f"CAST('x{byte * MAX_KEY_BYTES}' AS {bits})"
        return (
            "(SELECT string_agg(int8send(CAST(CAST(substring(key_bits # "
            f"{mask} FROM 64 * i + 1 FOR 64) AS bit(64)) AS bigint)), ''::bytea ORDER BY i) "
            f"FROM generate_series(0, {MAX_KEY_BYTES // 8 - 1}) AS i)"
        )

    return f"""
WITH secret AS MATERIALIZED (
    SELECT CAST('x' || rpad(value, {2 * MAX_KEY_BYTES}, '0') AS {bits}) AS key_bits
    FROM kiosk_meta WHERE name = '{STATISTICS_KEY}' AND length(value) <= {2 * MAX_KEY_BYTES}
), pads AS MATERIALIZED (
    SELECT {pad("36")} AS inner_pad, {pad("5c")} AS outer_pad FROM secret
), atoms AS (
    SELECT kiosk_id, day, topic_id,
        SUM(views) AS views, SUM(seconds_total) AS seconds,
        {flag.format("read_aloud")} AS read_aloud,
        {flag.format("large_text")} AS large_text,
        {flag.format("high_contrast")} AS high_contrast,
        {flag.format("large_text OR high_contrast")} AS accessibility
    FROM topic_view_counts
    WHERE day >= :first AND day <= :last
    GROUP BY kiosk_id, day, topic_id
    HAVING SUM(views) > 0
), digests AS MATERIALIZED (
    SELECT atoms.*, sha256(outer_pad || sha256(inner_pad || convert_to(
        to_char(day, 'YYYY-MM-DD') || '|' || kiosk_id || '|' || topic_id, 'UTF8'))) AS digest
    FROM atoms CROSS JOIN pads
), picked AS MATERIALIZED (
    SELECT day, topic_id, views, seconds, read_aloud, large_text, high_contrast, accessibility,
        {picks}
    FROM digests
), changed AS MATERIALIZED (
    SELECT *, CASE WHEN views = 1 THEN {_picked(small_one, "p0")}
        WHEN views = 2 THEN {_picked(small_two, "p0")}
        ELSE views + {_picked(CHANGES, "p0")} END AS noisy_views
    FROM picked
), modes AS MATERIALIZED (
    SELECT day, topic_id, views, seconds, noisy_views,
        {_mode("read_aloud", "p1")} AS read_aloud,
        {_mode("large_text", "p2")} AS large_text,
        {_mode("high_contrast", "p3")} AS high_contrast,
        {_mode("accessibility", "p4")} AS accessibility
    FROM changed
)
SELECT day, topic_id,
    SUM(noisy_views),
    SUM(noisy_views * div(2 * seconds + views, 2 * views)),
    SUM(read_aloud), SUM(large_text), SUM(high_contrast),
    SUM(LEAST(noisy_views, large_text + high_contrast,
        GREATEST(large_text, high_contrast, accessibility)))
FROM modes
GROUP BY day, topic_id
"""


NOISY_DAY_ATOMS = text(_noisy_day_atoms())


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
                found.update(_distinct_kiosks(connection, table.name))
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


def _distinct_kiosks(connection: Connection, table: str) -> list[str]:
    """The kiosk ids in a counter table, sorted."""
    return list(connection.execute(text(_DISTINCT_KIOSKS.format(table))).scalars())


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
