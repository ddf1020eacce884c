"""The kiosk's side of the fleet: a thread of its own that pushes every few minutes.

Its own thread, not the view-log writer's: a push waits on the network (a connect timeout is
10 s, a slow server longer), and on the writer's thread that wait would hold back the
writes of every visit meanwhile. The pusher only reads the local database (WAL lets it read
while the writer writes) and writes its own two small tables.

A server that is down, refusing or unreachable costs the kiosk nothing: retries back off
from 30 s to 30 min with jitter (so 500 kiosks do not return at the same second), and the
log gets one line per change of state, never one per retry.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.clock import Clock
from kiosk.fleet.credentials import CredentialsProblem, credentials_path, load_credentials
from kiosk.settings import FleetSettings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kiosk.fleet.content import BundleFetcher
    from kiosk.fleet.push import Heartbeat

logger = logging.getLogger(__name__)

RETRY_FIRST_SECONDS = 30.0
RETRY_MAX_SECONDS = 30 * 60.0
JITTER = 0.2  # each wait is drawn from +-20% around the back-off


@dataclass(frozen=True, slots=True)
class FleetStatus:
    """What the staff health page shows (no credentials, ever)."""

    server: str  # host and database, without user or password
    last_success: datetime | None = None
    hours_waiting: int | None = None  # None: not known yet
    problem: str | None = None


def describe_server(url: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.host or 'localhost'}{port}/{parsed.database or ''}"


# SQLSTATE classes that are the server's set-up, not the push code's fault: integrity
# (23: a constraint or the counts-never-fall trigger), authorisation (28), and access
# rule or schema (42: row-level security, a missing grant, a schema `fleet init` would fix).
ENVIRONMENTAL_SQLSTATE_CLASSES = ("23", "28", "42")


def sqlstate(error: BaseException) -> str | None:
    original = getattr(error, "orig", None) or error
    state = getattr(original, "sqlstate", None)
    return state if isinstance(state, str) else None


def safe_message(error: BaseException) -> str:
    """The server's or driver's own words, never SQLAlchemy's str(): that one quotes the
    statement and its parameters (a push's rows) into the log and the health page."""
    from sqlalchemy.exc import SQLAlchemyError

    original = getattr(error, "orig", None) or error
    diag = getattr(original, "diag", None)
    # The primary message only: DETAIL may quote a row's values, CONTEXT a statement.
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    if isinstance(primary, str) and primary:
        return " ".join(primary.split())
    if original is error and isinstance(error, SQLAlchemyError):
        return type(error).__name__
    return " ".join(str(original).split())


def describe_failure(error: BaseException) -> str:
    """A line an IT person can act on, without the password (libpq's messages hold none)."""
    message = safe_message(error)
    state = sqlstate(error)
    # libpq reports a refused login as text only (no SQLSTATE reaches the client while the
    # connection is being set up), so this one case is recognised by its words.
    if state == "28P01" or "password authentication failed" in message:
        return f"the server refused this kiosk's password (check its credentials file): {message}"
    if (state is not None and state.startswith("28")) or "no pg_hba.conf entry" in message:
        return f"the server does not let this kiosk in (pg_hba.conf, certificate): {message}"
    if state is not None and state.startswith("42"):
        return (
            "the server refused the push (role rights, row-level security, the credentials "
            f"file's user, schema: run fleet init?): {message}"
        )
    if state is not None and state.startswith("23"):
        return f"the server refused the pushed counts (a constraint or trigger): {message}"
    if isinstance(error, CredentialsProblem):
        return f"fleet credentials: {message}"
    if isinstance(error, ImportError):
        return f"the PostgreSQL driver is missing (install ketamine-kiosk[fleet]): {message}"
    return f"cannot reach the fleet server: {message}"


class FleetLink:
    """One push attempt at a time, with its back-off and status. No thread: the pusher's
    thread calls `attempt()`, tests call it directly with a manual clock."""

    def __init__(
        self,
        settings: FleetSettings,
        kiosk_id: str,
        local_url: str,
        data_dir: Path,
        clock: Clock,
        heartbeat: Callable[[], Heartbeat] | None = None,
        *,
        rng: random.Random | None = None,
        content: BundleFetcher | None = None,
    ) -> None:
        self._settings = settings
        self._kiosk_id = kiosk_id
        self._local_url = local_url
        self._credentials_file = credentials_path(settings.credentials_file, data_dir)
        self._clock = clock
        self._heartbeat = heartbeat
        self._rng = rng or random.Random()
        self._content = content
        self._content_problem: str | None = None
        self._warned_unverified = False  # once per run, not at every reconnect
        self._backoff = 0.0  # 0: the last attempt worked
        self._central: Engine | None = None
        self._lock = threading.Lock()
        self._status = FleetStatus(describe_server(settings.url))
        self.attempts = 0
        # Tests: called between batches of a push, to kill the server mid-push.
        self.between_batches: Callable[[], None] | None = None

    @property
    def status(self) -> FleetStatus:
        with self._lock:
            return self._status

    def attempt(self) -> float:
        """Push once; the seconds to wait before the next attempt."""
        from kiosk.fleet import push
        from kiosk.fleet.local import acknowledge
        from kiosk.viewlog.store import create_database_engine, sqlite_file

        self.attempts += 1
        path = sqlite_file(self._local_url)
        if path is not None and not path.exists():
            return float(self._settings.interval_seconds)  # the view log has not started yet
        local = create_database_engine(self._local_url)
        try:
            now = self._clock.now()
            snapshot = push.take_snapshot(local, now)
            if snapshot is None:
                return float(self._settings.interval_seconds)
            with self._lock:
                self._status = replace(self._status, hours_waiting=snapshot.changed_hours)
            central = self._central_engine()
            beat = self._heartbeat() if self._heartbeat is not None else None
            push.send(central, self._kiosk_id, snapshot, beat, now, self.between_batches)
            with local.begin() as connection:
                acknowledge(connection, snapshot)
        except Exception as error:
            return self._failed(error)
        finally:
            local.dispose()
        self._succeeded()
        if self._content is not None:
            self._fetch_content(central)
        return float(self._settings.interval_seconds)

    def _fetch_content(self, central: Engine) -> None:
        """A newer published bundle, if any. Its failure is not the push's: the counts are
        in, so the push's status stays good, and the next push asks again."""
        assert self._content is not None
        try:
            self._content.fetch(central)
        except Exception as error:
            problem = describe_failure(error)
            if _kind(problem) != _kind(self._content_problem):
                logger.error("fleet content could not be fetched, will ask again: %s", problem)
            self._content_problem = problem
        else:
            self._content_problem = None

    def _central_engine(self) -> Engine:
        from kiosk.fleet import central

        if self._central is None:
            from sqlalchemy.engine import make_url

            credentials = load_credentials(self._credentials_file, self._kiosk_id)
            s = self._settings
            tls = central.tls_arguments(s.ca_file, s.cert_file, s.key_file)
            if make_url(s.url).query.get("sslmode"):
                tls.pop("sslmode")  # the URL's own choice (the tests' loopback server: disable)
            elif not s.ca_file and not self._warned_unverified:
                self._warned_unverified = True
                logger.warning(
                    "fleet server %s is not verified: no ca_file is set, so the link is "
                    "encrypted but anyone in between could pose as the server",
                    self._status.server,
                )
            self._central = central.connect(
                s.url, user=credentials.user, password=credentials.password, connect_args=tls
            )
        return self._central

    def _succeeded(self) -> None:
        before = self.status
        if before.problem is not None:
            logger.warning("fleet push to %s is working again", before.server)
        elif before.last_success is None:
            logger.info("fleet: first push to %s done", before.server)
        self._backoff = 0.0
        with self._lock:
            self._status = replace(
                before, last_success=self._clock.now(), hours_waiting=0, problem=None
            )

    def _failed(self, error: BaseException) -> float:
        from kiosk.viewlog.store import classify

        problem = describe_failure(error)
        state = sqlstate(error) or ""
        environmental = (
            isinstance(error, CredentialsProblem | ImportError)
            or state[:2] in ENVIRONMENTAL_SQLSTATE_CLASSES
            or classify(error) is not None
        )
        if not environmental:
            # Not the network or the server: the push code's own fault. Logged with its
            # traceback once per kind, and retried like the rest (the kiosk goes on).
            problem = f"unexpected error in the fleet push: {safe_message(error)}"
        before = self.status
        if _kind(problem) != _kind(before.problem):
            log = logger.error if environmental else logger.exception
            log("fleet push to %s failed, will retry with back-off: %s", before.server, problem)
        if isinstance(error, CredentialsProblem) and self._central is not None:
            self._central.dispose()
        self._central = None  # credentials re-read next time: someone may have fixed them
        self._backoff = min(max(self._backoff * 2, RETRY_FIRST_SECONDS), RETRY_MAX_SECONDS)
        with self._lock:
            self._status = replace(before, problem=problem)
        return self._backoff * self._rng.uniform(1 - JITTER, 1 + JITTER)

    def close(self) -> None:
        if self._central is not None:
            self._central.dispose()
            self._central = None


def _kind(problem: str | None) -> str | None:
    """The part of a problem that names its kind: a new port number in the message of a
    refused connection is not a new state worth a log line."""
    return problem.split(":", 1)[0] if problem else None


class FleetPusher:
    """Runs a FleetLink on a daemon thread: at start, then every interval or back-off."""

    def __init__(self, link: FleetLink) -> None:
        self.link = link
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fleet-pusher", daemon=True)

    @property
    def status(self) -> FleetStatus:
        return self.link.status

    def start(self) -> None:
        if self._thread.ident is None:
            self._thread.start()

    def push_now(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop waiting; a push under way finishes or times out on its own (daemon thread)."""
        self._stopping.set()
        self._wake.set()
        if self._thread.ident is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            wait = self.link.attempt()
            self._wake.wait(wait)
            self._wake.clear()
        self.link.close()
