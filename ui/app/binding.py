"""Work-arounds for the Qt binding itself (PySide6), applied once by main.py."""

from __future__ import annotations

import linecache
import logging
import sys

logger = logging.getLogger(__name__)


def stop_source_reads_on_import() -> bool:
    """Keep PySide6 from reading the source of every module imported after it.

    PySide6's `__feature__` support (snake_case, true_property) hooks `__import__` and, for
    each new module, looks for "PySide6" in its whole source through `inspect.getsource`.
    `linecache` then keeps every line of it for the life of the process: about 9 MB of text
    for SQLAlchemy alone, more than 10 MB of a kiosk's memory. The kiosk selects no
    feature, so the answer is never needed; modules are marked as not using features,
    which leaves them exactly as they are. Returns whether the hook was found (it is an
    internal of shiboken6: if a release renames it, nothing breaks, memory is just higher).
    """
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not hasattr(feature, "_mod_uses_pyside"):
        logger.info("PySide6 feature hook not found; modules' source may stay in memory")
        return False
    feature._mod_uses_pyside = lambda _module: False  # type: ignore[attr-defined]  # internal
    # What it read before this ran (the standard library and the kiosk's first modules, a
    # few MB): a traceback reads a file again from disk when it needs a line.
    linecache.clearcache()
    return True
