"""`make bench`: every benchmark, each figure printed with its unit and its target."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from bench import bench_kiosk, bench_speech, bench_stats

Suite = Callable[[], list[tuple[str, float, str]]]
SUITES: dict[str, Suite] = {
    "kiosk": bench_kiosk.run,
    "speech": bench_speech.run,
    "stats": bench_stats.run,
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
        for label, value, unit in SUITES[name]():
            print(f"  {label}: {value:.2f} {unit}", flush=True)
        print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
