"""Opening the view-log database: integrity check, quarantine, pragmas, migrations.

Storage errors are split (as qutebrowser's sql.py does) into the environment's fault (disk
full, read-only, locked: keep running and retry) and bugs (fail loudly in tests).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, create_engine, event, exc, inspect, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url

from kiosk.migrations import HEAD
from kiosk.viewlog.counters import DAY_AMOUNTS, InteractionKey, ViewKey, VisitKey, rollups
from kiosk.viewlog.schema import (
    interaction_counts,
    interaction_days,
    kiosk_meta,
    topic_view_counts,
    topic_view_days,
    view_hour_totals,
    visit_counts,
)

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
BUSY_TIMEOUT_MS = 5000
# SQLite's primary result codes (https://sqlite.org/rescode.html), as qutebrowser's sql.py
# sorts them: the environment's fault, retried; a damaged file, moved aside; else a bug.
_UNAVAILABLE_CODES = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_NOMEM,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_PROTOCOL,
        sqlite3.SQLITE_PERM,
    }
)
_CORRUPT_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})


class StorageUnavailable(Exception):
    """The environment will not let us write now (disk full, read-only, locked). Retry later."""


class StorageCorrupt(Exception):
    """The database file is damaged; it must be moved aside and replaced."""


def classify(error: BaseException) -> type[Exception] | None:
    """StorageUnavailable, StorageCorrupt, or None for a bug."""
    for known in (StorageUnavailable, StorageCorrupt):
        if isinstance(error, known):  # already classified (say, by an export process)
            return known
    original: BaseException = error
    if isinstance(error, exc.DBAPIError) and error.orig is not None:
        original = error.orig
    if isinstance(original, OSError):
        return StorageUnavailable
    if isinstance(original, sqlite3.Error):
        code = getattr(original, "sqlite_errorcode", None)
        if code is None:  # raised by the sqlite3 module itself, not by SQLite
            return None
        primary = code & 0xFF  # extended codes (SQLITE_IOERR_WRITE, ...) share the low byte
        if primary in _CORRUPT_CODES:
            return StorageCorrupt
        if primary in _UNAVAILABLE_CODES:
            return StorageUnavailable
        return None  # SQLITE_ERROR and the rest: no such table, bad SQL... the code's fault
    # Another database (PostgreSQL): a server gone away or refusing is the environment's.
    if isinstance(original, exc.OperationalError) or isinstance(error, exc.OperationalError):
        return StorageUnavailable
    return None


@dataclass(frozen=True, slots=True)
class Quarantine:
    moved: list[Path]
    reason: str


def sqlite_file(url: str) -> Path | None:
    """The database file behind a SQLite URL, or None for memory or other databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def check_integrity(path: Path) -> str | None:
    """None if the file is a healthy SQLite database (or absent), else what is wrong."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        part = path.with_name(path.name + suffix)
        # A folder or a device (a link to /dev/null) where SQLite wants a file: it would
        # fail to open for ever, so the kiosk would never log again.
        if part.exists() and not part.is_file():
            return f"{part.name} is not a regular file"
    if not path.exists() or path.stat().st_size == 0:
        return None
    writable_folder = os.access(path.parent, os.W_OK | os.X_OK)
    if writable_folder and not os.access(path, os.R_OK | os.W_OK):
        # Its permissions changed under the kiosk: it would never log again. (A read-only
        # folder or disk is the environment's fault instead: wait and retry.)
        return "the kiosk may not read and write this file (its permissions)"
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as error:
        return str(error)
    try:
        rows = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as error:
        if classify(error) is StorageUnavailable:
            raise StorageUnavailable(str(error)) from error
        return str(error)
    finally:
        connection.close()
    result = [str(r[0]) for r in rows]
    return None if result == ["ok"] else "; ".join(result[:5])


def quarantine(path: Path, reason: str, now: datetime) -> Quarantine:
    """Move a damaged database and its -wal/-shm files aside, keeping them for recovery."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    moved: list[Path] = []
    for suffix in ("", "-wal", "-shm", "-journal"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            target = path.with_name(f"{path.name}.corrupt-{stamp}{suffix}")
            source.rename(target)
            moved.append(target)
    logger.error(
        "view log database %s is damaged (%s); moved aside to %s and starting a fresh one",
        path,
        reason,
        ", ".join(p.name for p in moved),
    )
    return Quarantine(moved, reason)


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # no implicit BEGIN: see create_database_engine
    cursor = dbapi_connection.cursor()
    try:
        # WAL lets the staff dashboard read while the kiosk writes. synchronous=FULL makes
        # each commit survive a power cut as well as a crash: kiosks get unplugged, and one
        # fsync per second costs nothing.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def create_database_engine(url: str) -> Engine:
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _set_sqlite_pragmas)
        # pysqlite starts no transaction before DDL, so a first start killed mid-migration
        # left tables without a schema version, and every start after it failed. SQLAlchemy's
        # recipe ("Serializable isolation / Savepoints / Transactional DDL" in its SQLite
        # dialect docs): let SQLAlchemy emit BEGIN itself.
        event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN"))
        return engine
    return create_engine(url, pool_pre_ping=True)


