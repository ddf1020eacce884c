"""A label that fits its text into a few lines: smaller type first, then an ellipsis.

For the chrome around the page (the clinic's name, the disclaimer): in large text a plain
wrapping label made the clinic's name four lines tall and took the room meant for reading.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QLabel, QWidget

SCALE_STEP = 0.05


@dataclass(frozen=True, slots=True)
class Fit:
    """How the text is drawn: the point size and the lines (the last may be elided)."""

    point_size: float
    lines: tuple[str, ...]
    elided: bool


def wrap(text: str, metrics: QFontMetrics, width: int, most: int) -> list[str] | None:
    """Greedy word wrap into at most `most` lines of `width` px; None if it does not fit."""
    lines: list[str] = []
    for word in text.split():
        if metrics.horizontalAdvance(word) > width:
            return None
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and metrics.horizontalAdvance(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
            if len(lines) > most:
                return None
    return lines


class FittedLabel(QLabel):
    """Plain text in at most `max_lines` lines, shrunk down to `min_scale` before eliding.

    With `grow`, the label asks for as many lines as its text needs (up to max_lines);
    without, it takes one line's height and uses whatever height its layout gives it, so it
    never makes the bar it sits in taller than the bar's buttons.
    """

    def __init__(
        self,
        object_name: str,
        parent: QWidget | None = None,
        max_lines: int = 1,
        min_scale: float = 1.0,
        grow: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        self._max_lines = max_lines
        self._min_scale = min_scale
        self._grow = grow

    def set_fit(self, max_lines: int, min_scale: float | None = None) -> None:
        self._max_lines = max_lines
        if min_scale is not None:
            self._min_scale = min_scale
        self.updateGeometry()
        self.update()

    def _font(self, scale: float) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(self.font().pointSizeF() * scale)
        return font

    def _scales(self) -> list[float]:
        steps = max(0, round((1.0 - self._min_scale) / SCALE_STEP))
        return [1.0 - SCALE_STEP * n for n in range(steps + 1)]

    def fit(self, width: int | None = None, height: int | None = None) -> Fit:
        """The largest type that fits the text in the room; at the smallest, an ellipsis."""
        room = self.contentsRect()
        width = room.width() if width is None else width
        height = room.height() if height is None else height
        text = " ".join(self.text().split())
        for scale in self._scales():
            metrics = QFontMetrics(self._font(scale))
            most = min(self._max_lines, max(1, height // max(1, metrics.lineSpacing())))
            lines = wrap(text, metrics, width, most)
            if lines is not None:
                return Fit(self.font().pointSizeF() * scale, tuple(lines), False)
        scale = self._scales()[-1]
        metrics = QFontMetrics(self._font(scale))
        most = min(self._max_lines, max(1, height // max(1, metrics.lineSpacing())))
        lines = wrap(text, metrics, width, 10_000) or [text]
        kept = lines[: most - 1]
        rest = " ".join(lines[most - 1 :])
        last = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)
        return Fit(self.font().pointSizeF() * scale, (*kept, last), True)

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        margins = self.contentsMargins()
        extra = QSize(margins.left() + margins.right(), margins.top() + margins.bottom())
        # Narrow on purpose: the label takes the room left over, and fits its text into it.
        return QSize(metrics.averageCharWidth() * 8, metrics.lineSpacing()) + extra

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def hasHeightForWidth(self) -> bool:
        return self._grow

    def heightForWidth(self, width: int) -> int:
        if not self._grow:
            return -1
        margins = self.contentsMargins()
        inner = width - margins.left() - margins.right()
        lines = self.fit(inner, self.fontMetrics().lineSpacing() * self._max_lines).lines
        return len(lines) * self.fontMetrics().lineSpacing() + margins.top() + margins.bottom()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.drawFrame(painter)
        fit = self.fit()
        font = self._font(fit.point_size / max(0.1, self.font().pointSizeF()))
        painter.setFont(font)
        metrics = QFontMetrics(font)
        room = self.contentsRect()
        step = metrics.lineSpacing()
        top = room.top() + max(0, (room.height() - step * len(fit.lines)) // 2)
        for n, line in enumerate(fit.lines):
            row = QRect(room.left(), top + n * step, room.width(), step)
            self.style().drawItemText(
                painter,
                row,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                self.palette(),
                self.isEnabled(),
                line,
                QPalette.ColorRole.WindowText,
            )
        painter.end()
