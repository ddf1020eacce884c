"""Replacing a file so that a crash, a full disk or a pulled USB stick leaves the old file or
the new one, never half of one: write a temporary file beside it, fsync, rename, fsync the
folder (the rename lives in the folder's directory entry)."""

from __future__ import annotations

import errno
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

logger = logging.getLogger(__name__)

TEMPORARY_SUFFIX = ".tmp"


def write_atomically(
    path: Path,
    write: Callable[[BinaryIO], object],
    check: Callable[[Path], None] | None = None,
) -> None:
    """Write `path` through `write(handle)`; `check(temporary)` may refuse the new file
    before it replaces the old one. Raises what `write`, `check` or the disk raise."""
    descriptor, name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent
    )
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if check is not None:
            check(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def temporaries_of(path: Path) -> list[Path]:
    """Leftovers of a write that was killed before its rename."""
    return list(path.parent.glob(f".{path.name}.*{TEMPORARY_SUFFIX}"))


def fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError as error:
        # Some file systems (exFAT on a USB stick through FUSE, for one) refuse to fsync a
        # folder. The file's own data was fsynced before the rename, so it still stands.
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
        logger.info("cannot fsync folder %s: %s", folder, error)
    finally:
        os.close(descriptor)
