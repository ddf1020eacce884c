"""`fleet init/provision/status` and central `stats summary/export`, run in-process."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

import main
from kiosk.cli import parse, run_command
from kiosk.fleet import push
from kiosk.viewlog.counters import ViewKey
from kiosk.viewlog.store import create_database_engine
from tests.fleet.conftest import FleetDatabase
from tests.fleet.helpers import DAY, NOW, a_day_of_use, record
from tests.fleet.server import SUPERUSER_PASSWORD

LocalDb = Callable[[str], str]


@pytest.fixture(autouse=True)
def admin_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGPASSWORD", SUPERUSER_PASSWORD)  # as an IT person's psql would


def cli(*argv: str) -> tuple[int, str]:
    args, options = parse(list(argv), main.COMMANDS)
    assert options is None
    out = io.StringIO()
    return run_command(args, out), out.getvalue()


def pushed(fleet_db: FleetDatabase, url: str, kiosk: str, site: str) -> None:
    engine = create_database_engine(url)
    beat = push.Heartbeat(site, "0.1.0", "", "", {})
    central = fleet_db.as_kiosk(kiosk)
    push.push_once(engine, central, kiosk, NOW, beat)
    engine.dispose()
    central.dispose()


def test_provision_prints_sql_or_runs_it_and_writes_private_credentials(
    fleet_db: FleetDatabase, tmp_path: Path
) -> None:
    code, sql = cli("fleet", "provision", "kiosk-x")
    assert code == 0 and 'GRANT fleet_kiosk TO "kiosk-x"' in sql and "PASSWORD '" in sql
    credentials = tmp_path / "creds.toml"
    code, said = cli(
        "fleet",
        "provision",
        "kiosk-x",
        "--run",
        "--database",
        fleet_db.url,
        "--credentials-out",
        str(credentials),
    )
    assert code == 0, said
    assert credentials.stat().st_mode & 0o777 == 0o600
    password = credentials.read_text().split('password = "')[1].split('"')[0]
    assert password not in said
    kiosk = fleet_db.as_kiosk("kiosk-x", password)
    with kiosk.connect() as connection:
        assert connection.execute(text("SELECT current_user")).scalar() == "kiosk-x"
    kiosk.dispose()


def test_fleet_status_lists_every_kiosk_and_fails_when_one_is_down(
    fleet_db: FleetDatabase, local_db: LocalDb
) -> None:
    for kiosk in ("kiosk-a", "kiosk-b", "kiosk-never"):
        fleet_db.provision(kiosk)
    for kiosk in ("kiosk-a", "kiosk-b"):
        url = local_db(kiosk)
        a_day_of_use(url, DAY, kiosk)
        pushed(fleet_db, url, kiosk, "north")
    code, said = cli("fleet", "status", "--database", fleet_db.url)
    assert code == 3, said  # the provisioned kiosk that never pushed is down
    assert "kiosk-never: DOWN, never seen" in said
    with fleet_db.admin.begin() as connection:
        connection.execute(
            text(
                "UPDATE kiosk_heartbeats SET last_seen = now() - interval '3 hours' "
                "WHERE kiosk_id = 'kiosk-b'"
            )
        )
    code, said = cli("fleet", "status", "--database", fleet_db.url, "--down-after-hours", "2")
    assert "kiosk-a [north]: up" in said
    assert "kiosk-b [north]: DOWN" in said
    # Roles are the server's, not one database's: other tests' kiosks may be listed too.
    assert code == 3 and "down (silent for more than 2 h)." in said


def _views(path: Path) -> Counter[tuple[str, str, str]]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    totals: Counter[tuple[str, str, str]] = Counter()
    for row in rows:
        for column in ("views", "read_aloud_views", "large_text_views", "high_contrast_views"):
            totals[(row["period"], row["topic_id"], column)] += int(row[column] or 0)
    return totals


def test_the_central_export_equals_the_sum_of_the_kiosks_own_exports(
    fleet_db: FleetDatabase, local_db: LocalDb, tmp_path: Path
) -> None:
    urls = {}
    for index, (kiosk, site) in enumerate((("kiosk-a", "north"), ("kiosk-b", "south"))):
        fleet_db.provision(kiosk)
        urls[kiosk] = local_db(kiosk)
        for back in range(5):
            a_day_of_use(urls[kiosk], DAY - timedelta(days=back * (index + 1)), kiosk, index + 1)
        pushed(fleet_db, urls[kiosk], kiosk, site)
    span = ["--from", str(DAY - timedelta(days=10)), "--to", str(DAY), "--by", "week"]
    common = ["--format", "csv", "--threshold", "0", *span]
    own: Counter[tuple[str, str, str]] = Counter()
    for kiosk, url in urls.items():
        target = tmp_path / f"{kiosk}.csv"
        code, said = cli("stats", "export", "--database", url, *common, "--output", str(target))
        assert code == 0, said
        own += _views(target)
    everything = tmp_path / "central.csv"
    code, said = cli(
        "stats", "export", "--database", fleet_db.url, *common, "--output", str(everything)
    )
    assert code == 0, said
    assert _views(everything) == own
    south = tmp_path / "south.csv"
    code, said = cli(
        "stats",
        "export",
        "--database",
        fleet_db.url,
        "--site",
        "south",
        *common,
        "--output",
        str(south),
    )
    assert code == 0, said
    assert _views(south) == _views(tmp_path / "kiosk-b.csv")
    code, said = cli(
        "stats", "summary", "--database", fleet_db.url, "--kiosk", "kiosk-a", *span[:4]
    )
    assert code == 0, said
    alone = cli("stats", "summary", "--database", urls["kiosk-a"], *span[:4])[1]
    assert said == alone


def test_a_central_export_with_suppression_uses_the_centres_own_noise_key(
    fleet_db: FleetDatabase, local_db: LocalDb, tmp_path: Path
) -> None:
    fleet_db.provision("kiosk-a")
    url = local_db("kiosk-a")
    a_day_of_use(url, DAY)
    pushed(fleet_db, url, "kiosk-a", "north")
    target = tmp_path / "suppressed.csv"
    code, said = cli(
        "stats",
        "export",
        "--database",
        fleet_db.url,
        "--format",
        "csv",
        "--threshold",
        "11",
        "--from",
        str(DAY),
        "--to",
        str(DAY),
        "--output",
        str(target),
    )
    assert code == 0, said
    assert "small or linked counts hidden" in said


def _three_kiosks_in_two_sites(fleet_db: FleetDatabase, local_db: LocalDb) -> dict[str, str]:
    urls = {}
    for index, (kiosk, site) in enumerate(
        (("kiosk-a", "north"), ("kiosk-b", "north"), ("kiosk-c", "south"))
    ):
        fleet_db.provision(kiosk)
        urls[kiosk] = local_db(kiosk)
        for back in range(4):
            a_day_of_use(urls[kiosk], DAY - timedelta(days=back + index), kiosk, index + 2)
        # A topic read by a few patients only: its counts must be hidden.
        record(urls[kiosk], {ViewKey(DAY, 9, kiosk, "delta", "en", False, False, False): [2, 60]})
        pushed(fleet_db, urls[kiosk], kiosk, site)
    return urls


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_grouped_export_suppresses_each_site_as_its_own_export_would(
    fleet_db: FleetDatabase, local_db: LocalDb, tmp_path: Path
) -> None:
    _three_kiosks_in_two_sites(fleet_db, local_db)
    span = ["--from", str(DAY - timedelta(days=6)), "--to", str(DAY), "--by", "day"]
    common = ["stats", "export", "--database", fleet_db.url, "--format", "csv", *span]
    for threshold in ("0", "11"):
        grouped = tmp_path / f"per-site-{threshold}.csv"
        code, said = cli(
            *common, "--threshold", threshold, "--group", "site", "--output", str(grouped)
        )
        assert code == 0, said
        rows = _csv(grouped)
        assert next(iter(rows[0])) == "site"
        assert {row["site"] for row in rows} == {"north", "south"}
        if threshold == "11":
            assert "<11" in {cell for row in rows for cell in row.values()}
        for site in ("north", "south"):
            alone = tmp_path / f"{site}-{threshold}.csv"
            code, said = cli(
                *common, "--threshold", threshold, "--site", site, "--output", str(alone)
            )
            assert code == 0, said
            # The same figures, the same noise, the same cells hidden: one site's block of
            # the grouped file is exactly that site's own export.
            mine = [
                {k: v for k, v in row.items() if k != "site"} for row in rows if row["site"] == site
            ]
            assert mine == _csv(alone)


def test_grouped_by_kiosk_each_kiosks_figures_are_its_own(
    fleet_db: FleetDatabase, local_db: LocalDb, tmp_path: Path
) -> None:
    urls = _three_kiosks_in_two_sites(fleet_db, local_db)
    span = ["--from", str(DAY - timedelta(days=6)), "--to", str(DAY)]
    code, said = cli("stats", "summary", "--database", fleet_db.url, "--group", "kiosk", *span)
    assert code == 0, said
    tables = said.split("== Kiosk ")[1:]
    assert [table.split("\n", 1)[0] for table in tables] == sorted(urls)
    for table in tables:
        kiosk, text_ = table.split("\n", 1)
        alone = cli("stats", "summary", "--database", urls[kiosk], *span)[1]
        assert text_.rstrip("\n") == alone.rstrip("\n")
    code, said = cli(
        "stats", "summary", "--database", fleet_db.url, "--group", "site", "--site", "south", *span
    )
    assert code == 0 and said.startswith("== Site south (1 kiosks: kiosk-c)\n"), said
    grouped = tmp_path / "per-kiosk.csv"
    code, said = cli(
        "stats",
        "export",
        "--database",
        fleet_db.url,
        "--format",
        "csv",
        "--threshold",
        "0",
        *span,
        "--group",
        "kiosk",
        "--output",
        str(grouped),
    )
    assert code == 0, said
    for kiosk, url in urls.items():
        own = tmp_path / f"{kiosk}.csv"
        assert (
            cli(
                "stats",
                "export",
                "--database",
                url,
                "--format",
                "csv",
                "--threshold",
                "0",
                *span,
                "--output",
                str(own),
            )[0]
            == 0
        )
        mine = [
            {k: v for k, v in row.items() if k != "kiosk"}
            for row in _csv(grouped)
            if row["kiosk"] == kiosk
        ]
        assert mine == _csv(own)


def test_central_noise_is_per_kiosk_so_groups_never_share_a_change(
    fleet_db: FleetDatabase, local_db: LocalDb, tmp_path: Path
) -> None:
    """Threshold 1 adds the noise but hides nothing: the fleet's figures are then the sum of
    each kiosk's noisy figures, so differencing two reports gives noisy atoms back, never a
    change shared by both that would cancel out (A + c, B + c, A + B + c gives c away)."""
    urls = _three_kiosks_in_two_sites(fleet_db, local_db)
    span = ["--from", str(DAY - timedelta(days=6)), "--to", str(DAY), "--by", "day"]
    common = ["stats", "export", "--database", fleet_db.url, "--format", "csv", *span]

    def views(*extra: str) -> Counter[tuple[str, str]]:
        target = tmp_path / f"{'-'.join(extra)}.csv"
        code, said = cli(*common, *extra, "--output", str(target))
        assert code == 0, said
        return Counter({(r["period"], r["topic_id"]): int(r["views"]) for r in _csv(target)})

    everyone = views("--threshold", "1")
    assert everyone != views("--threshold", "0")  # the noise is there
    summed: Counter[tuple[str, str]] = Counter()
    for kiosk in urls:
        summed.update(views("--threshold", "1", "--kiosk", kiosk))
    assert +everyone == +summed
