"""`make bench`: every benchmark, each figure printed with its unit and its goal, and at the
end one line per goal: met or not met.

A suite returns (name, value, unit) rows, or (name, value, unit, goal) to print the goal too.
A goal is "-" (none), or a comparison and a limit in the row's unit or a related one:
"<= 16.7 ms", "< 50 ms", "<= 10 s", ">= 0.9 x". Any other text is printed, never judged.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench import bench_fleet, bench_kiosk, bench_speech, bench_start, bench_stats

Suite = Callable[[], Sequence[tuple[Any, ...]]]
SUITES: dict[str, Suite] = {
    "start": bench_start.run,
    "kiosk": bench_kiosk.run,
    "speech": bench_speech.run,
    "stats": bench_stats.run,
    "fleet": bench_fleet.run,
}
# How many of the row's unit one of these is, for a goal stated in another unit.
SCALES = {
    ("ms", "s"): 1000.0,
    ("s", "ms"): 0.001,
    ("µs", "ms"): 1000.0,
    ("ms", "µs"): 0.001,
    ("kB", "MB"): 1000.0,
    ("MB", "kB"): 0.001,
    ("MB", "GB"): 1000.0,
}
GOAL = re.compile(r"^\s*(<=|>=|<|>|≤|≥)\s*([0-9.]+)\s*(\S*)\s*$")


def verdict(value: float, unit: str, goal: str) -> bool | None:
    """Whether `value` meets `goal`; None when the goal is not one this can judge."""
    match = GOAL.match(goal)
    if match is None:
        return None
    sign, number, goal_unit = match.groups()
    limit = float(number)
    if goal_unit and goal_unit != unit:
        scale = SCALES.get((unit, goal_unit))
        if scale is None:
            return None
        limit *= scale
    return {
        "<=": value <= limit,
        "≤": value <= limit,
        "<": value < limit,
        ">=": value >= limit,
        "≥": value >= limit,
        ">": value > limit,
    }[sign]


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
    verdicts: list[str] = []
    for name in chosen:
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        for label, value, unit, *rest in SUITES[name]():
            goal = str(rest[0]) if rest else "-"
            wanted = f" (goal: {goal})" if goal != "-" else ""
            print(f"  {label}: {value:.2f} {unit}{wanted}", flush=True)
            met = verdict(value, unit, goal) if goal != "-" else None
            if met is not None:
                state = "met" if met else "NOT MET"
                verdicts.append(f"  {state}: {name}: {label}: {value:.2f} {unit} (goal: {goal})")
        print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)
    print("== goals", flush=True)
    for line in verdicts or ["  (no figure in these suites has a goal)"]:
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
