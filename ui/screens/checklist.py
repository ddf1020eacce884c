"""Questions to ask your care team: tick them, then take them home as a QR code or on paper.

The QR code holds the ticked questions as plain text (with the clinic's name, phone number and
the date, so the list still makes sense at home), so any phone camera shows them with no
network and nothing stored anywhere. The visit holds the ticks (by place in the list, so they
survive a language switch) until the visitor leaves; the rows are built once per list and
reused, so coming back to the page costs no widgets.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QDate, QEvent, QLocale, QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ui.common.icons import IconSet
from ui.common.theme import ThemeApplier
from ui.common.widgets import (
    FOCUS,
    LayoutButton,
    label_button,
    set_icon,
    set_state,
    touch_button,
    wrapping_label,
)
from ui.screens.overlay import MessageCard

# Lists whose rows are kept for reuse: one per language is the usual case.
KEPT_LISTS = 4


class CheckRow(LayoutButton):
    """One question: a large tickable row whose text wraps (a QCheckBox's cannot)."""

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.setCheckable(True)
        self.setProperty("role", "check")
        self.setObjectName("checkRow")
        self.setFocusPolicy(FOCUS)
        self.setAutoDefault(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.box = QLabel(self)
        self.box.setObjectName("checkBox")
        self.text_label = wrapping_label("checkText", self)
        self.text_label.setText(question)
        for child in (self.box, self.text_label):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        grid = QGridLayout(self)
        grid.setContentsMargins(14, 10, 14, 10)
        grid.setHorizontalSpacing(14)
        grid.addWidget(self.box, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.text_label, 0, 1)
        grid.setColumnStretch(1, 1)
        self.setAccessibleName(question)
        self.toggled.connect(self._toggled)
        self.box_key: tuple[object, ...] = ()  # what the box's pixmap shows now

    def set_ticked(self, on: bool) -> None:
        """Tick or untick without reporting it (the visit already knows)."""
        self.blockSignals(True)
        self.setChecked(on)
        self.blockSignals(False)
        self._toggled(on)

    def _toggled(self, on: bool) -> None:
        set_state(self, "ticked", "true" if on else "false")


class ChecklistView(QWidget):
    take_home_requested = Signal(str, tuple)  # the list's heading, the questions ticked
    print_requested = Signal(str, str)  # a title for the print job, the text
    ticks_changed = Signal(tuple)  # the visitor ticked or unticked: the places ticked

    def __init__(self, icons: IconSet, theme: ThemeApplier, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklist")
        self._icons = icons
        self._theme = theme
        self.rows: list[CheckRow] = []
        # Rows built for each list shown (oldest first), hidden while another list shows.
        self._kept: dict[tuple[str, ...], list[CheckRow]] = {}
        self.heading = ""
        self._rows_layout = QVBoxLayout()
        self._rows_layout.setSpacing(10)
        self.take_home = touch_button("primary", self, "takeHomeButton")
        self.print_button = touch_button("secondary", self, "printListButton")
        self.hint = wrapping_label("checklistHint", self)
        for button in (self.take_home, self.print_button):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.take_home.clicked.connect(
            lambda: self.take_home_requested.emit(self.heading, tuple(self.ticked()))
        )
        self.print_button.clicked.connect(
            lambda: self.print_requested.emit(self.heading, self.text())
        )
        self.print_button.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addLayout(self._rows_layout)
        layout.addWidget(self.hint)
        layout.addWidget(self.take_home)
        layout.addWidget(self.print_button)
        self.retranslate()

    def show_questions(
        self, heading: str, questions: tuple[str, ...], can_print: bool, ticks: tuple[int, ...]
    ) -> None:
        """Show a list with the visit's ticks; its rows are built only the first time."""
        self.heading = heading
        if [row.question for row in self.rows] != list(questions):
            for row in self.rows:
                row.hide()
            self.rows = self._rows_for(questions)
            for row in self.rows:
                row.show()
        self.print_button.setVisible(can_print)
        self.show_ticks(ticks)

    def _rows_for(self, questions: tuple[str, ...]) -> list[CheckRow]:
        rows = self._kept.pop(questions, None)
        if rows is None:
            rows = [CheckRow(question, self) for question in questions]
            for row in rows:
                row.hide()
                self._rows_layout.addWidget(row)
                row.toggled.connect(self._ticked_by_visitor)
        self._kept[questions] = rows  # the most recent last
        while len(self._kept) > KEPT_LISTS:
            for row in self._kept.pop(next(iter(self._kept))):
                self._rows_layout.removeWidget(row)
                row.deleteLater()
        return rows

    def ticked(self) -> list[str]:
        return [row.question for row in self.rows if row.isChecked()]

    def ticked_places(self) -> tuple[int, ...]:
        return tuple(n for n, row in enumerate(self.rows) if row.isChecked())

    def text(self) -> str:
        """What goes home: the heading and the ticked questions, numbered, as plain text."""
        lines = [f"{n}. {question}" for n, question in enumerate(self.ticked(), 1)]
        return "\n".join([self.heading, "", *lines])

    def show_ticks(self, ticks: tuple[int, ...]) -> None:
        """Show the visit's ticks (none, after a reset) without reporting them back."""
        for n, row in enumerate(self.rows):
            if row.isChecked() != (n in ticks):
                row.set_ticked(n in ticks)
        self._update()

    def refresh_style(self) -> None:
        size = self._theme.book.sizes[self._theme.text_size]["body"] * 2
        colour = self._theme.colour("heading")
        ratio = self.devicePixelRatioF()
        for row in self.rows:
            name = "check" if row.isChecked() else "square"
            key = (name, colour, size, ratio)
            if row.box_key != key:  # most rows are as they were: no new pixmap
                row.box_key = key
                row.box.setPixmap(self._icons.pixmap(name, colour, size, ratio))
        button = self._theme.book.sizes[self._theme.text_size]["button"] * 2
        set_icon(
            self.take_home,
            self._icons.icon("qr-code", self._theme.colour("accent_text"), button),
            button,
        )
        set_icon(
            self.print_button,
            self._icons.icon("printer", self._theme.colour("secondary_text"), button),
            button,
        )

    def _ticked_by_visitor(self) -> None:
        self._update()
        self.ticks_changed.emit(self.ticked_places())

    def _update(self) -> None:
        any_ticked = any(row.isChecked() for row in self.rows)
        self.take_home.setEnabled(any_ticked)
        self.print_button.setEnabled(any_ticked)
        self.hint.setVisible(not any_ticked)
        self.refresh_style()

    def retranslate(self) -> None:
        label_button(
            self.take_home,
            self.tr("Take this list home"),
            self.tr("Shows a code your phone camera can read"),
        )
        label_button(self.print_button, self.tr("Print the list"))
        self.hint.setText(self.tr("Tick at least one question to take the list home."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


QR_PADDING_PX = 16  # QLabel#qrCode's padding in the stylesheet
MIN_MODULE_PX = 3


def qr_pixmap(text: str, target_px: int) -> QPixmap:
    """The text as a QR code, with whole-pixel modules (blurred modules do not scan) of at
    least 3 px: a long list gets a bigger code rather than one a phone cannot resolve."""
    import segno  # on the first QR code, not at start-up (it pulls in urllib and email)

    code = segno.make(text, error="m", micro=False)
    modules = code.symbol_size(scale=1, border=4)[0]
    scale = max(MIN_MODULE_PX, target_px // modules)
    data = io.BytesIO()
    code.save(data, kind="png", scale=scale, border=4)
    pixmap = QPixmap()
    pixmap.loadFromData(data.getvalue(), "PNG")
    return pixmap


class QrCard(MessageCard):
    """The ticked questions as a QR code: point a phone camera at it. The card lists what the
    code holds, so the patient can check it before walking away."""

    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("qrCard", parent)
        self.code = QLabel(self)
        self.code.setObjectName("qrCode")
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Beside the words, not under them: a landscape screen has more width than height.
        self.row.insertWidget(0, self.code, 0, Qt.AlignmentFlag.AlignVCenter)
        self.close_button = self.add_button("qrClose")
        self.close_button.clicked.connect(self.close_requested)
        self.payload = ""
        self.questions: tuple[str, ...] = ()
        self._heading = ""
        self._language = "en"
        self._clinic_name = ""
        self._clinic_phone = ""
        self._today: Callable[[], date] | None = None
        self.retranslate()

    def set_clinic(self, name: str, phone: str, today: Callable[[], date]) -> None:
        """Who to call about the list, and the kiosk's clock for the date on it."""
        self._clinic_name, self._clinic_phone, self._today = name.strip(), phone.strip(), today

    def show_questions(
        self, heading: str, questions: Sequence[str], language: str, room: QSize
    ) -> None:
        """The code for these questions, in a card as tall as `room` allows (the list beside
        the code needs the height more than the instructions do)."""
        self._heading, self.questions, self._language = heading, tuple(questions), language
        self.payload = self.take_home_text()
        # Big enough for a phone across the counter, with about half the card left for words.
        size = min(room.width() // 2, room.height()) - 2 * QR_PADDING_PX
        self.code.setPixmap(qr_pixmap(self.payload, size))
        self.code.setAccessibleName(self.tr("QR code with your questions"))
        self.setMinimumHeight(room.height())
        self.retranslate()

    def take_home_text(self) -> str:
        """Plain text (no URL, no vCard): a phone camera shows it as it is, offline."""
        lines = [self._heading, *self._details(), ""]
        lines += [f"{n}. {question}" for n, question in enumerate(self.questions, 1)]
        return "\n".join(lines)

    def _details(self) -> list[str]:
        lines = [self._clinic_name] if self._clinic_name else []
        if self._clinic_phone:
            lines.append(self.tr("Phone: {number}").format(number=self._clinic_phone))
        if self._today is not None:
            today = self._today()
            lines.append(
                QLocale(self._language).toString(
                    QDate(today.year, today.month, today.day), QLocale.FormatType.LongFormat
                )
            )
        return lines

    def clear(self) -> None:
        self.payload = ""
        self.questions = ()
        self.code.clear()
        self.retranslate()

    def retranslate(self) -> None:
        text = self.tr(
            "Point your phone's camera at the code. Your questions appear on "
            "your phone. Nothing is saved on this kiosk."
        )
        if self.questions:
            listed = "\n".join(f"{n}. {q}" for n, q in enumerate(self.questions, 1))
            text += "\n\n" + self.tr("The code holds:") + "\n" + listed
        self.set_text(self.tr("Take your questions home"), text)
        label_button(self.close_button, self.tr("Close"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
