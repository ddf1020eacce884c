"""`make bench`: every benchmark, each figure printed with its unit and its target.

A suite returns (name, value, unit) rows, or (name, value, unit, goal) to print the goal too.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench import bench_fleet, bench_kiosk, bench_speech, bench_stats

Suite = Callable[[], Sequence[tuple[Any, ...]]]
SUITES: dict[str, Suite] = {
    "kiosk": bench_kiosk.run,
    "speech": bench_speech.run,
    "stats": bench_stats.run,
    "fleet": bench_fleet.run,
}


def main(argv: list[str]) -> int:
    chosen = argv or list(SUITES)
    unknown = set(chosen) - set(SUITES)
    if unknown:
        print(
            f"unknown benchmark suite(s): {', '.join(sorted(unknown))}; "
            f"choose from {', '.join(SUITES)}",
            file=sys.stderr,
        )
        return 2
    for name in chosen:
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        for label, value, unit, *goal in SUITES[name]():
            wanted = f" (goal: {goal[0]})" if goal and goal[0] != "-" else ""
            print(f"  {label}: {value:.2f} {unit}{wanted}", flush=True)
        print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
