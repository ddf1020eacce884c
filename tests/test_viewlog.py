"""The view log: counters are right, arrive within a second, survive outages and corruption,
and the schema cannot hold anything that identifies a person or links a visit's topics."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Boolean, Date, Integer, SmallInteger, String, create_engine, event, inspect
from sqlalchemy.pool import Pool

from kiosk.clock import ManualClock, SystemClock
from kiosk.migrations import HEAD
from kiosk.viewlog import store
from kiosk.viewlog import writer as writer_module
from kiosk.viewlog.events import (
    HourBucket,
    Interaction,
    InteractionHappened,
    TopicViewed,
    VisitStarted,
)
from kiosk.viewlog.schema import STATISTICS_KEY, metadata
from kiosk.viewlog.store import StorageCorrupt, StorageUnavailable, classify, open_database
from kiosk.viewlog.writer import LogStatus, ViewLog

NINE = HourBucket(date(2026, 11, 20), 9)
TEN = HourBucket(date(2026, 11, 20), 10)


class StatusWatcher:
    """Lets a test wait for the writer to reach a state (no sleeping)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self.history: list[LogStatus] = []

    def __call__(self, status: LogStatus) -> None:
        with self._condition:
            self.history.append(status)
            self._condition.notify_all()

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> LogStatus:
        with self._condition:
            ok = self._condition.wait_for(lambda: any(predicate(s) for s in self.history), timeout)
            assert ok, f"writer never reached the state; saw {self.history[-3:]}"
            return next(s for s in self.history if predicate(s))


