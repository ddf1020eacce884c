"""Exports of views per topic per day, week or month: CSV, XLSX or JSON, written atomically.

With small-count suppression on, the counts are first perturbed per topic per day with the
database's secret key (noise.py), so that no set of exports gives a small count away
(docs/statistics-privacy.md); suppression then applies to the perturbed figures.

A file is written to a temporary file beside its target, fsynced, read back and compared
with what was meant to be written, and only then renamed over the target (and the folder
fsynced), so a pulled USB stick or a killed process leaves the old file or the new one.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]

from kiosk.atomic import temporaries_of, write_atomically
from kiosk.stats.kinds import ExportFormat, Grouping
from kiosk.stats.noise import CHANGES, MIN_KEY_BYTES, AtomNoise
from kiosk.stats.queries import DateRange, Statistics, TopicPeriodFigures
from kiosk.stats.suppression import Mark, suppress_block

logger = logging.getLogger(__name__)

COLUMNS = (
    "period",
    "period_start",
    "period_end",
    "topic_id",
    "views",
    "read_aloud_views",
    "large_text_views",
    "high_contrast_views",
    "average_seconds",
)
TOTAL_PERIOD = "total"
SECONDARY_MARK = "suppressed"
# OWASP "CSV injection": a spreadsheet may run a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# The same signs in full width (U+FF1D, U+FF0B, U+FF0D, U+FF20) count too: a spreadsheet's
# width conversion (East Asian input settings) can turn them into the ASCII ones.
FORMULA_SIGNS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
# Skipped before looking for a sign: spreadsheets trim leading blanks from a typed or
# imported cell and then read "  =1+1" as a formula. Zero-width characters and the byte
# order mark are invisible, so they are skipped too.
INVISIBLE_LEAD = "\u200b\u200c\u200d\u2060\ufeff"
MEDIA_ROOTS = (Path("/media"), Path("/run/media"))

Cell = int | float | str | None


class ExportFailed(Exception):
    """The file could not be written or did not read back as written (disk, USB stick)."""


@dataclass(frozen=True, slots=True)
class ExportTable:
    span: DateRange
    by: Grouping
    threshold: int
    rows: tuple[tuple[Cell, ...], ...]
    small_cells: int
    secondary_cells: int
    # Topics whose counts could not be shown without giving a small one away.
    left_out: tuple[str, ...] = ()
    # The counts carry the fixed per-day noise (noise.py).
    perturbed: bool = False
    # A grouped central export: the name of its leading column ("kiosk" or "site").
    group_column: str = ""

    @property
    def header(self) -> tuple[str, ...]:
        return (self.group_column, *COLUMNS) if self.group_column else COLUMNS


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    rows: int
    size_bytes: int
    small_cells: int
    secondary_cells: int
    left_out: tuple[str, ...]
    perturbed: bool = False


@dataclass(frozen=True, slots=True)
class ExportFolder:
    path: Path
    label: str
    removable: bool


def small_mark(threshold: int) -> str:
    return f"<{threshold}"


@dataclass(frozen=True, slots=True)
class TopicBlock:
    """One topic's export rows before they are written: counts per period and the total,
    with the marks suppression gave them (None: the topic must be left out)."""

    topic_id: str
    items: list[TopicPeriodFigures]
    counts: list[list[int]]  # a row per period, then the total row
    seconds: list[int]
    marks: list[list[Mark]] | None

    @property
    def average_shown(self) -> list[bool]:
        """Whether each row's average seconds may be shown."""
        assert self.marks is not None
        # With any period's views hidden, the total's average less the shown periods'
        # would give the hidden periods' time away: the total's average is left out too.
        shown = [row_marks[0] is Mark.SHOWN for row_marks in self.marks]
        shown[-1] = all(shown)
        return shown


