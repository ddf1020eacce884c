"""A large on-screen PIN pad. Checking runs off the GUI thread: scrypt takes ~0.4 s."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.clock import Clock
from kiosk.staff.pin import (
    FREE_ATTEMPTS,
    MAX_DIGITS,
    MIN_DIGITS,
    PinCheck,
    PinState,
    PinStatus,
    PinStore,
)
from ui.common.scrolling import KineticScrollArea
from ui.common.tasks import TaskRunner
from ui.common.widgets import set_state
from ui.staff import PIN_KEY, staff_button, staff_label

logger = logging.getLogger(__name__)

MASK = "\u25cf"  # a filled circle per digit typed
NOT_SET_TEXT = "No staff PIN is set up. Set one on this computer with:"
DAMAGED_TEXT = "The staff PIN file is damaged. Set the PIN again with:"


# The longest texts the message shows above the keypad (the countdown at its widest, the
# wrong PIN with its tries left): the room it keeps is the tallest of them.
KEYPAD_MESSAGES = (
    "Enter the staff PIN.",
    f"The PIN has at least {MIN_DIGITS} digits.",
    f"That PIN is not right. {FREE_ATTEMPTS - 1} more tries before a wait.",
    "The PIN could not be checked. Please try again.",
    "Too many wrong PINs. Try again in 59 min 59 s.",
)
MESSAGE_LINES = 2


def set_pin_command(store: PinStore) -> str:
    """The command that sets this kiosk's PIN: with its data folder, which a deployed kiosk
    moves (deploy/README.md), so the PIN lands where the kiosk reads it."""
    return f"python main.py staff set-pin --data-dir {store.pin_file.parent}"


def format_wait(seconds: int) -> str:
    minutes, seconds = divmod(max(0, seconds), 60)
    if minutes and seconds:
        return f"{minutes} min {seconds} s"
    return f"{minutes} min" if minutes else f"{seconds} s"


class PinPad(QWidget):
    """Digits, delete, OK and cancel. Emits `unlocked` after a right PIN."""

    unlocked = Signal()
    cancelled = Signal()

    def __init__(
        self, store: PinStore, tasks: TaskRunner, clock: Clock, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pinPad")
        self._store = store
        self._tasks = tasks
        self._clock = clock
        self._digits = ""
        self._busy = False
        self._ready = False
        self._wait_until: float | None = None
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self._tick)

        self.title = staff_label("pinTitle", "Staff PIN")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display = staff_label("pinDisplay")
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setAccessibleName("PIN entered")
        self.message = staff_label("pinMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The message takes the card's width and never widens it, and keeps the height of
        # its longest text above the keypad (two lines at least) whatever it says now: a
        # message that wrapped onto a new line moved every key under a finger about to tap.
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.message.installEventFilter(self)

        self.keys: list[QPushButton] = []
        self.keypad = QWidget()
        self.keypad.setObjectName("pinKeypad")
        grid = QGridLayout(self.keypad)
        grid.setContentsMargins(0, 4, 0, 4)
        grid.setSpacing(12)
        for digit in range(10):
            key = staff_button(str(digit), f"pinKey{digit}", "pinKey", f"Digit {digit}")
            key.setMinimumSize(PIN_KEY, PIN_KEY)
            key.clicked.connect(lambda _=False, d=str(digit): self.press(d))
            self.keys.append(key)
            row, column = (3, 1) if digit == 0 else divmod(digit - 1, 3)
            grid.addWidget(key, row, column)
        self.delete_key = staff_button("\u232b", "pinDelete", "pinKey", "Delete last digit")
        self.delete_key.setMinimumSize(PIN_KEY, PIN_KEY)
        self.delete_key.clicked.connect(self.delete)
        grid.addWidget(self.delete_key, 3, 0)
        self.ok_key = staff_button("OK", "pinOk", "primary", "Check PIN")
        self.ok_key.setMinimumSize(PIN_KEY, PIN_KEY)
        self.ok_key.clicked.connect(self.submit)
        grid.addWidget(self.ok_key, 3, 2)
        self.cancel_button = staff_button("Cancel", "pinCancel", "secondary", "Cancel")
        self.cancel_button.clicked.connect(self._cancel)

        # Everything sits on one card in the middle of the screen, as the pop-ups do.
        card = QFrame()
        card.setObjectName("pinCard")
        card.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(40, 18, 40, 18)
        card_layout.setSpacing(10)
        card_layout.addWidget(self.title)
        card_layout.addWidget(self.display)
        card_layout.addWidget(self.message)
        card_layout.addWidget(self.keypad, 0, Qt.AlignmentFlag.AlignHCenter)
        card_layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignHCenter)
        page = QWidget()
        page.setObjectName("pinPage")
        # Centred by stretches, not by alignment: an aligned item gets its size hint's
        # height, too short for the wrapped "no PIN" message (no height-for-width).
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(card)
        centred.addStretch(1)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(12, 12, 12, 12)
        page_layout.addStretch(1)
        page_layout.addLayout(centred)
        page_layout.addStretch(1)
        # The card fits 1280x800 even with large text; on anything smaller it scrolls
        # rather than losing its lower keys off the screen.
        self.scroll_area = KineticScrollArea()
        self.scroll_area.setObjectName("pinScroll")
        self.scroll_area.setWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        self._show_digits()
        self._enable(False)
        self._show_keypad(False)

    # --- what staff do ---

    def reset(self) -> None:
        """Clear the entry and look up whether a PIN is set and whether a wait is running."""
        self._digits = ""
        self._show_digits()
        self._say("checking", "Checking\u2026")
        self._enable(False)
        self._busy = True
        self._tasks.run(self._store.status, self._status_known, self._error, owner=self)

    def press(self, digit: str) -> None:
        if not self._ready or self._busy or len(self._digits) >= MAX_DIGITS:
            return
        self._digits += digit
        self._show_digits()

    def delete(self) -> None:
        self._digits = self._digits[:-1]
        self._show_digits()

    def submit(self) -> None:
        if not self._ready or self._busy:
            return
        if len(self._digits) < MIN_DIGITS:
            self._say("error", f"The PIN has at least {MIN_DIGITS} digits.")
            return
        pin, self._digits = self._digits, ""
        self._show_digits()
        self._busy = True
        self._enable(False)
        self._say("checking", "Checking\u2026")
        self._tasks.run(lambda: self._store.verify(pin), self._checked, self._error, owner=self)

    def clear(self) -> None:
        """Forget any typed digits (when the staff area closes)."""
        self._digits = ""
        self._show_digits()
        self.countdown.stop()

    @property
    def entered(self) -> int:
        return len(self._digits)

    # --- results from the worker ---

    def _status_known(self, status: PinStatus) -> None:
        self._busy = False
        if status.state is PinState.THROTTLED:
            self._throttle(status.wait_seconds)
        else:
            self._show_state(status.state)

    def _checked(self, check: PinCheck) -> None:
        self._busy = False
        if check.ok:
            self._say("unlocked", "")
            self._enable(False)
            self._ready = False
            self.unlocked.emit()
            return
        if check.state is PinState.THROTTLED:
            self._throttle(check.wait_seconds)
        elif check.state is PinState.READY:
            left = FREE_ATTEMPTS - check.failures
            more = f" {left} more tries before a wait." if 0 < left < FREE_ATTEMPTS else ""
            self._ready = True
            self._enable(True)
            self._say("error", "That PIN is not right." + more)
        else:
            self._show_state(check.state)

    def _error(self, error: BaseException) -> None:
        self._busy = False
        logger.error("staff PIN check failed", exc_info=error)
        self._ready = True
        self._enable(True)
        self._say("error", "The PIN could not be checked. Please try again.")

    # --- display ---

    def _show_state(self, state: PinState) -> None:
        self._ready = state is PinState.READY
        self._enable(self._ready)
        # Without a usable PIN the pad has nothing to take: the card says why and offers
        # only a way out (issue 6: "until one is set, the hidden entry only says that").
        self._show_keypad(state is PinState.READY)
        if state is PinState.NOT_SET:
            self._say("notSet", f"{NOT_SET_TEXT} {set_pin_command(self._store)}")
        elif state is PinState.DAMAGED:
            self._say("error", f"{DAMAGED_TEXT} {set_pin_command(self._store)}")
        else:
            self._say("ready", "Enter the staff PIN.")

    def _throttle(self, seconds: int) -> None:
        self._ready = False
        self._enable(False)
        self._show_keypad(True)
        self._wait_until = self._clock.monotonic() + seconds
        self.countdown.start()
        self._tick()

    def _tick(self) -> None:
        if self._wait_until is None:
            self.countdown.stop()
            return
        left = int(self._wait_until - self._clock.monotonic() + 0.999)
        if left > 0:
            self._say("throttled", f"Too many wrong PINs. Try again in {format_wait(left)}.")
            return
        self._wait_until = None
        self.countdown.stop()
        self.reset()

    def _say(self, state: str, text: str) -> None:
        self.message.setText(text)
        if not self.keypad.isVisibleTo(self):
            self._reserve_message_room()  # the message is all the card shows: fit it
        self.message.setAccessibleName(text or "PIN pad")
        set_state(self.message, "state", state)
        set_state(self, "state", state)

    def _show_digits(self) -> None:
        self.display.setText(" ".join(MASK * len(self._digits)) or " ")
        self.display.setAccessibleDescription(f"{len(self._digits)} digits entered")
        self.ok_key.setEnabled(self._ready and not self._busy and len(self._digits) >= MIN_DIGITS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.message and event.type() in (
            QEvent.Type.Resize,
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
        ):
            self._reserve_message_room()
        return False

    def _reserve_message_room(self) -> None:
        """Fix the message's height: the tallest text it can show above the keypad, or,
        without a keypad (no PIN set), the text it shows."""
        label = self.message
        width = max(label.contentsRect().width(), 1)
        flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        metrics = label.fontMetrics()
        texts = KEYPAD_MESSAGES if self.keypad.isVisibleTo(self) else (label.text(),)
        tallest = max(
            metrics.boundingRect(QRect(0, 0, width, 0), flags, text).height() for text in texts
        )
        margins = label.contentsMargins()
        height = max(MESSAGE_LINES * metrics.lineSpacing(), tallest)
        height += margins.top() + margins.bottom()
        if label.height() != height or label.minimumHeight() != height:
            label.setFixedHeight(height)

    def _show_keypad(self, shown: bool) -> None:
        for widget in (self.title, self.display, self.keypad):
            widget.setVisible(shown)
        # Above the keypad the message follows the keypad's width; without one (no PIN
        # set) it is what the card shows, and sets the card's width itself.
        wide = QSizePolicy.Policy.Ignored if shown else QSizePolicy.Policy.Preferred
        self.message.setSizePolicy(wide, QSizePolicy.Policy.Fixed)
        self._reserve_message_room()
        text = "Cancel" if shown else "Close"
        self.cancel_button.setText(text)
        self.cancel_button.setAccessibleName(text)

    def _enable(self, enabled: bool) -> None:
        for key in [*self.keys, self.delete_key]:
            key.setEnabled(enabled)
        self._show_digits()

    def _cancel(self) -> None:
        self.clear()
        self.cancelled.emit()
