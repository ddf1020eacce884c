"""The real speech service: kiosk.speech.worker in a child process, watched and restarted.

`ProcessSpeechService` owns the worker process through a QProcess, so nothing here ever
waits: results arrive as signals on the GUI thread. It restarts the worker when it dies or
stops answering, backs off, and gives up after repeated failures, reporting the kiosk's
read-aloud as unavailable with a short reason (and trying again later). The interface it
implements is ui.read_aloud.speech.SpeechService; tests use tests/fakes/speech.py.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import itertools
import logging
import shutil
import sys
import tempfile
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from kiosk.clock import Clock, SystemClock
from kiosk.speech.protocol import (
    EngineUnavailable,
    Message,
    Ping,
    Pong,
    ProtocolError,
    Quit,
    Ready,
    SynthFailed,
    SynthRequest,
    Utterance,
    decode,
    encode,
)
from ui.read_aloud.speech import SHUT_DOWN_REASON, delete_utterance

logger = logging.getLogger(__name__)

GAVE_UP_REASON = "The speech engine keeps failing."


class _State(enum.Enum):
    NOT_STARTED = "not started"
    STARTING = "starting"
    READY = "ready"
    WAITING_TO_RESTART = "waiting to restart"
    GAVE_UP = "gave up"
    UNAVAILABLE = "unavailable"
    SHUT_DOWN = "shut down"


@dataclass(eq=False)
class _Job:
    request: SynthRequest
    attempts: int = 0
    cancelled: bool = False


def worker_command() -> list[str]:
    """This interpreter running the worker module (the venv's Python in a kiosk install)."""
    return [sys.executable, "-m", "kiosk.speech.worker"]


class ProcessSpeechService(QObject):
    """The real engine: kiosk.speech.worker in a child process, watched and restarted.

    One message is outstanding at a time (the worker is sequential anyway), which keeps the
    timeout exact and makes `cancel()` of a queued request free.
    """

    utterance_ready = Signal(str, object)  # request id, kiosk.speech.protocol.Utterance
    utterance_failed = Signal(str, str)  # request id, reason
    availability_changed = Signal(bool, str)  # available, short human reason when not
    engine_started = Signal(int)  # the worker's pid, each time a (re)started worker is ready

    MAX_ATTEMPTS = 2  # a request in flight when the worker died twice is not tried again

    def __init__(
        self,
        *,
        command: Sequence[str] | None = None,
        env: Mapping[str, str] | None = None,
        wav_dir: Path | None = None,
        request_timeout_ms: int = 5000,
        start_timeout_ms: int = 10_000,
        ping_interval_ms: int = 15_000,
        restart_delays_ms: Sequence[int] = (200, 1000, 3000, 10_000),
        max_failures: int = 5,
        failure_window_s: float = 300.0,
        retry_after_giving_up_ms: Sequence[int] = (30_000, 60_000, 120_000, 300_000, 600_000),
        clock: Clock | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._command = list(command or worker_command())
        self._env = dict(env or {})
        self._own_wav_dir = wav_dir is None
        self._wav_dir = wav_dir or Path(tempfile.mkdtemp(prefix="kiosk-speech-"))
        self._wav_dir.mkdir(parents=True, exist_ok=True)
        self._request_timeout_ms = request_timeout_ms
        self._start_timeout_ms = start_timeout_ms
        self._restart_delays_ms = tuple(restart_delays_ms) or (0,)
        self._max_failures = max_failures
        self._failure_window_s = failure_window_s
        self._retry_delays_ms = tuple(retry_after_giving_up_ms) or (600_000,)
        self._retries = 0  # tries since the engine last gave up, for the back-off
        self._clock = clock or SystemClock()

        self._state = _State.NOT_STARTED
        self._available = True
        self._reason = ""
        self._process: QProcess | None = None
        self._retired: list[QProcess] = []  # workers let go of, killed if need be
        self._pid: int | None = None
        self._voices: dict[str, str] = {}
        self._stdout = bytearray()
        self._stderr = bytearray()
        self._ids = itertools.count(1)
        self._jobs: dict[str, _Job] = {}  # live (not cancelled), queued or in flight
        self._queue: deque[_Job] = deque()
        self._in_flight: _Job | Ping | None = None
        self._failures: deque[float] = deque()

        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._on_watchdog)
        self._ping_timer = QTimer(self)
        self._ping_timer.setInterval(ping_interval_ms)
        self._ping_timer.timeout.connect(self._ping)
        self._restart_timer = QTimer(self)
        self._restart_timer.setSingleShot(True)
        self._restart_timer.timeout.connect(self._launch)
        # Giving up is a rest, not the end: the patient in front of the screen is the one
        # who needs read-aloud, so the engine is tried again, less and less often.
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.timeout.connect(self._try_again)

    # Public API.

    def start(self) -> None:
        if self._state is _State.NOT_STARTED:
            self._clear_stale_files()
            self._launch()

    def restart(self) -> None:
        """Try again after giving up (for example at a kiosk reset); no-op otherwise."""
        if self._state in (_State.GAVE_UP, _State.UNAVAILABLE):
            self._retry_timer.stop()
            self._try_again()

    def retry_in_seconds(self) -> int | None:
        """Seconds until the engine given up on is tried again; None if no try is waiting."""
        if not self._retry_timer.isActive():
            return None
        return max(0, round(self._retry_timer.remainingTime() / 1000))

    def _try_again(self) -> None:
        if self._state in (_State.GAVE_UP, _State.UNAVAILABLE):
            logger.info("trying the speech engine again")
            self._failures.clear()
            self._launch()

    def shutdown(self) -> None:
        if self._state is _State.SHUT_DOWN:
            return
        self._state = _State.SHUT_DOWN
        for timer in (self._watchdog, self._ping_timer, self._restart_timer, self._retry_timer):
            timer.stop()
        self._jobs.clear()
        self._queue.clear()
        process, self._process = self._process, None
        if process is not None and process.state() != QProcess.ProcessState.NotRunning:
            # The worker exits as soon as its stdin closes. This is the one wait in this class:
            # at shutdown, with the window gone, so that Qt never destroys a running process
            # (which it warns about) and no worker outlives the kiosk.
            process.write(encode(Quit()))
            process.closeWriteChannel()
            if not process.waitForFinished(1000):
                process.kill()
                process.waitForFinished(1000)
        for retired in self._retired:
            if retired.state() != QProcess.ProcessState.NotRunning:
                retired.waitForFinished(1000)  # already killed: a matter of milliseconds
        if self._own_wav_dir:
            shutil.rmtree(self._wav_dir, ignore_errors=True)
        # No availability_changed: whoever shuts the service down knows.
        self._available, self._reason = False, SHUT_DOWN_REASON

    def is_available(self) -> bool:
        return self._available

    def unavailable_reason(self) -> str:
        return self._reason

    def process_id(self) -> int | None:
        """The running worker's pid (for the benchmark's memory figure)."""
        return self._pid if self._state is _State.READY else None

    @property
    def voices(self) -> dict[str, str]:
        """Language -> espeak-ng voice, as reported by the running worker."""
        return dict(self._voices)

    @property
    def state(self) -> str:
        return self._state.value

    @property
    def busy(self) -> bool:
        """A request or ping is with the worker or waiting to go to it."""
        return self._in_flight is not None or bool(self._queue)

    def request(self, text: str, language: str, rate_wpm: int) -> str:
        request_id = str(next(self._ids))
        if self._state in (_State.GAVE_UP, _State.UNAVAILABLE, _State.SHUT_DOWN):
            # Answer later, never from inside request(): callers are not re-entered.
            QTimer.singleShot(
                0, self, functools.partial(self.utterance_failed.emit, request_id, self._reason)
            )
            return request_id
        path = self._wav_dir / f"speech-{request_id}.wav"
        job = _Job(SynthRequest(request_id, text, language, rate_wpm, str(path)))
        self._jobs[request_id] = job
        self._queue.append(job)
        self._pump()
        return request_id

    def release(self, utterance: Utterance) -> None:
        delete_utterance(utterance)

    def cancel(self, request_id: str) -> None:
        job = self._jobs.pop(request_id, None)
        if job is None:
            return
        job.cancelled = True
        if job in self._queue:
            self._queue.remove(job)

    # The worker process.

    def _launch(self) -> None:
        self._restart_timer.stop()
        for retired in [p for p in self._retired if p.state() == QProcess.ProcessState.NotRunning]:
            self._retired.remove(retired)
            shiboken6.delete(retired)
        self._state = _State.STARTING
        self._stdout.clear()
        self._stderr.clear()
        process = QProcess(self)
        process.setProgram(self._command[0])
        process.setArguments(self._command[1:])
        environment = QProcessEnvironment.systemEnvironment()
        for key, value in self._env.items():
            environment.insert(key, value)
        process.setProcessEnvironment(environment)
        # Each handler checks that its process is still the current one: a worker being
        # discarded may still have output or a finished() on its way.
        process.readyReadStandardOutput.connect(functools.partial(self._on_stdout, process))
        process.readyReadStandardError.connect(functools.partial(self._on_stderr, process))
        process.finished.connect(functools.partial(self._on_finished, process))
        process.errorOccurred.connect(functools.partial(self._on_error, process))
        self._process = process
        self._watchdog.start(self._start_timeout_ms)
        logger.info("starting the speech worker: %s", " ".join(self._command))
        process.start()

    def _on_stdout(self, process: QProcess) -> None:
        if process is not self._process:
            return
        self._stdout += process.readAllStandardOutput().data()
        while process is self._process and b"\n" in self._stdout:
            line, _, rest = bytes(self._stdout).partition(b"\n")
            self._stdout[:] = rest
            try:
                message = decode(line)
            except ProtocolError as error:
                logger.error("speech worker sent a line that is not a message (%s)", error)
                continue
            self._handle(message)

    def _on_stderr(self, process: QProcess) -> None:
        self._stderr += process.readAllStandardError().data()
        while b"\n" in self._stderr:
            line, _, rest = bytes(self._stderr).partition(b"\n")
            self._stderr[:] = rest
            text = line.decode("utf-8", "replace").rstrip()
            level_name, _, _ = text.partition(":")
            level = logging.getLevelName(level_name)
            logger.log(level if isinstance(level, int) else logging.INFO, "worker: %s", text)

    def _handle(self, message: Message) -> None:
        if isinstance(message, Ready):
            self._on_ready(message)
        elif isinstance(message, Utterance | SynthFailed):
            self._on_answer(message)
        elif isinstance(message, Pong):
            if isinstance(self._in_flight, Ping) and self._in_flight.id == message.id:
                self._in_flight = None
                self._watchdog.stop()
                self._pump()
        elif isinstance(message, EngineUnavailable):
            logger.error("speech engine unavailable: %s (%s)", message.reason, message.detail)
            self._state = _State.UNAVAILABLE
            self._stop_watching()
            self._give_up(message.reason)
        else:
            logger.error("speech worker sent a request-only message: %r", message)

    def _on_ready(self, ready: Ready) -> None:
        if self._state is not _State.STARTING:
            return
        self._state = _State.READY
        self._pid = ready.pid
        self._voices = dict(ready.voices)
        self._watchdog.stop()
        self._ping_timer.start()
        logger.info("speech worker %d ready, voices %s", ready.pid, ready.voices)
        self._retries = 0
        self._set_available(True, "")
        self.engine_started.emit(ready.pid)
        self._pump()

    def _on_answer(self, answer: Utterance | SynthFailed) -> None:
        job = self._in_flight
        if not isinstance(job, _Job) or job.request.id != answer.id:
            logger.error("speech worker answered request %s, which was not asked", answer.id)
            return
        self._in_flight = None
        self._watchdog.stop()
        # A worker that answers is a working engine: past deaths (a kill, an OOM) no longer
        # count towards giving up, so only an engine that never gets anything done rests.
        self._failures.clear()
        if job.cancelled:
            _unlink(job.request.path)
        else:
            del self._jobs[answer.id]
            if isinstance(answer, Utterance):
                self.utterance_ready.emit(answer.id, answer)
            else:
                self.utterance_failed.emit(answer.id, answer.reason)
        self._pump()

    def _pump(self) -> None:
        if self._state is not _State.READY or self._in_flight is not None or not self._queue:
            return
        job = self._queue.popleft()
        job.attempts += 1
        self._send(job, job.request)

    def _ping(self) -> None:
        if self._state is _State.READY and self._in_flight is None and not self._queue:
            ping = Ping(f"ping-{next(self._ids)}")
            self._send(ping, ping)

    def _send(self, outstanding: _Job | Ping, message: SynthRequest | Ping) -> None:
        assert self._process is not None
        self._in_flight = outstanding
        self._watchdog.start(self._request_timeout_ms)
        self._process.write(encode(message))

    def _on_watchdog(self) -> None:
        if self._state is _State.STARTING:
            self._failure(f"did not start within {self._start_timeout_ms} ms")
        elif self._in_flight is not None:
            self._failure(f"did not answer within {self._request_timeout_ms} ms")

    def _on_finished(self, process: QProcess, code: int, status: QProcess.ExitStatus) -> None:
        if process is not self._process:
            return
        if status == QProcess.ExitStatus.CrashExit:
            self._failure("crashed (killed by a signal)")
        else:
            self._failure(f"exited with status {code}")

    def _on_error(self, process: QProcess, error: QProcess.ProcessError) -> None:
        # A crash or a broken pipe is followed by finished(); only a failed start is not.
        if process is self._process and error == QProcess.ProcessError.FailedToStart:
            self._failure(f"could not be started ({process.errorString()})")

    def _failure(self, why: str) -> None:
        if self._state in (_State.UNAVAILABLE, _State.SHUT_DOWN):
            return
        logger.warning("speech worker %s", why)
        self._stop_watching()
        job, self._in_flight = self._in_flight, None
        lost: _Job | None = None
        if isinstance(job, _Job):
            if job.cancelled:
                _unlink(job.request.path)
            elif job.attempts < self.MAX_ATTEMPTS:
                self._queue.appendleft(job)  # the next worker tries it again
            else:
                lost = self._jobs.pop(job.request.id)
        now = self._clock.monotonic()
        self._failures.append(now)
        while self._failures and self._failures[0] < now - self._failure_window_s:
            self._failures.popleft()
        # The state is settled before any signal goes out: a receiver may call request().
        if len(self._failures) >= self._max_failures:
            logger.error(
                "speech worker failed %d times in %.0f s; resting before the next try",
                len(self._failures),
                self._failure_window_s,
            )
            self._state = _State.GAVE_UP
        else:
            delay = self._restart_delays_ms[
                min(len(self._failures), len(self._restart_delays_ms)) - 1
            ]
            self._state = _State.WAITING_TO_RESTART
            self._restart_timer.start(delay)
        if lost is not None:
            logger.warning("request %s failed: the worker died on it twice", lost.request.id)
            self.utterance_failed.emit(lost.request.id, f"speech worker {why}")
        if self._state is _State.GAVE_UP:
            self._give_up(GAVE_UP_REASON)

    def _stop_watching(self) -> None:
        """Stop the timers and let go of the current worker, killing it if it still runs."""
        self._watchdog.stop()
        self._ping_timer.stop()
        self._pid = None
        process, self._process = self._process, None
        if process is None:
            return
        if process.state() != QProcess.ProcessState.NotRunning:
            process.kill()
        # Not deleteLater(): with PySide6 6.12 a child QProcess deleted that way and then
        # again with its parent crashed the kiosk (SIGBUS in ~QObject). Retired workers
        # are deleted at the next launch, once they have surely exited.
        self._retired.append(process)

    def _give_up(self, reason: str) -> None:
        delay = self._retry_delays_ms[min(self._retries, len(self._retry_delays_ms) - 1)]
        self._retries += 1
        logger.warning("read-aloud is off: %s; trying again in %d s", reason, delay // 1000)
        self._retry_timer.start(delay)
        jobs = [job for job in self._jobs.values() if not job.cancelled]
        self._jobs.clear()
        self._queue.clear()
        self._set_available(False, reason)
        for job in jobs:
            self.utterance_failed.emit(job.request.id, reason)

    def _set_available(self, available: bool, reason: str) -> None:
        if (available, reason) == (self._available, self._reason):
            return
        self._available, self._reason = available, reason
        self.availability_changed.emit(available, reason)

    def _clear_stale_files(self) -> None:
        """WAV files a previous kiosk run left behind (it may have crashed mid-sentence)."""
        for stale in self._wav_dir.glob("speech-*.wav"):
            _unlink(str(stale))


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        Path(path).unlink(missing_ok=True)