def topic_blocks(figures: Sequence[TopicPeriodFigures], threshold: int) -> list[TopicBlock]:
    """Each topic's block with its suppression marks, in topic order (the export's rule;
    the staff dashboard shows the same totals, kiosk/stats/onscreen.py)."""
    by_topic: dict[str, list[TopicPeriodFigures]] = {}
    for item in figures:
        by_topic.setdefault(item.topic_id, []).append(item)
    blocks: list[TopicBlock] = []
    for topic, items in sorted(by_topic.items()):
        counts = [
            [t.views, t.read_aloud, t.large_text, t.high_contrast]  # _counts, inline
            for t in [item.totals for item in items]
        ]
        counts.append([sum(column) for column in zip(*counts, strict=True)])
        seconds = [item.totals.seconds_total for item in items]
        seconds.append(sum(seconds))
        marks = suppress_block(counts, threshold) if threshold > 0 else _all_shown(counts)
        blocks.append(TopicBlock(topic, items, counts, seconds, marks))
    return blocks


def build_table(
    figures: Sequence[TopicPeriodFigures],
    span: DateRange,
    by: Grouping,
    threshold: int,
    perturbed: bool = False,
) -> ExportTable:
    """Rows per topic per period, then the topic's total row, with small counts suppressed.

    `perturbed` says the figures were summed from perturbed days; the table only records it.
    """
    rows: list[tuple[Cell, ...]] = []
    small = secondary = 0
    left_out: list[str] = []
    for block in topic_blocks(figures, threshold):
        topic, marks = block.topic_id, block.marks
        if marks is None:
            logger.warning("topic %s left out of the export: its counts are too small", topic)
            left_out.append(topic)
            continue
        labels = [(i.period.label, i.period.start, i.period.end) for i in block.items]
        labels.append((TOTAL_PERIOD, span.start, span.end))
        for (label, start, end), counts, row_marks, row_seconds, show_average in zip(
            labels, block.counts, marks, block.seconds, block.average_shown, strict=True
        ):
            cells: list[Cell] = [label, start.isoformat(), end.isoformat(), topic]
            for value, mark in zip(counts, row_marks, strict=True):
                cells.append(shown_cell(value, mark, threshold))
                small += mark is Mark.SMALL
                secondary += mark is Mark.HIDDEN
            # An average over hidden views would say how long those few patients stayed.
            average = round(row_seconds / counts[0], 1) if counts[0] else None
            cells.append(average if show_average else None)
            rows.append(tuple(cells))
    return ExportTable(
        span, by, threshold, tuple(rows), small, secondary, tuple(left_out), perturbed
    )


def _counts(item: TopicPeriodFigures) -> list[int]:
    t = item.totals
    return [t.views, t.read_aloud, t.large_text, t.high_contrast]


def _all_shown(block: list[list[int]]) -> list[list[Mark]]:
    return [[Mark.SHOWN] * len(row) for row in block]


def shown_cell(value: int, mark: Mark, threshold: int) -> Cell:
    """A count as a file (or the staff dashboard) shows it under its mark."""
    if mark is Mark.LEFT_OUT:
        return None
    if mark is Mark.SMALL:
        return small_mark(threshold)
    if mark is Mark.HIDDEN:
        return SECONDARY_MARK
    return value


def neutralise(text: str) -> str:
    """Make a cell that a spreadsheet would read as a formula plain text (OWASP)."""
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    for character in text:
        # isspace() takes every Unicode space: no-break and ideographic spaces too.
        if character.isspace() or character in INVISIBLE_LEAD:
            continue
        return "'" + text if character in FORMULA_SIGNS else text
    return text


def default_file_name(span: DateRange, by: Grouping, fmt: ExportFormat, group: str = "") -> str:
    per = f"-per-{group}" if group else ""
    return f"kiosk-views-{span.start.isoformat()}-to-{span.end.isoformat()}-by-{by}{per}.{fmt}"


def export(
    statistics: Statistics,
    span: DateRange,
    by: Grouping,
    fmt: ExportFormat,
    path: Path,
    threshold: int,
) -> ExportResult:
    """Query, perturb, suppress and write one export (blocking: call it off the GUI thread).

    Threshold 0 turns the noise off together with suppression: raw counts, for clinics and
    tests that want them. Never one without the other: suppression without noise is what
    let differencing give small counts away, and noise alone would still show 1s and 2s.
    """
    check_writable_folder(path.parent)
    noise = statistics_noise(statistics) if threshold > 0 else None
    figures = statistics.topic_periods(span, by, noise)
    table = build_table(figures, span, by, threshold, perturbed=noise is not None)
    return write_table(table, fmt, path)


