"""A pie chart of shares, its slices told apart by pattern as well as by order."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import QPieSeries
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QPen
from PySide6.QtWidgets import QWidget

from ui.staff.charts.card import ChartCard

# Pie slices differ by pattern in the one series colour: a second colour that stands apart
# from the first in both the standard and the high-contrast theme does not exist.
SLICE_PATTERNS = (
    Qt.BrushStyle.SolidPattern,
    Qt.BrushStyle.BDiagPattern,
    Qt.BrushStyle.CrossPattern,
    Qt.BrushStyle.FDiagPattern,
)


class PieChart(ChartCard):
    """Shares of a whole, each slice labelled with its name and percentage."""

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, object_name, parent)
        self.series = QPieSeries()
        self.series.setPieSize(0.6)
        self.chart().addSeries(self.series)

    def show_pie(self, shares: Sequence[tuple[str, int]], total: int | None = None) -> None:
        """Slices with their share of `total` (by default their sum: pass the whole when
        some parts are not drawn, such as hidden small counts)."""
        self.series.clear()
        if total is None:
            total = sum(count for _, count in shares)
        for name, count in shares:
            share = 100 * count / total if total else 0
            piece = self.series.append(f"{name} {share:.0f}%", count)
            piece.setLabelVisible(True)
        self._restyle_series()
        self.describe([(name, str(count)) for name, count in shares])

    def _restyle_series(self) -> None:
        view = self.view
        for index, piece in enumerate(self.series.slices()):
            pattern = SLICE_PATTERNS[index % len(SLICE_PATTERNS)]
            piece.setBrush(QBrush(view.series_colour, pattern))
            # The outline closes the hatched slices.
            piece.setPen(QPen(view.series_colour, 2))
            piece.setLabelColor(view.text_colour)
            piece.setLabelFont(view.font())
            piece.setLabelArmLengthFactor(0.12)
