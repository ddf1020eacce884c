"""Content bundles from the fleet: published centrally, fetched by kiosks after a push.

A fetched bundle goes through the same ContentStore.install as one from a USB drive:
signature, hashes, content check. The central database is only a way to carry the file;
a bundle a kiosk does not trust is refused however it arrived.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement, Engine, insert, or_, select

from kiosk.content.bundle import BundleRefused, Checker, ContentStore, read_signed
from kiosk.fleet.schema import content_bundles

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Published:
    version: int
    built: str
    site: str | None


def publish(engine: Engine, bundle: Path, site: str | None) -> Published:
    """Insert a bundle file; BundleRefused if it is not one. Its signature is checked by
    each kiosk (with its own trusted keys), not here: the publisher may not hold them."""
    manifest_bytes, _signature = read_signed(bundle)
    try:
        manifest = json.loads(manifest_bytes)
        version, built = int(manifest["version"]), str(manifest["built"])
    except (ValueError, KeyError, TypeError) as error:
        raise BundleRefused(f"{bundle.name}: the manifest is malformed ({error})") from error
    data = bundle.read_bytes()
    with engine.begin() as connection:
        connection.execute(
            insert(content_bundles).values(site=site, version=version, built=built, data=data)
        )
    return Published(version, built, site)


class BundleFetcher:
    """After each successful push, on the pusher's thread: install a newer published bundle."""

    def __init__(
        self,
        store_root: Path,
        data_dir: Path,
        site: str,
        public_keys: Iterable[str],
        check: Checker,
    ) -> None:
        self._store = ContentStore(store_root)
        self._data_dir = data_dir
        self._site = site
        self._keys = tuple(public_keys)
        self._check = check
        # A refused version is not downloaded again at every push: only a newer one is.
        self.refused_version: int | None = None

    def fetch(self, central: Engine) -> int | None:
        """The version installed now, or None. Raises what the database or disk raise."""
        installed = self._store.current
        floors = [v for v in (self.refused_version,) if v is not None]
        if installed is not None:
            floors.append(installed.version)
        sites: list[ColumnElement[bool]] = [content_bundles.c.site.is_(None)]
        if self._site:
            sites.append(content_bundles.c.site == self._site)
        query = (
            select(content_bundles.c.version, content_bundles.c.data)
            .where(or_(*sites))
            .order_by(content_bundles.c.version.desc(), content_bundles.c.published_at.desc())
            .limit(1)
        )
        if floors:
            query = query.where(content_bundles.c.version > max(floors))
        with central.connect() as connection:
            row = connection.execute(query).first()
        if row is None:
            return None
        version, data = int(row.version), bytes(row.data)
        # In the data folder, not /tmp: the same file system as the store, and not RAM.
        self._data_dir.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=".fleet-content-", dir=self._data_dir))
        try:
            bundle = folder / f"fleet-content-{version}.bundle"
            bundle.write_bytes(data)
            try:
                self._store.install(bundle, self._keys, self._check)
            except BundleRefused as refused:
                self.refused_version = version
                logger.warning("fleet content version %d refused: %s", version, refused)
                return None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        logger.info("fleet content version %d installed; shown from the next visitor", version)
        return version
