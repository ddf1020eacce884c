"""An unexpected WARNING or ERROR log record fails the test that caused it (qutebrowser's
tests/helpers/logfail.py), so a fallback path cannot go wrong silently in a test.

A test that expects such records says so: by using pytest's `caplog` (and checking what it
caught), or with `@pytest.mark.expected_logs("text", ...)`, which allows the records whose
message contains one of the texts, when it only needs the kiosk to carry on.
Records are collected while the test runs and reported when it ends, not raised from inside
the code that logged them (which may be a worker thread or a Qt slot).
"""

from __future__ import annotations

import logging
import threading


class LogFailHandler(logging.Handler):
    """Collects every record at WARNING or above, from any thread."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self._lock_records = threading.Lock()
        self._records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        with self._lock_records:
            self._records.append(record)

    def unexpected(self, expected: list[tuple[str, ...]]) -> str:
        """The records caught that no `expected_logs(*texts)` allows, one a line ("" if none).

        A record is allowed when its message contains one of a marker's texts; a marker
        without texts allows every record."""
        if any(not texts for texts in expected):
            return ""
        allowed = [text for texts in expected for text in texts]
        with self._lock_records:
            records = list(self._records)
        return "\n".join(
            f"{r.levelname} {r.name}: {r.getMessage()} ({r.pathname}:{r.lineno})"
            for r in records
            if not any(text in r.getMessage() for text in allowed)
        )
