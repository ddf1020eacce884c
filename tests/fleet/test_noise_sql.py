"""The central export's noise, computed in PostgreSQL, is FleetNoise's, atom by atom.

kiosk/fleet/reports.py puts each kiosk's noise on its atoms in SQL (Python was too slow for a
year of 500 kiosks); FleetNoise in kiosk/stats/noise.py is the definition. Random counters,
small counts and every mode among them, must give the same figures both ways.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from dataclasses import astuple
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, update

from kiosk.fleet import reports
from kiosk.fleet.reports import CentralStatistics
from kiosk.fleet.schema import topic_view_counts
from kiosk.stats.kinds import Grouping
from kiosk.stats.noise import AtomNoise, FleetNoise
from kiosk.stats.queries import DateRange
from kiosk.viewlog.schema import STATISTICS_KEY, kiosk_meta
from tests.fleet.conftest import FleetDatabase

FIRST = date(2026, 10, 1)
DAYS = 20
TOPICS = ("what-is-ketamine", "side-effects", "after-care", "questions")


COLUMNS = (
    *("kiosk_id", "epoch", "day", "hour", "topic_id", "language"),
    *("read_aloud", "large_text", "high_contrast"),
)
Figures = dict[tuple[date, str], list[int]]


def _random_counters(rng: random.Random) -> list[dict[str, object]]:
    rows: dict[tuple[object, ...], dict[str, object]] = {}
    for _ in range(3000):
        kiosk = f"kiosk-{rng.randrange(12):02d}"
        key = (
            kiosk,
            f"{rng.randrange(2):032x}",  # two epochs: a quarantined database and its successor
            FIRST + timedelta(days=rng.randrange(DAYS)),
            rng.randrange(24),
            rng.choice(TOPICS),
            rng.choice(("en", "es")),
            rng.random() < 0.3,
            rng.random() < 0.2,
            rng.random() < 0.1,
        )
        # Mostly small counts: the 1s and 2s have tables of their own.
        views = rng.choice((0, 1, 1, 1, 2, 2, 3, 4, 7, 25))
        rows[key] = dict(
            zip(COLUMNS, key, strict=True),
            views=views,
            seconds_total=views * rng.randrange(5, 400),
        )
    return list(rows.values())


def _expected(
    rows: list[dict[str, object]], noise: FleetNoise
) -> dict[tuple[date, str], list[int]]:
    atoms: dict[tuple[str, date, str], list[int]] = defaultdict(lambda: [0] * 6)
    for row in rows:
        views = int(row["views"])  # type: ignore[call-overload]
        atom = atoms[(row["kiosk_id"], row["day"], row["topic_id"])]  # type: ignore[index]
        large, contrast = bool(row["large_text"]), bool(row["high_contrast"])
        for index, counted in enumerate(
            (True, None, row["read_aloud"], large, contrast, large or contrast)
        ):
            if index == 1:
                atom[1] += int(row["seconds_total"])  # type: ignore[call-overload]
            elif counted:
                atom[index] += views
    figures: Figures = defaultdict(lambda: [0] * 6)
    for (kiosk, day, topic), sums in atoms.items():
        changed = noise.perturb(kiosk, day, topic, tuple(sums))  # type: ignore[arg-type]
        cell = figures[(day, topic)]
        for index, value in enumerate(changed):
            cell[index] += value
    return {key: cell for key, cell in figures.items() if cell[0]}


@pytest.mark.parametrize("key_bytes", [0, 16, 64])
def test_the_servers_noise_is_fleet_noise_atom_by_atom(
    fleet_db: FleetDatabase, key_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Runs of a week: 20 days are three queries, the last one shorter.
    monkeypatch.setattr(reports, "REPORT_DAYS_PER_QUERY", 7)
    rows = _random_counters(random.Random(2026 + key_bytes))
    with fleet_db.admin.begin() as connection:
        connection.execute(insert(topic_view_counts), rows)
        if key_bytes:  # 0: the key `fleet init` made
            connection.execute(
                update(kiosk_meta)
                .where(kiosk_meta.c.name == STATISTICS_KEY)
                .values(value=secrets.token_hex(key_bytes))
            )
    statistics = CentralStatistics(fleet_db.admin)
    key = statistics.statistics_key()
    assert key is not None
    span = DateRange(FIRST, FIRST + timedelta(days=DAYS - 1))
    figures = statistics.topic_periods(span, Grouping.DAY, AtomNoise(key))
    found = {
        (figure.period.start, figure.topic_id): list(astuple(figure.totals))
        for figure in figures
        if figure.totals.views
    }
    expected = _expected(rows, FleetNoise(key))
    assert found == expected
    # And the noise is really there: the exact figures differ.
    exact = {
        (figure.period.start, figure.topic_id): list(astuple(figure.totals))
        for figure in statistics.topic_periods(span, Grouping.DAY)
        if figure.totals.views
    }
    assert exact.keys() == found.keys() and exact != found


def test_a_key_too_long_for_the_server_is_refused_not_an_empty_export(
    fleet_db: FleetDatabase,
) -> None:
    with fleet_db.admin.begin() as connection:
        connection.execute(insert(topic_view_counts), _random_counters(random.Random(1)))
        connection.execute(
            update(kiosk_meta)
            .where(kiosk_meta.c.name == STATISTICS_KEY)
            .values(value=secrets.token_hex(65))
        )
    statistics = CentralStatistics(fleet_db.admin)
    key = statistics.statistics_key()
    assert key is not None
    span = DateRange(FIRST, FIRST + timedelta(days=DAYS - 1))
    with pytest.raises(ValueError, match="64 bytes at most"):
        statistics.topic_periods(span, Grouping.DAY, AtomNoise(key))


def test_the_reporting_role_can_make_the_noisy_export(fleet_db: FleetDatabase) -> None:
    from kiosk.fleet import central

    rows = _random_counters(random.Random(7))
    with fleet_db.admin.begin() as connection:
        connection.execute(insert(topic_view_counts), rows)
    central.run_sql(fleet_db.admin, central.reporting_sql("dashboard", "report-pw"))
    reporting = central.connect(fleet_db.url, user="dashboard", password="report-pw")
    statistics = CentralStatistics(reporting)
    key = statistics.statistics_key()
    assert key is not None
    span = DateRange(FIRST, FIRST + timedelta(days=DAYS - 1))
    figures = statistics.topic_periods(span, Grouping.DAY, AtomNoise(key))
    reporting.dispose()
    found = {
        (figure.period.start, figure.topic_id): list(astuple(figure.totals))
        for figure in figures
        if figure.totals.views
    }
    assert found == _expected(rows, FleetNoise(key))
