"""Fixtures for the fleet tests: a real PostgreSQL server, a fresh fleet database per test."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosk.fleet import central
from tests.fleet.server import (
    Cluster,
    ServerUnavailable,
    create_fleet_database,
    drop_database,
    start_cluster,
)

_databases = itertools.count(1)
KIOSK_PASSWORD = "kiosk-test-password"


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    try:
        cluster = start_cluster()
    except ServerUnavailable as error:
        # Never a skip: without a server these tests prove nothing, and CI must say so.
        pytest.fail(f"the fleet tests need a PostgreSQL server and could not start one: {error}")
    yield cluster
    cluster.stop()
    cluster.remove()


class FleetDatabase:
    """A fleet database of its own, initialised, with helpers to provision and connect."""

    def __init__(self, cluster: Cluster, name: str) -> None:
        self.cluster = cluster
        self.name = name
        self.admin = create_fleet_database(cluster, name)

    @property
    def url(self) -> str:
        # The test server has no TLS (loopback and a Unix socket): said in the URL, as an
        # administrator would, since kiosks otherwise require it.
        return self.cluster.url(database=self.name) + "?sslmode=disable"

    def provision(self, kiosk_id: str, password: str = KIOSK_PASSWORD) -> None:
        central.run_sql(self.admin, central.provision_sql(kiosk_id, password))

    def as_kiosk(self, kiosk_id: str, password: str = KIOSK_PASSWORD) -> Engine:
        return central.connect(self.url, user=kiosk_id, password=password)


@pytest.fixture
def fleet_db(postgres: Cluster) -> Iterator[FleetDatabase]:
    database = FleetDatabase(postgres, f"fleet_test_{next(_databases)}")
    yield database
    database.admin.dispose()
    drop_database(postgres, database.name)


@pytest.fixture
def local_db(tmp_path: Path) -> Callable[[str], str]:
    """A fresh kiosk view-log database URL per name (migrated, empty)."""
    from datetime import datetime

    from kiosk.viewlog.store import open_database

    def make(name: str = "kiosk") -> str:
        url = f"sqlite:///{tmp_path / name / 'kiosk.db'}"
        engine, _ = open_database(url, datetime(2026, 11, 20, 9, 0))
        engine.dispose()
        return url

    return make
