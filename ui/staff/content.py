"""The staff "Content" page: every topic's clinical review, and content updates from USB.

What the topics' reviews say comes from a provider main.py builds (cheap, GUI thread); looking
for bundles on drives and installing one run off the GUI thread through the task runner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QPushButton, QVBoxLayout, QWidget

from kiosk.content.updates import BundleOffer
from ui.common.scrolling import KineticScrollArea
from ui.common.tasks import TaskRunner
from ui.common.widgets import set_state
from ui.staff import staff_button, staff_label


@dataclass(frozen=True, slots=True)
class TopicReviewRow:
    text: str  # "en · Side effects and risks: reviewed by Medical director on ..."
    state: str  # "ok", "warning" (draft), "error" (overdue or expired)


ReviewRows = Callable[[], list[TopicReviewRow]]


class ContentPanel(QWidget):
    """Review status of every topic; bundles found on drives, with what they would change."""

    content_installed = Signal(int)  # the version now installed

    def __init__(
        self,
        rows: ReviewRows,
        tasks: TaskRunner,
        find_bundles: Callable[[], list[BundleOffer]],
        install: Callable[[Path], int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffContent")
        self._rows = rows
        self._tasks = tasks
        self._find = find_bundles
        self._install = install
        self.review_labels: list[QWidget] = []
        self.offer_buttons: list[QPushButton] = []

        self._review_card = QFrame()
        self._review_card.setObjectName("healthCard")
        self._review_layout = QVBoxLayout(self._review_card)
        self._review_layout.setContentsMargins(24, 16, 24, 16)
        self._review_layout.setSpacing(6)

        self.look_button = staff_button(
            "Look for content updates on USB drives", "lookForBundlesButton", "secondary"
        )
        self.look_button.clicked.connect(self.look_for_bundles)
        self.status = staff_label("exportStatus")
        self._offers = QWidget()
        self._offers_layout = QVBoxLayout(self._offers)
        self._offers_layout.setContentsMargins(0, 0, 0, 0)
        self._offers_layout.setSpacing(10)

        page = QWidget()
        page.setObjectName("contentPage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 8, 16)
        layout.setSpacing(16)
        layout.addWidget(staff_label("exportHeading", "Clinical review of each topic"))
        layout.addWidget(self._review_card)
        layout.addWidget(staff_label("exportHeading", "Update content"))
        layout.addWidget(self.look_button)
        layout.addWidget(self.status)
        layout.addWidget(self._offers)
        layout.addStretch(1)
        self.scroll_area = KineticScrollArea()
        self.scroll_area.setWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        for label in self.review_labels:
            self._review_layout.removeWidget(label)
            label.deleteLater()
        self.review_labels = []
        for row in self._rows():
            label = staff_label("healthValue", row.text)
            label.setAccessibleName(row.text)
            set_state(label, "state", row.state)
            self._review_layout.addWidget(label)
            self.review_labels.append(label)

    def look_for_bundles(self) -> None:
        self.status.setText("Looking for content bundles on the drives...")
        self._tasks.run(self._find, self._show_offers, self._failed, owner=self)

    def _show_offers(self, offers: list[BundleOffer]) -> None:
        for button in self.offer_buttons:
            button.deleteLater()
        self.offer_buttons = []
        while self._offers_layout.count():
            item = self._offers_layout.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        if not offers:
            self.status.setText("No content bundles (*.bundle) on the drives.")
            return
        self.status.setText(f"{len(offers)} bundle(s) found.")
        for offer in offers:
            self._offers_layout.addWidget(staff_label("healthValue", describe(offer)))
            if offer.installable and offer.version is not None:
                button = staff_button(
                    f"Install version {offer.version}", "installBundleButton", "primary"
                )
                button.clicked.connect(lambda _=False, o=offer: self._install_offer(o))
                self._offers_layout.addWidget(button)
                self.offer_buttons.append(button)

    def _install_offer(self, offer: BundleOffer) -> None:
        for button in self.offer_buttons:
            button.setEnabled(False)
        self.status.setText(f"Checking and installing {offer.path.name}...")
        set_state(self.status, "state", "working")
        self._tasks.run(
            lambda: self._install(offer.path), self._installed, self._failed, owner=self
        )

    def _installed(self, version: int) -> None:
        self.status.setText(f"Installed version {version}. Patients see it from now on.")
        set_state(self.status, "state", "done")
        self.content_installed.emit(version)

    def _failed(self, error: BaseException) -> None:
        self.status.setText(f"Not installed: {error}")
        set_state(self.status, "state", "error")
        for button in self.offer_buttons:
            button.setEnabled(True)


def describe(offer: BundleOffer) -> str:
    name = offer.path.name
    if offer.version is None:
        return f"{name}: cannot be used ({offer.problem})"
    changes = ", ".join(offer.changes[:8]) or "no topic changes"
    if len(offer.changes) > 8:
        changes += f" and {len(offer.changes) - 8} more"
    head = f"{name}: version {offer.version}, built {offer.built}"
    if offer.problem:
        return f"{head}; {offer.problem}"
    return f"{head}. Changes: {changes}"
