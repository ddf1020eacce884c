"""Pushing counters to a real PostgreSQL: idempotent, order-free, all or nothing."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from kiosk.clock import ManualClock
from kiosk.fleet import push
from kiosk.fleet.credentials import write_credentials
from kiosk.fleet.pusher import RETRY_MAX_SECONDS, FleetLink, FleetPusher
from kiosk.settings import FleetSettings
from kiosk.viewlog.counters import VisitKey
from kiosk.viewlog.store import create_database_engine, open_database, quarantine, sqlite_file
from tests.fleet.conftest import KIOSK_PASSWORD, FleetDatabase
from tests.fleet.helpers import DAY, NOW, a_day_of_use, central_totals, local_totals, record

LocalDb = Callable[[str], str]


def make_link(
    fleet_db: FleetDatabase,
    local_url: str,
    data_dir: Path,
    clock: ManualClock,
    kiosk_id: str = "kiosk-a",
    password: str = KIOSK_PASSWORD,
) -> FleetLink:
    write_credentials(data_dir / "fleet-credentials.toml", kiosk_id, password)
    settings = FleetSettings(url=fleet_db.url, site="north")
    return FleetLink(settings, kiosk_id, local_url, data_dir, clock)


def push_as(fleet_db: FleetDatabase, local_url: str, kiosk_id: str = "kiosk-a") -> push.PushResult:
    engine = create_database_engine(local_url)
    central = fleet_db.as_kiosk(kiosk_id)
    try:
        result = push.push_once(engine, central, kiosk_id, NOW)
    finally:
        engine.dispose()
        central.dispose()
    assert result is not None
    return result


def test_a_push_is_idempotent_and_sends_only_changed_hours_and_the_last_two_days(
    fleet_db: FleetDatabase, local_db: LocalDb
) -> None:
    fleet_db.provision("kiosk-a")
    url = local_db("a")
    a_day_of_use(url, DAY - timedelta(days=10))
    a_day_of_use(url, DAY)
    first = push_as(fleet_db, url)
    assert central_totals(fleet_db.admin) == local_totals(url)
    assert first.changed_hours == 20
    again = push_as(fleet_db, url)
    assert central_totals(fleet_db.admin) == local_totals(url)
    # Nothing changed: only today's hours go again, as insurance; ten days ago stays put.
    assert again.changed_hours == 0
    assert again.hours == 10
    a_day_of_use(url, DAY - timedelta(days=10), scale=2)  # a late write, after an outage
    late = push_as(fleet_db, url)
    assert late.changed_hours == 10
    assert central_totals(fleet_db.admin) == local_totals(url)


def test_a_stale_snapshot_after_a_newer_one_changes_nothing(
    fleet_db: FleetDatabase, local_db: LocalDb
) -> None:
    fleet_db.provision("kiosk-a")
    url = local_db("a")
    a_day_of_use(url, DAY)
    engine = create_database_engine(url)
    central = fleet_db.as_kiosk("kiosk-a")
    old = push.take_snapshot(engine, NOW)
    a_day_of_use(url, DAY)
    new = push.take_snapshot(engine, NOW)
    assert old is not None and new is not None
    push.send(central, "kiosk-a", new, None, NOW)
    push.send(central, "kiosk-a", old, None, NOW)  # a retry of an older push, arriving late
    assert central_totals(fleet_db.admin) == local_totals(url)
    engine.dispose()
    central.dispose()


def test_two_kiosks_pushing_the_same_hours_at_once(
    fleet_db: FleetDatabase, local_db: LocalDb
) -> None:
    urls = {}
    for kiosk in ("kiosk-a", "kiosk-b"):
        fleet_db.provision(kiosk)
        urls[kiosk] = local_db(kiosk)
        a_day_of_use(urls[kiosk], DAY, kiosk, scale=2 if kiosk == "kiosk-b" else 1)
    # Each kiosk twice over, all four at the same moment (a kiosk restarted mid-push).
    pushers = ["kiosk-a", "kiosk-b", "kiosk-a", "kiosk-b"]
    barrier = threading.Barrier(len(pushers))
    errors: list[BaseException] = []

    def run(kiosk: str) -> None:
        engine = create_database_engine(urls[kiosk])
        central = fleet_db.as_kiosk(kiosk)
        try:
            snapshot = push.take_snapshot(engine, NOW)
            assert snapshot is not None
            barrier.wait(10)
            push.send(central, kiosk, snapshot, None, NOW)
        except BaseException as error:
            errors.append(error)
        finally:
            engine.dispose()
            central.dispose()

    threads = [threading.Thread(target=run, args=(k,)) for k in pushers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    for kiosk, url in urls.items():
        assert central_totals(fleet_db.admin, kiosk) == local_totals(url)


@pytest.mark.expected_logs(
    "error ignored terminating", "cannot reach the fleet server", "is working again"
)
def test_the_server_killed_mid_push_loses_nothing_and_counts_nothing_twice(
    fleet_db: FleetDatabase, local_db: LocalDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fleet_db.provision("kiosk-a")
    url = local_db("a")
    for back in range(3):
        a_day_of_use(url, DAY - timedelta(days=back))
    link = make_link(fleet_db, url, tmp_path / "a", ManualClock(NOW))
    assert link.attempt() == 300
    a_day_of_use(url, DAY)
    monkeypatch.setattr(push, "BATCH_ROWS", 7)  # many batches, to die between two of them
    batches = 0

    def kill_on_third_batch() -> None:
        nonlocal batches
        batches += 1
        if batches == 3:
            fleet_db.cluster.kill()

    link.between_batches = kill_on_third_batch
    try:
        assert link.attempt() >= 24  # failed: retry in 30 s, give or take the jitter
        assert link.status.problem is not None
    finally:
        fleet_db.cluster.start()
    link.between_batches = None
    before = central_totals(fleet_db.admin)
    assert before != local_totals(url)  # the half-done push left nothing behind
    assert link.attempt() == 300
    assert central_totals(fleet_db.admin) == local_totals(url)
    link.close()


def test_a_kiosk_killed_after_the_server_committed_sends_again_harmlessly(
    fleet_db: FleetDatabase, local_db: LocalDb, tmp_path: Path
) -> None:
    fleet_db.provision("kiosk-a")
    url = local_db("a")
    a_day_of_use(url, DAY - timedelta(days=5))
    engine = create_database_engine(url)
    central = fleet_db.as_kiosk("kiosk-a")
    snapshot = push.take_snapshot(engine, NOW)
    assert snapshot is not None
    push.send(central, "kiosk-a", snapshot, None, NOW)  # ...and the kiosk dies: no ack
    result = push.push_once(engine, central, "kiosk-a", NOW)
    assert result is not None and result.changed_hours == 10  # all sent again
    assert central_totals(fleet_db.admin) == local_totals(url)
    engine.dispose()
    central.dispose()


def test_a_day_without_network_then_back_catches_up_with_one_log_line_each_way(
    fleet_db: FleetDatabase,
    local_db: LocalDb,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fleet_db.provision("kiosk-a")
    url = local_db("a")
    clock = ManualClock(NOW - timedelta(days=1))
    link = make_link(fleet_db, url, tmp_path / "a", clock)
    a_day_of_use(url, DAY - timedelta(days=1))
    assert link.attempt() == 300
    fleet_db.cluster.kill()
    waits = []
    try:
        with caplog.at_level(logging.INFO, logger="kiosk.fleet"):
            while clock.now() < NOW:
                waits.append(link.attempt())
                clock.advance(waits[-1])
                if len(waits) % 8 == 0:
                    a_day_of_use(url, clock.now().date())
    finally:
        fleet_db.cluster.start()
    # Back-off: 30 s doubling up to 30 min, each with jitter; a day is ~50 attempts, not 2880.
    assert 24 <= waits[0] <= 36
    assert max(waits) <= RETRY_MAX_SECONDS * 1.2
    assert len(waits) < 70
    failures = [r for r in caplog.records if "failed" in r.getMessage()]
    assert len(failures) == 1, [r.getMessage() for r in failures]
    assert "cannot reach the fleet server" in failures[0].getMessage()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="kiosk.fleet"):
        assert link.attempt() == 300
    assert [r.getMessage() for r in caplog.records] == [
        f"fleet push to {link.status.server} is working again"
    ]
    assert central_totals(fleet_db.admin) == local_totals(url)
    assert link.status.hours_waiting == 0 and link.status.problem is None
    link.close()


@pytest.mark.expected_logs("is damaged")
def test_a_quarantined_database_starts_a_new_epoch_and_hides_nothing(
    fleet_db: FleetDatabase, local_db: LocalDb
) -> None:
    fleet_db.provision("kiosk-a")
    url = local_db("a")
    a_day_of_use(url, DAY, scale=3)
    first = push_as(fleet_db, url)
    pushed = central_totals(fleet_db.admin)
    path = sqlite_file(url)
    assert path is not None
    quarantine(path, "damaged (test)", NOW)
    engine, _ = open_database(url, NOW)
    engine.dispose()
    a_day_of_use(url, DAY)  # the same hours, counting again from zero: smaller numbers
    second = push_as(fleet_db, url)
    assert second.epoch != first.epoch
    fresh = local_totals(url)
    assert central_totals(fleet_db.admin) == {k: pushed[k] + fresh[k] for k in pushed}


def test_a_wrong_password_is_one_clear_log_line_and_the_pusher_goes_on(
    fleet_db: FleetDatabase, local_db: LocalDb, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fleet_db.provision("kiosk-a")
    url = local_db("a")
    a_day_of_use(url, DAY)
    secret = "not-the-password-4711"
    link = make_link(fleet_db, url, tmp_path / "a", ManualClock(NOW), password=secret)
    pusher = FleetPusher(link)
    with caplog.at_level(logging.INFO, logger="kiosk.fleet"):
        pusher.start()
        for _ in range(3):
            pusher.push_now()
            deadline = threading.Event()
            while link.attempts < 2 and not deadline.wait(0.05):
                pass
        pusher.stop()
    assert not pusher._thread.is_alive()
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1, lines
    assert "refused this kiosk's password" in lines[0]
    assert secret not in caplog.text
    assert link.status.problem is not None and secret not in link.status.problem
    with fleet_db.admin.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM visit_counts")).scalar() == 0


def test_the_heartbeat_is_one_row_per_kiosk(fleet_db: FleetDatabase, local_db: LocalDb) -> None:
    fleet_db.provision("kiosk-a")
    url = local_db("a")
    record(url, visits={VisitKey(DAY, 9, "kiosk-a"): 2})
    engine = create_database_engine(url)
    central = fleet_db.as_kiosk("kiosk-a")
    beat = push.Heartbeat("north", "0.1.0", "abc", "speech: off", {"pending_counters": 0})
    for _ in range(2):
        push.push_once(engine, central, "kiosk-a", NOW, beat)
    with fleet_db.admin.connect() as connection:
        rows = connection.execute(text("SELECT kiosk_id, site, facts FROM kiosk_heartbeats")).all()
    assert [tuple(r) for r in rows] == [("kiosk-a", "north", {"pending_counters": 0})]
    engine.dispose()
    central.dispose()


def test_only_closed_hours_are_pushed_so_the_server_never_sees_an_hour_grow(
    fleet_db: FleetDatabase, local_db: LocalDb
) -> None:
    fleet_db.provision("kiosk-a")
    url = local_db("a")
    record(url, visits={VisitKey(DAY, 17, "kiosk-a"): 3, VisitKey(DAY, 18, "kiosk-a"): 2})
    engine, central = create_database_engine(url), fleet_db.as_kiosk("kiosk-a")

    def central_hours() -> dict[int, int]:
        with fleet_db.admin.connect() as connection:
            rows = connection.execute(text("SELECT hour, visits FROM visit_counts"))
            return {row.hour: row.visits for row in rows}

    try:
        push.push_once(engine, central, "kiosk-a", NOW)  # 18:30: the 18 o'clock hour runs
        assert central_hours() == {17: 3}
        push.push_once(engine, central, "kiosk-a", NOW + timedelta(minutes=44))
        assert central_hours() == {17: 3}  # ended, but counts may still be on their way
        push.push_once(engine, central, "kiosk-a", NOW + timedelta(minutes=45))
        assert central_hours() == {17: 3, 18: 2}
    finally:
        engine.dispose()
        central.dispose()


@pytest.mark.expected_logs("fleet push to")
def test_a_row_level_security_refusal_is_the_set_up_not_a_bug_and_quotes_no_sql(
    fleet_db: FleetDatabase, local_db: LocalDb, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for kiosk in ("kiosk-a", "kiosk-b"):
        fleet_db.provision(kiosk)
    url = local_db("a")
    record(url, visits={VisitKey(DAY, 10, "kiosk-a"): 4711})
    link = make_link(fleet_db, url, tmp_path / "a", ManualClock(NOW))
    # Copied from another kiosk: its role may not write kiosk-a's rows.
    write_credentials(tmp_path / "a" / "fleet-credentials.toml", "kiosk-b", KIOSK_PASSWORD)
    link.attempt()
    problem = link.status.problem
    assert problem is not None and problem.startswith("the server refused the push")
    assert "row-level security" in problem
    [line] = [r for r in caplog.records if r.name.startswith("kiosk.fleet")]
    assert line.exc_info is None  # the environment's: no traceback, as for a bug
    for leak in ("INSERT", "4711", "kiosk_id"):
        assert leak not in problem and leak not in caplog.text


def test_a_constraint_refusal_is_described_without_the_statement_or_its_rows() -> None:
    import psycopg
    from sqlalchemy.exc import IntegrityError

    from kiosk.fleet.pusher import describe_failure

    refused = psycopg.errors.CheckViolation("fleet: visit_counts.visits may not go down")
    error = IntegrityError("INSERT INTO visit_counts ...", {"visits": 4711}, refused)
    problem = describe_failure(error)
    assert problem.startswith("the server refused the pushed counts")
    assert "may not go down" in problem
    assert "INSERT" not in problem and "4711" not in problem