def current_revision(engine: Engine) -> str | None:
    """The schema revision a database is at (None for a new, empty one)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def meta_value(engine: Engine, name: str) -> str | None:
    """A kiosk_meta value; None if it is missing, or the database predates migration 0002."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(kiosk_meta.name):
            return None
        return connection.execute(
            select(kiosk_meta.c.value).where(kiosk_meta.c.name == name)
        ).scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest version; kiosks in the field upgrade in place."""
    revision = current_revision(engine)
    if revision == HEAD:
        return
    if revision is None:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
        if tables:
            # Left by a first start killed mid-migration before migrations were atomic.
            raise StorageCorrupt(f"tables without a schema version: {', '.join(tables)}")
        from kiosk.viewlog.fresh import create_at_head

        with engine.begin() as connection:
            create_at_head(connection)
        return
    upgrade(engine)


def upgrade(engine: Engine) -> None:
    """Run Alembic's migrations from the database's revision to the newest."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_database(url: str, now: datetime) -> tuple[Engine, Quarantine | None]:
    """Check, quarantine if damaged, connect and migrate. Raises StorageUnavailable."""
    path = sqlite_file(url)
    moved: Quarantine | None = None
    try:
        if path is not None:
            problem = check_integrity(path)
            if problem is not None:
                moved = quarantine(path, problem, now)
        engine = create_database_engine(url)
        try:
            migrate(engine)
        except Exception as error:
            engine.dispose()
            if path is not None and moved is None and classify(error) is StorageCorrupt:
                moved = quarantine(path, str(error), now)
                engine = create_database_engine(url)
                migrate(engine)
            else:
                raise
    except Exception as error:
        kind = classify(error)
        if kind is None:
            raise
        raise StorageUnavailable(f"{url}: {error}") from error
    return engine, moved


def commit_counters(
    engine: Engine,
    visits: Mapping[VisitKey, int],
    views: Mapping[ViewKey, Sequence[int]],
    interactions: Mapping[InteractionKey, int],
) -> None:
    """Add pending counts to the stored counters and their rollups, in one transaction.

    One transaction: the rollups can never disagree with the hourly counters, and a write
    that fails (disk full, a damaged file) leaves neither changed, so the writer keeps the
    counts and tries again exactly as before there were rollups.
    """
    days = rollups(views, interactions)
    with engine.begin() as connection:
        _add_many(
            connection, visit_counts, [(k._asdict(), {"visits": n}) for k, n in visits.items()]
        )
        _add_many(
            connection,
            topic_view_counts,
            [(k._asdict(), {"views": n, "seconds_total": s}) for k, (n, s) in views.items()],
        )
        _add_many(
            connection,
            interaction_counts,
            [(k._asdict(), {"count": n}) for k, n in interactions.items()],
        )
        _add_many(
            connection,
            topic_view_days,
            [
                (k._asdict(), dict(zip(DAY_AMOUNTS, a, strict=True)))
                for k, a in days.view_days.items()
            ],
        )
        _add_many(
            connection,
            view_hour_totals,
            [
                (k._asdict(), {"views": n, "seconds_total": s})
                for k, (n, s) in days.view_hours.items()
            ],
        )
        _add_many(
            connection,
            interaction_days,
            [(k._asdict(), {"count": n}) for k, n in days.interaction_days.items()],
        )


def checkpoint(engine: Engine) -> None:
    """Fold the write-ahead log into the database and empty it.

    The WAL keeps each commit's pages in order; left there, the order in which hourly
    counters went up could hint which topics one visitor read. Emptied after every batch,
    the file on disk holds only the counters themselves. A reader holding a snapshot may
    stop the checkpoint part-way; the next batch finishes it.
    """
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _add_many(
    connection: Any, table: Table, rows: list[tuple[dict[str, Any], dict[str, int]]]
) -> None:
    """Add amounts to the counters at their keys, creating them if needed (an upsert).

    One statement for all rows (executemany): a batch of thousands costs what one did.
    """
    if not rows:
        return
    key_names = list(rows[0][0])
    amount_names = list(rows[0][1])
    dialect = connection.dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
        statement = insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=key_names,
            set_={name: table.c[name] + statement.excluded[name] for name in amount_names},
        )
        connection.execute(statement, [{**key, **amounts} for key, amounts in rows])
        return
    for key, amounts in rows:
        condition = [table.c[name] == value for name, value in key.items()]
        changed = connection.execute(
            update(table)
            .where(*condition)
            .values({name: table.c[name] + amount for name, amount in amounts.items()})
        )
        if changed.rowcount == 0:
            connection.execute(table.insert().values(**key, **amounts))
