"""The view log's writer: the GUI thread only enqueues; a worker thread commits in batches.

This module imports no SQLAlchemy: the writer thread loads the storage code itself, so
opening the kiosk's first screen never waits for a database library to import.

Events are folded into hourly counters in memory and committed at most FLUSH_SECONDS late.
If the database cannot be written (disk full, read-only, locked) the counters wait in a
bounded buffer and the write is retried with back-off; nothing already committed is touched.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from kiosk.clock import Clock
from kiosk.viewlog.counters import InteractionKey, ViewKey, VisitKey
from kiosk.viewlog.events import Event, TopicViewed, VisitStarted

if TYPE_CHECKING:
    from sqlalchemy import Engine

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 1.0
RETRY_FIRST_SECONDS = 1.0
RETRY_MAX_SECONDS = 60.0
# Distinct counters held while the database is unavailable. A day of heavy use makes a few
# hundred; this bound is weeks of outage before anything is dropped.
MAX_PENDING_COUNTERS = 20_000

_Key = TypeVar("_Key", VisitKey, InteractionKey)


@dataclass(frozen=True, slots=True)
class LogStatus:
    """What the staff health panel shows."""

    ready: bool
    last_write: datetime | None
    pending_counters: int
    dropped_events: int
    problem: str | None
    quarantined: tuple[str, ...]


@dataclass
class _Pending:
    visits: dict[VisitKey, int]
    views: dict[ViewKey, list[int]]  # views, seconds in all
    interactions: dict[InteractionKey, int]

    @classmethod
    def empty(cls) -> _Pending:
        return cls({}, {}, {})

    def __len__(self) -> int:
        return len(self.visits) + len(self.views) + len(self.interactions)

    def add(self, kiosk_id: str, event: Event) -> bool:
        """Fold one event in; False if it would need a new counter and the buffer is full."""
        if isinstance(event, VisitStarted):
            return self._bump(self.visits, VisitKey(event.when.day, event.when.hour, kiosk_id), 1)
        if isinstance(event, TopicViewed):
            key = ViewKey(
                event.when.day,
                event.when.hour,
                kiosk_id,
                event.topic_id,
                event.language,
                event.read_aloud,
                event.large_text,
                event.high_contrast,
            )
            if key not in self.views and len(self) >= MAX_PENDING_COUNTERS:
                return False
            totals = self.views.setdefault(key, [0, 0])
            totals[0] += 1
            totals[1] += event.seconds
            return True
        interaction = InteractionKey(
            event.when.day,
            event.when.hour,
            kiosk_id,
            event.kind.value,
            event.topic_id,
            event.language,
        )
        return self._bump(self.interactions, interaction, 1)

    def _bump(self, table: dict[_Key, int], key: _Key, amount: int) -> bool:
        if key not in table and len(self) >= MAX_PENDING_COUNTERS:
            return False
        table[key] = table.get(key, 0) + amount
        return True


class _Flush:
    """A request, from another thread, to write everything now and say when it is done."""

    def __init__(self, stop: bool = False) -> None:
        self.stop = stop
        self.done = threading.Event()


class ViewLog:
    """Records anonymous events without ever blocking the caller.

    `record()` is safe from any thread and takes microseconds. `flush()` and `close()` wait
    for the writer and belong at shutdown or in tests, never in a GUI slot.
    """

    def __init__(
        self,
        url: str,
        kiosk_id: str,
        clock: Clock,
        *,
        strict: bool = False,
        on_status: Callable[[LogStatus], None] | None = None,
    ) -> None:
        self._queue: queue.SimpleQueue[Event | _Flush] = queue.SimpleQueue()
        self._writer = _Writer(url, kiosk_id, clock, strict=strict, on_status=on_status)
        self._thread = threading.Thread(
            target=self._writer.run, args=(self._queue,), name="view-log-writer", daemon=True
        )

    def start(self) -> None:
        """Start writing. Events recorded before this wait in the queue; the kiosk starts
        the writer once its first screen is painted (the database code takes ~0.3 s to load)."""
        if not self._thread.is_alive() and self._thread.ident is None:
            self._thread.start()

    def record(self, event: Event) -> None:
        self._queue.put(event)

    @property
    def status(self) -> LogStatus:
        return self._writer.status

    def flush(self, timeout: float = 10.0) -> bool:
        """Write everything recorded so far; True if it reached the database."""
        self.start()
        request = _Flush()
        self._queue.put(request)
        finished = request.done.wait(timeout)
        self._writer.raise_bug()
        return finished and self.status.pending_counters == 0

    def close(self, timeout: float = 10.0) -> None:
        """Write what is pending and stop the writer (a clean exit loses nothing)."""
        self.start()
        if self._thread.is_alive():
            request = _Flush(stop=True)
            self._queue.put(request)
            request.done.wait(timeout)
            self._thread.join(timeout)
        left = self.status.pending_counters
        if left:
            logger.error(
                "view log closed with %d counters unwritten: %s", left, self.status.problem
            )
        self._writer.raise_bug()


class _Writer:
    """The writer thread's state. Only `status` and `raise_bug` are used from other threads."""

    def __init__(
        self,
        url: str,
        kiosk_id: str,
        clock: Clock,
        *,
        strict: bool,
        on_status: Callable[[LogStatus], None] | None,
    ) -> None:
        self._url = url
        self._kiosk_id = kiosk_id
        self._clock = clock
        # In tests a bug in the storage code must fail the test, not be logged and dropped.
        self._strict = strict
        self._on_status = on_status
        self._engine: Engine | None = None
        self._pending = _Pending.empty()
        self._oldest: float | None = None  # when the oldest unwritten event arrived
        self._retry_at: float | None = None
        self._backoff = RETRY_FIRST_SECONDS
        self._problem: str | None = None
        self._last_write: datetime | None = None
        self._dropped = 0
        self._quarantined: list[str] = []
        self._bug: BaseException | None = None
        self._lock = threading.Lock()
        self._status = LogStatus(False, None, 0, 0, None, ())

    @property
    def status(self) -> LogStatus:
        with self._lock:
            return self._status

    def raise_bug(self) -> None:
        if self._strict and self._bug is not None:
            bug, self._bug = self._bug, None
            raise bug

    def run(self, inbox: queue.SimpleQueue[Event | _Flush]) -> None:
        # Check and open the database at once, so damage is found at start-up.
        self._attempt()
        stopping = False
        while not stopping:
            try:
                item: Event | _Flush | None = inbox.get(timeout=self._wait())
            except queue.Empty:
                item = None
            requests: list[_Flush] = []
            while item is not None:
                if isinstance(item, _Flush):
                    requests.append(item)
                    stopping = stopping or item.stop
                else:
                    self._add(item)
                try:
                    item = inbox.get_nowait()
                except queue.Empty:
                    item = None
            if requests or self._due():
                self._attempt()
            for request in requests:
                request.done.set()
        if self._engine is not None:
            self._engine.dispose()

    def _add(self, event: Event) -> None:
        if self._pending.add(self._kiosk_id, event):
            if self._oldest is None:
                self._oldest = self._clock.monotonic()
            return
        self._dropped += 1
        if self._dropped == 1 or self._dropped % 1000 == 0:
            logger.error(
                "view log buffer is full while the database is unavailable; "
                "%d events dropped so far",
                self._dropped,
            )

    def _wait(self) -> float | None:
        """Seconds until there is something to do without new events (None: nothing)."""
        if self._retry_at is not None:
            return max(0.0, self._retry_at - self._clock.monotonic())
        if self._oldest is not None:
            return max(0.0, self._oldest + FLUSH_SECONDS - self._clock.monotonic())
        return None

    def _due(self) -> bool:
        now = self._clock.monotonic()
        if self._retry_at is not None:
            return now >= self._retry_at
        return self._oldest is not None and now - self._oldest >= FLUSH_SECONDS

    def _attempt(self) -> None:
        problem = self._write()
        if problem is None:
            if self._problem is not None:
                logger.warning("view log is writing again after: %s", self._problem)
            self._retry_at, self._backoff = None, RETRY_FIRST_SECONDS
        else:
            if problem != self._problem:
                logger.error("view log cannot write, will retry: %s", problem)
            self._retry_at = self._clock.monotonic() + self._backoff
            self._backoff = min(self._backoff * 2, RETRY_MAX_SECONDS)
        self._problem = problem
        status = LogStatus(
            self._engine is not None,
            self._last_write,
            len(self._pending),
            self._dropped,
            problem,
            tuple(self._quarantined),
        )
        with self._lock:
            self._status = status
        if self._on_status is not None:
            self._on_status(status)

    def _write(self) -> str | None:
        """Open the database if needed and commit; None on success, else the problem."""
        from kiosk.viewlog import store

        try:
            if self._engine is None:
                self._engine, moved = store.open_database(self._url, self._clock.now())
                if moved is not None:
                    self._quarantined.extend(p.name for p in moved.moved)
            if len(self._pending):
                store.commit_counters(
                    self._engine,
                    self._pending.visits,
                    self._pending.views,
                    self._pending.interactions,
                )
                self._last_write = self._clock.now()
                self._clear()
                store.checkpoint(self._engine)
            return None
        except store.StorageUnavailable as error:
            return str(error)
        except Exception as error:
            kind = store.classify(error)
            if kind is store.StorageUnavailable:
                return str(getattr(error, "orig", None) or error)
            if kind is store.StorageCorrupt:
                try:
                    self._replace_corrupt(str(error))
                except OSError as move_error:  # a read-only folder: keep the events, retry
                    return f"the database is damaged and could not be moved aside: {move_error}"
                return f"the database was damaged and has been moved aside: {error}"
            logger.exception("bug in the view log writer; dropping %d counters", len(self._pending))
            self._bug = error
            self._clear()
            # Shown to staff on the health page; the next batch tries again.
            return f"bug in the view log writer, counters dropped: {error}"

    def _clear(self) -> None:
        self._pending = _Pending.empty()
        self._oldest = None

    def _replace_corrupt(self, reason: str) -> None:
        from kiosk.viewlog import store

        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        path = store.sqlite_file(self._url)
        if path is not None:
            moved = store.quarantine(path, reason, self._clock.now())
            self._quarantined.extend(p.name for p in moved.moved)
