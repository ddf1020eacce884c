"""Choosing a date range by touch: presets, or two big-button date steppers (no keyboard)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import Clock
from kiosk.stats.queries import DateRange
from ui.common.flow_layout import FlowLayout
from ui.staff import choice_button, staff_button, staff_label

EARLIEST_YEARS = 5
PRESETS = (("today", "Today", 1), ("week", "Last 7 days", 7), ("month", "Last 30 days", 30))


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of shorter months."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


class DateStepper(QWidget):
    """A date with big buttons for a day or a month back and forward."""

    changed = Signal(object)  # date

    def __init__(self, caption: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setProperty("role", "dateStepper")
        self._day = date(2000, 1, 1)
        self._earliest = date.min
        self._latest = date.max
        self.caption = staff_label("dateCaption", caption)
        self.caption.setWordWrap(False)
        self.shown = staff_label("dateValue")
        self.shown.setWordWrap(False)
        self.shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        steps = (
            ("\u00ab Month", -1, 0, "previous month"),
            ("\u2039 Day", 0, -1, "previous day"),
            ("Day \u203a", 0, 1, "next day"),
            ("Month \u00bb", 1, 0, "next month"),
        )
        self.buttons = []
        # The caption leads the row rather than standing above it: one row per date keeps
        # the dashboard's charts in view at 800 px high.
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        row.addWidget(self.caption)
        for index, (text, months, days, spoken) in enumerate(steps):
            button = staff_button(
                text, f"{object_name}Step{index}", "stepper", f"{caption}: {spoken}"
            )
            button.clicked.connect(lambda _=False, m=months, d=days: self.step(m, d))
            self.buttons.append(button)
            row.addWidget(button)
            if index == 1:
                row.addWidget(self.shown)

    @property
    def value(self) -> date:
        return self._day

    def set_limits(self, earliest: date, latest: date) -> None:
        self._earliest, self._latest = earliest, latest
        self.set_value(self._day)

    def set_value(self, day: date) -> None:
        day = min(max(day, self._earliest), self._latest)
        changed = day != self._day
        self._day = day
        self.shown.setText(day.strftime("%a %d %b %Y"))
        self.shown.setAccessibleName(f"{self.caption.text()} {day.isoformat()}")
        self.buttons[0].setEnabled(day > self._earliest)
        self.buttons[1].setEnabled(day > self._earliest)
        self.buttons[2].setEnabled(day < self._latest)
        self.buttons[3].setEnabled(day < self._latest)
        if changed:
            self.changed.emit(day)

    def step(self, months: int, days: int) -> None:
        self.set_value(add_months(self._day, months) + timedelta(days=days))


class RangeChooser(QWidget):
    """Today, last 7 days, last 30 days, or custom dates; emits the chosen DateRange."""

    range_chosen = Signal(object)  # DateRange

    def __init__(self, clock: Clock, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self._clock = clock
        self._range = DateRange.last_days(clock.now().date(), 7)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.presets = {}
        row = QHBoxLayout()
        row.setSpacing(12)
        for key, text, _days in PRESETS:
            button = choice_button(text, f"{object_name}_{key}")
            button.clicked.connect(lambda _=False, k=key: self.choose(k))
            self._group.addButton(button)
            self.presets[key] = button
            row.addWidget(button)
        self.custom_button = choice_button("Choose dates", f"{object_name}_custom")
        self.custom_button.clicked.connect(self._open_custom)
        self._group.addButton(self.custom_button)
        row.addWidget(self.custom_button)
        row.addStretch(1)

        self.custom = QFrame()
        self.custom.setObjectName("rangeDates")
        self.start = DateStepper("From", f"{object_name}_from")
        self.end = DateStepper("To", f"{object_name}_to")
        self.apply_button = staff_button(
            "Show these dates", f"{object_name}_apply", "primary", "Use the chosen dates"
        )
        self.apply_button.clicked.connect(self._apply_custom)
        self.problem = staff_label("rangeProblem")
        self.problem.setVisible(False)
        # The two dates and the button flow like words: one row on a wide screen, two or
        # three on a narrow one or with large text, never squeezed.
        flow_host = QWidget()
        flow_host.setObjectName(f"{object_name}_flow")
        flow = FlowLayout(flow_host, spacing=16)
        for widget in (self.start, self.end, self.apply_button):
            flow.add(widget)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        flow_host.setSizePolicy(policy)
        custom = QVBoxLayout(self.custom)
        custom.setContentsMargins(16, 12, 16, 12)
        custom.setSpacing(10)
        custom.addWidget(flow_host)
        custom.addWidget(self.problem)
        self.custom.setVisible(False)
        self.start.changed.connect(self._check_custom)
        self.end.changed.connect(self._check_custom)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addLayout(row)
        layout.addWidget(self.custom)
        self.presets["week"].setChecked(True)

    @property
    def current(self) -> DateRange:
        return self._range

    def choose(self, key: str) -> None:
        """Pick a preset ("today", "week", "month") and announce the range."""
        days = {k: n for k, _, n in PRESETS}[key]
        self.presets[key].setChecked(True)
        self.custom.setVisible(False)
        self._set(DateRange.last_days(self._clock.now().date(), days))

    def choose_dates(self, start: date, end: date) -> None:
        """Pick custom dates as the steppers would (used by the steppers' apply and tests)."""
        self._open_custom()
        self.start.set_value(start)
        self.end.set_value(end)
        self._apply_custom()

    def _open_custom(self) -> None:
        today = self._clock.now().date()
        earliest = add_months(today, -12 * EARLIEST_YEARS)
        self.custom_button.setChecked(True)
        for stepper in (self.start, self.end):
            stepper.set_limits(earliest, today)
        self.start.set_value(self._range.start)
        self.end.set_value(self._range.end)
        self.custom.setVisible(True)
        self._check_custom()

    def _check_custom(self, _day: object = None) -> None:
        backwards = self.start.value > self.end.value
        self.problem.setText("The first day is after the last day." if backwards else "")
        self.problem.setVisible(backwards)
        self.apply_button.setEnabled(not backwards)

    def _apply_custom(self) -> None:
        if self.start.value <= self.end.value:
            self._set(DateRange(self.start.value, self.end.value))

    def _set(self, span: DateRange) -> None:
        self._range = span
        self.range_chosen.emit(span)
