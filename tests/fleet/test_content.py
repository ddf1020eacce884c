"""Content bundles through the fleet: published centrally, fetched, checked, installed, shown."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

import main
from kiosk.cli import parse, run_command
from kiosk.content.bundle import ContentStore, build_bundle, generate_keys
from kiosk.content.commands import CONTENT_STORE, review_records
from kiosk.fleet.content import BundleFetcher
from kiosk.fleet.credentials import write_credentials
from kiosk.paths import BUNDLED_CONTENT
from tests.fleet.conftest import KIOSK_PASSWORD, FleetDatabase
from tests.fleet.server import SUPERUSER_PASSWORD


class Publisher:
    """Bundles of a small content copy, signed by a trusted or an untrusted key."""

    def __init__(self, root: Path, fleet_db: FleetDatabase) -> None:
        self.root = root
        self.fleet_db = fleet_db
        self.content = root / "content"
        shutil.copytree(BUNDLED_CONTENT, self.content)
        self.private, public = generate_keys(root / "trusted")
        self.key = public.read_text().strip()
        self.stranger, _ = generate_keys(root / "untrusted")

    def publish(self, version: int, site: str | None = None, trusted: bool = True) -> Path:
        bundle = self.root / f"v{version}-{site}-{trusted}.bundle"
        key = self.private if trusted else self.stranger
        build_bundle(self.content, key, bundle, version, review_records(self.content))
        argv = ["fleet", "publish-content", str(bundle), "--database", self.fleet_db.url]
        args, _ = parse([*argv, *(["--site", site] if site else [])], main.COMMANDS)
        out = io.StringIO()
        assert run_command(args, out) == 0, out.getvalue()
        assert f"Content version {version}" in out.getvalue()
        return bundle


@pytest.fixture
def publisher(
    tmp_path: Path, fleet_db: FleetDatabase, monkeypatch: pytest.MonkeyPatch
) -> Publisher:
    monkeypatch.setenv("PGPASSWORD", SUPERUSER_PASSWORD)
    fleet_db.provision("kiosk-1")
    return Publisher(tmp_path / "publisher", fleet_db)


def fetcher(tmp_path: Path, publisher: Publisher, site: str = "north") -> BundleFetcher:
    data = tmp_path / "data"
    # No content check here (the end-to-end test runs the real one): these are about
    # which bundle is taken, and fast.
    return BundleFetcher(data / CONTENT_STORE, data, site, [publisher.key], lambda _f: [])


def installed_version(tmp_path: Path) -> int | None:
    current = ContentStore(tmp_path / "data" / CONTENT_STORE).current
    return current.version if current is not None else None


@pytest.mark.expected_logs("fleet content version 4 refused")
def test_an_untrusted_bundle_is_refused_once_and_the_old_content_stays(
    tmp_path: Path, publisher: Publisher, fleet_db: FleetDatabase, caplog: Any
) -> None:
    central = fleet_db.as_kiosk("kiosk-1")
    fetch = fetcher(tmp_path, publisher)
    publisher.publish(3)
    assert fetch.fetch(central) == 3
    publisher.publish(4, trusted=False)
    assert fetch.fetch(central) is None
    assert fetch.fetch(central) is None  # not downloaded and refused again at every push
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 1 and "does not match any trusted key" in refusals[0].getMessage()
    assert installed_version(tmp_path) == 3
    assert not list((tmp_path / "data").glob(".fleet-content-*"))  # no download left behind
    publisher.publish(5)
    assert fetch.fetch(central) == 5
    central.dispose()


def test_an_older_version_or_another_sites_bundle_is_not_taken(
    tmp_path: Path, publisher: Publisher, fleet_db: FleetDatabase
) -> None:
    central = fleet_db.as_kiosk("kiosk-1")
    fetch = fetcher(tmp_path, publisher)
    publisher.publish(5, site="north")
    assert fetch.fetch(central) == 5
    publisher.publish(4)
    publisher.publish(9, site="south")
    assert fetch.fetch(central) is None
    assert installed_version(tmp_path) == 5
    publisher.publish(6)  # for every site
    assert fetch.fetch(central) == 6
    central.dispose()


def test_a_kiosk_may_read_bundles_but_not_publish_them(
    publisher: Publisher, fleet_db: FleetDatabase
) -> None:
    central = fleet_db.as_kiosk("kiosk-1")
    insert = text("INSERT INTO content_bundles (version, built, data) VALUES (1, 'x', 'x')")
    with pytest.raises(ProgrammingError, match="permission denied"), central.begin() as connection:
        connection.execute(insert)
    with central.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM content_bundles")).scalar() == 0
    central.dispose()


def test_publishing_something_that_is_not_a_bundle_is_refused(
    tmp_path: Path, publisher: Publisher, fleet_db: FleetDatabase
) -> None:
    junk = tmp_path / "junk.bundle"
    junk.write_bytes(b"not a zip")
    args, _ = parse(
        ["fleet", "publish-content", str(junk), "--database", fleet_db.url], main.COMMANDS
    )
    assert run_command(args, io.StringIO()) != 0
    with fleet_db.admin.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM content_bundles")).scalar() == 0


def test_the_kiosk_installs_a_published_bundle_and_shows_it_after_the_next_reset(
    make_kiosk: Callable[..., Any],
    publisher: Publisher,
    fleet_db: FleetDatabase,
    tmp_path: Path,
    qtbot: Any,
) -> None:
    topic = publisher.content / "en" / "side-effects-and-safety.md"
    topic.write_text(topic.read_text(encoding="utf-8") + "\nFleet-delivered line.\n", "utf-8")
    publisher.publish(7, site="north")
    data = tmp_path / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "settings.toml").write_text(
        f'[fleet]\nurl = "{fleet_db.url}"\nsite = "north"\n\n'
        f'[content]\npublic_keys = ["{publisher.key}"]\n',
        encoding="utf-8",
    )
    write_credentials(data / "fleet-credentials.toml", "kiosk-1", KIOSK_PASSWORD)
    kiosk = make_kiosk()
    assert kiosk.library.source == BUNDLED_CONTENT
    assert kiosk.view_log.flush()
    kiosk.fleet.push_now()
    qtbot.waitUntil(lambda: installed_version(tmp_path) == 7, timeout=30_000)
    assert kiosk.library.source == BUNDLED_CONTENT  # not changed under a visitor's eyes
    kiosk.flow.reset()
    store = ContentStore(data / CONTENT_STORE)
    qtbot.waitUntil(lambda: kiosk.library.source == store.current.folder, timeout=15_000)
    shown = kiosk.library.source / topic.relative_to(publisher.content)
    assert "Fleet-delivered line." in shown.read_text(encoding="utf-8")
    # The next heartbeat says which version is installed.
    kiosk.fleet.push_now()

    def reported() -> str | None:
        with fleet_db.admin.connect() as connection:
            query = text("SELECT content_version FROM kiosk_heartbeats")
            return connection.execute(query).scalar()

    qtbot.waitUntil(lambda: reported() == "7", timeout=15_000)
