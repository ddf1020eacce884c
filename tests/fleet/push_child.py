"""A kiosk's fleet pusher in a process of its own, for the kill -9 test (test_kill_push.py).

Run as `python tests/fleet/push_child.py LOCAL_URL DATA_DIR FLEET_URL KIOSK_ID`. It runs the
real FleetPusher thread (FleetLink, push, acknowledge) until one push has been acknowledged,
and reports on stdout, one line each, flushed at once (a kill -9 can come any time):

    START          a push attempt begins
    BATCH n        the n-th batch of rows is about to go to the server
    SENT           the server committed the push (the local acknowledgement comes next)
    PUSHED rows    the push was acknowledged locally; the process then exits
    FAILED reason  the attempt failed (the pusher would retry after its back-off)
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.clock import ManualClock
from kiosk.fleet import local, push
from kiosk.fleet.pusher import FleetLink, FleetPusher
from kiosk.settings import FleetSettings
from tests.fleet.helpers import NOW


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(local_url: str, data_dir: str, fleet_url: str, kiosk_id: str) -> int:
    done = threading.Event()
    batches = 0
    send, acknowledge = push.send, local.acknowledge

    def between_batches() -> None:
        nonlocal batches
        batches += 1
        say(f"BATCH {batches}")

    def reported_send(*args: Any, **kwargs: Any) -> None:
        send(*args, **kwargs)
        say("SENT")

    def reported_acknowledge(connection: Any, snapshot: local.Snapshot) -> None:
        acknowledge(connection, snapshot)
        # Said after the ack's own statement, before its transaction commits: a kill here
        # still rolls the acknowledgement back.
        say(f"PUSHED {snapshot.row_count}")
        done.set()

    push.send = reported_send  # type: ignore[assignment]
    local.acknowledge = reported_acknowledge  # type: ignore[assignment]
    settings = FleetSettings(url=fleet_url, site="north", interval_seconds=3600)
    link = FleetLink(settings, kiosk_id, local_url, Path(data_dir), ManualClock(NOW))
    link.between_batches = between_batches
    attempt = link.attempt

    def reported_attempt() -> float:
        say("START")
        wait = attempt()
        if link.status.problem is not None:
            say(f"FAILED {link.status.problem}")
            return 0.2  # the real back-off is 30 s; this child has no time to lose
        return wait

    link.attempt = reported_attempt  # type: ignore[method-assign]
    pusher = FleetPusher(link)
    pusher.start()
    done.wait(120)
    pusher.stop()
    return 0 if done.is_set() else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
