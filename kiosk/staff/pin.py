"""The staff PIN: a salted scrypt hash in the data folder, and throttled attempts kept on disk.

There is no default PIN: until `staff set-pin` has been run, `is_set()` is False and nobody
gets in. Failed attempts are counted on disk, so restarting the kiosk does not reset them,
and after FREE_ATTEMPTS failures every attempt waits longer (NIST SP 800-63B 5.2.2).

The count is kept twice, in the attempts file and in the PIN file, and the larger is
believed: deleting one file does not reset it, and deleting the PIN file lets nobody in.
When neither can be written (a full disk, a read-only folder) the count lives on in memory,
the throttle still holds, the right PIN still opens the staff area (which is when staff
need its health page), and `storage_problem` says what is wrong.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import itertools
import json
import logging
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

from kiosk.atomic import write_atomically
from kiosk.clock import Clock

logger = logging.getLogger(__name__)

PIN_FILE = "staff-pin.json"
ATTEMPTS_FILE = "staff-pin-attempts.json"
MIN_DIGITS = 6
MAX_DIGITS = 12
FREE_ATTEMPTS = 5
FIRST_WAIT_SECONDS = 30
MAX_WAIT_SECONDS = 3600
SALT_BYTES = 16
HASH_BYTES = 32

# PINs people choose most often (published analyses of leaked PIN sets) that the shape rules
# below do not already catch: keypad lines and columns, doubled pairs, years, "mirror" PINs.
COMMON_PINS = frozenset(
    {
        "112233",
        "123321",
        "147258",
        "147852",
        "159357",
        "159753",
        "258369",
        "258456",
        "369258",
        "456789",
        "520520",
        "147369",
        "789456",
        "123789",
        "102030",
        "100200",
        "198519",
        "199119",
        "696969",
        "202020",
        "142536",
        "654123",
        "321654",
        "741852",
        "852963",
        "963852",
        "987654321",
        "1234567890",
        "0987654321",
    }
)


@dataclass(frozen=True, slots=True)
class ScryptCost:
    """scrypt's work factors. OWASP's choice is N=2^17, r=8, p=1 (128 MiB, ~0.4 s here)."""

    n: int = 2**17
    r: int = 8
    p: int = 1

    @property
    def maxmem(self) -> int:
        # OpenSSL needs 128*r*(N+p+2) bytes and refuses anything over maxmem (default 32 MiB).
        return 128 * self.r * (self.n + self.p + 2) + 1024 * 1024


OWASP_COST = ScryptCost()


class WeakPin(ValueError):
    """The PIN is too short, not all digits, or one that people commonly choose."""


class PinState(Enum):
    NOT_SET = "not-set"
    READY = "ready"
    THROTTLED = "throttled"
    DAMAGED = "damaged"


@dataclass(frozen=True, slots=True)
class PinStatus:
    """What the PIN pad shows before anyone types."""

    state: PinState
    wait_seconds: int
    failures: int


@dataclass(frozen=True, slots=True)
class PinCheck:
    """The outcome of one attempt. `wait_seconds` is the wait before the next one may be tried."""

    ok: bool
    state: PinState
    wait_seconds: int
    failures: int


def pin_problem(pin: str) -> str | None:
    """Why a PIN must not be used, or None if it is acceptable."""
    if not pin.isascii() or not pin.isdigit():
        return "The PIN must contain digits only."
    if len(pin) < MIN_DIGITS:
        return f"The PIN must have at least {MIN_DIGITS} digits."
    if len(pin) > MAX_DIGITS:
        return f"The PIN must have at most {MAX_DIGITS} digits."
    if len(set(pin)) < 3:
        return "The PIN uses too few different digits (like 111111 or 121212)."
    if _repeats_a_pattern(pin):
        return "The PIN repeats a short pattern (like 123123)."
    if _is_sequence(pin):
        return "The PIN is a run of digits (like 123456 or 654321)."
    if pin in COMMON_PINS or pin == pin[::-1]:
        return "That PIN is one people commonly choose; pick a less obvious one."
    return None


def _repeats_a_pattern(pin: str) -> bool:
    return any(
        len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size)
        for size in range(1, len(pin) // 2 + 1)
    )


def _is_sequence(pin: str) -> bool:
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    # Steps of +1 or -1 (wrapping, so 789012 counts) and the +2/-2 runs such as 135791.
    return len(steps) == 1 and steps <= {1, 9, 2, 8}


def wait_after(failures: int) -> int:
    """Seconds to wait after this many failures in a row: none at first, then doubling."""
    if failures < FREE_ATTEMPTS:
        return 0
    doubled: int = FIRST_WAIT_SECONDS * 2 ** min(failures - FREE_ATTEMPTS, 16)
    return min(doubled, MAX_WAIT_SECONDS)


class PinStore:
    """Sets and checks the staff PIN. Blocking (scrypt takes ~0.4 s): call it off the GUI thread."""

    def __init__(self, folder: Path, clock: Clock, cost: ScryptCost = OWASP_COST) -> None:
        self._folder = folder
        self._clock = clock
        self._cost = cost
        # Attempts are read, counted and written as one step: two at once must not both
        # read "4 failures" and both write 5. The file lock covers other processes too.
        self._lock = threading.Lock()
        self._remembered: _Attempts = _Attempts(0, None)
        self.storage_problem: str | None = None

    @property
    def pin_file(self) -> Path:
        return self._folder / PIN_FILE

    @property
    def attempts_file(self) -> Path:
        return self._folder / ATTEMPTS_FILE

    def is_set(self) -> bool:
        return self.pin_file.exists()

    def set_pin(self, pin: str) -> None:
        """Store a new PIN (raises WeakPin) and forget earlier failed attempts."""
        problem = pin_problem(pin)
        if problem is not None:
            raise WeakPin(problem)
        self._store(pin)

    def _store(self, pin: str) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        salt = secrets.token_bytes(SALT_BYTES)
        record = {
            "version": 1,
            "algorithm": "scrypt",
            "n": self._cost.n,
            "r": self._cost.r,
            "p": self._cost.p,
            "salt": salt.hex(),
            "hash": _scrypt(pin, salt, self._cost).hex(),
        }
        # Under the lock: a kiosk saving a failed attempt rewrites this file too, and must not
        # write the old hash back over the new one.
        with self._locked():
            text = json.dumps(record, indent=2).encode()
            write_atomically(self.pin_file, lambda f: f.write(text))
            self._remembered = _Attempts(0, None)
            self._save_attempts(self._remembered)

    def status(self) -> PinStatus:
        if not self.is_set():
            return PinStatus(PinState.NOT_SET, 0, 0)
        if self._load_record() is None:
            return PinStatus(PinState.DAMAGED, 0, 0)
        with self._locked():
            attempts = self._current_attempts()
        wait = self._wait(attempts)
        state = PinState.THROTTLED if wait > 0 else PinState.READY
        return PinStatus(state, wait, attempts.failures)

    def verify(self, pin: str) -> PinCheck:
        """Check an attempt. While a wait is running the attempt is refused unchecked."""
        record = self._load_record()
        if record is None:
            state = PinState.DAMAGED if self.is_set() else PinState.NOT_SET
            return PinCheck(False, state, 0, 0)
        with self._locked():
            attempts = self._current_attempts()
            wait = self._wait(attempts)
            if wait > 0:
                return PinCheck(False, PinState.THROTTLED, wait, attempts.failures)
            # Counted as a failure before the slow check, so that killing the kiosk mid-check
            # does not make an attempt free; a right PIN clears it again.
            failures = attempts.failures + 1
            wait = wait_after(failures)
            until = self._clock.now() + timedelta(seconds=wait) if wait else None
            self._remembered = _Attempts(failures, until)
            self._save_attempts(self._remembered)
        salt, expected, cost = record
        if hmac.compare_digest(_scrypt(pin, salt, cost), expected):
            with self._locked():
                self._remembered = _Attempts(0, None)
                self._save_attempts(self._remembered)
            if cost != self._cost:
                # Hashes made with older work factors are upgraded on the next good PIN,
                # even if the PIN rules have tightened since it was set.
                try:
                    self._store(pin)
                except OSError as error:  # the old hash still works; upgrade next time
                    logger.error("cannot upgrade the staff PIN hash: %s", error)
            return PinCheck(True, PinState.READY, 0, 0)
        logger.warning("wrong staff PIN entered (%d failures in a row)", failures)
        state = PinState.THROTTLED if wait else PinState.READY
        return PinCheck(False, state, wait, failures)

    def _wait(self, attempts: _Attempts) -> int:
        """Seconds still to wait before the next attempt may be checked."""
        if attempts.until is None:
            return 0
        left = (attempts.until - self._clock.now()).total_seconds()
        # A clock set backwards must not lock staff out for longer than the longest wait.
        left = min(left, wait_after(attempts.failures), MAX_WAIT_SECONDS)
        return max(0, int(left + 0.999))

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock:
            try:
                # The folder itself is locked: the files are replaced whole, so a lock on
                # one of them would be on an inode that is gone after the next write.
                descriptor = os.open(self._folder, os.O_RDONLY | os.O_DIRECTORY)
            except OSError:  # no folder yet: there is nothing to race over
                yield
                return
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX)
                yield
            finally:
                os.close(descriptor)  # closing releases the lock

    def _current_attempts(self) -> _Attempts:
        """The worst of what the two files and this process's memory say."""
        found = [self._remembered, self._attempts_in(self.attempts_file)]
        found.append(self._attempts_in(self.pin_file))
        worst = max(found, key=lambda a: (a.failures, a.until or datetime.min))
        if worst.damaged:  # write the fail-closed count, so its wait runs from now, once
            self._remembered = _Attempts(worst.failures, worst.until)
            self._save_attempts(self._remembered)
        return worst

    def _load_record(self) -> tuple[bytes, bytes, ScryptCost] | None:
        try:
            data = json.loads(self.pin_file.read_bytes())
            if data.get("algorithm") != "scrypt":
                raise ValueError(f"unknown algorithm {data.get('algorithm')!r}")
            cost = ScryptCost(int(data["n"]), int(data["r"]), int(data["p"]))
            return bytes.fromhex(data["salt"]), bytes.fromhex(data["hash"]), cost
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            logger.error("staff PIN file %s cannot be used: %s", self.pin_file, error)
            return None

    def _attempts_in(self, path: Path) -> _Attempts:
        """The count one file holds; a damaged one counts as FREE_ATTEMPTS (fail closed)."""
        try:
            data: Any = json.loads(path.read_bytes())
            failures = data.get("failures", 0) if path == self.pin_file else data["failures"]
            until = data.get("locked_until")
            if type(failures) is not int or failures < 0:
                raise ValueError(f"failures must be a whole number of at least 0: {failures!r}")
            return _Attempts(failures, datetime.fromisoformat(until) if until else None)
        except FileNotFoundError:
            return _Attempts(0, None)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            # Fail closed: a damaged counter must not hand out free attempts.
            logger.error("staff PIN attempts in %s are damaged: %s", path, error)
            until = self._clock.now() + timedelta(seconds=wait_after(FREE_ATTEMPTS))
            return _Attempts(FREE_ATTEMPTS, until, damaged=True)

    def _save_attempts(self, attempts: _Attempts) -> None:
        """Write the count to both files; if neither can be written, memory keeps it."""
        counts = {
            "failures": attempts.failures,
            "locked_until": attempts.until.isoformat() if attempts.until else None,
        }
        problems: list[str] = []
        try:
            write_atomically(self.attempts_file, lambda f: f.write(json.dumps(counts).encode()))
        except OSError as error:
            problems.append(f"{self.attempts_file.name}: {error.strerror or error}")
        try:
            record = json.loads(self.pin_file.read_bytes())
            record.update(counts)
            text = json.dumps(record, indent=2).encode()
            write_atomically(self.pin_file, lambda f: f.write(text))
        except FileNotFoundError:
            pass  # no PIN set: nothing to count against
        except (OSError, ValueError, AttributeError) as error:
            problems.append(f"{self.pin_file.name}: {getattr(error, 'strerror', None) or error}")
        problem = (
            "failed PIN attempts cannot be saved (" + "; ".join(problems) + "); counted in memory"
            if problems
            else None
        )
        if problem != self.storage_problem:
            if problem:
                logger.error("staff PIN: %s", problem)
            else:
                logger.info("staff PIN attempts are saved again")
            self.storage_problem = problem


@dataclass(frozen=True, slots=True)
class _Attempts:
    failures: int
    until: datetime | None
    damaged: bool = False


def _scrypt(pin: str, salt: bytes, cost: ScryptCost) -> bytes:
    return hashlib.scrypt(
        pin.encode(),
        salt=salt,
        n=cost.n,
        r=cost.r,
        p=cost.p,
        maxmem=cost.maxmem,
        dklen=HASH_BYTES,
    )
