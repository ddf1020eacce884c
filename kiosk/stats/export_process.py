"""Exports in a child process, so the kiosk's GUI thread never waits on them.

A worker thread is not enough: openpyxl holds Python's GIL for 150 ms and more at a time
while it writes a year of rows, and the garbage it leaves sets off full collections that
pause every thread (measured by bench/bench_stats.py). A child process shares neither.

    python -m kiosk.stats.export_process URL FROM TO BY FORMAT PATH THRESHOLD
prints the ExportResult as JSON; exit 3 means ExportFailed, 4 the database was unavailable.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from kiosk.paths import PROJECT_ROOT
from kiosk.stats.export import ExportFailed, ExportResult, export
from kiosk.stats.hourly import open_statistics
from kiosk.stats.kinds import ExportFormat, Grouping
from kiosk.stats.queries import DateRange
from kiosk.viewlog.store import StorageUnavailable, classify

EXIT_EXPORT_FAILED = 3
EXIT_UNAVAILABLE = 4
TIMEOUT_SECONDS = 600


def export_in_child(
    url: str,
    span: DateRange,
    by: Grouping,
    fmt: ExportFormat,
    path: Path,
    threshold: int,
    timeout: float = TIMEOUT_SECONDS,
) -> ExportResult:
    """Run `export` in a fresh Python process and wait for it (call off the GUI thread)."""
    command = [
        sys.executable,
        "-m",
        "kiosk.stats.export_process",
        url,
        span.start.isoformat(),
        span.end.isoformat(),
        str(by),
        str(fmt),
        str(path),
        str(threshold),
    ]
    try:
        done = subprocess.run(
            command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise ExportFailed(
            f"the export took longer than {timeout:.0f} s and was stopped"
        ) from error
    message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    if done.returncode == 0:
        data = json.loads(done.stdout)
        data["path"] = Path(data["path"])
        data["left_out"] = tuple(data["left_out"])
        return ExportResult(**data)
    if done.returncode == EXIT_EXPORT_FAILED:
        raise ExportFailed(message)
    if done.returncode == EXIT_UNAVAILABLE:
        raise StorageUnavailable(message)
    raise RuntimeError(f"the export process failed (exit {done.returncode}):\n{done.stderr}")


def main(argv: list[str]) -> int:
    url, start, end, by, fmt, path, threshold = argv
    try:
        statistics = open_statistics(url)
    except SQLAlchemyError as error:
        if classify(error) is None:
            raise
        print(getattr(error, "orig", None) or error, file=sys.stderr)
        return EXIT_UNAVAILABLE
    try:
        result = export(
            statistics,
            DateRange(date.fromisoformat(start), date.fromisoformat(end)),
            Grouping(by),
            ExportFormat(fmt),
            Path(path),
            int(threshold),
        )
    except ExportFailed as error:
        print(error, file=sys.stderr)
        return EXIT_EXPORT_FAILED
    except SQLAlchemyError as error:
        if classify(error) is None:
            raise
        print(getattr(error, "orig", None) or error, file=sys.stderr)
        return EXIT_UNAVAILABLE
    finally:
        statistics.dispose()
    record = asdict(result)
    record["path"] = str(result.path)
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
