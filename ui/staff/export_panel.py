"""Exports from the kiosk: format, grouping, range and a folder from a touch-friendly list.

Listing folders runs through the TaskRunner; the export itself runs in a child process
(kiosk/stats/export_process.py) that a TaskRunner worker waits for, so neither a slow USB
stick nor openpyxl can hold up the GUI. Staff are told it is done only after the file has
been read back and checked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import Clock
from kiosk.settings import Settings
from kiosk.stats.export import (
    ExportFailed,
    ExportFolder,
    ExportResult,
    default_file_name,
    export_folders,
)
from kiosk.stats.export_process import export_in_child
from kiosk.stats.kinds import ExportFormat, Grouping
from kiosk.stats.queries import DateRange, Statistics
from kiosk.viewlog.store import StorageUnavailable, classify
from ui.common.scrolling import KineticScrollArea
from ui.common.tasks import TaskRunner
from ui.common.widgets import set_state
from ui.staff import ResponsiveGrid, choice_button, staff_button, staff_label
from ui.staff.date_range import RangeChooser

logger = logging.getLogger(__name__)

FORMAT_NAMES = {
    ExportFormat.CSV: "CSV",
    ExportFormat.XLSX: "Excel (XLSX)",
    ExportFormat.JSON: "JSON",
}
GROUPING_NAMES = {Grouping.DAY: "Per day", Grouping.WEEK: "Per week", Grouping.MONTH: "Per month"}

FolderLister = Callable[[], list[ExportFolder]]
# (database URL, range, grouping, format, file, threshold) -> the checked result.
Exporter = Callable[[str, DateRange, Grouping, ExportFormat, Path, int], ExportResult]
Choice = TypeVar("Choice")


def privacy_note(threshold: int) -> str:
    """What the file does to small counts, in words for staff (docs/statistics-privacy.md)."""
    if threshold <= 0:
        return "Exact counts: small counts are not hidden (staff.small_count_threshold is off)."
    note = (
        "Each day's count of each topic is changed by up to 2, the same way in every export, "
        "so that no set of exports can give a small count away."
    )
    if threshold > 1:
        note += (
            f' Counts from 1 to {threshold - 1} are then shown as "<{threshold}", and a few '
            'more are marked "suppressed".'
        )
    return note


class ExportPanel(QWidget):
    """Choose, export, and report the checked result (or why it failed)."""

    export_finished = Signal(object)  # ExportResult
    export_failed = Signal(str)
    folders_listed = Signal(list)

    def __init__(
        self,
        statistics: Statistics,
        tasks: TaskRunner,
        settings: Settings,
        clock: Clock,
        list_folders: FolderLister | None = None,
        exporter: Exporter = export_in_child,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffExport")
        self._statistics = statistics
        self._tasks = tasks
        self._threshold = settings.small_count_threshold
        self._list_folders = list_folders or partial(export_folders, settings.export_folder)
        self._exporter = exporter
        self._folders: list[ExportFolder] = []
        self._busy = False

        self.formats = self._choices(
            {f: (text, f"exportFormat_{f}") for f, text in FORMAT_NAMES.items()}
        )
        self.groupings = self._choices(
            {g: (text, f"exportBy_{g}") for g, text in GROUPING_NAMES.items()}
        )
        self.formats[ExportFormat.CSV].setChecked(True)
        self.groupings[Grouping.DAY].setChecked(True)
        self.range = RangeChooser(clock, "exportRange")

        self.folder_group = QButtonGroup(self)
        self.folder_group.setExclusive(True)
        self.folder_buttons: list[QPushButton] = []
        self.folder_list = QVBoxLayout()
        self.refresh_button = staff_button(
            "Look for drives again", "exportRefreshFolders", "secondary", "Look for USB drives"
        )
        self.refresh_button.clicked.connect(self.refresh_folders)
        self.export_button = staff_button("Export", "exportButton", "primary", "Write the export")
        self.export_button.clicked.connect(self.start_export)
        self.status = staff_label("exportStatus")
        self.privacy_note = staff_label("exportNote", privacy_note(settings.small_count_threshold))

        # Two cards: what goes in the file, and where it goes. Side by side on a wide
        # screen, one under the other on a narrow one, where the page scrolls.
        what = QFrame()
        what.setObjectName("exportCard")
        what_layout = QVBoxLayout(what)
        what_layout.addWidget(staff_label("exportHeading", "File format"))
        what_layout.addLayout(self._row(self.formats.values()))
        what_layout.addWidget(staff_label("exportHeading", "One row per topic"))
        what_layout.addLayout(self._row(self.groupings.values()))
        what_layout.addWidget(staff_label("exportHeading", "Dates"))
        what_layout.addWidget(self.range)
        what_layout.addStretch(1)
        where = QFrame()
        where.setObjectName("exportCard")
        where_layout = QVBoxLayout(where)
        where_layout.addWidget(staff_label("exportHeading", "Save to"))
        where_layout.addLayout(self.folder_list)
        where_layout.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignLeft)
        where_layout.addWidget(self.privacy_note)
        where_layout.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignLeft)
        where_layout.addWidget(self.status)
        where_layout.addStretch(1)
        for card_layout in (what_layout, where_layout):
            card_layout.setContentsMargins(24, 16, 24, 20)
            card_layout.setSpacing(12)
        cards = ResponsiveGrid("exportCards", min_width=760, max_columns=2)
        cards.add(what)
        cards.add(where)
        page = QWidget()
        page.setObjectName("exportPage")
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 8, 16)
        page_layout.addWidget(cards)
        page_layout.addStretch(1)
        self.scroll_area = KineticScrollArea()
        self.scroll_area.setObjectName("exportScroll")
        self.scroll_area.setWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        self._update_button()

    def _choices(self, names: dict[Choice, tuple[str, str]]) -> dict[Choice, QPushButton]:
        group = QButtonGroup(self)
        group.setExclusive(True)
        buttons = {}
        for key, (text, name) in names.items():
            button = choice_button(text, name)
            group.addButton(button)
            buttons[key] = button
        return buttons

    @staticmethod
    def _row(buttons: Iterable[QPushButton]) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(12)
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        return row

    # --- folders ---

    def refresh_folders(self) -> None:
        self.refresh_button.setEnabled(False)
        self._tasks.run(self._list_folders, self._show_folders, self._folders_failed, owner=self)

    def _show_folders(self, folders: list[ExportFolder]) -> None:
        self.refresh_button.setEnabled(True)
        chosen = self.chosen_folder
        for button in self.folder_buttons:
            self.folder_group.removeButton(button)
            self.folder_list.removeWidget(button)
            button.deleteLater()
        self._folders = folders
        self.folder_buttons = []
        for index, folder in enumerate(folders):
            button = choice_button(folder.label, f"exportFolder{index}")
            button.setProperty("removable", folder.removable)
            button.setAccessibleDescription(str(folder.path))
            button.clicked.connect(self._update_button)
            self.folder_group.addButton(button)
            self.folder_list.addWidget(button)
            self.folder_buttons.append(button)
            if chosen is not None and folder.path == chosen.path:
                button.setChecked(True)
        if len(folders) == 1:
            self.folder_buttons[0].setChecked(True)
        if not folders:
            self._say("warning", "No USB drive or export folder found. Plug in a drive.")
        elif self.status.property("state") == "warning":
            self._say("", "")  # a drive was plugged in: the old warning no longer holds
        self._update_button()
        self.folders_listed.emit(folders)

    def _folders_failed(self, error: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        logger.error("listing export folders failed", exc_info=error)
        self._say("error", "Could not look for drives.")

    @property
    def chosen_folder(self) -> ExportFolder | None:
        for button, folder in zip(self.folder_buttons, self._folders, strict=True):
            if button.isChecked():
                return folder
        return None

    # --- exporting ---

    def start_export(self) -> None:
        folder = self.chosen_folder
        if folder is None or self._busy:
            return
        fmt = next(f for f, b in self.formats.items() if b.isChecked())
        by = next(g for g, b in self.groupings.items() if b.isChecked())
        span = self.range.current
        target = folder.path / default_file_name(span, by, fmt)
        url, threshold, exporter = self._statistics.url, self._threshold, self._exporter
        self._busy = True
        self._update_button()
        self._say("working", f"Writing {target.name}\u2026")
        self._tasks.run(
            lambda: exporter(url, span, by, fmt, target, threshold),
            self._exported,
            self._failed,
            owner=self,
        )

    def _exported(self, result: ExportResult) -> None:
        self._busy = False
        self._update_button()
        left_out = (
            f" Left out (too few views to show safely): {', '.join(result.left_out)}."
            if result.left_out
            else ""
        )
        self._say(
            "done",
            f"Saved and checked: {result.path} ({result.rows} rows). "
            f"{result.small_cells + result.secondary_cells} small counts hidden.{left_out}",
        )
        self.export_finished.emit(result)

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self._update_button()
        if isinstance(error, ExportFailed):
            text = f"Not saved: {error}."
            logger.warning("export failed: %s", error)
        elif classify(error) is StorageUnavailable:
            text = f"Not saved: the statistics cannot be read just now ({error})."
            logger.warning("export failed: %s", error)
        else:
            text = "Not saved: something went wrong; the problem has been logged."
            logger.error("export failed", exc_info=error)
        self._say("error", text)
        self.export_failed.emit(text)

    def _update_button(self) -> None:
        self.export_button.setEnabled(not self._busy and self.chosen_folder is not None)

    def _say(self, state: str, text: str) -> None:
        self.status.setText(text)
        self.status.setAccessibleName(text)
        set_state(self.status, "state", state)
