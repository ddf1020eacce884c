"""What the kiosk logs: anonymous events, reduced to the hour before they are stored."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}\Z")
LANGUAGE = re.compile(r"^[a-z]{2}\Z")
# A patient who walks away leaves a topic open until the kiosk resets; cap the time counted.
MAX_SECONDS_ON_SCREEN = 1800


class Interaction(StrEnum):
    """Things counted per topic (never what was read, ticked or typed)."""

    GLOSSARY_OPENED = "glossary-opened"
    SECTION_OPENED = "section-opened"
    READ_ALOUD_STARTED = "read-aloud-started"
    QR_SHOWN = "qr-shown"
    LIST_PRINTED = "list-printed"
    LANGUAGE_CHOSEN = "language-chosen"
    SOURCES_OPENED = "sources-opened"


@dataclass(frozen=True, slots=True)
class HourBucket:
    """The finest time the log ever keeps: a local date and an hour of the day."""

    day: date
    hour: int

    @classmethod
    def of(cls, moment: datetime) -> HourBucket:
        return cls(moment.date(), moment.hour)


@dataclass(frozen=True, slots=True)
class VisitStarted:
    when: HourBucket


@dataclass(frozen=True, slots=True)
class TopicViewed:
    when: HourBucket
    topic_id: str
    language: str
    seconds: int
    read_aloud: bool = False
    large_text: bool = False
    high_contrast: bool = False

    def __post_init__(self) -> None:
        _check_slug("topic_id", self.topic_id)
        _check_language(self.language)
        if self.seconds < 0:
            raise ValueError(f"seconds must not be negative, got {self.seconds}")
        object.__setattr__(self, "seconds", min(self.seconds, MAX_SECONDS_ON_SCREEN))


@dataclass(frozen=True, slots=True)
class InteractionHappened:
    when: HourBucket
    kind: Interaction
    topic_id: str
    language: str

    def __post_init__(self) -> None:
        if self.topic_id:
            _check_slug("topic_id", self.topic_id)
        _check_language(self.language)


Event = VisitStarted | TopicViewed | InteractionHappened


def _check_slug(name: str, value: str) -> None:
    if not SLUG.match(value):
        raise ValueError(f"{name} must be a short id of a-z, 0-9 and '-', got {value!r}")


def _check_language(value: str) -> None:
    if not LANGUAGE.match(value):
        raise ValueError(f"language must be a two-letter code, got {value!r}")
