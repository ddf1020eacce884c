"""The dashboard's charts (QtCharts). Series and axes are made once and refilled in place.

Rebuilding them on every refresh leaked: QChart.removeAxis hands the axis back to the
caller, and the scene kept growing until each paint took twice as long. Every chart also
states its figures in its accessible description, for screen readers.

Colours and the label font come from assets/style.qss like everything else: the chart view
(role "chart") gets its text and background colours from `color` and `background`, its
series and line colours from `qproperty-...` rules, and its font from `font-size`. QtCharts
draws with its own theme otherwise, which ignores the stylesheet.

Labels are never elided. QtCharts gives the axes on one side at most 40% of the chart
(maxAxisPortion in src/charts/layout/cartesianchartlayout.cpp) and elides what does not fit,
so long category names are wrapped onto more lines to fit that share, and a crowded axis
(24 hours, 30 days) labels every second, third or seventh item instead of all of them.
"""

from ui.staff.charts.bars import BarChart, ColumnChart
from ui.staff.charts.card import ChartCard
from ui.staff.charts.line import LineChart
from ui.staff.charts.pie import PieChart

__all__ = ["BarChart", "ChartCard", "ColumnChart", "LineChart", "PieChart"]
