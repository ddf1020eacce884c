"""What a kiosk tells the centre about itself with each push: the health page's facts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from importlib import metadata
from typing import Any

from kiosk.fleet.push import Heartbeat


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
