"""Clinical sign-off: when a topic was checked, when it is due again, and what patients see.

The NHS standard for health information (and MedlinePlus, Krames) keeps a reviewer, a review
date and a next-review date per page and shows patients the dates. A topic is a draft until a
clinician signs it off (`content review`), reviewed until its next-review date, overdue for a
grace period after it, and then expired: expired and draft topics are marked or hidden from
patients as the clinic's settings say. Crisis help is not a topic and is never hidden.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from kiosk.atomic import write_atomically
from kiosk.content.model import Pack, ReviewStatus, Topic

if TYPE_CHECKING:
    from kiosk.content.library import ContentLibrary
    from kiosk.settings import Settings


class ReviewState(StrEnum):
    DRAFT = "draft"  # never signed off
    REVIEWED = "reviewed"
    OVERDUE = "overdue"  # past its next-review date, within the grace period
    EXPIRED = "expired"  # past the grace period too


class Unreviewed(StrEnum):
    MARK = "mark"  # shown, with "Awaiting clinical review" / "Review overdue"
    HIDE = "hide"  # not shown to patients at all


@dataclass(frozen=True, slots=True)
class ReviewPolicy:
    interval_months: int = 24
    grace_days: int = 30
    unreviewed: Unreviewed = Unreviewed.MARK


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review(topic: Topic, policy: ReviewPolicy) -> date | None:
    """When the topic is due to be checked again (None for a draft)."""
    if topic.review_status is not ReviewStatus.REVIEWED:
        return None
    return topic.next_review or add_months(topic.last_reviewed, policy.interval_months)


def review_state(topic: Topic, today: date, policy: ReviewPolicy) -> ReviewState:
    due = next_review(topic, policy)
    if due is None:
        return ReviewState.DRAFT
    if today <= due:
        return ReviewState.REVIEWED
    if (today - due).days <= policy.grace_days:
        return ReviewState.OVERDUE
    return ReviewState.EXPIRED


def shown_to_patients(topic: Topic, today: date, policy: ReviewPolicy) -> bool:
    state = review_state(topic, today, policy)
    if state in (ReviewState.DRAFT, ReviewState.EXPIRED):
        return policy.unreviewed is Unreviewed.MARK
    return True


def needs_attention(topic: Topic, today: date, policy: ReviewPolicy) -> bool:
    """Overdue or expired: flagged on the health page and in the fleet heartbeat."""
    return review_state(topic, today, policy) in (ReviewState.OVERDUE, ReviewState.EXPIRED)


# -- recording a sign-off in the topic file ---------------------------------------------

_FENCE = "+++"


def record_sign_off(path: Path, role: str, day: date, next_day: date) -> int:
    """Write the sign-off into the topic's front matter; returns the topic's new version."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if not lines or lines[0].strip() != _FENCE or _FENCE not in (s.strip() for s in lines[1:]):
        raise ValueError(f"{path}: no front matter between {_FENCE} lines")
    end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == _FENCE)
    front = lines[1:end]
    version = 1
    for line in front:
        found = re.match(r"^\s*version\s*=\s*(\d+)", line)
        if found:
            version = int(found.group(1))
    values = {
        "review_status": f'"{ReviewStatus.REVIEWED.value}"',
        "reviewed_by": _toml_string(role),
        "last_reviewed": day.isoformat(),
        "next_review": next_day.isoformat(),
        "version": str(version + 1),
    }
    for key, value in values.items():
        pattern = re.compile(rf"^\s*{key}\s*=")
        at = next((i for i, line in enumerate(front) if pattern.match(line)), None)
        if at is None:
            front.append(f"{key} = {value}")
        else:
            front[at] = f"{key} = {value}"
    new = "\n".join([lines[0], *front, *lines[end:]])
    mode = path.stat().st_mode & 0o777  # the replacement keeps the file's permissions
    write_atomically(path, lambda handle: handle.write(new.encode("utf-8")))
    path.chmod(mode)
    return version + 1


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def topics_needing_review(
    packs: Mapping[str, Pack], today: date, policy: ReviewPolicy
) -> list[str]:
    """ "en/side-effects-and-safety (overdue since 2028-01-31)" for each overdue topic."""
    found: list[str] = []
    for language, pack in sorted(packs.items()):
        for topic in pack.topics:
            if needs_attention(topic, today, policy):
                due = next_review(topic, policy)
                state = review_state(topic, today, policy).value
                found.append(f"{language}/{topic.id} ({state} since {due})")
    return found


def policy_from(settings: Settings) -> ReviewPolicy:
    return ReviewPolicy(
        settings.review_interval_months,
        settings.review_grace_days,
        Unreviewed(settings.unreviewed_topics),
    )


class ReviewCalendar:
    """The clinic's review policy and today's date: what the kiosk needs to judge a topic."""

    def __init__(self, policy: ReviewPolicy, today: Callable[[], date]) -> None:
        self.policy = policy
        self._today = today

    def today(self) -> date:
        return self._today()

    def state(self, topic: Topic) -> ReviewState:
        return review_state(topic, self._today(), self.policy)

    def next_review(self, topic: Topic) -> date | None:
        return next_review(topic, self.policy)

    def visible(self, library: ContentLibrary) -> ContentLibrary:
        """The library as patients may see it today: drafts and expired reviews left out when
        the clinic hides them (crisis help is not a topic and always stays)."""
        today = self._today()
        packs = {
            language: replace(
                pack,
                topics=tuple(t for t in pack.topics if shown_to_patients(t, today, self.policy)),
            )
            for language, pack in library.packs.items()
        }
        if all(len(packs[k].topics) == len(p.topics) for k, p in library.packs.items()):
            return library
        return replace(library, packs=MappingProxyType(packs))

    def needing_review(self, library: ContentLibrary) -> list[str]:
        return topics_needing_review(library.packs, self._today(), self.policy)
