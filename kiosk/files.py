"""Reading files people put in the kiosk's folders, without hanging on one that is not a file.

A FIFO named `x.md` blocks a plain open() until someone writes to it; a link to /dev/zero or
/dev/urandom never ends; a directory or socket has no size worth checking. Content is read
before the first frame, so any of these would leave a dead screen. Only regular files (after
following links) are read, opened so that nothing can block, and never more than the limit.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotARegularFile(OSError):
    """The path is a FIFO, device, socket or directory, not a file of text."""


def read_regular_file(path: Path, limit: int) -> bytes:
    """At most `limit` + 1 bytes of a regular file (one more than allowed says "too big").

    Raises NotARegularFile for anything else and OSError (FileNotFoundError among them) when
    the file cannot be opened or read.
    """
    # O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ENXIO:  # what open() says of a socket
            raise NotARegularFile(error.errno, "is a socket, not a file", str(path)) from None
        raise
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotARegularFile(0, f"is {_kind(mode)}, not a file", str(path))
        chunks: list[bytes] = []
        wanted = limit + 1
        while wanted > 0:
            chunk = os.read(descriptor, min(wanted, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