def export_grouped(
    groups: Sequence[tuple[str, Statistics]],
    column: str,
    span: DateRange,
    by: Grouping,
    fmt: ExportFormat,
    path: Path,
    threshold: int,
) -> ExportResult:
    """One file for several groups of kiosks, a leading `column` naming each row's group.

    Each group's figures are perturbed and suppressed on their own, as one kiosk's are: a
    topic's block is one group's rows and total, whatever the other groups hold.
    """
    check_writable_folder(path.parent)
    rows: list[tuple[Cell, ...]] = []
    small = secondary = 0
    left_out: list[str] = []
    for name, statistics in groups:
        noise = statistics_noise(statistics) if threshold > 0 else None
        figures = statistics.topic_periods(span, by, noise)
        table = build_table(figures, span, by, threshold, perturbed=noise is not None)
        rows.extend((name, *row) for row in table.rows)
        small += table.small_cells
        secondary += table.secondary_cells
        left_out.extend(f"{name}/{topic}" for topic in table.left_out)
    combined = ExportTable(
        span,
        by,
        threshold,
        tuple(rows),
        small,
        secondary,
        tuple(left_out),
        perturbed=threshold > 0,
        group_column=column,
    )
    return write_table(combined, fmt, path)


def statistics_noise(statistics: Statistics) -> AtomNoise:
    """The database's noise; an export without it would be unsafe, so none is written."""
    key = statistics.statistics_key()
    if key is None or len(key) < MIN_KEY_BYTES:
        raise ExportFailed(
            "the view log database has no statistics key; start the kiosk once so that it "
            "upgrades the database, then export again"
        )
    return AtomNoise(key)


