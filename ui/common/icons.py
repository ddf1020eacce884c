"""Lucide SVG icons (assets/icons), tinted to the theme and rendered at the size asked for."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from kiosk.paths import ASSETS

ICONS = ASSETS / "icons"


class IconSet:
    """Icons by name; rendered pixmaps are cached per colour and size."""

    def __init__(self, folder: Path = ICONS) -> None:
        self._folder = folder
        self._svg: dict[str, str] = {}

    def names(self) -> set[str]:
        return {p.stem for p in self._folder.glob("*.svg")}

    def _source(self, name: str) -> str:
        if name not in self._svg:
            self._svg[name] = (self._folder / f"{name}.svg").read_text(encoding="utf-8")
        return self._svg[name]

    def pixmap(self, name: str, colour: str, size: int, ratio: float = 1.0) -> QPixmap:
        return _render(self._source(name), colour, size, ratio)

    def icon(self, name: str, colour: str, size: int, ratio: float = 1.0) -> QIcon:
        return QIcon(self.pixmap(name, colour, size, ratio))


@lru_cache(maxsize=256)
def _render(svg: str, colour: str, size: int, ratio: float) -> QPixmap:
    # Lucide draws with stroke="currentColor", which QtSvg has no notion of.
    data = QByteArray(svg.replace("currentColor", colour).encode("utf-8"))
    renderer = QSvgRenderer(data)
    pixels = max(1, round(size * ratio))
    pixmap = QPixmap(QSize(pixels, pixels))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap
