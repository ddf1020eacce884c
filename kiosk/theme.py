"""Themes: the one stylesheet template filled from a palette (colours) and text sizes.

Kept free of Qt so the contrast of every colour pair can be checked in plain tests.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from string import Template
from types import MappingProxyType

from kiosk.paths import ASSETS

STANDARD = "standard"
HIGH_CONTRAST = "high-contrast"
LARGE = "large"


@dataclass(frozen=True, slots=True)
class ThemeBook:
    template: str
    colours: MappingProxyType[str, MappingProxyType[str, str]]
    sizes: MappingProxyType[str, MappingProxyType[str, int]]

    @classmethod
    def load(cls, folder: Path = ASSETS) -> ThemeBook:
        data = tomllib.loads((folder / "themes.toml").read_text(encoding="utf-8"))
        template = (folder / "style.qss").read_text(encoding="utf-8")
        colours = {name: MappingProxyType(dict(values)) for name, values in data["themes"].items()}
        sizes = {
            name: MappingProxyType({k: int(v) for k, v in values.items()})
            for name, values in data["text_sizes"].items()
        }
        return cls(template, MappingProxyType(colours), MappingProxyType(sizes))

    def values(self, theme: str, text_size: str) -> dict[str, str]:
        values = dict(self.colours[theme])
        values.update({k: str(v) for k, v in self.sizes[text_size].items()})
        return values

    def stylesheet(self, theme: str, text_size: str) -> str:
        """The stylesheet for a theme; a name missing from themes.toml raises KeyError."""
        return Template(self.template).substitute(self.values(theme, text_size))

    def document_css(self, theme: str) -> str:
        """CSS for topic bodies (Qt rich text documents do not see the widget stylesheet)."""
        c = self.colours[theme]
        return (
            f"a {{ color: {c['link']}; text-decoration: underline; font-weight: bold; }}"
            f"h3 {{ color: {c['heading']}; }}"
            f"table {{ border-collapse: collapse; border-color: {c['border']}; }}"
            f"th {{ background-color: {c['table_header']}; color: {c['text']};"
            f" border: 2px solid {c['border']}; padding: 10px; text-align: left; }}"
            f"td {{ border: 2px solid {c['border']}; padding: 10px; vertical-align: top; }}"
            f"li {{ margin-bottom: 6px; }}"
        )


_HEX = re.compile(r"^#([0-9a-fA-F]{6})$")


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #RRGGBB colour."""
    match = _HEX.match(colour)
    if not match:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    channels = [int(match.group(1)[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    high, low = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (high + 0.05) / (low + 0.05)
