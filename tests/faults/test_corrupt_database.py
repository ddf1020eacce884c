"""50 ways a kiosk database can be found damaged: the kiosk is up and logging within 10 s.

What was in the damaged file is moved aside, never deleted, so it can still be recovered.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.viewlog.events import HourBucket, TopicViewed, VisitStarted
from kiosk.viewlog.writer import ViewLog
from tests.faults.conftest import Figures
from tests.faults.harness import KioskProcess, integrity, logged_views

UP_AND_LOGGING_SECONDS = 10
PAGE = 4096
# Root ignores file permissions; the kiosk runs without those powers for the no-permission case.
WITHOUT_OVERRIDES = (
    "setpriv",
    "--bounding-set=-dac_override,-dac_read_search,-fowner",
    "--inh-caps=-dac_override,-dac_read_search,-fowner",
)


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with a few months of counters, written by the view log itself."""
    folder = tmp_path_factory.mktemp("healthy")
    database = folder / "kiosk.db"
    log = ViewLog(f"sqlite:///{database}", "kiosk-1", ManualClock(), strict=True)
    log.start()
    rng = random.Random(7)
    start = date(2026, 8, 1)
    for day in range(90):
        for hour in range(8, 18):
            when = HourBucket(start + timedelta(days=day), hour)
            log.record(VisitStarted(when))
            for topic in rng.sample(["alpha", "beta", "gamma", "delta", "epsilon"], 3):
                log.record(TopicViewed(when, topic, rng.choice(["en", "es"]), rng.randint(5, 90)))
    assert log.flush()
    log.close()
    assert database.stat().st_size > 20 * PAGE
    return database


def truncate(at: int | float) -> Callable[[Path], None]:
    def damage(db: Path) -> None:
        size = db.stat().st_size
        keep = int(size * at) if isinstance(at, float) else (size + at if at < 0 else at)
        with db.open("r+b") as handle:
            handle.truncate(keep)

    return damage


def overwrite(offset: int | str, length: int, seed: int = 0) -> Callable[[Path], None]:
    def damage(db: Path) -> None:
        rng = random.Random(seed)
        raw = bytearray(db.read_bytes())
        at = len(raw) - PAGE if offset == "last-page" else int(offset)
        raw[at : at + length] = rng.randbytes(length)
        db.write_bytes(bytes(raw))

    return damage


def sprinkle(seed: int) -> Callable[[Path], None]:
    def damage(db: Path) -> None:
        rng = random.Random(seed)
        raw = bytearray(db.read_bytes())
        for _ in range(8):
            at = rng.randrange(PAGE, len(raw) - 64)
            raw[at : at + 64] = rng.randbytes(64)
        db.write_bytes(bytes(raw))

    return damage


def sidecar(suffix: str, content: bytes | None) -> Callable[[Path], None]:
    """A -wal or -shm file beside the database: garbage, or a folder (content None)."""

    def damage(db: Path) -> None:
        path = db.with_name(db.name + suffix)
        if content is None:
            path.mkdir()
        else:
            path.write_bytes(content)

    return damage


def foreign_wal(db: Path) -> None:
    """A real WAL, but one that belongs to another database."""
    other = db.with_name("other.db")
    connection = sqlite3.connect(other)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA wal_autocheckpoint=0")
    connection.execute("CREATE TABLE x (y)")
    connection.executemany("INSERT INTO x VALUES (?)", [(n,) for n in range(500)])
    connection.commit()
    shutil.copy(other.with_name("other.db-wal"), db.with_name(db.name + "-wal"))
    connection.close()
    for path in other.parent.glob("other.db*"):
        path.unlink()


def replace_with_folder(db: Path) -> None:
    db.unlink()
    db.mkdir()


def zero_length(db: Path) -> None:
    db.write_bytes(b"")


def link_to_dev_null(db: Path) -> None:
    db.unlink()
    db.symlink_to("/dev/null")


