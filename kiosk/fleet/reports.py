"""Central statistics: the kiosk's own report code, reading the central database.

The central counter tables have the view log's names and columns, so kiosk/stats/ reads them
unchanged and sums over kiosks and epochs; suppression then applies to the combined figures
exactly as on one kiosk. A --kiosk or --site filter becomes temporary views of the same
names on each connection: PostgreSQL looks in a session's temporary schema before public,
so every report query sees only the chosen kiosks' rows without knowing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import event

from kiosk.fleet import central
from kiosk.fleet.schema import COUNTER_TABLES
from kiosk.settings import SLUG
from kiosk.stats.queries import Statistics


def open_central(url: str, kiosks: Sequence[str] = (), sites: Sequence[str] = ()) -> Statistics:
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
    return Statistics(engine)


def _list(names: Sequence[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)