def rows(db: Path, table: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        return sorted(connection.execute(f"SELECT * FROM {table}").fetchall())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "kiosk.db"


@pytest.fixture
def view_log(db: Path) -> Iterator[ViewLog]:
    log = ViewLog(f"sqlite:///{db}", "kiosk-1", ManualClock(), strict=True)
    log.start()
    yield log
    log.close()


def test_events_become_hourly_counters(view_log: ViewLog, db: Path) -> None:
    view_log.record(VisitStarted(NINE))
    view_log.record(VisitStarted(NINE))
    view_log.record(TopicViewed(NINE, "side-effects", "en", 40))
    view_log.record(TopicViewed(NINE, "side-effects", "en", 20))
    view_log.record(TopicViewed(NINE, "side-effects", "en", 30, read_aloud=True))
    view_log.record(TopicViewed(TEN, "side-effects", "es", 10, large_text=True))
    view_log.record(InteractionHappened(NINE, Interaction.GLOSSARY_OPENED, "side-effects", "en"))
    assert view_log.flush()
    assert rows(db, "visit_counts") == [("2026-11-20", 9, "kiosk-1", 2)]
    assert rows(db, "topic_view_counts") == [
        ("2026-11-20", 9, "kiosk-1", "side-effects", "en", 0, 0, 0, 2, 60),
        ("2026-11-20", 9, "kiosk-1", "side-effects", "en", 1, 0, 0, 1, 30),
        ("2026-11-20", 10, "kiosk-1", "side-effects", "es", 0, 1, 0, 1, 10),
    ]
    assert rows(db, "interaction_counts") == [
        ("2026-11-20", 9, "kiosk-1", "glossary-opened", "side-effects", "en", 1)
    ]


def test_counters_add_up_across_batches_and_restarts(db: Path) -> None:
    for _ in range(2):
        log = ViewLog(f"sqlite:///{db}", "kiosk-1", ManualClock(), strict=True)
        log.start()
        log.record(TopicViewed(NINE, "cost", "en", 5))
        log.close()  # a clean exit writes what is pending, with no explicit flush
    assert rows(db, "topic_view_counts") == [
        ("2026-11-20", 9, "kiosk-1", "cost", "en", 0, 0, 0, 2, 10)
    ]


def test_writes_arrive_within_about_a_second_without_flush(db: Path) -> None:
    watcher = StatusWatcher()
    log = ViewLog(f"sqlite:///{db}", "kiosk-1", SystemClock(), strict=True, on_status=watcher)
    log.start()
    try:
        watcher.wait_for(lambda s: s.ready)
        clock = SystemClock()
        started = clock.monotonic()
        log.record(TopicViewed(NINE, "cost", "en", 5))
        watcher.wait_for(lambda s: s.last_write is not None, timeout=5)
        assert clock.monotonic() - started < 2.0
        assert rows(db, "topic_view_counts")[0][-2:] == (1, 5)
    finally:
        log.close()


def test_record_returns_at_once_even_while_the_database_is_slow(db: Path) -> None:
    gate = threading.Event()
    original = store.commit_counters

    def slow_commit(*args: Any) -> None:
        gate.wait(10)
        original(*args)

    store.commit_counters = slow_commit  # type: ignore[assignment]
    try:
        log = ViewLog(f"sqlite:///{db}", "kiosk-1", ManualClock(), strict=True)
        log.start()
        log.record(TopicViewed(NINE, "cost", "en", 5))
        flushing = threading.Thread(target=log.flush)
        flushing.start()
        clock = SystemClock()
        started = clock.monotonic()
        for _ in range(1000):
            log.record(TopicViewed(NINE, "cost", "en", 5))
        assert clock.monotonic() - started < 0.5  # never waits for the database
        gate.set()
        flushing.join()
        log.close()
    finally:
        store.commit_counters = original  # type: ignore[assignment]
    assert rows(db, "topic_view_counts")[0][-2] == 1001


def test_schema_holds_nothing_that_identifies_a_person_or_links_a_visit(db: Path) -> None:
    engine, _ = open_database(f"sqlite:///{db}", ManualClock().now())
    inspector = inspect(engine)
    allowed_text = {"kiosk_id", "topic_id", "language", "kind"}
    tables = set(inspector.get_table_names()) - {"alembic_version", "kiosk_meta"}
    hourly = {"visit_counts", "topic_view_counts", "interaction_counts", "view_hour_totals"}
    # The rollups of the same counts by day: coarser still, with no hour at all.
    daily = {"topic_view_days", "interaction_days"}
    assert tables == hourly | daily
    # The one table that is not a counter holds facts about the database, nothing else.
    assert {c["name"] for c in inspector.get_columns("kiosk_meta")} == {"name", "value"}
    with sqlite3.connect(db) as connection:
        names = [row[0] for row in connection.execute("SELECT name FROM kiosk_meta")]
    assert names == [STATISTICS_KEY]
    for table in tables:
        columns = {c["name"]: c for c in inspector.get_columns(table)}
        # Time is a date and an hour of the day: no column can hold anything finer.
        assert isinstance(columns["day"]["type"], Date)
        if table in hourly:
            assert isinstance(columns["hour"]["type"], SmallInteger)
        else:
            assert "hour" not in columns
        for name, column in columns.items():
            kind = column["type"]
            if isinstance(kind, String):
                # Short ids only: no free text, names, notes or answers can be stored.
                assert name in allowed_text, f"{table}.{name} could hold free text"
                assert kind.length is not None and kind.length <= 48
            else:
                assert isinstance(kind, Date | SmallInteger | Integer | Boolean), (table, name)
        # Every column is part of the counter's key or is a count: no row ids, no
        # visit or session ids, nothing that ties one view to another.
        key = set(inspector.get_pk_constraint(table)["constrained_columns"])
        counts = set(columns) - key
        mode_counts = {f"{m}_views" for m in ("read_aloud", "large_text", "high_contrast")}
        allowed_counts = {"visits", "views", "seconds_total", "count", "accessibility_views"}
        assert counts <= allowed_counts | mode_counts, (table, counts)
        assert not any(
            n == "id" or n.endswith(("session", "visit_id", "user", "ip")) for n in columns
        )
    with sqlite3.connect(db) as connection:
        for table in tables:
            sql = connection.execute(
                "SELECT sql FROM sqlite_master WHERE name = ?", (table,)
            ).fetchone()[0]
            # A rowid would record the order counters were created in.
            assert "WITHOUT ROWID" in sql.upper(), table
            if table in hourly:
                with pytest.raises(sqlite3.IntegrityError):
                    connection.execute(
                        f"INSERT INTO {table} (day, hour, kiosk_id) VALUES ('2026-11-20', 24, 'k')"
                    )
    engine.dispose()


def test_events_refuse_free_text(view_log: ViewLog) -> None:
    with pytest.raises(ValueError, match="topic_id"):
        TopicViewed(NINE, "My name is Ann", "en", 5)
    with pytest.raises(ValueError, match="language"):
        TopicViewed(NINE, "cost", "english", 5)
    assert TopicViewed(NINE, "cost", "en", 10_000).seconds == 1800


def test_database_is_in_wal_mode_with_full_sync(view_log: ViewLog, db: Path) -> None:
    view_log.record(VisitStarted(NINE))
    assert view_log.flush()
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_write_ahead_log_is_emptied_after_each_batch(view_log: ViewLog, db: Path) -> None:
    # Left in the WAL, the order of commits could hint at which topics one visitor read.
    for topic in ("cost", "side-effects", "what-is-it"):
        view_log.record(TopicViewed(NINE, topic, "en", 5))
        assert view_log.flush()
        wal = db.with_name(db.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
    assert len(rows(db, "topic_view_counts")) == 3


@pytest.mark.expected_logs("view log cannot write", "view log is writing again")
def test_a_damaged_database_that_cannot_be_moved_keeps_its_events(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = ViewLog(f"sqlite:///{db}", "kiosk-1", ManualClock(), strict=True)
    log.start()
    assert log.flush()
    real_commit = store.commit_counters

    def damaged(*_args: Any) -> None:
        error = sqlite3.DatabaseError("database disk image is malformed")
        error.sqlite_errorcode = sqlite3.SQLITE_CORRUPT  # as SQLite itself would set it
        raise error

    def read_only(*_args: Any) -> None:
        raise PermissionError("read-only folder")

    monkeypatch.setattr(store, "commit_counters", damaged)
    monkeypatch.setattr(store, "quarantine", read_only)
    log.record(VisitStarted(NINE))
    assert not log.flush()  # the writer lives on, holding the event
    assert "could not be moved aside" in (log.status.problem or "")
    monkeypatch.setattr(store, "commit_counters", real_commit)
    assert log.flush()
    log.close()
    assert rows(db, "visit_counts") == [("2026-11-20", 9, "kiosk-1", 1)]


def test_migrations_match_the_models(tmp_path: Path) -> None:
    engine = store.create_database_engine(f"sqlite:///{tmp_path / 'm.db'}")
    store.upgrade(engine)  # every migration from an empty file, through Alembic
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    assert diff == []


def _schema_and_rows(path: Path) -> tuple[list[tuple[str, str, list[str]]], list[Any]]:
    """Each table and index with its SQL's lines in any order (a table's constraints may come
    in another order), and the rows of the small tables (the statistics key is random: only
    its length counts)."""
    with sqlite3.connect(path) as connection:
        schema = [
            (kind, name, sorted(line.strip().rstrip(",") for line in (sql or "").splitlines()))
            for kind, name, sql in connection.execute(
                "SELECT type, name, sql FROM sqlite_master ORDER BY name"
            )
        ]
        rows = [
            *connection.execute("SELECT version_num FROM alembic_version"),
            *connection.execute("SELECT name, length(value) FROM kiosk_meta"),
        ]
    return schema, rows


def test_a_new_database_is_made_as_the_migrations_make_it_without_alembic(tmp_path: Path) -> None:
    migrated = store.create_database_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    store.upgrade(migrated)
    migrated.dispose()
    engine, _ = open_database(f"sqlite:///{tmp_path / 'new.db'}", ManualClock().now())
    assert store.current_revision(engine) == HEAD
    engine.dispose()
    assert _schema_and_rows(tmp_path / "new.db") == _schema_and_rows(tmp_path / "migrated.db")


def test_each_database_gets_its_own_secret_statistics_key(tmp_path: Path) -> None:
    keys = []
    for name in ("a.db", "b.db"):
        engine, _ = open_database(f"sqlite:///{tmp_path / name}", ManualClock().now())
        key = store.meta_value(engine, STATISTICS_KEY)
        engine.dispose()
        assert key is not None and len(bytes.fromhex(key)) == 32
        keys.append(key)
    assert keys[0] != keys[1]
    # Opening again keeps the key: the noise of past days must never change.
    engine, _ = open_database(f"sqlite:///{tmp_path / 'a.db'}", ManualClock().now())
    assert store.meta_value(engine, STATISTICS_KEY) == keys[0]
    engine.dispose()


def test_a_database_from_before_the_key_is_upgraded_with_its_counts(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = store.create_database_engine(url)
    config = Config()
    config.set_main_option("script_location", str(store.MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO visit_counts VALUES ('2026-11-20', 9, 'kiosk-1', 3)"
        )
    assert store.meta_value(engine, STATISTICS_KEY) is None  # no table yet
    engine.dispose()
    engine, _ = open_database(url, ManualClock().now())
    assert store.current_revision(engine) == HEAD
    assert store.meta_value(engine, STATISTICS_KEY) is not None
    engine.dispose()
    assert rows(tmp_path / "old.db", "visit_counts") == [("2026-11-20", 9, "kiosk-1", 3)]


@pytest.mark.expected_logs("view log database")
def test_corrupt_database_is_moved_aside_and_a_fresh_one_used(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a database" * 100)
    (db.parent / "kiosk.db-wal").write_bytes(b"junk")
    log = ViewLog(f"sqlite:///{db}", "kiosk-1", ManualClock(), strict=True)
    log.start()
    log.record(VisitStarted(NINE))
    assert log.flush()
    status = log.status
    log.close()
    assert rows(db, "visit_counts") == [("2026-11-20", 9, "kiosk-1", 1)]
    moved = sorted(p.name for p in db.parent.glob("kiosk.db.corrupt-*"))
    # The file and its WAL are kept byte for byte for recovery (a -shm may come along).
    main_file, wal = moved[0], next(m for m in moved if m.endswith("-wal"))
    assert (db.parent / main_file).read_bytes() == b"this is not a database" * 100
    assert (db.parent / wal).read_bytes() == b"junk"
    assert set(status.quarantined) == set(moved)


@pytest.mark.expected_logs("view log database")
def test_damaged_pages_are_caught_by_the_integrity_check(db: Path) -> None:
    log = ViewLog(f"sqlite:///{db}", "kiosk-1", ManualClock(), strict=True)
    log.start()
    for hour in range(24):
        for topic in range(40):
            log.record(TopicViewed(HourBucket(date(2026, 1, 1), hour), f"topic-{topic}", "en", 1))
    log.close()
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    assert pages > 4
    with db.open("r+b") as f:  # scribble over an index page in the middle of the file
        f.seek(page_size * (pages // 2) + 10)
        f.write(b"\xff" * 200)
    log = ViewLog(f"sqlite:///{db}", "kiosk-1", ManualClock(), strict=True)
    log.start()
    log.record(VisitStarted(NINE))
    assert log.flush()
    log.close()
    assert list(db.parent.glob("kiosk.db.corrupt-*"))
    assert rows(db, "visit_counts") == [("2026-11-20", 9, "kiosk-1", 1)]


@pytest.fixture
def disk(db: Path) -> Iterator[dict[str, bool]]:
    """Simulates a full disk: SQLite may not grow the file while state['full'] is set."""
    state = {"full": False}

    def on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        cursor = dbapi_connection.cursor()
        if state["full"]:
            pages = cursor.execute("PRAGMA page_count").fetchone()[0]
            cursor.execute(f"PRAGMA max_page_count = {pages}")
        else:
            cursor.execute("PRAGMA max_page_count = 1073741823")
        cursor.close()

    event.listen(Pool, "checkout", on_checkout)
    yield state
    event.remove(Pool, "checkout", on_checkout)


@pytest.mark.expected_logs("view log cannot write", "view log is writing again")
def test_full_disk_holds_events_retries_and_loses_nothing(db: Path, disk: dict[str, bool]) -> None:
    watcher = StatusWatcher()
    log = ViewLog(f"sqlite:///{db}", "kiosk-1", SystemClock(), strict=True, on_status=watcher)
    log.start()
    try:
        log.record(TopicViewed(NINE, "cost", "en", 5))
        assert log.flush()
        disk["full"] = True
        for topic in range(300):  # enough new counters to need new pages
            log.record(TopicViewed(TEN, f"topic-{topic}", "en", 1))
        assert not log.flush()
        status = log.status
        assert status.problem and "full" in status.problem
        assert status.pending_counters == 300
        assert rows(db, "topic_view_counts") == [
            ("2026-11-20", 9, "kiosk-1", "cost", "en", 0, 0, 0, 1, 5)
        ]
        disk["full"] = False
        watcher.wait_for(
            lambda s: (
                s.problem is None
                and s.pending_counters == 0
                and s.last_write is not None
                and s is not status
            )
        )
    finally:
        log.close()
    saved = rows(db, "topic_view_counts")
    assert len(saved) == 301
    assert sum(r[-2] for r in saved) == 301


@pytest.mark.expected_logs("view log cannot write", "view log is writing again")
def test_unwritable_location_keeps_running_and_recovers(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    db = blocker / "kiosk.db"
    watcher = StatusWatcher()
    log = ViewLog(f"sqlite:///{db}", "kiosk-1", SystemClock(), strict=True, on_status=watcher)
    log.start()
    try:
        log.record(VisitStarted(NINE))
        first = watcher.wait_for(lambda s: s.problem is not None)
        assert not first.ready
        blocker.unlink()  # the administrator frees the location
        watcher.wait_for(lambda s: s.ready and s.pending_counters == 0, timeout=15)
    finally:
        log.close()
    assert rows(db, "visit_counts") == [("2026-11-20", 9, "kiosk-1", 1)]


@pytest.mark.expected_logs("buffer is full", "view log cannot write", "closed with")
def test_buffer_is_bounded_while_the_database_is_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_module, "MAX_PENDING_COUNTERS", 10)
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    log = ViewLog(f"sqlite:///{blocker / 'kiosk.db'}", "kiosk-1", ManualClock(), strict=True)
    log.start()
    for topic in range(25):
        log.record(TopicViewed(NINE, f"topic-{topic}", "en", 1))
    for _ in range(5):  # more views of a counter already held cost nothing
        log.record(TopicViewed(NINE, "topic-0", "en", 1))
    assert not log.flush()
    status = log.status
    log.close()
    assert status.pending_counters == 10
    assert status.dropped_events == 15


@pytest.mark.expected_logs(
    "bug in the view log writer", "view log cannot write", "view log is writing again"
)
def test_a_bug_fails_loudly_in_strict_mode(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: Any) -> None:
        raise ValueError("a programming error")

    monkeypatch.setattr(store, "commit_counters", broken)
    log = ViewLog(f"sqlite:///{db}", "kiosk-1", ManualClock(), strict=True)
    log.start()
    log.record(VisitStarted(NINE))
    with pytest.raises(ValueError, match="programming error"):
        log.flush()
    log.close()


def sqlite_error(tmp_path: Path, action: str) -> BaseException:
    """The error SQLite itself raises for each situation, result code and all."""
    db = tmp_path / f"{action}.db"
    with sqlite3.connect(db) as setup:
        setup.execute("CREATE TABLE t (x INTEGER CHECK (x > 0))")
        setup.execute("INSERT INTO t VALUES (1)")
    try:
        if action == "full":
            connection = sqlite3.connect(db)
            connection.execute("PRAGMA max_page_count = 2")
            connection.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(1, 5000)])
        elif action == "read-only":
            sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute("INSERT INTO t VALUES (2)")
        elif action == "busy":
            holder = sqlite3.connect(db, isolation_level=None)
            holder.execute("BEGIN EXCLUSIVE")
            sqlite3.connect(db, timeout=0).execute("SELECT * FROM t")
        elif action == "cannot-open":
            sqlite3.connect(tmp_path / "no" / "such" / "folder.db").execute("SELECT 1")
        elif action == "not-a-database":
            db.write_bytes(b"this is not a database, only text " * 200)
            sqlite3.connect(db).execute("SELECT * FROM t")
        elif action == "corrupt":
            with sqlite3.connect(db) as grow:
                grow.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(1, 3000)])
            raw = bytearray(db.read_bytes())
            raw[4096 : 4096 + 64] = b"\xff" * 64  # garbage over the header of page 2
            db.write_bytes(bytes(raw))
            sqlite3.connect(db).execute("SELECT SUM(x) FROM t").fetchall()
        elif action == "no-such-table":
            sqlite3.connect(db).execute("SELECT * FROM visit_counts")
        elif action == "syntax":
            sqlite3.connect(db).execute("SELEC 1")
        elif action == "check":
            sqlite3.connect(db).execute("INSERT INTO t VALUES (-1)")
    except sqlite3.Error as error:
        return error
    raise AssertionError(f"{action} raised nothing")


@pytest.mark.parametrize(
    ("action", "kind"),
    [
        ("full", StorageUnavailable),
        ("read-only", StorageUnavailable),
        ("busy", StorageUnavailable),
        ("cannot-open", StorageUnavailable),
        ("not-a-database", StorageCorrupt),
        ("corrupt", StorageCorrupt),
        # Operational errors that are bugs are not retried for ever as if the disk were away.
        ("no-such-table", None),
        ("syntax", None),
        ("check", None),
    ],
)
def test_storage_errors_are_sorted_by_sqlite_result_code(
    tmp_path: Path, action: str, kind: type[Exception] | None
) -> None:
    error = sqlite_error(tmp_path, action)
    assert classify(error) is kind, (error, getattr(error, "sqlite_errorname", None))
    # Whatever the message says: the code decides, not the text.
    assert classify(type(error)("database or disk is full")) is None


def test_errors_already_sorted_and_other_errors() -> None:
    assert classify(ValueError("bug")) is None
    assert classify(StorageUnavailable("from the export process")) is StorageUnavailable
    assert classify(OSError(28, "No space left on device")) is StorageUnavailable


def test_other_databases_by_url(tmp_path: Path) -> None:
    # Any SQLAlchemy URL works; here an SQLite file given as a URL with no quarantine path.
    engine = create_engine(f"sqlite:///{tmp_path / 'other.db'}")
    engine.dispose()
    log = ViewLog(f"sqlite:///{tmp_path / 'other.db'}", "k2", ManualClock(), strict=True)
    log.start()
    log.record(VisitStarted(NINE))
    assert log.flush()
    log.close()
    assert rows(tmp_path / "other.db", "visit_counts") == [("2026-11-20", 9, "k2", 1)]


def test_events_recorded_before_the_writer_starts_are_kept(db: Path) -> None:
    # The kiosk starts the writer only after its first screen is painted.
    log = ViewLog(f"sqlite:///{db}", "kiosk-1", ManualClock(), strict=True)
    log.record(VisitStarted(NINE))
    log.record(TopicViewed(NINE, "cost", "en", 3))
    assert not db.exists()
    log.start()
    assert log.flush()
    log.close()
    assert rows(db, "visit_counts") == [("2026-11-20", 9, "kiosk-1", 1)]


def test_the_recorded_head_revision_is_the_newest_migration() -> None:
    # A database at HEAD is opened without Alembic; a stale HEAD would skip a migration.
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from kiosk.migrations import HEAD
    from kiosk.viewlog.store import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


def test_alembic_runs_only_when_the_database_is_not_at_head(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import command

    upgrades: list[str] = []
    real_upgrade = command.upgrade
    monkeypatch.setattr(command, "upgrade", lambda *a: (upgrades.append(a[1]), real_upgrade(*a)))
    engine, _ = open_database(f"sqlite:///{db}", ManualClock().now())  # new: made at head
    assert store.current_revision(engine) == HEAD
    engine.dispose()
    engine, _ = open_database(f"sqlite:///{db}", ManualClock().now())  # at head: no Alembic
    engine.dispose()
    assert upgrades == []
    monkeypatch.setattr(store, "HEAD", "9999")  # as if a newer kiosk version were installed
    engine, _ = open_database(f"sqlite:///{db}", ManualClock().now())
    engine.dispose()
    assert upgrades == ["head"]
