"""QtMultimedia for sound only, without its media back-end plugin.

The kiosk plays raw PCM through QAudioSink and lists outputs with QMediaDevices; both run on
the PulseAudio (or PipeWire) code inside libQt6Multimedia itself. Yet the first of them makes
Qt load a media back-end plugin for players and cameras, which on Linux is FFmpeg's: it maps
libavcodec, libavformat, Qt Quick and QML, about 12 MB of the kiosk's memory at rest that no
patient screen uses. QT_MEDIA_BACKEND cannot stop it (Qt 6.11 falls back to any back-end it
finds), so the plugin folder is hidden from Qt while the back-end is chosen; with none found Qt
uses its built-in fallback, which supports exactly QMediaDevices, QAudioDevice and QAudioSink
(qtmultimedia src/multimedia/platform/qplatformmediaintegration.cpp, QFallbackIntegration).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QtMsgType,
    qFormatLogMessage,
    qInstallMessageHandler,
)

# What Qt says when it uses the fallback: the whole point here, not a problem to report.
FALLBACK_NOTICE = "No QtMultimedia backends found."

Handler = Callable[[QtMsgType, QMessageLogContext, str], Any]


def media_devices(parent: Any) -> Any:
    """A QMediaDevices; the first one in the process picks Qt's sound-only back-end."""
    from PySide6.QtMultimedia import QMediaDevices

    paths = QCoreApplication.libraryPaths()
    previous: Handler | None = None

    def quiet(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message.startswith(FALLBACK_NOTICE):
            return
        if previous is not None:
            previous(kind, context, message)
        else:  # Qt's own handler would have printed it
            print(qFormatLogMessage(kind, context, message), file=sys.stderr)

    previous = qInstallMessageHandler(quiet)
    QCoreApplication.setLibraryPaths([])
    try:
        devices = QMediaDevices(parent)
        devices.audioOutputs()  # the back-end is chosen on this first real use
    finally:
        # Platform, image and icon plugins are already loaded; later lookups see them again.
        QCoreApplication.setLibraryPaths(paths)
        qInstallMessageHandler(previous)
    return devices
