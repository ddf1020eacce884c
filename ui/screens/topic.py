"""A topic: its title, the reader, and large buttons back home or to the next topic."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QLocale, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.content.model import Pack, Topic
from kiosk.content.review import ReviewCalendar, ReviewState
from ui.common.icons import IconSet
from ui.common.theme import ThemeApplier
from ui.common.widgets import label_button, set_icon, touch_button, wrapping_label
from ui.read_aloud.bar import ReadAloudBar
from ui.read_aloud.readable import Readable, ReadableLabel
from ui.screens.reader import TopicReader


class TopicScreen(QWidget):
    home_requested = Signal()
    topic_requested = Signal(str)
    # Steering read-aloud (ui/read_aloud/wiring.py, Steerable).
    read_from_requested = Signal(object, int)  # a readable tapped, the position in its text
    scrolled_by_user = Signal()
    back_to_place_requested = Signal()

    def __init__(
        self,
        icons: IconSet,
        theme: ThemeApplier,
        review: ReviewCalendar,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._review = review
        self.setProperty("role", "screen")
        self.setObjectName("topicScreen")
        self._icons = icons
        self._theme = theme
        self._pack: Pack | None = None
        self.topic: Topic | None = None
        self._previous_id = ""
        self._next_id = ""

        self.title = ReadableLabel("topicTitle", self)
        self.review = wrapping_label("reviewStatus", self)
        self.review.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.read_bar = ReadAloudBar(icons, theme, parent=self)
        self.reader = TopicReader(icons, theme, self)

        self.home = touch_button("secondary", self, "homeButton")
        self.previous = touch_button("secondary", self, "previousButton")
        self.next = touch_button("primary", self, "nextButton")
        for button in (self.home, self.previous, self.next):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setProperty("chrome", "compact")  # 56 px targets, little padding
        self.home.clicked.connect(self.home_requested)
        self.previous.clicked.connect(lambda: self.topic_requested.emit(self._previous_id))
        self.next.clicked.connect(lambda: self.topic_requested.emit(self._next_id))

        # The title scrolls with the text (in large text on a small screen, a fixed title
        # left too little room to read); the read-aloud controls stay put, so Pause and
        # Stop are always in reach while the page scrolls to follow the voice.
        heading = QWidget()
        heading.setObjectName("topicHeading")
        title_row = QHBoxLayout(heading)
        title_row.setContentsMargins(0, 0, 0, 0)
        title_row.setSpacing(16)
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.review, 0, Qt.AlignmentFlag.AlignTop)
        self.reader.set_heading(heading)
        nav = QHBoxLayout()
        nav.setSpacing(14)
        nav.addWidget(self.home, 1)
        nav.addStretch(0)
        nav.addWidget(self.previous, 1)
        nav.addWidget(self.next, 1)

        layout = QVBoxLayout(self)
        # Tight around the reader: in large text on a small screen every row of chrome
        # is a row of text the patient cannot see.
        layout.setContentsMargins(24, 8, 24, 8)
        layout.setSpacing(8)
        layout.addWidget(self.read_bar)
        layout.addWidget(self.reader, 1)
        layout.addLayout(nav)
        self._build_back_to_place()
        self.retranslate()

    # -- "Back to where I'm listening": the page left to the patient's hand while reading ----

    def _build_back_to_place(self) -> None:
        self.reader.text_tapped.connect(self.read_from_requested)
        self.reader.scrolled_by_user.connect(self.scrolled_by_user)
        # Floats over the foot of the text, where the finger that scrolled away still is.
        self.back_to_place = touch_button("primary", self, "backToPlaceButton")
        self.back_to_place.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.back_to_place.clicked.connect(self.back_to_place_requested)
        self.back_to_place.hide()

    def show_place_left(self, left: bool) -> None:
        self.back_to_place.setVisible(left)
        if left:
            self._place_back_to_place()
            self.back_to_place.raise_()

    def _place_back_to_place(self) -> None:
        button, area = self.back_to_place, self.reader.geometry()
        button.adjustSize()
        width = min(button.sizeHint().width(), area.width() - 24)
        height = button.sizeHint().height()
        button.setGeometry(
            area.center().x() - width // 2, area.bottom() - height - 20, width, height
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.back_to_place.isVisible():
            self._place_back_to_place()

    def show_topic(self, pack: Pack, topic: Topic, ticks: tuple[int, ...] = ()) -> None:
        self._pack, self.topic = pack, topic
        self.title.set_plain(topic.title)
        self.reader.show_topic(topic, pack.care_team_prompt, ticks)
        before, after = pack.neighbours(topic.id)
        self._previous_id = before.id if before else ""
        self._next_id = after.id if after else ""
        self.previous.setVisible(before is not None)
        self.next.setVisible(after is not None)
        self.retranslate()
        self.refresh_style()

    def refresh_style(self) -> None:
        # Smaller than other button icons: three nav buttons share the width, and the label
        # ("Todos los temas" at 200%) must fit beside it.
        size = round(self._theme.book.sizes[self._theme.text_size]["button"] * 1.6)
        dark = self._theme.colour("secondary_text")
        light = self._theme.colour("accent_text")
        set_icon(self.home, self._icons.icon("house", dark, size), size)
        set_icon(self.previous, self._icons.icon("arrow-left", dark, size), size)
        set_icon(self.next, self._icons.icon("arrow-right", light, size), size)
        set_icon(self.back_to_place, self._icons.icon("volume-2", light, size), size)
        self.read_bar.refresh_icons()
        self.reader.refresh_style()

    def retranslate(self) -> None:
        label_button(self.home, self.tr("All topics"), self.tr("Back to the list of topics"))
        label_button(self.previous, self.tr("Previous"), self._neighbour_title(self._previous_id))
        label_button(self.next, self.tr("Next"), self._neighbour_title(self._next_id))
        label_button(
            self.back_to_place,
            self.tr("Back to where I'm listening"),
            self.tr("Shows the sentence being read again, and follows it"),
        )
        topic = self.topic
        if topic is None:
            return
        status = self._review_note(topic)
        self.review.setText(status)
        self.review.setAccessibleName(status)

    def _review_note(self, topic: Topic) -> str:
        """The NHS pattern: when the page was checked, and when it will be checked next."""
        state = self._review.state(topic)
        due = self._review.next_review(topic)
        if state is ReviewState.DRAFT or due is None:
            return self.tr("Awaiting clinical review")
        if state is ReviewState.EXPIRED:
            return self.tr(
                "Checked {checked} · Check overdue: this page may be out of date"
            ).format(checked=self._date(topic.last_reviewed))
        return self.tr("Checked {checked} · Next check {due}").format(
            checked=self._date(topic.last_reviewed), due=self._date(due)
        )

    def _date(self, day: date) -> str:
        language = self._pack.language if self._pack else "en"
        # Translators: a Qt date format; Spanish writes "1 de diciembre de 2026".
        form = self.tr("MMMM d, yyyy")
        return QLocale(language).toString(QDate(day.year, day.month, day.day), form)

    def readables(self) -> list[Readable]:
        """What read-aloud reads here, in order: the title, then the text on the page."""
        return [self.title, *self.reader.readables()]

    def _neighbour_title(self, topic_id: str) -> str:
        topic = self._pack.topic(topic_id) if self._pack and topic_id else None
        return topic.title if topic else ""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
