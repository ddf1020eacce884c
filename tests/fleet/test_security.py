"""Row-level security and rights, proven against the real server: a kiosk writes its own
rows only, can never lower a count, never delete; the reporting role reads and never writes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from kiosk.clock import ManualClock
from kiosk.fleet import central
from kiosk.fleet.credentials import write_credentials
from kiosk.fleet.pusher import FleetLink
from kiosk.settings import FleetSettings
from tests.fleet.conftest import KIOSK_PASSWORD, FleetDatabase
from tests.fleet.helpers import NOW

ROW = (
    "INSERT INTO visit_counts (kiosk_id, epoch, day, hour, visits) "
    "VALUES (:kiosk, 'e1', '2026-11-20', 9, :visits)"
)


def run(engine: Engine, sql: str, **params: object) -> int:
    with engine.begin() as connection:
        return connection.execute(text(sql), params).rowcount


@pytest.fixture
def two_kiosks(fleet_db: FleetDatabase) -> Iterator[tuple[Engine, Engine]]:
    fleet_db.provision("kiosk-a")
    fleet_db.provision("kiosk-b")
    a, b = fleet_db.as_kiosk("kiosk-a"), fleet_db.as_kiosk("kiosk-b")
    run(a, ROW, kiosk="kiosk-a", visits=5)
    run(b, ROW, kiosk="kiosk-b", visits=7)
    yield a, b
    a.dispose()
    b.dispose()


def test_a_kiosk_cannot_write_or_read_another_kiosks_rows(
    two_kiosks: tuple[Engine, Engine],
) -> None:
    a, _b = two_kiosks
    with pytest.raises(ProgrammingError, match="row-level security"):
        run(a, ROW.replace("9,", "10,"), kiosk="kiosk-b", visits=1)
    # Another kiosk's rows are invisible, so an UPDATE of them changes nothing.
    assert run(a, "UPDATE visit_counts SET visits = 99 WHERE kiosk_id = 'kiosk-b'") == 0
    with a.connect() as connection:
        kiosks = connection.execute(text("SELECT DISTINCT kiosk_id FROM visit_counts")).all()
    assert [k for (k,) in kiosks] == ["kiosk-a"]
    # Nor can it move its own row over to another kiosk: the key is not its to change.
    with pytest.raises(ProgrammingError, match="permission denied"):
        run(a, "UPDATE visit_counts SET kiosk_id = 'kiosk-b'")


def test_a_kiosk_cannot_lower_a_count(two_kiosks: tuple[Engine, Engine]) -> None:
    a, _b = two_kiosks
    with pytest.raises(DBAPIError, match="may not go down"):
        run(a, "UPDATE visit_counts SET visits = 1 WHERE kiosk_id = 'kiosk-a'")
    assert run(a, "UPDATE visit_counts SET visits = 6 WHERE kiosk_id = 'kiosk-a'") == 1


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM visit_counts",
        "TRUNCATE visit_counts",
        "DELETE FROM kiosk_heartbeats",
        "DROP TABLE topic_view_counts",
        "CREATE TABLE mine (x int)",
        "SELECT * FROM fleet_alembic_version",
    ],
)
def test_a_kiosk_cannot_delete_truncate_or_touch_other_tables(
    two_kiosks: tuple[Engine, Engine], statement: str
) -> None:
    a, _b = two_kiosks
    with pytest.raises(ProgrammingError, match=r"permission denied|must be owner"):
        run(a, statement)


def test_the_reporting_role_reads_everything_and_writes_nothing(
    fleet_db: FleetDatabase, two_kiosks: tuple[Engine, Engine]
) -> None:
    central.run_sql(fleet_db.admin, central.reporting_sql("dashboard", "report-pw"))
    reporting = central.connect(fleet_db.url, user="dashboard", password="report-pw")
    with reporting.connect() as connection:
        total = connection.execute(text("SELECT sum(visits) FROM visit_counts")).scalar()
    assert total == 12
    for statement in (ROW, "UPDATE visit_counts SET visits = 100", "DELETE FROM visit_counts"):
        with pytest.raises(ProgrammingError, match="permission denied"):
            run(reporting, statement, kiosk="dashboard", visits=1)
    reporting.dispose()


def test_provisioning_refuses_names_that_clash_with_server_roles() -> None:
    for name in ("postgres", "pg_monitor", "fleet_kiosk", "Kiosk A"):
        with pytest.raises(ValueError):
            central.provision_sql(name, "x")


def test_fleet_init_twice_is_harmless(fleet_db: FleetDatabase) -> None:
    assert central.init(fleet_db.admin) == ("fleet_0003", "fleet_0003")


def test_tls_is_required_without_a_ca_and_verified_with_one() -> None:
    assert central.tls_arguments("") == {"sslmode": "require"}
    assert central.tls_arguments("/etc/fleet/ca.pem") == {
        "sslmode": "verify-full",
        "sslrootcert": "/etc/fleet/ca.pem",
    }


@pytest.mark.expected_logs("is not verified", "fleet push to")
def test_without_a_ca_the_kiosk_will_not_talk_plain_text_and_warns_once(
    fleet_db: FleetDatabase, local_db: Callable[[str], str], tmp_path: Path, caplog: Any
) -> None:
    fleet_db.provision("kiosk-a")
    url = local_db("a")
    data = tmp_path / "a"
    write_credentials(data / "fleet-credentials.toml", "kiosk-a", KIOSK_PASSWORD)
    # No sslmode in the URL: libpq's default (prefer) would fall back to plain text on
    # this server, which has no TLS; the kiosk requires TLS and so is refused.
    plain = fleet_db.cluster.url(database=fleet_db.name)
    link = FleetLink(FleetSettings(url=plain), "kiosk-a", url, data, ManualClock(NOW))
    link.attempt()
    link.attempt()
    assert link.status.problem is not None and "SSL" in link.status.problem
    warnings = [r for r in caplog.records if "is not verified" in r.getMessage()]
    assert len(warnings) == 1
    with fleet_db.admin.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM kiosk_heartbeats")).scalar() == 0
