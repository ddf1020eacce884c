"""What a kiosk tells the centre about itself with each push: the health page's facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from kiosk.fleet.push import Heartbeat

BUNDLED = "bundled"
FOLDER = "folder"  # content from a --content folder, not the bundled or an installed one


@dataclass(frozen=True, slots=True)
class KioskFacts:
    """What the heartbeat says beyond the health page, taken on the GUI thread."""

    audio_output: bool | None = None  # None: not looked at yet (QtMultimedia loads late)
    last_recovery: datetime | None = None  # the last time an error sent the kiosk home
    # Topics whose clinical review is overdue or expired (kiosk/content/review.py).
    topics_overdue: tuple[str, ...] = ()

    def as_facts(self) -> dict[str, Any]:
        return {
            "audio_output_present": self.audio_output,
            # To the hour, as the last local write is: its minute may be a patient's tap.
            "last_crash_recovery": self.last_recovery
            and self.last_recovery.replace(minute=0, second=0, microsecond=0),
            "topics_overdue": list(self.topics_overdue),
        }

    def problems(self) -> list[str]:
        return ["no audio output (read-aloud is silent)"] if self.audio_output is False else []


def content_version(data_dir: Path, content_dir: Path, bundled_dir: Path) -> str:
    """The installed signed bundle's version, "bundled", or "folder" (blocking: reads links)."""
    from kiosk.content.bundle import ContentStore
    from kiosk.content.commands import CONTENT_STORE

    if content_dir != bundled_dir:
        return FOLDER
    installed = ContentStore(data_dir / CONTENT_STORE).current
    return str(installed.version) if installed is not None else BUNDLED


def app_version() -> str:
    try:
        return metadata.version("ketamine-kiosk")
    except metadata.PackageNotFoundError:  # run from a checkout, not installed
        return "unknown"


def heartbeat(
    site: str, content_version: str, facts: Mapping[str, Any], problems: list[str]
) -> Heartbeat:
    """JSON-ready facts (datetimes as ISO text); the problems joined for `fleet status`."""
    plain = {
        name: value.isoformat() if isinstance(value, datetime) else value
        for name, value in facts.items()
    }
    return Heartbeat(site, app_version(), content_version, "; ".join(problems), plain)
