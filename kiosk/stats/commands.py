"""`stats summary` and `stats export`: the dashboard's figures and exports without the kiosk."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kiosk.cli import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    add_storage_arguments,
    database_url,
    iso_date,
    paths_from,
)
from kiosk.fleet.commands import add_filter_arguments
from kiosk.settings import load_settings
from kiosk.stats.kinds import ExportFormat, Grouping

if TYPE_CHECKING:
    from sqlalchemy.exc import SQLAlchemyError

    from kiosk.stats.export import ExportResult
    from kiosk.stats.queries import Dashboard, DateRange, Statistics

# The database and export code load only when a command runs: main.py registers these
# commands on every start, including the kiosk's own, which must not wait for SQLAlchemy.


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    stats = sub.add_parser("stats", help="view statistics: a summary table or an export file")
    actions = stats.add_subparsers(dest="action", metavar="ACTION", required=True)

    summary = actions.add_parser(
        "summary",
        help="print views per topic as a table (exact counts, for staff on this computer: "
        "use 'stats export' for figures to share, with small counts hidden)",
    )
    add_storage_arguments(summary)
    add_filter_arguments(summary)
    _range_arguments(summary, required=False)
    summary.set_defaults(handler=summary_command)

    exporting = actions.add_parser(
        "export", help="write views per topic per day, week or month to a file"
    )
    add_storage_arguments(exporting)
    add_filter_arguments(exporting)
    exporting.add_argument(
        "--format",
        dest="fmt",
        required=True,
        choices=[f.value for f in ExportFormat],
        help="file format",
    )
    _range_arguments(exporting, required=True)
    exporting.add_argument(
        "--by",
        choices=[g.value for g in Grouping],
        default=Grouping.DAY.value,
        help="one row per topic per day, ISO week or month (default: day)",
    )
    exporting.add_argument(
        "--output",
        required=True,
        type=Path,
        metavar="PATH",
        help="file to write (an existing folder gets a file named after the range)",
    )
    exporting.add_argument(
        "--threshold",
        type=int,
        metavar="N",
        help="show counts 1..N-1 as '<N', after the fixed per-day noise "
        "(default: staff.small_count_threshold; 0 = exact counts, no noise)",
    )
    exporting.set_defaults(handler=export_command)


def _grouped_export(
    args: argparse.Namespace,
    span: DateRange,
    by: Grouping,
    fmt: ExportFormat,
    output: Path,
    threshold: int,
) -> ExportResult:
    from kiosk.fleet.reports import central_groups, open_central
    from kiosk.stats.export import export_grouped

    url = database_url(args)
    groups = [
        (name, open_central(url, kiosks=members))
        for name, members in central_groups(url, args.group, args.kiosk, args.site)
    ]
    try:
        return export_grouped(groups, args.group, span, by, fmt, output, threshold)
    finally:
        for _name, statistics in groups:
            statistics.dispose()


def _range_arguments(parser: argparse.ArgumentParser, required: bool) -> None:
    when = "" if required else " (default: the first day recorded)"
    parser.add_argument(
        "--from",
        dest="start",
        type=iso_date,
        required=required,
        metavar="DATE",
        help="first day" + when,
    )
    when = "" if required else " (default: the last day recorded)"
    parser.add_argument(
        "--to", dest="end", type=iso_date, required=required, metavar="DATE", help="last day" + when
    )


def _error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def _open(args: argparse.Namespace) -> Statistics | None:
    from sqlalchemy.exc import SQLAlchemyError

    from kiosk.stats.hourly import open_statistics
    from kiosk.viewlog.store import sqlite_file

    url = database_url(args)
    if args.kiosk or args.site or args.group or url.startswith("postgres"):
        from kiosk.fleet.reports import open_central

        try:
            return open_central(url, args.kiosk, args.site)
        except (SQLAlchemyError, ValueError) as error:
            _error(f"cannot use the fleet database: {error}")
            return None
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        _error(
            f"there is no view log database at {path}; has the kiosk run here? "
            "(use --data-dir or --database to point at another one)"
        )
        return None
    try:
        return open_statistics(url)
    except (SQLAlchemyError, ValueError) as error:
        _error(f"cannot use the database {url}: {error}")
        return None


def _database_problem(error: SQLAlchemyError) -> str:
    from kiosk.viewlog.store import classify

    original = getattr(error, "orig", None) or error
    if classify(error) is None:
        return f"unexpected database error: {original}"
    return f"cannot read the view log database: {original}"


def summary_command(args: argparse.Namespace, out: TextIO) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from kiosk.stats.queries import DateRange

    start: date | None = args.start
    end: date | None = args.end
    if start and end and start > end:
        _error(f"--from {start} is after --to {end}")
        return EXIT_USAGE
    statistics = _open(args)
    if statistics is None:
        return EXIT_PROBLEMS
    try:
        recorded = statistics.recorded_days()
        if recorded is None and not (start and end):
            print("No visits or views have been recorded yet.", file=out)
            return EXIT_OK
        first = start or (recorded.start if recorded else end)
        last = end or (recorded.end if recorded else start)
        assert first is not None and last is not None
        if first > last:
            _error(f"the range {first} to {last} is empty: nothing was recorded in it")
            return EXIT_USAGE
        span = DateRange(first, last)
        if args.group:
            text = _grouped_summary(args, span)
        else:
            text = format_summary(statistics.dashboard(span))
    except (SQLAlchemyError, ValueError) as error:
        _error(_database_problem(error) if isinstance(error, SQLAlchemyError) else str(error))
        return EXIT_PROBLEMS
    finally:
        statistics.dispose()
    out.write(text)
    return EXIT_OK


def _grouped_summary(args: argparse.Namespace, span: DateRange) -> str:
    """One summary table per kiosk or site, each from the central rows of its kiosks only."""
    from kiosk.fleet.reports import central_groups, open_central

    url = database_url(args)
    parts = []
    for name, members in central_groups(url, args.group, args.kiosk, args.site):
        statistics = open_central(url, kiosks=members)
        try:
            figures = statistics.dashboard(span)
        finally:
            statistics.dispose()
        if args.group == "kiosk":
            title = f"Kiosk {name}"
        else:
            title = f"Site {name or '(none)'} ({len(members)} kiosks: {', '.join(members)})"
        parts.append(f"== {title}\n{format_summary(figures)}")
    return "\n".join(parts) if parts else "No kiosk has recorded anything yet.\n"


def format_summary(figures: Dashboard) -> str:
    """Views per topic as an aligned text table, then the totals and visits."""
    header = ("Topic", "Views", "Avg seconds", "Read aloud", "Large text", "High contrast")
    rows = [
        (
            topic.topic_id,
            str(topic.totals.views),
            f"{topic.totals.average_seconds:.1f}",
            str(topic.totals.read_aloud),
            str(topic.totals.large_text),
            str(topic.totals.high_contrast),
        )
        for topic in figures.topics
    ]
    t = figures.totals
    footer = (
        "All topics",
        str(t.views),
        f"{t.average_seconds:.1f}",
        str(t.read_aloud),
        str(t.large_text),
        str(t.high_contrast),
    )
    widths = [max(len(row[i]) for row in [header, *rows, footer]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    lines = [f"Views per topic, {figures.span}", "", line(header), rule]
    lines.extend(line(row) for row in rows)
    if not rows:
        lines.append("(no topic views in this range)")
    lines += [rule, line(footer), "", f"Visits: {figures.visits}"]
    return "\n".join(lines) + "\n"


def export_command(args: argparse.Namespace, out: TextIO) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from kiosk.stats.export import ExportFailed, default_file_name, export
    from kiosk.stats.queries import DateRange

    start: date = args.start
    end: date = args.end
    if start > end:
        _error(f"--from {start} is after --to {end}")
        return EXIT_USAGE
    span = DateRange(start, end)
    fmt = ExportFormat(args.fmt)
    by = Grouping(args.by)
    threshold: int | None = args.threshold
    if threshold is None:
        settings, problems = load_settings(paths_from(args).settings_file)
        for problem in problems:
            print(f"warning: {problem}", file=sys.stderr)
        threshold = settings.small_count_threshold
    elif threshold < 0:
        _error("--threshold must be 0 (off) or more")
        return EXIT_USAGE
    output: Path = args.output.expanduser()
    if output.is_dir():
        output = output / default_file_name(span, by, fmt, args.group or "")
    statistics = _open(args)
    if statistics is None:
        return EXIT_PROBLEMS
    try:
        if args.group:
            result = _grouped_export(args, span, by, fmt, output, threshold)
        else:
            result = export(statistics, span, by, fmt, output, threshold)
    except (ExportFailed, ValueError) as error:
        _error(str(error))
        return EXIT_PROBLEMS
    except SQLAlchemyError as error:
        _error(_database_problem(error))
        return EXIT_PROBLEMS
    finally:
        statistics.dispose()
    hidden = result.small_cells + result.secondary_cells
    noise = (
        " Each topic's counts of each day carry a fixed change of up to 2 "
        "(docs/statistics-privacy.md)."
        if result.perturbed
        else ""
    )
    print(
        f"Wrote {result.rows} rows ({result.size_bytes} bytes) to {result.path}; "
        f"checked by reading it back. {hidden} small or linked counts hidden.{noise}",
        file=out,
    )
    return EXIT_OK
