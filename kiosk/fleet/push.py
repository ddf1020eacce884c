"""One push: the kiosk's snapshot upserted centrally as absolute values, then acknowledged.

Absolute values with GREATEST make a push idempotent: sending an hour twice, or an older
snapshot after a newer one, changes nothing. So any failure is handled by pushing again,
with no outbox, sequence numbers or ordering to keep (and nothing that reveals the order
of a visit). The acknowledgement is written locally only after the server committed; a
kiosk killed in between simply sends those hours again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func
from sqlalchemy.dialects import postgresql

from kiosk.fleet import local
from kiosk.fleet.schema import COUNTER_COLUMNS, COUNTER_TABLES, heartbeats

BATCH_ROWS = 1000


@dataclass(frozen=True, slots=True)
class Heartbeat:
    site: str
    app_version: str
    content_version: str
    problems: str
    facts: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class PushResult:
    rows: int
    hours: int
    changed_hours: int
    epoch: str


def take_snapshot(local_engine: Engine, now: datetime) -> local.Snapshot | None:
    """None while the view log has not created its database yet."""
    epoch = local.ensure_epoch(local_engine)
    if epoch is None:
        return None
    # One read transaction: the rows and their hours' fingerprints are the same picture.
    with local_engine.connect() as connection:
        return local.read_snapshot(connection, epoch, now)


def send(
    central: Engine,
    kiosk_id: str,
    snapshot: local.Snapshot,
    heartbeat: Heartbeat | None,
    kiosk_time: datetime,
    between_batches: Callable[[], None] | None = None,
) -> None:
    """Upsert the snapshot and the heartbeat in one central transaction: all or nothing."""
    with central.begin() as connection:
        for table in COUNTER_TABLES:
            rows = [
                {**row, "kiosk_id": kiosk_id, "epoch": snapshot.epoch}
                for row in snapshot.rows[table.name]
            ]
            for start in range(0, len(rows), BATCH_ROWS):
                if between_batches is not None:
                    between_batches()
                _upsert(connection, table.name, rows[start : start + BATCH_ROWS])
        if heartbeat is not None:
            _beat(connection, kiosk_id, snapshot.epoch, heartbeat, kiosk_time)


def _upsert(connection: Connection, name: str, rows: list[dict[str, Any]]) -> None:
    table = next(t for t in COUNTER_TABLES if t.name == name)
    statement = postgresql.insert(table)
    statement = statement.on_conflict_do_update(
        constraint=table.primary_key,
        set_={
            column: func.greatest(table.c[column], statement.excluded[column])
            for column in COUNTER_COLUMNS[name]
        },
    )
    connection.execute(statement, rows)


def _beat(
    connection: Connection, kiosk_id: str, epoch: str, beat: Heartbeat, kiosk_time: datetime
) -> None:
    values = {
        "site": beat.site,
        "last_seen": func.now(),
        "kiosk_time": kiosk_time,
        "epoch": epoch,
        "app_version": beat.app_version,
        "content_version": beat.content_version,
        "problems": beat.problems,
        "facts": dict(beat.facts),
    }
    statement = postgresql.insert(heartbeats).values(kiosk_id=kiosk_id, **values)
    statement = statement.on_conflict_do_update(
        index_elements=["kiosk_id"], set_={name: statement.excluded[name] for name in values}
    )
    connection.execute(statement)


def push_once(
    local_engine: Engine,
    central: Engine,
    kiosk_id: str,
    now: datetime,
    heartbeat: Heartbeat | None = None,
) -> PushResult | None:
    """Snapshot, send, acknowledge. Raises what the databases raise; None: no database yet."""
    snapshot = take_snapshot(local_engine, now)
    if snapshot is None:
        return None
    send(central, kiosk_id, snapshot, heartbeat, now)
    with local_engine.begin() as connection:
        local.acknowledge(connection, snapshot)
    return PushResult(
        snapshot.row_count, len(snapshot.fingerprints), snapshot.changed_hours, snapshot.epoch
    )
