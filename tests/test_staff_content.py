"""The staff Content page: each topic's review, and a signed update installed from a drive."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from kiosk.content.bundle import build_bundle, generate_keys
from kiosk.content.commands import review_records
from kiosk.paths import BUNDLED_CONTENT
from tests.helpers.gui import tap


def test_staff_see_every_review_and_install_a_signed_update_from_a_drive(
    qtbot: Any, make_kiosk: Any, tmp_path: Path
) -> None:
    private, public = generate_keys(tmp_path / "keys")
    drive = tmp_path / "usb"
    drive.mkdir()
    content = tmp_path / "new-content"
    shutil.copytree(BUNDLED_CONTENT, content)
    topic = content / "en" / "cost-and-insurance.md"
    topic.write_text(topic.read_text().replace("insurance", "insurance", 1) + "\n")
    build_bundle(content, private, drive / "clinic.bundle", 7, review_records(content))
    (drive / "forged.bundle").write_bytes(b"not a bundle")
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text(
        f'[content]\npublic_keys = ["{public.read_text().strip()}"]\n'
        f'[staff]\nexport_folder = "{drive}"\n'
    )
    kiosk = make_kiosk()
    kiosk.open_staff()
    area = kiosk.staff
    area._unlocked()
    tap(qtbot, area.nav_buttons["content"])
    panel = area.content
    texts = [label.text() for label in panel.review_labels]
    assert any(t.startswith("en · Cost and insurance — draft") for t in texts), texts
    assert len(texts) == sum(len(p.topics) for p in kiosk.library.packs.values())
    tap(qtbot, panel.look_button)
    qtbot.waitUntil(
        lambda: bool(panel.offer_buttons) and panel.offer_buttons[0].isVisible(), timeout=10_000
    )
    assert "version 7" in panel.offer_buttons[0].text()
    page = panel.scroll_area.widget().findChildren(type(panel.status))
    shown = "\n".join(label.text() for label in page)
    assert "en/cost-and-insurance.md changed" in shown
    assert "forged.bundle: cannot be used" in shown
    panel.scroll_area.ensureWidgetVisible(panel.offer_buttons[0])  # staff scroll down to it
    with qtbot.waitSignal(panel.content_installed, timeout=30_000) as installed:
        tap(qtbot, panel.offer_buttons[0])
    assert panel.status.text().startswith("Installed version 7"), panel.status.text()
    assert installed.args == [7]
    qtbot.waitUntil(lambda: kiosk.library.source.name.startswith("7-"), timeout=20_000)
