"""The export formats and groupings, in a module the command line can import cheaply."""

from __future__ import annotations

from enum import StrEnum


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


class Grouping(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
