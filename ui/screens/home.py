"""The home screen: every topic as a large tile, and the crisis tile across the bottom."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.model import CRISIS_TOPIC_ID, Pack
from ui.common.icons import IconSet
from ui.common.scrolling import KineticScrollArea
from ui.common.theme import ThemeApplier
from ui.common.widgets import FOCUS, LayoutButton, is_roomy, repolish, wrapping_label

# The narrowest a tile may be, in average characters of its title font: wide enough that
# most titles fit on one or two lines. Where that does not fit, the grid drops a column.
TILE_TITLE_CHARS = 22
MAX_COLUMNS = 4


class TopicTile(LayoutButton):
    """A large button showing a topic's icon, title and one-line summary."""

    def __init__(self, topic_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.topic_id = topic_id
        self.icon_name = "info"
        self.setProperty("kind", "crisis" if topic_id == CRISIS_TOPIC_ID else "topic")
        self.setObjectName(f"tile-{topic_id}")
        self.setFocusPolicy(FOCUS)
        self.setAutoDefault(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.icon_label = QLabel(self)
        self.icon_label.setObjectName("tileIcon")
        self.title = wrapping_label("tileTitle", self)
        self.summary = wrapping_label("tileSummary", self)
        for child in (self.icon_label, self.title, self.summary):
            # Taps anywhere on the tile belong to the tile.
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        grid = QGridLayout(self)
        grid.setContentsMargins(16, 10, 16, 10)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.icon_label, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.title, 0, 1)
        grid.addWidget(self.summary, 1, 1)
        # Spare height goes below the summary: titles of a row stay in line, whether their
        # summaries take one line or two.
        grid.setRowStretch(2, 1)
        grid.setColumnStretch(1, 1)

    def set_content(self, title: str, summary: str, icon_name: str) -> None:
        self.icon_name = icon_name
        self.title.setText(title)
        self.summary.setText(summary)
        self.setAccessibleName(title)
        self.setAccessibleDescription(summary)


class HomeScreen(QWidget):
    topic_requested = Signal(str)

    def __init__(self, icons: IconSet, theme: ThemeApplier, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "screen")
        self.setObjectName("homeScreen")
        self._icons = icons
        self._theme = theme
        self._tiles: list[TopicTile] = []
        self._columns = 0

        self.welcome = wrapping_label("welcome", self)
        self._grid_host = QWidget()
        self._grid_host.setProperty("role", "screen")
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(12)
        self.scroll_area = KineticScrollArea(self)
        self.scroll_area.setObjectName("homeScroll")
        self.scroll_area.setWidget(self._grid_host)
        # The grid's columns follow the width the tiles really get: the viewport's.
        self.scroll_area.viewport().installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 10, 24, 8)
        layout.setSpacing(8)
        layout.addWidget(self.welcome)
        layout.addWidget(self.scroll_area, 1)
        self.retranslate()

    @property
    def tiles(self) -> list[TopicTile]:
        return list(self._tiles)

    def show_pack(self, pack: Pack) -> None:
        self.welcome.setText(pack.welcome)
        self.welcome.setAccessibleName(pack.welcome)
        wanted = [t.id for t in pack.topics] + [CRISIS_TOPIC_ID]
        if [t.topic_id for t in self._tiles] != wanted:
            for tile in self._tiles:
                tile.deleteLater()
            self._tiles = [TopicTile(topic_id, self._grid_host) for topic_id in wanted]
            for tile in self._tiles:
                tile.clicked.connect(lambda _=False, t=tile: self.topic_requested.emit(t.topic_id))
            self._columns = 0
        for tile, topic in zip(self._tiles, pack.topics, strict=False):
            tile.set_content(topic.tile_title, topic.summary, topic.icon)
        self._tiles[-1].set_content(pack.crisis.title, pack.crisis.summary, "life-buoy")
        self.refresh_style()

    def refresh_style(self) -> None:
        """Icons follow the theme's colours and the text size."""
        key = "tile_title_roomy" if self.property("roomy") else "tile_title"
        size = self._theme.book.sizes[self._theme.text_size][key] * 2
        for tile in self._tiles:
            colour = self._theme.colour("crisis" if tile.topic_id == CRISIS_TOPIC_ID else "heading")
            tile.icon_label.setPixmap(
                self._icons.pixmap(tile.icon_name, colour, size, self.devicePixelRatioF())
            )
        self._columns = 0
        self._relayout()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        resized = watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize
        if resized and not self._update_roomy():  # a change of sizes relays out by itself
            self._relayout()
        return super().eventFilter(watched, event)

    def _update_roomy(self) -> bool:
        """Switch the tiles' text between normal and roomy sizes; True if it changed."""
        roomy = is_roomy(self.scroll_area.viewport().size())
        if bool(self.property("roomy")) == roomy:
            return False
        self.setProperty("roomy", roomy)
        for tile in self._tiles:  # their rules select on this screen's property
            for label in (tile.title, tile.summary):
                repolish(label)
        self.refresh_style()
        return True

    def retranslate(self) -> None:
        # The tiles' page takes the focus (arrow keys scroll it): a screen reader names it.
        self.scroll_area.setAccessibleName(self.tr("Topics"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._columns = 0
            self._relayout()

    def _relayout(self) -> None:
        if not self._tiles:
            return
        sample = self._tiles[0]
        sample.ensurePolished()
        sample.title.ensurePolished()
        layout = sample.layout()
        margins = layout.contentsMargins() if layout is not None else None
        chrome = (margins.left() + margins.right() if margins else 0) + 14
        min_width = (
            TILE_TITLE_CHARS * sample.title.fontMetrics().averageCharWidth()
            + sample.icon_label.sizeHint().width()
            + chrome
        )
        available = self.scroll_area.viewport().width()
        columns = max(1, min(MAX_COLUMNS, available // max(1, min_width)))
        if columns == self._columns:
            return
        self._columns = columns
        while self._grid.count():
            self._grid.takeAt(0)
        topics = self._tiles[:-1]
        for i, tile in enumerate(topics):
            self._grid.addWidget(tile, i // columns, i % columns)
        last_row = (len(topics) + columns - 1) // columns
        self._grid.addWidget(self._tiles[-1], last_row, 0, 1, columns)
        # Topic rows share the spare height; the crisis row keeps its natural height. Rows
        # left over from a narrower layout (more rows) must lose their stretch, or empty
        # rows would take the spare height.
        for row in range(max(last_row + 1, self._grid.rowCount())):
            self._grid.setRowStretch(row, 1 if row < last_row else 0)
        for c in range(MAX_COLUMNS):
            self._grid.setColumnStretch(c, 1 if c < columns else 0)
