"""Content updates from a USB drive: the bundles on it, what each would change, installing one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.bundle import BundleRefused, folder_hashes, read_manifest

MAX_BUNDLES_PER_DRIVE = 20


@dataclass(frozen=True, slots=True)
class BundleOffer:
    """A bundle found on a drive, checked as far as it can be without unpacking it."""

    path: Path
    version: int | None = None
    built: str = ""
    changes: tuple[str, ...] = ()  # "en/side-effects-and-safety.md changed", ...
    problem: str | None = None  # why it cannot be installed, in plain words

    @property
    def installable(self) -> bool:
        return self.problem is None


def find_bundles(
    folders: Iterable[Path],
    public_keys: Iterable[str],
    shown: Path,
    installed_version: int | None,
) -> list[BundleOffer]:
    """Every *.bundle at the top of each folder, newest first. Blocking: not on the GUI thread."""
    keys = list(public_keys)
    current = folder_hashes(shown)
    offers: list[BundleOffer] = []
    for folder in folders:
        try:
            candidates = sorted(p for p in folder.glob("*.bundle") if p.is_file())
        except OSError:
            continue
        for path in candidates[:MAX_BUNDLES_PER_DRIVE]:
            try:
                manifest = read_manifest(path, keys)
            except BundleRefused as refused:
                offers.append(BundleOffer(path, problem=str(refused)))
                continue
            changes = tuple(
                [f"{name} changed" for name in sorted(manifest.files) if name in current
                 and current[name] != manifest.files[name]]
                + [f"{name} added" for name in sorted(set(manifest.files) - set(current))]
                + [f"{name} removed" for name in sorted(set(current) - set(manifest.files))]
            )  # fmt: skip
            problem = None
            if installed_version is not None and manifest.version <= installed_version:
                problem = f"not newer than the installed version {installed_version}"
            offers.append(BundleOffer(path, manifest.version, manifest.built, changes, problem))
    return sorted(offers, key=lambda o: (o.version is None, -(o.version or 0), str(o.path)))