def mode(bits: int) -> Callable[[Path], None]:
    return lambda db: db.chmod(bits)


VARIANTS: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "zero-length": (zero_length, ()),
    **{
        f"truncated-at-{at}": (truncate(at), ())
        for at in (1, 16, 99, 100, 512, 1024, PAGE - 1, PAGE, PAGE + 1, 2 * PAGE, 0.5, -1, -100)
    },
    "garbage-first-16-bytes": (overwrite(0, 16), ()),
    "garbage-first-100-bytes": (overwrite(0, 100, seed=1), ()),
    "garbage-page-size-field": (overwrite(16, 2, seed=2), ()),
    "garbage-whole-first-page": (overwrite(0, PAGE, seed=3), ()),
    **{
        f"garbage-page-{page}-header": (overwrite(page * PAGE, 16, seed=page), ())
        for page in (1, 2, 3, 4, 5, 8, 12, 16)
    },
    "garbage-last-page": (overwrite("last-page", PAGE, seed=9), ()),
    "garbage-page-2-whole": (overwrite(2 * PAGE, PAGE, seed=10), ()),
    "garbage-page-3-half": (overwrite(3 * PAGE + 2048, 2048, seed=11), ()),
    "garbage-page-6-middle": (overwrite(6 * PAGE + 512, 256, seed=12), ()),
    **{f"garbage-sprinkled-{seed}": (sprinkle(seed), ()) for seed in range(8)},
    "garbage-wal-small": (sidecar("-wal", random.Random(1).randbytes(100)), ()),
    "garbage-wal-page": (sidecar("-wal", random.Random(2).randbytes(PAGE + 32)), ()),
    "garbage-wal-large": (sidecar("-wal", random.Random(3).randbytes(20 * PAGE)), ()),
    "wal-of-another-database": (foreign_wal, ()),
    "wal-header-only": (sidecar("-wal", bytes.fromhex("377f0682002de218") + bytes(24)), ()),
    "garbage-shm": (sidecar("-shm", random.Random(4).randbytes(32768)), ()),
    "folder-in-place-of-the-database": (replace_with_folder, ()),
    "folder-in-place-of-the-wal": (sidecar("-wal", None), ()),
    "link-to-dev-null": (link_to_dev_null, ()),
    "no-permission": (mode(0o000), WITHOUT_OVERRIDES),
    "read-only-file": (mode(0o444), WITHOUT_OVERRIDES),
    "write-only-file": (mode(0o200), WITHOUT_OVERRIDES),
}
assert len(VARIANTS) == 50, len(VARIANTS)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_a_damaged_database_is_set_aside_and_the_kiosk_logs_within_10_s(
    tmp_path: Path, healthy: Path, name: str, figures: Figures
) -> None:
    damage, prefix = VARIANTS[name]
    data = tmp_path / "data"
    data.mkdir()
    database = data / "kiosk.db"
    shutil.copy(healthy, database)
    damage(database)
    if prefix:  # the kiosk runs without root's powers: let it use its own folder
        os.chmod(data, 0o777)
    kiosk = KioskProcess(data, taps=3, prefix=prefix)
    try:
        kiosk.wait_for(lambda p: p.acked >= 1, UP_AND_LOGGING_SECONDS, "a logged view")
        took = kiosk.first_time("ACK")
    finally:
        kiosk.kill()
    assert took is not None and took <= UP_AND_LOGGING_SECONDS
    figures.add(f"damaged database {name}: up and logging after {took:.1f} s")
    live = database.resolve() if database.is_symlink() else database
    if live.is_file() and not name.startswith(("no-", "write-only")):
        assert integrity(live) == "ok"
        assert logged_views(live) >= 1
    # Whatever could not be used was kept beside it, not deleted.
    if name != "link-to-dev-null" and not name.startswith(("folder-in-place-of-the-wal",)):
        kept = [p for p in data.iterdir() if ".corrupt-" in p.name or p == database]
        assert kept, sorted(p.name for p in data.iterdir())
