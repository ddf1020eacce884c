"""The rule that an unexpected WARNING or ERROR fails the test (tests/helpers/logfail.py)."""

from __future__ import annotations

import logging

from tests.helpers.logfail import LogFailHandler


def caught(*messages: tuple[int, str]) -> LogFailHandler:
    handler = LogFailHandler()
    logger = logging.getLogger("tests.logfail.sample")
    logger.addHandler(handler)
    logger.propagate = False  # kept from this test's own logfail handler
    try:
        for level, message in messages:
            logger.log(level, message)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    return handler


def test_warnings_and_errors_are_unexpected_unless_declared() -> None:
    handler = caught(
        (logging.INFO, "fine"), (logging.WARNING, "disk full"), (logging.ERROR, "bad pin")
    )
    report = handler.unexpected([])
    assert "disk full" in report and "bad pin" in report and "fine" not in report
    assert handler.unexpected([("disk",)]).count("\n") == 0  # only "bad pin" left
    assert "bad pin" in handler.unexpected([("disk",)])
    assert handler.unexpected([("disk", "pin")]) == ""
    assert handler.unexpected([()]) == ""  # a marker without texts allows everything
