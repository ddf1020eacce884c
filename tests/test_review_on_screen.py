"""Patients see when a topic was checked and when it is checked next; or that it is not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.clock import ManualClock
from tests.conftest import ContentFolder, topic_text

YEAR = 365 * 24 * 3600


def reviewed(content: ContentFolder, topic_id: str, order: int, when: str = "2026-11-20") -> None:
    text = topic_text(topic_id, order).replace(
        'review_status = "awaiting-clinical-review"',
        'review_status = "clinically-reviewed"\nreviewed_by = "Medical director"',
    )
    content.write("en", f"{topic_id}.md", text.replace("2026-11-20", when))


def settings(tmp_path: Path, text: str) -> None:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "settings.toml").write_text(text)


def tile_ids(kiosk: Any) -> list[str]:
    return [t.topic_id for t in kiosk.window.home.tiles]


def test_a_reviewed_topic_says_when_it_was_checked_and_when_it_is_next(
    make_kiosk: Any, content: ContentFolder
) -> None:
    reviewed(content, "alpha", 1)
    kiosk = make_kiosk(content_dir=content.root)
    kiosk.window.open_topic("alpha")
    note = kiosk.window.topic.review
    assert note.isVisible()
    assert note.text() == "Checked November 20, 2026 · Next check November 20, 2028"
    assert note.accessibleName() == note.text()
    kiosk.window.open_topic("beta")
    assert note.text() == "Awaiting clinical review"


def test_in_spanish_the_dates_are_written_as_spanish_speakers_write_them(
    make_kiosk: Any, content: ContentFolder
) -> None:
    content.add_language("es", "Español")
    text = topic_text("alpha", 1).replace(
        'review_status = "awaiting-clinical-review"',
        'review_status = "clinically-reviewed"\nreviewed_by = "Director médico"',
    )
    content.write("es", "alpha.md", text)
    kiosk = make_kiosk(content_dir=content.root)
    kiosk.window.set_language("es")
    kiosk.window.open_topic("alpha")
    assert kiosk.window.topic.review.text() == (
        "Revisado el 20 de noviembre de 2026 · Próxima revisión: 20 de noviembre de 2028"
    )


def test_long_overdue_topics_are_marked_by_default(
    make_kiosk: Any, content: ContentFolder, clock: ManualClock
) -> None:
    reviewed(content, "alpha", 1, when="2024-01-10")  # next check 2026-01-10: long gone
    kiosk = make_kiosk(content_dir=content.root)
    kiosk.window.open_topic("alpha")
    assert "Check overdue: this page may be out of date" in kiosk.window.topic.review.text()
    assert "alpha" in tile_ids(kiosk)


def test_the_clinic_can_hide_drafts_and_expired_topics_but_never_crisis_help(
    make_kiosk: Any, content: ContentFolder, clock: ManualClock, tmp_path: Path
) -> None:
    settings(tmp_path, '[content]\nunreviewed = "hide"\n')
    reviewed(content, "alpha", 1)
    kiosk = make_kiosk(content_dir=content.root)
    assert tile_ids(kiosk) == ["alpha", "crisis"]  # beta and gamma are drafts
    # Two years and more than the grace period later, alpha is gone after the next reset.
    clock.advance(2 * YEAR + 60 * 24 * 3600)
    kiosk.flow.reset()
    kiosk.flow.start_visit()
    assert tile_ids(kiosk) == ["crisis"]
    kiosk.window.open_crisis()
    assert kiosk.window.current.name == "CRISIS"


def test_overdue_topics_show_on_the_health_page(
    make_kiosk: Any, content: ContentFolder, clock: ManualClock
) -> None:
    reviewed(content, "alpha", 1, when="2024-10-01")  # due 2026-10-01: overdue on 2026-11-20
    kiosk = make_kiosk(content_dir=content.root)
    assert kiosk.health().review_due == ("en/alpha (expired since 2026-10-01)",)
