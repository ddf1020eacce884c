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
from ui.main_window import show_kiosk  # noqa: E402


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

    steps: list[tuple[str, Callable[[], None]]] = [
        ("home", window.show_home),
        ("topic", lambda: window.open_topic("what-is-ketamine-therapy")),
        ("topic-reading", lambda: (window.topic.read_bar.read.click(), settle(app, 2500))),
        ("topic-table", lambda: (window.narrator.stop(), topic_with_section())),
        (
            "glossary",
            lambda: (window.open_topic("how-it-might-help"), window.open_glossary("nmda-receptor")),
        ),
        ("crisis", window.open_crisis),
        ("home-large", lambda: (window.show_home(), window.set_large_text(True))),
        ("topic-large", lambda: window.open_topic("infusion-visit")),
        ("topic-contrast", lambda: (window.set_large_text(False), window.set_high_contrast(True))),
        ("crisis-contrast", window.open_crisis),
        (
            "home-es",
            lambda: (
                window.set_high_contrast(False),
                window.show_home(),
                window.set_language("es"),
            ),
        ),
        ("topic-es", lambda: window.open_topic("infusion-visit")),
    ]
    for name, step in steps:
        step()
        settle(app)
        if not only or name in only:
            shoot(out, name, size)
    kiosk.shut_down()
    return 0


if __name__ == "__main__":
    sys.exit(main_())
