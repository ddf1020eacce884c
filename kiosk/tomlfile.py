"""Reading small TOML files written by people, with errors that name the file and line."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.problems import Problem

_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


def toml_error_line(error: tomllib.TOMLDecodeError, offset: int = 0) -> int | None:
    """The 1-based line of a TOML syntax error (Python 3.11's exception only says it in text)."""
    lineno = getattr(error, "lineno", None)
    if isinstance(lineno, int):
        return lineno + offset
    match = _TOML_POSITION.search(str(error))
    return int(match.group(1)) + offset if match else None


def toml_error_message(error: tomllib.TOMLDecodeError) -> str:
    return _TOML_POSITION.sub("", str(error)).strip()


def key_line(text: str, key: str, offset: int = 0) -> int | None:
    """The line on which `key = ...` is first assigned, to point a field error at it."""
    pattern = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=", re.MULTILINE)
    match = pattern.search(text)
    if match is None:
        return None
    return text.count("\n", 0, match.start()) + 1 + offset


@dataclass
class FieldReader:
    """Pulls typed fields out of a parsed TOML table, recording a Problem for each bad one."""

    path: Path
    text: str
    line_offset: int = 0
    problems: list[Problem] = field(default_factory=list)

    def problem(self, key: str, message: str) -> None:
        short = key.rsplit(".", 1)[-1]
        self.problems.append(
            Problem(self.path, message, key_line(self.text, short, self.line_offset), key)
        )

    def get(
        self,
        table: dict[str, Any],
        key: str,
        kind: type | tuple[type, ...],
        default: Any,
        *,
        required: bool = False,
        name: str | None = None,
    ) -> Any:
        label = name or key
        if key not in table:
            if required:
                self.problems.append(Problem(self.path, "is required but missing", None, label))
            return default
        value = table[key]
        # bool is an int in Python; a TOML `true` must not pass as a number.
        if isinstance(value, bool) and bool not in _as_tuple(kind):
            self.problem(label, f"must be {_kind_name(kind)}, not {_toml_type(value)}")
            return default
        if not isinstance(value, kind):
            self.problem(label, f"must be {_kind_name(kind)}, not {_toml_type(value)}")
            return default
        return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "text",
        int: "a whole number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
        float: "a number",
    }
    return " or ".join(names.get(k, k.__name__) for k in _as_tuple(kind))


def _toml_type(value: object) -> str:
    names = {
        str: "text",
        int: "a number",
        bool: "true/false",
        list: "a list",
        dict: "a table",
        float: "a number",
    }
    return names.get(type(value), type(value).__name__)
