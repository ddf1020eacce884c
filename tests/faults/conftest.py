"""The fault suite: figures each test measured, printed at the end of the run.

`make test` runs every fault test with a few trials each; `make faults` sets
FAULT_TRIALS=full for the heavier counts and prints the same figures.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

FULL = os.environ.get("FAULT_TRIALS") == "full"


def trials(quick: int, full: int) -> int:
    return full if FULL else quick


class Figures:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        self.lines.append(line)


_FIGURES = Figures()


@pytest.fixture
def figures() -> Iterator[Figures]:
    yield _FIGURES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _FIGURES.lines:
        terminalreporter.section("fault injection figures")
        for line in _FIGURES.lines:
            terminalreporter.write_line(line)
