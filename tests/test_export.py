"""Exports: same numbers read back through csv/openpyxl/json, formulas neutralised, small counts
hidden so that nothing can be worked out from the totals, and atomic replacement."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, delete

from kiosk.cli import parse, run_command
from kiosk.stats import commands as stats_commands
from kiosk.stats import export as export_module
from kiosk.stats.export import (
    COLUMNS,
    SECONDARY_MARK,
    ExportFailed,
    build_table,
    default_file_name,
    export,
    export_folders,
    neutralise,
    statistics_noise,
    write_table,
)
from kiosk.stats.kinds import ExportFormat, Grouping
from kiosk.stats.noise import AtomNoise
from kiosk.stats.queries import (
    DateRange,
    Period,
    Statistics,
    TopicPeriodFigures,
    ViewTotals,
    periods,
)
from kiosk.stats.suppression import Mark, suppress_block
from kiosk.viewlog.schema import kiosk_meta
from kiosk.viewlog.store import open_database
from tests.helpers.counters import store_rows

ROOT = Path(__file__).resolve().parent.parent
SPAN = DateRange(date(2026, 11, 1), date(2026, 11, 30))
COUNT_NAMES = ("views", "read_aloud_views", "large_text_views", "high_contrast_views")


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    url = f"sqlite:///{tmp_path / 'kiosk.db'}"
    engine, _ = open_database(url, datetime(2026, 11, 20, 9))
    yield url, engine
    engine.dispose()


def _view(day: date, topic: str, views: int, **flags: bool) -> dict[str, object]:
    return {
        "day": day,
        "hour": 10,
        "kiosk_id": "kiosk-1",
        "topic_id": topic,
        "language": "en",
        "read_aloud": flags.get("read_aloud", False),
        "large_text": flags.get("large_text", False),
        "high_contrast": flags.get("high_contrast", False),
        "views": views,
        "seconds_total": views * 60,
    }


@pytest.fixture
def statistics(database: tuple[str, Engine]) -> Statistics:
    _, engine = database
    rng = random.Random(6)
    rows = []
    for day in SPAN.each_day():
        for topic in ("after-infusion", "side-effects", "what-is-ketamine"):
            rows.append(_view(day, topic, rng.randint(0, 40)))
            rows.append(_view(day, topic, rng.randint(1, 9), read_aloud=True))
            rows.append(_view(day, topic, rng.randint(0, 3), large_text=True, high_contrast=True))
    store_rows(engine, [r for r in rows if r["views"]])
    return Statistics(engine)


def _numbers(
    statistics: Statistics, by: Grouping, noise: AtomNoise | None = None
) -> dict[tuple[str, str], list[int]]:
    """Unsuppressed counts keyed by (period label, topic), from the query layer."""
    return {
        (f.period.label, f.topic_id): [
            f.totals.views,
            f.totals.read_aloud,
            f.totals.large_text,
            f.totals.high_contrast,
        ]
        for f in statistics.topic_periods(SPAN, by, noise)
    }


@pytest.mark.parametrize("by", list(Grouping))
def test_csv_xlsx_and_json_hold_the_same_numbers(
    statistics: Statistics, tmp_path: Path, by: Grouping
) -> None:
    expected = _numbers(statistics, by)
    results = {
        fmt: export(statistics, SPAN, by, fmt, tmp_path / f"out.{fmt}", threshold=0)
        for fmt in ExportFormat
    }
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        csv_rows = list(csv.reader(handle))
    assert (tmp_path / "out.csv").read_bytes().count(b"\r\n") == len(csv_rows)  # RFC 4180
    workbook = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    xlsx_rows = [list(r) for r in workbook["views"].iter_rows(values_only=True)]
    workbook.close()
    document = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))

    assert tuple(csv_rows[0]) == tuple(xlsx_rows[0]) == COLUMNS
    assert (
        len(csv_rows) - 1
        == len(xlsx_rows) - 1
        == len(document["rows"])
        == results[ExportFormat.CSV].rows
    )
    views = COLUMNS.index("views")
    totals: dict[str, list[int]] = {}
    for text_row, sheet_row, json_row in zip(
        csv_rows[1:], xlsx_rows[1:], document["rows"], strict=True
    ):
        period, topic = text_row[0], text_row[3]
        counts_csv = [int(v) for v in text_row[views : views + 4]]
        counts_xlsx = sheet_row[views : views + 4]
        counts_json = [json_row[name] for name in COUNT_NAMES]
        assert counts_csv == counts_xlsx == counts_json
        if period == "total":
            totals[topic] = counts_csv
            assert text_row[1:3] == [SPAN.start.isoformat(), SPAN.end.isoformat()]
        else:
            assert counts_csv == expected[(period, topic)]
    for topic in totals:
        by_period = [v for (p, t), v in expected.items() if t == topic]
        assert totals[topic] == [sum(column) for column in zip(*by_period, strict=True)]
    for result in results.values():
        assert result.size_bytes == result.path.stat().st_size
        assert result.small_cells == result.secondary_cells == 0


def test_average_seconds_are_exported(statistics: Statistics, tmp_path: Path) -> None:
    export(statistics, SPAN, Grouping.MONTH, ExportFormat.JSON, tmp_path / "a.json", threshold=0)
    rows = json.loads((tmp_path / "a.json").read_text())["rows"]
    assert rows
    assert all(row["average_seconds"] == 60.0 for row in rows if row["views"])


# --- formula injection ---


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "\nx",
        '=HYPERLINK("http://x","y")',
        # Spreadsheets trim leading blanks and then see the sign.
        " =1+1",
        "  +1",
        "\t=1+1",
        "\n-1",
        "\r\n@SUM(A1)",
        "\u00a0=1+1",  # no-break space
        "\u3000=1+1",  # ideographic space
        "\ufeff=1+1",  # byte order mark
        "\u200b =1+1",  # zero-width space, then a space
        # Full-width signs, alone or after blanks.
        "\uff1d1+1",
        "\uff0b1",
        "\uff0d1",
        "\uff20SUM(A1)",
        " \uff1dHYPERLINK(1)",
        "\u3000\uff0b1",
    ],
)
def test_neutralise(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["what-is-ketamine", "<11", "suppressed", "2026-W45", "a=b", " x", "", "   ", "1-2"]
)
def test_neutralise_leaves_plain_text_alone(text: str) -> None:
    assert neutralise(text) == text


def _table_with_topic(topic: str) -> export_module.ExportTable:
    period = Period("2026-11-20", date(2026, 11, 20), date(2026, 11, 20))
    figures = [TopicPeriodFigures(period, topic, ViewTotals(views=50, seconds_total=500))]
    return build_table(figures, DateRange(period.start, period.end), Grouping.DAY, 11)


def test_formula_cells_are_neutralised_in_csv_and_xlsx(tmp_path: Path) -> None:
    dangerous = '=HYPERLINK("http://evil.example","click")'
    table = _table_with_topic(dangerous)
    write_table(table, ExportFormat.CSV, tmp_path / "x.csv")
    write_table(table, ExportFormat.XLSX, tmp_path / "x.xlsx")
    write_table(table, ExportFormat.JSON, tmp_path / "x.json")
    with (tmp_path / "x.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][3] == "'" + dangerous
    workbook = openpyxl.load_workbook(tmp_path / "x.xlsx")
    cell = workbook["views"]["D2"]
    assert cell.data_type == "s"  # a string, not a formula
    assert cell.value == "'" + dangerous
    workbook.close()
    # JSON is data for programs, not a spreadsheet: it keeps the real value.
    assert json.loads((tmp_path / "x.json").read_text())["rows"][0]["topic_id"] == dangerous


def test_formula_topic_from_the_database_is_neutralised(
    database: tuple[str, Engine], tmp_path: Path
) -> None:
    _, engine = database
    store_rows(engine, [_view(date(2026, 11, 3), "+cmd|x", 20)])
    export(Statistics(engine), SPAN, Grouping.MONTH, ExportFormat.CSV, tmp_path / "f.csv", 11)
    text = (tmp_path / "f.csv").read_text(encoding="utf-8")
    assert "'+cmd|x" in text
    assert "\n+cmd" not in text and ",+cmd" not in text


# --- suppression ---


def period_days(period: Period) -> int:
    return (period.end - period.start).days + 1


def _figures(topic: str, counts: list[tuple[int, int, int, int]]) -> list[TopicPeriodFigures]:
    result = []
    for index, (views, read_aloud, large, contrast) in enumerate(counts):
        day = date(2026, 11, 1 + index)
        totals = ViewTotals(views, views * 30, read_aloud, large, contrast, max(large, contrast))
        result.append(TopicPeriodFigures(Period(day.isoformat(), day, day), topic, totals))
    return result


def test_small_counts_show_as_below_the_threshold() -> None:
    figures = _figures("side-effects", [(3, 0, 0, 0), (50, 12, 0, 0), (40, 20, 0, 0)])
    table = build_table(figures, DateRange(date(2026, 11, 1), date(2026, 11, 3)), Grouping.DAY, 11)
    views = [row[4] for row in table.rows]
    assert views[0] == "<11"
    assert SECONDARY_MARK in views[1:3]  # the one small cell needs a partner...
    assert views[3] == 93  # ...so the total can stay
    average = [row[8] for row in table.rows]
    assert average[0] is None  # an average over hidden views is hidden too
    # and so is the total's: with the shown days' averages it would give the hidden away
    assert average[3] is None
    assert table.small_cells == 1
    assert table.secondary_cells == 1


def test_threshold_zero_turns_suppression_off() -> None:
    figures = _figures("side-effects", [(3, 1, 0, 0), (50, 12, 0, 0)])
    table = build_table(figures, DateRange(date(2026, 11, 1), date(2026, 11, 2)), Grouping.DAY, 0)
    assert [row[4] for row in table.rows] == [3, 50, 53]
    assert [row[5] for row in table.rows] == [1, 12, 13]


def test_a_small_total_is_hidden_with_its_cells() -> None:
    figures = _figures("cost", [(2, 0, 0, 0), (0, 0, 0, 0), (5, 0, 0, 0)])
    table = build_table(figures, DateRange(date(2026, 11, 1), date(2026, 11, 3)), Grouping.DAY, 11)
    # Zero too: with "<11" on every non-zero day and on the total, a shown 0 would let the
    # number of non-zero days bound the total from below.
    assert [row[4] for row in table.rows] == ["<11", "<11", "<11", "<11"]


def test_two_ones_with_a_shown_total_are_not_given_away() -> None:
    # 1 + 1 + 40 = 42: hiding only the two 1s would let anyone work out that both are 1.
    block = [[1, 0, 0, 0], [1, 0, 0, 0], [40, 0, 0, 0], [42, 0, 0, 0]]
    marks = suppress_block(block, 11)
    assert [m[0] for m in marks] == [Mark.SMALL, Mark.SMALL, Mark.HIDDEN, Mark.SHOWN]
    assert _determinable(block, marks, 11) == []


def test_a_mode_count_cannot_give_away_hidden_views() -> None:
    # Read-aloud 30 of 30 views would pin the hidden views from below.
    block = [[2, 0, 0, 0], [30, 30, 0, 0], [45, 11, 0, 0], [77, 41, 0, 0]]
    marks = suppress_block(block, 11)
    assert _determinable(block, marks, 11) == []


def _determinable(
    block: list[list[int]], marks: list[list[Mark]], threshold: int, cap: int = 40
) -> list[tuple[int, int]]:
    """Hidden cells with a single possible value, found by brute force over what a reader sees.

    Independent of the code under test: it tries every views column consistent with the
    published cells (a '<T' cell holds 1..T-1, or 0..T-1 under a '<T' total; a 'suppressed'
    one T..cap; the views add up to their total) and every mode count up to its row's views.
    """
    rows = len(block)
    small_total = marks[-1][0] is Mark.SMALL

    def box(row: int, column: int) -> range:
        mark = marks[row][column]
        if mark is Mark.SHOWN:
            return range(block[row][column], block[row][column] + 1)
        if mark is Mark.SMALL:
            return range(0 if small_total and row < rows - 1 else 1, threshold)
        return range(threshold, cap + 1)

    possible: dict[tuple[int, int], set[int]] = {
        (r, c): set()
        for r in range(rows)
        for c in range(4)
        if marks[r][c] in (Mark.SMALL, Mark.HIDDEN)
    }
    for views in itertools.product(*(box(r, 0) for r in range(rows))):
        if sum(views[:-1]) != views[-1]:
            continue
        modes: dict[tuple[int, int], set[int]] = {}
        for r in range(rows - 1):
            for c in range(1, 4):
                modes[(r, c)] = {x for x in box(r, c) if x <= views[r]}
        if any(not values for values in modes.values()):
            continue
        for r in range(rows):
            if (r, 0) in possible:
                possible[(r, 0)].add(views[r])
        for key, values in modes.items():
            if key in possible:
                possible[key] |= values
    for key, values in possible.items():
        assert block[key[0]][key[1]] in values, "the oracle must allow the true value"
    # A hidden zero may be certain (0 views in its row): zeros are not what is protected.
    return [key for key, values in possible.items() if len(values) < 2 and values != {0}]


def test_secondary_rule_leaves_nothing_determinable_in_random_blocks() -> None:
    rng = random.Random(4)
    threshold = 4
    checked_with_secondary = 0
    for _ in range(400):
        block = []
        for _ in range(3):
            views = rng.choice([0, 1, 1, 2, 3, 4, 5, 7, 9])
            block.append([views, *(rng.randint(0, views) for _ in range(3))])
        block.append([sum(column) for column in zip(*block, strict=True)])
        marks = suppress_block(block, threshold)
        assert marks is not None
        assert all(
            (marks[r][c] is Mark.SMALL)
            == (0 < block[r][c] < threshold or 0 < block[-1][0] < threshold)
            for r in range(3)
            for c in range(4)
        )
        assert marks[3][1:] == [Mark.LEFT_OUT] * 3
        assert all(
            block[r][c] >= threshold
            for r in range(4)
            for c in range(4)
            if marks[r][c] is Mark.HIDDEN
        )
        checked_with_secondary += any(Mark.HIDDEN in row for row in marks)
        assert _determinable(block, marks, threshold, cap=30) == [], (block, marks)
    assert checked_with_secondary > 10  # the secondary rule was really exercised


def test_exported_file_hides_what_it_must(statistics: Statistics, tmp_path: Path) -> None:
    result = export(statistics, SPAN, Grouping.WEEK, ExportFormat.CSV, tmp_path / "w.csv", 11)
    assert result.perturbed
    with (tmp_path / "w.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # Suppression works on the perturbed figures: those are what the file releases.
    noise = statistics_noise(statistics)
    released = _numbers(statistics, Grouping.WEEK, noise)
    raw = _numbers(statistics, Grouping.WEEK)
    small = changed = 0
    for row in rows:
        if row["period"] == "total":
            continue
        period = next(p for p in periods(SPAN, Grouping.WEEK) if p.label == row["period"])
        for index, name in enumerate(COUNT_NAMES):
            value = released[(row["period"], row["topic_id"])][index]
            true = raw[(row["period"], row["topic_id"])][index]
            # At most 2 per day either way; nothing made up out of zero.
            assert abs(value - true) <= 2 * period_days(period)
            assert (value == 0) == (true == 0) or index > 0
            changed += value != true
            if 0 < value < 11:
                assert row[name] == "<11"
                small += 1
            elif row[name] not in (SECONDARY_MARK,):
                assert int(row[name]) == value
    assert small > 0
    assert changed > 0
    assert result.small_cells >= small


def test_exports_are_the_same_every_time(statistics: Statistics, tmp_path: Path) -> None:
    # The noise is fixed per day: asking again, or again from a fresh process's cache,
    # gives the very same file, so there is nothing to average away.
    first = export(statistics, SPAN, Grouping.DAY, ExportFormat.CSV, tmp_path / "a.csv", 11)
    again = export(
        Statistics.from_url(statistics.url),
        SPAN,
        Grouping.DAY,
        ExportFormat.CSV,
        tmp_path / "b.csv",
        11,
    )
    assert first.path.read_bytes() == again.path.read_bytes()


def test_weeks_add_up_to_the_days_they_hold(statistics: Statistics) -> None:
    # Every figure is a sum of the same perturbed days, whatever the grouping or range.
    noise = statistics_noise(statistics)
    days = _numbers(statistics, Grouping.DAY, noise)
    shifted = DateRange(date(2026, 11, 4), date(2026, 11, 27))
    for by in (Grouping.WEEK, Grouping.MONTH):
        for figure in statistics.topic_periods(shifted, by, noise):
            period = figure.period
            inside = [
                counts
                for (label, topic), counts in days.items()
                if topic == figure.topic_id
                and period.start.isoformat() <= label
                and label <= period.end.isoformat()
            ]
            assert figure.totals.views == sum(c[0] for c in inside)
            assert figure.totals.read_aloud == sum(c[1] for c in inside)


def test_an_export_without_a_statistics_key_is_refused(
    statistics: Statistics, database: tuple[str, Engine], tmp_path: Path
) -> None:
    _, engine = database
    with engine.begin() as connection:
        connection.execute(delete(kiosk_meta))
    with pytest.raises(ExportFailed, match="no statistics key"):
        export(statistics, SPAN, Grouping.DAY, ExportFormat.CSV, tmp_path / "x.csv", 11)
    assert not (tmp_path / "x.csv").exists()
    # Exact counts need no key.
    export(statistics, SPAN, Grouping.DAY, ExportFormat.CSV, tmp_path / "x.csv", 0)


def test_the_key_never_appears_in_an_export_or_the_log(
    statistics: Statistics, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    key = statistics.statistics_key()
    assert key is not None and len(key) == 32
    noise = statistics_noise(statistics)
    assert key.hex() not in repr(noise) and key.hex() not in str(noise)
    with caplog.at_level("DEBUG"):
        for fmt in ExportFormat:
            export(statistics, SPAN, Grouping.WEEK, fmt, tmp_path / f"k.{fmt}", 11)
    for fmt in ExportFormat:
        data = (tmp_path / f"k.{fmt}").read_bytes()
        assert key.hex().encode() not in data and key not in data
    assert key.hex() not in caplog.text


# --- atomic writing ---


def test_a_failure_before_the_rename_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "views.csv"
    target.write_bytes(b"old export\r\n")

    def broken_replace(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module.os, "replace", broken_replace)
    with pytest.raises(ExportFailed, match="No space left"):
        write_table(_table_with_topic("side-effects"), ExportFormat.CSV, target)
    assert target.read_bytes() == b"old export\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["views.csv"]


def test_a_file_that_does_not_read_back_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "views.json"
    target.write_text("{}")
    _, verifier = export_module._FORMATS[ExportFormat.JSON]

    def truncating_writer(table: export_module.ExportTable, handle: io.BufferedWriter) -> None:
        handle.write(b'{"rows": [')

    monkeypatch.setitem(export_module._FORMATS, ExportFormat.JSON, (truncating_writer, verifier))
    with pytest.raises(ExportFailed, match="did not read back"):
        write_table(_table_with_topic("side-effects"), ExportFormat.JSON, target)
    assert target.read_text() == "{}"
    assert [p.name for p in tmp_path.iterdir()] == ["views.json"]


KILLED_EXPORT = textwrap.dedent(
    """
    import sys, time
    from datetime import date
    from pathlib import Path
    from kiosk.stats import export as ex
    from kiosk.stats.kinds import ExportFormat, Grouping
    from kiosk.stats.queries import DateRange, Period, TopicPeriodFigures, ViewTotals

    stage, fmt, target = sys.argv[1], ExportFormat(sys.argv[2]), Path(sys.argv[3])
    span = DateRange(date(2026, 1, 1), date(2026, 12, 31))
    figures = [
        TopicPeriodFigures(Period(d.isoformat(), d, d), f"topic-{t}", ViewTotals(views=20 + t))
        for d in span.each_day() for t in range(13)
    ]
    table = ex.build_table(figures, span, Grouping.DAY, 11)
    writer, verifier = ex._FORMATS[fmt]

    def pause():
        print("PAUSED", flush=True)
        time.sleep(120)

    def half_writer(table, handle):
        handle.write(b"partial,export\\r\\n" * 1000)
        handle.flush()
        pause()

    def verify_then_pause(table, path):
        verifier(table, path)
        pause()

    if stage == "writing":
        ex._FORMATS[fmt] = (half_writer, verifier)
    else:
        ex._FORMATS[fmt] = (writer, verify_then_pause)
    ex.write_table(table, fmt, target)
    """
)


@pytest.mark.parametrize("stage", ["writing", "written"])
@pytest.mark.parametrize("fmt", [ExportFormat.CSV, ExportFormat.XLSX])
def test_a_killed_export_leaves_the_old_file_or_the_whole_new_one(
    tmp_path: Path, stage: str, fmt: ExportFormat
) -> None:
    target = tmp_path / f"views.{fmt}"
    target.write_bytes(b"old export")
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_EXPORT, stage, fmt.value, str(target)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert process.stdout is not None
    try:
        assert process.stdout.readline() == b"PAUSED\n"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(30)
        process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"old export"
    assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())

    # The next export tidies the leftover and replaces the file with a complete one.
    table = _table_with_topic("side-effects")
    write_table(table, fmt, target)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
    if fmt is ExportFormat.CSV:
        with target.open(encoding="utf-8", newline="") as handle:
            assert list(csv.reader(handle)) == export_module.csv_rows(table)
    else:
        workbook = openpyxl.load_workbook(target, read_only=True)
        assert export_module.read_sheet_rows(workbook["views"], len(COLUMNS)) == (
            export_module.xlsx_rows(table)
        )
        workbook.close()


# --- folders ---


def test_export_folders_lists_writable_mounted_drives_and_the_clinic_folder(tmp_path: Path) -> None:
    media = tmp_path / "media"
    run_media = tmp_path / "run-media"
    (media / "usb0").mkdir(parents=True)
    (media / "nurse" / "STICK").mkdir(parents=True)
    (media / "not-mounted").mkdir()
    (run_media / "nurse" / "BACKUP").mkdir(parents=True)
    clinic = tmp_path / "clinic"
    clinic.mkdir()
    mounts = {media / "usb0", media / "nurse" / "STICK", run_media / "nurse" / "BACKUP"}
    folders = export_folders(str(clinic), roots=(media, run_media), is_mount=mounts.__contains__)
    assert [f.path for f in folders] == [
        media / "nurse" / "STICK",
        media / "usb0",
        run_media / "nurse" / "BACKUP",
        clinic,
    ]
    assert [f.removable for f in folders] == [True, True, True, False]
    assert export_folders(str(tmp_path / "missing"), roots=(), is_mount=mounts.__contains__) == []
    assert export_folders("", roots=(tmp_path / "nothing-here",)) == []


def test_unwritable_folders_are_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drive = tmp_path / "media" / "usb0"
    drive.mkdir(parents=True)
    real_access = os.access
    monkeypatch.setattr(
        export_module.os, "access", lambda p, mode: Path(p) != drive and real_access(p, mode)
    )
    assert export_folders("", roots=(tmp_path / "media",), is_mount=lambda p: True) == []


# --- the `stats export` command ---


def _export_cli(argv: list[str]) -> tuple[int, str]:
    args, _ = parse(["stats", "export", *argv], [stats_commands.register])
    out = io.StringIO()
    return run_command(args, out), out.getvalue()


def test_export_command_writes_a_checked_file(
    statistics: Statistics, database: tuple[str, Engine], tmp_path: Path
) -> None:
    url, _ = database
    output = tmp_path / "out" / "november.xlsx"
    output.parent.mkdir()
    base = ["--database", url, "--from", "2026-11-01", "--to", "2026-11-30"]
    code, text = _export_cli([*base, "--format", "xlsx", "--by", "week", "--output", str(output)])
    assert code == 0
    assert "checked" in text and str(output) in text
    assert "change of up to 2" in text  # staff are told the counts carry noise
    workbook = openpyxl.load_workbook(output, read_only=True)
    assert next(workbook["views"].iter_rows(values_only=True)) == COLUMNS
    workbook.close()

    # A folder as --output gets a file named after the range.
    code, _ = _export_cli([*base, "--format", "csv", "--output", str(output.parent)])
    assert code == 0
    name = default_file_name(SPAN, Grouping.DAY, ExportFormat.CSV)
    assert (output.parent / name).is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "pdf", "--from", "2026-11-01", "--to", "2026-11-02"], "invalid choice"),
        (["--format", "csv", "--from", "2026-02-30", "--to", "2026-11-02"], "is not a date"),
        (["--format", "csv", "--from", "yesterday", "--to", "2026-11-02"], "is not a date"),
        (
            ["--format", "csv", "--from", "2026-11-01", "--to", "2026-11-02", "--by", "year"],
            "invalid choice",
        ),
        (["--format", "csv", "--to", "2026-11-02"], "--from"),
    ],
)
def test_export_command_usage_errors(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        _export_cli([*argv, "--output", str(tmp_path / "x.csv")])
    assert raised.value.code == 2
    assert message in capsys.readouterr().err


def test_export_command_errors(
    statistics: Statistics,
    database: tuple[str, Engine],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, _ = database
    base = ["--database", url, "--format", "csv"]
    dates = ["--from", "2026-11-01", "--to", "2026-11-30"]

    code, _ = _export_cli([*base, "--from", "2026-11-30", "--to", "2026-11-01", "--output", "x"])
    assert code == 2
    assert "is after" in capsys.readouterr().err

    code, _ = _export_cli([*base, *dates, "--output", str(tmp_path / "missing" / "x.csv")])
    assert code == 1
    assert "does not exist" in capsys.readouterr().err

    a_file = tmp_path / "file.txt"
    a_file.write_text("")
    code, _ = _export_cli([*base, *dates, "--output", str(a_file / "x.csv")])
    assert code == 1
    assert "is not a folder" in capsys.readouterr().err

    code, _ = _export_cli(
        ["--data-dir", str(tmp_path / "empty"), "--format", "csv", *dates, "--output", "x.csv"]
    )
    assert code == 1
    assert "no view log database" in capsys.readouterr().err

    code, _ = _export_cli([*base, *dates, "--threshold", "-1", "--output", "x.csv"])
    assert code == 2
    assert "threshold" in capsys.readouterr().err


def test_export_command_reads_the_threshold_from_settings(
    statistics: Statistics, database: tuple[str, Engine], tmp_path: Path
) -> None:
    url, _ = database
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_text("[staff]\nsmall_count_threshold = 0\n")
    output = tmp_path / "raw.csv"
    argv = ["--data-dir", str(data), "--database", url, "--format", "csv"]
    code, _ = _export_cli(
        [*argv, "--from", "2026-11-01", "--to", "2026-11-30", "--output", str(output)]
    )
    assert code == 0
    text = output.read_text()
    assert "<11" not in text and SECONDARY_MARK not in text


# --- exports in a child process (what the kiosk's export panel uses) ---


def test_export_in_a_child_process_gives_the_same_file(
    statistics: Statistics, tmp_path: Path
) -> None:
    from kiosk.stats.export_process import export_in_child

    here = export(statistics, SPAN, Grouping.WEEK, ExportFormat.CSV, tmp_path / "here.csv", 11)
    there = export_in_child(
        statistics.url, SPAN, Grouping.WEEK, ExportFormat.CSV, tmp_path / "there.csv", 11
    )
    assert there.path == tmp_path / "there.csv"
    assert (there.rows, there.small_cells, there.secondary_cells, there.left_out) == (
        here.rows,
        here.small_cells,
        here.secondary_cells,
        here.left_out,
    )
    assert there.path.read_bytes() == here.path.read_bytes()


def test_export_in_a_child_process_reports_failures(statistics: Statistics, tmp_path: Path) -> None:
    from kiosk.stats.export_process import export_in_child
    from kiosk.viewlog.store import StorageUnavailable

    with pytest.raises(ExportFailed, match="does not exist"):
        export_in_child(
            statistics.url, SPAN, Grouping.DAY, ExportFormat.XLSX, tmp_path / "no" / "x.xlsx", 11
        )
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_bytes(b"this is not SQLite" * 100)
    with pytest.raises(StorageUnavailable, match="not a database"):
        export_in_child(
            f"sqlite:///{not_a_database}",
            SPAN,
            Grouping.DAY,
            ExportFormat.CSV,
            tmp_path / "x.csv",
            11,
        )
