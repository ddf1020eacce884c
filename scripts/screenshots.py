"""Screenshots of the real kiosk window on an X server, for review and the README.

Run through scripts/screenshots.sh (which starts Xvfb at each screen size). Each shot is the
whole X screen captured by ImageMagick's `import -window root`, as a patient would see it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import main  # noqa: E402
from kiosk import cli  # noqa: E402
from kiosk.clock import SystemClock  # noqa: E402
from ui.app.window import show_kiosk  # noqa: E402


def settle(app: QApplication, ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def shoot(out: Path, name: str, size: str) -> None:
    path = out / f"{name}-{size}.png"
    subprocess.run(["import", "-window", "root", str(path)], check=True)
    print(path)


def main_() -> int:
    out = Path(sys.argv[1]).resolve()
    size = sys.argv[2]
    only = set(sys.argv[3:])
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="kiosk-shots-"))
    _, options = cli.parse(["--data-dir", str(data)], main.COMMANDS)
    assert options is not None
    app = QApplication([])
    kiosk = main.build_kiosk(options, app, SystemClock())
    assert kiosk is not None
    kiosk.start_services()
    window = kiosk.window
    show_kiosk(window, windowed=False)
    settle(app, 800)

    def topic_with_section() -> None:
        window.open_topic("ketamine-vs-esketamine")
        settle(app)
        window.topic.reader.sections[0].button.click()

    def side_effects_at_home() -> None:
        window.open_topic("side-effects-and-safety")
        settle(app)
        sections = window.topic.reader.sections
        # The warning signs after going home (content safety review).
        at_home = next(s for s in sections if "home" in s.button.accessibleName().lower())
        at_home.button.click()
        settle(app)
        reader = window.topic.reader
        reader.verticalScrollBar().setValue(
            at_home.mapTo(reader.widget(), at_home.rect().topLeft()).y()
        )

    steps: list[tuple[str, Callable[[], None]]] = [
        ("home", window.show_home),
        ("topic", lambda: window.open_topic("what-is-ketamine-therapy")),
        ("topic-reading", lambda: (window.topic.read_bar.read.click(), settle(app, 2500))),
        ("topic-table", lambda: (kiosk.visit.stop_reading(), topic_with_section())),
        (
            "glossary",
            lambda: (window.open_topic("how-it-might-help"), window.open_glossary("nmda-receptor")),
        ),
        ("crisis", window.open_crisis),
        ("side-effects-home", side_effects_at_home),
        ("sources", lambda: (window.open_topic("cost-and-insurance"), window.open_sources())),
        (
            "checklist",
            lambda: (
                window.open_topic("questions-to-ask"),
                window.topic.reader.checklist.rows[0].click(),
                window.topic.reader.checklist.rows[6].click(),
            ),
        ),
        ("qr", lambda: window.topic.reader.checklist.take_home.click()),
        ("home-large", lambda: (window.show_home(), kiosk.visit.set_large_text(True))),
        ("topic-large", lambda: window.open_topic("infusion-visit")),
        ("topic-large-reading", lambda: (window.topic.read_bar.read.click(), settle(app, 1500))),
        ("topic-large-speed", lambda: window.topic.read_bar.more.setChecked(True)),
        ("crisis-large", window.open_crisis),
        (
            "crisis-large-es",
            lambda: (window.set_language("es"), settle(app), window.open_crisis()),
        ),
        (
            "topic-large-es",
            lambda: window.open_topic("infusion-visit"),
        ),
        (
            "topic-contrast",
            lambda: (
                window.set_language("en"),
                kiosk.visit.set_large_text(False),
                window.open_topic("infusion-visit"),
                kiosk.visit.set_high_contrast(True),
            ),
        ),
        ("crisis-contrast", window.open_crisis),
        (
            "home-es",
            lambda: (
                kiosk.visit.set_high_contrast(False),
                window.show_home(),
                window.set_language("es"),
            ),
        ),
        ("topic-es", lambda: window.open_topic("infusion-visit")),
        ("crisis-es", window.open_crisis),
        ("sources-es", lambda: (window.open_topic("cost-and-insurance"), window.open_sources())),
        # The questions ticked in English above, still ticked after crisis help, in Spanish.
        (
            "checklist-after-crisis-es",
            lambda: (
                window.open_topic("questions-to-ask"),
                window.open_crisis(),
                window.close_crisis(),
            ),
        ),
        (
            "checklist-after-crisis",
            lambda: (window.set_language("en"), window.open_crisis(), window.close_crisis()),
        ),
    ]

    def staff_dashboard() -> None:
        # A few weeks of made-up views so the charts have something to show.
        import random
        from datetime import timedelta

        from kiosk.viewlog.events import HourBucket, TopicViewed, VisitStarted

        rng = random.Random(7)
        today = kiosk.clock.now().date()
        topics = [t.id for t in window.pack.topics]
        for back in range(30):
            day = today - timedelta(days=back)
            for _ in range(rng.randint(3, 12)):
                when = HourBucket(day, rng.randint(8, 17))
                kiosk.view_log.record(VisitStarted(when))
                for topic in rng.sample(topics, rng.randint(1, 4)):
                    kiosk.view_log.record(
                        TopicViewed(
                            when,
                            topic,
                            rng.choice(["en", "en", "es"]),
                            rng.randint(20, 240),
                            read_aloud=rng.random() < 0.2,
                            large_text=rng.random() < 0.1,
                        )
                    )
        kiosk.view_log.flush()
        assert kiosk.staff is not None
        kiosk.staff._unlocked()
        settle(app, 1500)

    def staff_section(key: str, high_contrast: bool = False) -> Callable[[], None]:
        def show() -> None:
            assert kiosk.staff is not None
            kiosk.visit.set_high_contrast(high_contrast)
            kiosk.staff.nav_buttons[key].click()
            settle(app, 800)

        return show

    def staff_export() -> None:
        # As with a USB stick plugged in and a clinic folder set up (neither exists here).
        from kiosk.stats.export import ExportFolder

        assert kiosk.staff is not None
        clinic = data / "exports"
        kiosk.staff.export_panel._show_folders(
            [
                ExportFolder(Path("/media/usb0"), "Drive usb0", True),
                ExportFolder(clinic, f"Clinic folder {clinic}", False),
            ]
        )
        staff_section("export")()

    def staff_pin_entry() -> None:
        # With a PIN set, the pad shows its keys; a few digits typed show as dots.
        from kiosk.staff.pin import PinStore, ScryptCost

        assert kiosk.staff is not None
        cheap = ScryptCost(n=2**8, r=8, p=1)
        PinStore(options.paths.data_dir, kiosk.clock, cheap).set_pin("402917")
        kiosk.staff.leave()
        kiosk.open_staff()
        settle(app, 800)
        for digit in "402":
            kiosk.staff.pin_pad.press(digit)

    steps.append(("staff-pin", kiosk.open_staff))
    steps.append(("staff-dashboard", staff_dashboard))
    steps.append(("staff-export", staff_export))
    steps.append(("staff-content", staff_section("content")))
    steps.append(("staff-health", staff_section("health")))
    steps.append(
        ("staff-health-confirm", lambda: kiosk.staff and kiosk.staff.health.exit_button.click())
    )
    steps.append(("staff-dashboard-contrast", staff_section("dashboard", high_contrast=True)))
    steps.append(("staff-pin-entry", staff_pin_entry))

    def staff_pin_error() -> None:
        # A wrong PIN: the longer message must not move the keys.
        assert kiosk.staff is not None
        for digit in "999":
            kiosk.staff.pin_pad.press(digit)
        kiosk.staff.pin_pad.submit()
        settle(app, 1500)

    steps.append(("staff-pin-error", staff_pin_error))
    for name, step in steps:
        step()
        settle(app)
        if not only or name in only:
            shoot(out, name, size)
    kiosk.shut_down()
    return 0


if __name__ == "__main__":
    sys.exit(main_())
