"""Driving the real widgets as a patient does."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt


def tap(qtbot: Any, widget: Any, pos: QPoint | None = None) -> None:
    """A finger on `widget`, at its centre unless `pos` says where: it must be on screen
    and enabled, as a patient would find it."""
    assert widget.isVisible(), f"{widget.objectName()} is not on screen"
    assert widget.isEnabled(), f"{widget.objectName()} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos or widget.rect().center())