def check_writable_folder(folder: Path) -> None:
    if not folder.exists():
        raise ExportFailed(f"the folder {folder} does not exist")
    if not folder.is_dir():
        raise ExportFailed(f"{folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportFailed(f"the folder {folder} cannot be written to")


def write_table(table: ExportTable, fmt: ExportFormat, path: Path) -> ExportResult:
    """Write atomically; the new file must read back as the table before it replaces `path`
    (a bad new file must never replace a good old one)."""
    writer, verifier = _FORMATS[fmt]
    _remove_stale_temporaries(path)
    try:
        write_atomically(
            path,
            lambda handle: writer(table, handle),
            check=lambda temporary: _read_back(verifier, table, temporary),
        )
        size = path.stat().st_size
    except OSError as error:
        raise ExportFailed(f"cannot write {path}: {error.strerror or error}") from error
    return ExportResult(
        path,
        len(table.rows),
        size,
        table.small_cells,
        table.secondary_cells,
        table.left_out,
        table.perturbed,
    )


def _read_back(
    verifier: Callable[[ExportTable, Path], None], table: ExportTable, path: Path
) -> None:
    try:
        verifier(table, path)
    except (ExportFailed, OSError):
        raise
    except Exception as error:
        # A file the parser cannot even read (truncated, not UTF-8, not a zip) is unusable.
        raise ExportFailed(
            f"{path.name} did not read back ({error}); the old file was kept"
        ) from error


def _remove_stale_temporaries(path: Path) -> None:
    """Leftovers of an export that was killed before its rename."""
    try:
        for stale in temporaries_of(path):
            stale.unlink(missing_ok=True)
    except OSError as error:
        logger.warning("cannot tidy old temporary export files in %s: %s", path.parent, error)


# --- CSV: UTF-8, RFC 4180 (CRLF line ends, quotes doubled by the csv module) ---


def csv_rows(table: ExportTable) -> list[list[str]]:
    """Exactly the text cells the CSV file holds."""
    rows = [list(table.header)]
    rows.extend([_csv_cell(cell) for cell in row] for row in table.rows)
    return rows


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return neutralise(cell)
    if isinstance(cell, float):
        return f"{cell:.1f}"
    return str(cell)


def _write_csv(table: ExportTable, handle: Any) -> None:
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerows(csv_rows(table))
    text.flush()
    text.detach()


def _verify_csv(table: ExportTable, path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        found = list(csv.reader(handle))
    _same(found, csv_rows(table), path)


# --- XLSX ---


def xlsx_rows(table: ExportTable) -> list[list[Cell]]:
    """Exactly the cell values the worksheet holds."""
    rows: list[list[Cell]] = [list(table.header)]
    rows.extend([neutralise(c) if isinstance(c, str) else c for c in row] for row in table.rows)
    return rows


def _write_xlsx(table: ExportTable, handle: Any) -> None:
    # write_only streams rows instead of building every cell object in memory first.
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("views")
    for row in xlsx_rows(table):
        sheet.append(row)
    workbook.save(handle)


def _verify_xlsx(table: ExportTable, path: Path) -> None:
    # A file object: openpyxl refuses file names that do not end in .xlsx (ours is a .tmp).
    with path.open("rb") as handle:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=False)
        try:
            found = read_sheet_rows(workbook["views"], len(table.header))
        finally:
            workbook.close()
    _same(found, xlsx_rows(table), path)


def read_sheet_rows(sheet: Any, width: int) -> list[list[Cell]]:
    """A worksheet's rows, with the empty cells at row ends (which XLSX does not store) back."""
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [row + [None] * (width - len(row)) for row in rows]


# --- JSON (data, not a spreadsheet: values are not neutralised) ---


def json_document(table: ExportTable) -> dict[str, Any]:
    return {
        "kind": "ketamine-kiosk topic views",
        "from": table.span.start.isoformat(),
        "to": table.span.end.isoformat(),
        "by": str(table.by),
        **({"group": table.group_column} if table.group_column else {}),
        "suppression": {
            "threshold": table.threshold,
            "small": small_mark(table.threshold) if table.threshold else None,
            "secondary": SECONDARY_MARK,
            # Each topic's counts of each day changed by -2..+2 before summing.
            "noise": list(CHANGES) if table.perturbed else None,
        },
        "rows": [dict(zip(table.header, row, strict=True)) for row in table.rows],
    }


def _write_json(table: ExportTable, handle: Any) -> None:
    handle.write(json.dumps(json_document(table), ensure_ascii=False, indent=1).encode("utf-8"))


def _verify_json(table: ExportTable, path: Path) -> None:
    with path.open(encoding="utf-8") as handle:
        found = json.load(handle)
    _same(found, json_document(table), path)


def _same(found: object, expected: object, path: Path) -> None:
    if found != expected:
        raise ExportFailed(f"{path.name} did not read back as written; the old file was kept")


_FORMATS: dict[
    ExportFormat, tuple[Callable[[ExportTable, Any], None], Callable[[ExportTable, Path], None]]
] = {
    ExportFormat.CSV: (_write_csv, _verify_csv),
    ExportFormat.XLSX: (_write_xlsx, _verify_xlsx),
    ExportFormat.JSON: (_write_json, _verify_json),
}


# --- where staff can save ---


def export_folders(
    configured: str,
    roots: Iterable[Path] = MEDIA_ROOTS,
    is_mount: Callable[[Path], bool] = os.path.ismount,
) -> list[ExportFolder]:
    """Writable places to save to: mounted drives under /media and /run/media, then settings.

    Blocking (it looks at the file system): call it off the GUI thread.
    """
    found: list[ExportFolder] = []
    for root in roots:
        # /media/usb0 (usbmount), /media/<user>/<label> (udisks), /run/media/<user>/<label>.
        children = _children(root)
        for candidate in sorted(children + [g for c in children for g in _children(c)]):
            if is_mount(candidate) and _writable(candidate):
                found.append(ExportFolder(candidate, f"Drive {candidate.name}", True))
    if configured:
        folder = Path(configured).expanduser()
        if _writable(folder):
            found.append(ExportFolder(folder, f"Clinic folder {folder}", False))
    return found


def _children(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:
        return []


def _writable(folder: Path) -> bool:
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)
