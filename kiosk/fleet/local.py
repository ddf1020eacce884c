"""The fleet's two small tables inside the kiosk's own view-log database.

`fleet_epoch` holds the database epoch: a random id made the first time the fleet meets this
database file. It lives in the file itself, so a quarantined file keeps its epoch and its
fresh replacement gets a new one. `fleet_pushed_hours` remembers, per hour, the counters the
server acknowledged (as a fingerprint), so only changed hours are pushed again.

Neither is in the view log's Alembic history: they are created on first use, and only in a
database the view log has already migrated (a table appearing before the view log's own
would make it think a first start was killed mid-migration). So the fleet needs no local
migration and cannot collide with the view log's own numbering.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    Engine,
    MetaData,
    SmallInteger,
    String,
    Table,
    func,
    select,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateTable

from kiosk.fleet.schema import COUNTER_COLUMNS, EPOCH_LENGTH
from kiosk.viewlog import schema as viewlog

INSURANCE_HOURS = 48
# An hour is pushed only once it has ended, plus this: counts still on their way from the
# view-log writer's batch land first. Pushing the hour in progress every few minutes would
# let the server watch it grow, visitor by visitor (docs/statistics-privacy.md).
CLOSE_MARGIN = timedelta(minutes=15)

local_metadata = MetaData()
fleet_epoch = Table(
    "fleet_epoch",
    local_metadata,
    Column("epoch", String(EPOCH_LENGTH), primary_key=True),
    sqlite_with_rowid=False,
)
fleet_pushed_hours = Table(
    "fleet_pushed_hours",
    local_metadata,
    Column("day", Date, primary_key=True),
    Column("hour", SmallInteger, primary_key=True),
    Column("fingerprint", String(200), nullable=False),
    sqlite_with_rowid=False,
)

LOCAL_TABLES = {
    t.name: t for t in (viewlog.visit_counts, viewlog.topic_view_counts, viewlog.interaction_counts)
}
Hour = tuple[date, int]


def new_epoch() -> str:
    return secrets.token_hex(EPOCH_LENGTH // 2)


def ensure_epoch(engine: Engine) -> str | None:
    """This database's epoch, made on first use; None before the view log created it."""
    with engine.connect() as connection:
        inspector = sa_inspect(connection)
        if not inspector.has_table("alembic_version"):
            return None
        if inspector.has_table(fleet_epoch.name):
            epoch = connection.execute(select(fleet_epoch.c.epoch)).scalar()
            if epoch is not None:
                return str(epoch)
    # BEGIN IMMEDIATE takes the write lock first, waiting its turn behind the view-log
    # writer. A plain BEGIN would read and then ask to write, and SQLite refuses that at
    # once ("database is locked", no waiting) if another writer committed in between.
    ddl = [
        str(CreateTable(table, if_not_exists=True).compile(dialect=engine.dialect))
        for table in local_metadata.sorted_tables
    ]
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            for statement in ddl:
                cursor.execute(statement)
            row = cursor.execute("SELECT epoch FROM fleet_epoch").fetchone()
            epoch = row[0] if row else new_epoch()
            if row is None:
                cursor.execute("INSERT INTO fleet_epoch (epoch) VALUES (?)", (epoch,))
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
    finally:
        raw.close()
    return str(epoch)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What one push sends: rows per table (without kiosk_id) for the chosen hours."""

    epoch: str
    rows: dict[str, list[dict[str, Any]]]
    fingerprints: dict[Hour, str]  # of the hours being pushed
    changed_hours: int  # hours that differ from what the server acknowledged

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def is_closed(hour: Hour, now: datetime) -> bool:
    """Whether an hour ended at least CLOSE_MARGIN ago (an hour ahead of the clock has not)."""
    day, of_day = hour
    return datetime.combine(day, time(of_day)) + timedelta(hours=1) + CLOSE_MARGIN <= now


def read_snapshot(connection: Connection, epoch: str, now: datetime) -> Snapshot:
    """Changed closed hours plus the last 48 h, read in one transaction (one picture)."""
    current = {h: p for h, p in _fingerprints(connection).items() if is_closed(h, now)}
    acknowledged = {
        (row.day, row.hour): row.fingerprint
        for row in connection.execute(select(fleet_pushed_hours))
    }
    changed = {hour for hour, print_ in current.items() if acknowledged.get(hour) != print_}
    since = now - timedelta(hours=INSURANCE_HOURS)
    recent = {hour for hour in current if (hour[0], hour[1]) >= (since.date(), since.hour)}
    hours = changed | recent
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in LOCAL_TABLES}
    if hours:
        first = min(day for day, _ in hours)
        for name, table in LOCAL_TABLES.items():
            counts = COUNTER_COLUMNS[name]
            keys = [c for c in table.primary_key.columns if c.name != "kiosk_id"]
            # Summed over the local kiosk_id: a kiosk renamed in its settings pushes all its
            # counts under the one id its server role allows.
            query = (
                select(*keys, *(func.sum(table.c[c]).label(c) for c in counts))
                .where(table.c.day >= first)
                .group_by(*keys)
            )
            for row in connection.execute(query).mappings():
                if (row["day"], row["hour"]) in hours:
                    rows[name].append(dict(row))
    return Snapshot(epoch, rows, {h: current[h] for h in hours}, len(changed))


def _fingerprints(connection: Connection) -> dict[Hour, str]:
    """Per hour, the row count and counter sums of every table. Counters only grow, so any
    new count changes an hour's fingerprint."""
    parts: dict[Hour, list[str]] = defaultdict(lambda: ["0"] * len(LOCAL_TABLES))
    for index, (name, table) in enumerate(LOCAL_TABLES.items()):
        sums = [func.sum(table.c[c]) for c in COUNTER_COLUMNS[name]]
        query = select(table.c.day, table.c.hour, func.count(), *sums).group_by(
            table.c.day, table.c.hour
        )
        for day, hour, *values in connection.execute(query):
            parts[(day, hour)][index] = ".".join(str(int(v or 0)) for v in values)
    return {hour: ":".join(values) for hour, values in parts.items()}


def acknowledge(connection: Connection, snapshot: Snapshot) -> None:
    """Remember what the server now holds; those hours are not sent again unless they change."""
    if not snapshot.fingerprints:
        return
    statement = sqlite.insert(fleet_pushed_hours)
    statement = statement.on_conflict_do_update(
        index_elements=["day", "hour"], set_={"fingerprint": statement.excluded.fingerprint}
    )
    connection.execute(
        statement,
        [
            {"day": day, "hour": hour, "fingerprint": print_}
            for (day, hour), print_ in snapshot.fingerprints.items()
        ],
    )


def waiting_hours(connection: Connection) -> int:
    """Hours whose counters the server has not acknowledged yet (for the health page)."""
    current = _fingerprints(connection)
    if not sa_inspect(connection).has_table("fleet_pushed_hours"):
        return len(current)
    acknowledged = {
        (row.day, row.hour): row.fingerprint
        for row in connection.execute(select(fleet_pushed_hours))
    }
    return sum(1 for hour, print_ in current.items() if acknowledged.get(hour) != print_)
