"""Clinical sign-off: `content review` records it; dates drive what patients see."""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

import main
from kiosk.cli import parse, run_command
from kiosk.content.commands import known_icons
from kiosk.content.loader import ContentLoader
from kiosk.content.model import ReviewStatus
from kiosk.content.review import (
    ReviewPolicy,
    ReviewState,
    Unreviewed,
    add_months,
    needs_attention,
    next_review,
    review_state,
    shown_to_patients,
    topics_needing_review,
)
from kiosk.paths import BUNDLED_CONTENT

TOPIC = "side-effects-and-safety"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(BUNDLED_CONTENT, folder)
    return folder


def review(*argv: str) -> tuple[int, str]:
    args, options = parse(["content", "review", *argv], main.COMMANDS)
    assert options is None
    out = io.StringIO()
    return run_command(args, out), out.getvalue()


def topic(folder: Path, language: str = "en", topic_id: str = TOPIC):  # type: ignore[no-untyped-def]
    pack = ContentLoader(known_icons()).load(folder, language).pack
    assert pack is not None
    found = pack.topic(topic_id)
    assert found is not None
    return found


def test_a_sign_off_is_recorded_in_the_topic_and_read_back(content: Path, tmp_path: Path) -> None:
    before = topic(content)
    assert before.review_status is ReviewStatus.AWAITING
    code, out = review(
        TOPIC, "--lang", "en", "--role", "Medical director", "--date", "2026-12-01",
        "--content", str(content), "--data-dir", str(tmp_path / "data"),
    )  # fmt: skip
    assert code == 0, out
    assert "next check 2028-12-01" in out
    after = topic(content)
    assert after.review_status is ReviewStatus.REVIEWED
    assert after.reviewed_by == "Medical director"
    assert after.last_reviewed == date(2026, 12, 1)
    assert after.next_review == date(2028, 12, 1)
    assert after.version == before.version + 1
    # The body is untouched, and the Spanish version is a sign-off of its own.
    assert after.intro == before.intro
    assert topic(content, "es").review_status is ReviewStatus.AWAITING


def test_the_review_interval_comes_from_the_settings(content: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text("[content]\nreview_interval_months = 12\n")
    code, out = review(
        TOPIC, "--role", "Nurse lead", "--date", "2026-02-28",
        "--content", str(content), "--data-dir", str(data),
    )  # fmt: skip
    assert code == 0, out
    assert topic(content).next_review == date(2027, 2, 28)


def test_a_topic_that_fails_content_check_is_not_signed_off(content: Path, tmp_path: Path) -> None:
    path = content / "en" / f"{TOPIC}.md"
    path.write_text(path.read_text() + "\nKetamine is a cure for depression.\n")
    code, out = review(
        TOPIC, "--role", "Medical director",
        "--content", str(content), "--data-dir", str(tmp_path / "data"),
    )  # fmt: skip
    assert code != 0
    assert "not signed off" in out and "forbidden claim" in out
    assert topic(content).review_status is ReviewStatus.AWAITING


def test_an_unknown_topic_or_an_empty_role_is_refused(content: Path, tmp_path: Path) -> None:
    data = ("--content", str(content), "--data-dir", str(tmp_path / "data"))
    assert review("no-such-topic", "--role", "Medical director", *data)[0] != 0
    assert review(TOPIC, "--role", "  ", *data)[0] != 0


def test_review_dates_drive_the_state_patients_and_staff_see(content: Path) -> None:
    policy = ReviewPolicy(interval_months=24, grace_days=30)
    draft = topic(content)
    reviewed = replace(
        draft,
        review_status=ReviewStatus.REVIEWED,
        reviewed_by="Medical director",
        last_reviewed=date(2026, 1, 31),
    )
    assert next_review(reviewed, policy) == date(2028, 1, 31)
    # A fake clock: the same topic on different days.
    assert review_state(draft, date(2026, 6, 1), policy) is ReviewState.DRAFT
    assert review_state(reviewed, date(2028, 1, 31), policy) is ReviewState.REVIEWED
    assert review_state(reviewed, date(2028, 2, 1), policy) is ReviewState.OVERDUE
    assert review_state(reviewed, date(2028, 3, 1), policy) is ReviewState.OVERDUE
    assert review_state(reviewed, date(2028, 3, 2), policy) is ReviewState.EXPIRED
    assert not needs_attention(reviewed, date(2028, 1, 31), policy)
    assert needs_attention(reviewed, date(2028, 2, 1), policy)
    # An explicit next-review date wins over the interval.
    early = replace(reviewed, next_review=date(2027, 1, 31))
    assert review_state(early, date(2027, 2, 1), policy) is ReviewState.OVERDUE
    hide = replace(policy, unreviewed=Unreviewed.HIDE)
    for day, shown_marked, shown_hidden in (
        (date(2027, 6, 1), True, True),  # reviewed
        (date(2028, 2, 15), True, True),  # overdue, in the grace period: flagged only
        (date(2028, 6, 1), True, False),  # expired
    ):
        assert shown_to_patients(reviewed, day, policy) is shown_marked
        assert shown_to_patients(reviewed, day, hide) is shown_hidden
    assert shown_to_patients(draft, date(2026, 6, 1), policy)
    assert not shown_to_patients(draft, date(2026, 6, 1), hide)


def test_months_are_added_as_a_calendar_does() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2026, 11, 30), 24) == date(2028, 11, 30)


def test_a_bad_next_review_or_version_is_reported_with_its_line(tmp_path: Path) -> None:
    from tests.conftest import ContentFolder, topic_text

    folder = ContentFolder(tmp_path / "c")
    folder.add_language("en", "English")
    folder.write("en", "alpha.md", topic_text("alpha", 1, extra="next_review = 2020-01-01"))
    folder.write("en", "beta.md", topic_text("beta", 2, extra="version = 0"))
    result = ContentLoader({"info"}).load(folder.root, "en")
    fields = {(p.path.name, p.field) for p in result.problems}
    assert ("alpha.md", "next_review") in fields
    assert ("beta.md", "version") in fields


def test_overdue_topics_are_listed_for_the_health_page(content: Path) -> None:
    pack = ContentLoader(known_icons()).load(content, "en").pack
    assert pack is not None
    old = replace(
        pack.topics[0],
        review_status=ReviewStatus.REVIEWED,
        reviewed_by="Medical director",
        last_reviewed=date(2024, 1, 1),
    )
    packs = {"en": replace(pack, topics=(old, *pack.topics[1:]))}
    policy = ReviewPolicy()
    assert topics_needing_review(packs, date(2025, 12, 31), policy) == []
    assert topics_needing_review(packs, date(2026, 1, 2), policy) == [
        f"en/{old.id} (overdue since 2026-01-01)"
    ]
