"""Axis labels that fit: wrapping, thinning crowded axes, round tick intervals."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import date

from PySide6.QtCharts import QAbstractAxis, QCategoryAxis, QValueAxis
from PySide6.QtGui import QFontMetrics

from ui.staff.charts.card import ChartView

MAX_AXIS_SHARE = 0.4  # QtCharts' maxAxisPortion (see the module docstring)


HOUR_STEPS = (1, 2, 3, 4, 6, 12)
LABEL_GAP = 6  # px kept between a slot's label and the edge of the plot


DAY_STEPS = (1, 2, 7, 14, 28, 56, 91, 182, 364, 728)


def wrap_text(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """Break text at spaces into lines no wider than `width` (a long word keeps its line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def day_label(day: date, long_range: bool = False) -> str:
    """'16 Nov' (or 'Nov 2026' across more than a year): short enough to fit under a tick."""
    return f"{day:%b %Y}" if long_range else f"{day.day} {day:%b}"


def label_step(count: int, room: int, slot: int, steps: Sequence[int]) -> int:
    """The smallest step from `steps` that fits every step-th label of `count` into `room`."""
    for step in steps:
        if math.ceil(count / step) * slot <= room:
            return step
    return max(steps[-1], count)


def label_html(lines: Sequence[str]) -> str:
    # QtCharts shows axis labels as rich text, so names are escaped and lines joined by <br>.
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def unique(labels: Sequence[str]) -> list[str]:
    # A category axis drops repeated names, which would shift every bar after them.
    seen: set[str] = set()
    result = []
    for label in labels:
        while label in seen:
            label += "\u200b"
        seen.add(label)
        result.append(label)
    return result


def without_ticks(axis: QAbstractAxis) -> None:
    """No axis line and so no tick marks (QtCharts draws them together).

    QtCharts ends each tick mark exactly where its label starts, and neither the tick's
    length nor the label's distance can be set, so labels ran into their ticks. The grid
    lines mark the amounts, and the amounts' zero grid line is the baseline.
    """
    axis.setLineVisible(False)


def amount_axis(label_format: str) -> QValueAxis:
    axis = QValueAxis()
    without_ticks(axis)
    axis.setLabelFormat(label_format)
    # Ticks at round numbers from zero (0, 5, 10 ...), not at quarters of the maximum.
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setMinorTickCount(0)
    return axis


def set_amounts(axis: QValueAxis, top: float, headroom: float = 1.05, ticks: int = 4) -> None:
    interval = nice_interval(top, ticks)
    # At most `ticks` steps above zero: one more (0 to 25 by 5) crowds a short chart in
    # large text, and QtCharts then cuts its labels short.
    while math.ceil(top * headroom / interval) > ticks:
        interval = _next_nice(interval)
    axis.setTickInterval(interval)
    axis.setRange(0, max(interval, math.ceil(top * headroom / interval) * interval))


def fit_amounts(axis: QValueAxis, top: float, height: float) -> None:
    """Amounts up the side of a chart `height` pixels tall: as many steps as leave each
    label twice its height (QtCharts cuts crowded labels short, as in large text)."""
    line = QFontMetrics(axis.labelsFont()).height()
    set_amounts(axis, top, ticks=max(1, min(4, int(height // max(2 * line, 1)))))


def _next_nice(interval: float) -> float:
    """The round interval after this one: 1, 2, 5, 10, 20, 50, ..."""
    power = 10 ** math.floor(math.log10(interval))
    factor = round(interval / power)
    return float({1: 2, 2: 5}.get(factor, 10) * power)


def nice_interval(top: float, ticks: int = 4) -> float:
    """A round tick interval (1, 2 or 5 times a power of ten) giving about `ticks` ticks."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return float(max(1, factor * power))
    return float(10 * power)


def slot_axis() -> QCategoryAxis:
    axis = QCategoryAxis()
    without_ticks(axis)
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis.setGridLineVisible(False)
    return axis


def label_slots(
    axis: QCategoryAxis,
    labels: Sequence[str],
    view: ChartView,
    steps: Sequence[int],
    shown: tuple[int, int],
) -> tuple[int, int]:
    """Label every step-th slot so the labels fit side by side; returns (width, step)."""
    metrics = QFontMetrics(view.font())
    widest = max((metrics.horizontalAdvance(label) for label in labels), default=0)
    # The amounts axis on the left takes about four digits' width.
    room = view.width() - metrics.horizontalAdvance("00000") - 48
    slot = widest + metrics.horizontalAdvance("00")
    step = label_step(len(labels), room, slot, steps)
    if shown == (view.width(), step) and axis.count():
        return shown
    for old in axis.categoriesLabels():
        axis.remove(old)
    # A label is centred on its slot; where it is wider than the slot, the first one would
    # reach past the plot's edge into the amounts' labels: widen the range by what it needs.
    count = max(len(labels), 1)
    slot_width = room / count
    overhang = max(0.0, (widest / 2 + LABEL_GAP) / slot_width - 0.5) if slot_width else 0.0
    axis.setRange(-0.5 - overhang, count - 0.5 + overhang)
    for index in range(0, len(labels), step):
        axis.append(labels[index], index)
    return (view.width(), step)


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
